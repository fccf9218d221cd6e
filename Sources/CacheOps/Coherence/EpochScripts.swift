import Redis
import Support

/// The server-side halves of the invalidation epochs, in one place: what a change runs
/// before it deletes (`bumpSlots`, `appendChange`) and what a warm runs for each batch of
/// keys (`writeIfUnchanged`, `writeIfSlotsUnchanged`). See docs/ARCHITECTURE.md,
/// "Fine-grained epochs".
///
/// None declares Redis 7 script flags, so they run on any server with scripting. On a
/// cluster a script may only touch keys of one slot unless it is declared with
/// `#!lua flags=allow-cross-slot-keys` (Redis ≥ 7.0): `text(_:crossSlot:)` adds that line,
/// for a router that sends one script per node over keys of several slots.
public enum EpochScripts {
    /// HINCRBY every field of ARGV that exists in every hash of KEYS (the epochs of
    /// some slots for some families). Returns how many fields it bumped.
    ///
    /// A field that does not exist is left so: no warm guarded per slot has read it
    /// (such a warm creates every field it reads, `SlotEpochs.read`), so none can be
    /// writing values it guards; a warm that reads it later reads it after this change,
    /// and its snapshot holds the change. So a server never gets 16,384 hashes unless a
    /// warm guarded per slot ran there.
    public static let bumpSlots = """
        local call = redis.call
        local bumped = 0
        for i = 1, #KEYS do
          for j = 1, #ARGV do
            if call('HEXISTS', KEYS[i], ARGV[j]) == 1 then
              call('HINCRBY', KEYS[i], ARGV[j], 1)
              bumped = bumped + 1
            end
          end
        end
        return bumped
        """

    /// Appends a record to the change log KEYS[1] and returns the log's new position
    /// `id:n`. ARGV[1] the record; ARGV[2] the id of a log created now (the id tells a
    /// reader that a log it knew was deleted and started again: positions are compared,
    /// never assumed to grow across logs); ARGV[3] the most bytes of records kept and
    /// ARGV[4] the most records kept: the oldest go first, the newest always stays.
    ///
    /// Fields: `seq` the position, `first` the oldest record kept, `bytes` the records'
    /// size, and each record under its number.
    public static let appendChange = """
        local call = redis.call
        local log = KEYS[1]
        local position = call('HGET', log, 'seq')
        local id, n = ARGV[2], 0
        if position then
          local at = string.find(position, ':', 1, true)
          id = string.sub(position, 1, at - 1)
          n = tonumber(string.sub(position, at + 1))
        end
        n = n + 1
        position = id .. ':' .. n
        call('HSET', log, 'seq', position, tostring(n), ARGV[1])
        local first = tonumber(call('HGET', log, 'first') or n)
        local bytes = call('HINCRBY', log, 'bytes', #ARGV[1])
        local maxBytes, maxRecords = tonumber(ARGV[3]), tonumber(ARGV[4])
        while first < n and (bytes > maxBytes or n - first + 1 > maxRecords) do
          local old = call('HGET', log, tostring(first))
          if old then
            bytes = call('HINCRBY', log, 'bytes', -#old)
            call('HDEL', log, tostring(first))
          end
          first = first + 1
        end
        call('HSET', log, 'first', tostring(first))
        return position
        """

    /// A warm's batch, guarded by the change log (one server): writes the keys only if the
    /// log is still at the position the warm last read, so no change was recorded (and
    /// none deleted anything) since the warm decided which keys to send.
    ///
    /// KEYS[1] the change log, KEYS[2…n+1] the keys. ARGV[1] the expected position (empty
    /// when there is no log), ARGV[2] `1` for SET NX, ARGV[3] the TTL in ms of every key or
    /// empty when each has its own; then the n values; then, with per-key TTLs, the n
    /// TTLs. Returns -1 when the log moved (nothing written); else n, or with NX one
    /// character per key: `1` set, `0` left alone because it exists. Without NX each key
    /// is a PSETEX (SET … PX without the option parsing: about a tenth less server time
    /// per key).
    public static let writeIfUnchanged = """
        local call = redis.call
        if (call('HGET', KEYS[1], 'seq') or '') ~= ARGV[1] then return -1 end
        local n = #KEYS - 1
        local shared = ARGV[3]
        if ARGV[2] == '1' then
          local outcome = {}
          for i = 1, n do
            local ttl = shared
            if shared == '' then ttl = ARGV[3 + n + i] end
            if call('SET', KEYS[i + 1], ARGV[3 + i], 'PX', ttl, 'NX') then outcome[i] = '1' else outcome[i] = '0' end
          end
          return table.concat(outcome)
        end
        if shared ~= '' then
          for i = 1, n do call('PSETEX', KEYS[i + 1], shared, ARGV[3 + i]) end
        else
          for i = 1, n do call('PSETEX', KEYS[i + 1], ARGV[3 + n + i], ARGV[3 + i]) end
        end
        return n
        """

    /// A warm's batch, guarded per hash slot (any topology, a cluster included): each key
    /// is written only if its slot's epoch for the family still has the value the warm
    /// read before its snapshot. The check and the write are atomic on the node that owns
    /// the slot, because the epoch hash is in the same slot as the key.
    ///
    /// KEYS[1…n] the keys, KEYS[n+1…n+m] the epoch hashes of their slots (each once).
    /// ARGV[1] the family (the hash field), ARGV[2] `1` for SET NX, ARGV[3] the shared TTL
    /// in ms or empty, ARGV[4] n; ARGV[5…4+m] the expected value of each epoch hash (`0`
    /// when the field was absent); then per key its epoch hash's number (1…m) and its
    /// value; then, with per-key TTLs, the n TTLs. Returns one character per key: `1` set,
    /// `0` left alone (NX, it exists), `r` refused (its slot's epoch moved).
    public static let writeIfSlotsUnchanged = """
        local call = redis.call
        local n = tonumber(ARGV[4])
        local m = #KEYS - n
        local field, nx, shared = ARGV[1], ARGV[2] == '1', ARGV[3]
        local current = {}
        for j = 1, m do
          current[j] = (call('HGET', KEYS[n + j], field) or '0') == ARGV[4 + j]
        end
        local base = 4 + m
        local outcome = {}
        for i = 1, n do
          if current[tonumber(ARGV[base + 2 * i - 1])] then
            local ttl = shared
            if shared == '' then ttl = ARGV[base + 2 * n + i] end
            if not nx then
              call('PSETEX', KEYS[i], ttl, ARGV[base + 2 * i])
              outcome[i] = '1'
            elseif call('SET', KEYS[i], ARGV[base + 2 * i], 'PX', ttl, 'NX') then
              outcome[i] = '1'
            else
              outcome[i] = '0'
            end
          else
            outcome[i] = 'r'
          end
        end
        return table.concat(outcome)
        """

    /// `script` as sent: with the cross-slot declaration for a cluster node (Redis ≥ 7.0).
    public static func text(_ script: String, crossSlot: Bool) -> String {
        crossSlot ? "#!lua flags=allow-cross-slot-keys\n" + script : script
    }
}

/// A script loaded once per connection and run by its digest (EVALSHA), loaded again
/// when the server answers NOSCRIPT (restarted, or SCRIPT FLUSH).
struct LoadedScript {
    let text: String
    private(set) var sha = ""

    init(_ text: String) { self.text = text }

    mutating func load(_ redis: RedisConnection) throws {
        guard let digest = try redis.command(["SCRIPT", "LOAD", text]).string else {
            throw RedisError(kind: .unexpectedReply, address: redis.address, detail: "SCRIPT LOAD did not answer a digest")
        }
        sha = digest
    }

    static func isNoScript(_ reply: RedisReply) -> Bool {
        reply.errorMessage?.hasPrefix("NOSCRIPT") == true
    }
}

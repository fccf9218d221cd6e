import CHiredis

/// The sole owner of one `redisReply` tree from hiredis: its deinit frees the tree with
/// `freeReplyObject`, and being non-copyable it cannot be freed twice.
struct HiredisReply: ~Copyable {
    private let raw: UnsafeMutableRawPointer

    /// Takes ownership of what `redisCommandArgv` / `redisGetReply` handed out.
    init?(taking raw: UnsafeMutableRawPointer?) {
        guard let raw else { return nil }
        self.raw = raw
    }

    deinit { freeReplyObject(raw) }

    /// The tree as Swift values; `nil` for a reply type RESP2 does not define.
    var value: RedisReply? {
        RedisReply(hiredis: UnsafePointer(raw.assumingMemoryBound(to: redisReply.self)))
    }
}

extension RedisReply {
    /// Copies a hiredis reply tree. Recursion depth is bounded by hiredis' reader, which
    /// refuses replies nested deeper than its fixed task stack.
    init?(hiredis reply: UnsafePointer<redisReply>) {
        let node = reply.pointee
        switch node.type {
        case REDIS_REPLY_STRING:
            self = .bulk(Self.copyBytes(node.str, node.len))
        case REDIS_REPLY_STATUS:
            self = .status(String(decoding: Self.copyBytes(node.str, node.len), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            self = .error(String(decoding: Self.copyBytes(node.str, node.len), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            self = .integer(Int64(node.integer))
        case REDIS_REPLY_NIL:
            self = .null
        case REDIS_REPLY_ARRAY:
            var elements: [RedisReply] = []
            elements.reserveCapacity(node.elements)
            for index in 0..<node.elements {
                guard let child = node.element[index], let element = RedisReply(hiredis: child) else { return nil }
                elements.append(element)
            }
            self = .array(elements)
        default:
            return nil
        }
    }

    private static func copyBytes(_ start: UnsafeMutablePointer<CChar>?, _ count: Int) -> [UInt8] {
        guard let start, count > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: start, count: count))
    }
}

import CHiredis

/// The sole owner of one hiredis `redisReader`, the RESP parser of one connection: bytes
/// read from the transport are fed in, complete replies come out as `HiredisReply` trees.
/// Its deinit frees it with `redisReaderFree`.
final class HiredisReader {
    private let raw: UnsafeMutablePointer<redisReader>

    /// The reader's buffer is kept up to this size between replies instead of being freed
    /// and regrown for every read (hiredis' default is 16 KB; reads are 64 KB).
    private static let retainedBuffer = 1 << 20

    init() throws(TransportFailure) {
        guard let raw = redisReaderCreate() else { throw .outOfMemory }
        raw.pointee.maxbuf = Self.retainedBuffer
        self.raw = raw
    }

    deinit { redisReaderFree(raw) }

    func feed(_ bytes: UnsafeRawBufferPointer) throws(TransportFailure) {
        let status = redisReaderFeed(raw, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
        guard status == REDIS_OK else { throw failure }
    }

    /// The next complete reply, or nil when more bytes are needed.
    func nextReply() throws(TransportFailure) -> HiredisReply? {
        var reply: UnsafeMutableRawPointer?
        guard redisReaderGetReply(raw, &reply) == REDIS_OK else { throw failure }
        return HiredisReply(taking: reply)
    }

    /// Bytes received and not yet part of a returned reply.
    var hasBufferedBytes: Bool { raw.pointee.len > raw.pointee.pos }

    private var failure: TransportFailure {
        guard raw.pointee.err != REDIS_ERR_OOM else { return .outOfMemory }
        var text = raw.pointee.errstr
        let message = withUnsafeBytes(of: &text) { bytes in
            String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        return .protocolError(message)
    }
}

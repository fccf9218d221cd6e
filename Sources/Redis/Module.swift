// The Redis client: the only module that touches hiredis and OpenSSL. Every C handle has
// one Swift owner whose deinit frees it (SocketDescriptor the socket, TLSContext the
// SSL_CTX, TLSSession the SSL, HiredisReader the reader, HiredisReply a reply tree);
// everything public is a Swift value or a class without pointers.
//
// Transport/ is how bytes move (a socket, plain or through TLS, with a deadline per round
// trip); RedisConnection speaks RESP over it; Topology/ decides which server a connection
// talks to (one server, or the primary a Sentinel group names, and replicas for reads).
// Start at RedisConnection and RedisTopology.

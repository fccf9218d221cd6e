// The Redis client: the only module that touches hiredis. Every hiredis pointer has one
// Swift owner whose deinit frees it (HiredisContext, HiredisReply); everything public is
// a Swift value or a class without pointers. Start at RedisConnection.

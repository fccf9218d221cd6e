// The Redis client: see RedisConnection.

extension RedisMetrics {
    /// The server figures as Prometheus metrics. Counters are the server's own (reset by
    /// a restart or CONFIG RESETSTAT, which `rate()` handles); the hit ratio is a gauge
    /// over the server's lifetime and absent before the first lookup.
    public func write(to out: inout PrometheusText) {
        Self.write([([], self)], to: &out)
    }

    /// The figures of several servers, each series labelled with its server's labels
    /// (`node="127.0.0.1:6381"` for each primary of a cluster).
    public static func write(_ servers: [(labels: PrometheusText.Labels, metrics: RedisMetrics)], to out: inout PrometheusText) {
        func each(_ value: (RedisMetrics) -> Double?) -> [(PrometheusText.Labels, Double)] {
            servers.compactMap { server in value(server.metrics).map { (server.labels, $0) } }
        }
        out.metric("redis_keyspace_hits_total", .counter,
                   help: "Successful key lookups (INFO keyspace_hits).", samples: each { Double($0.keyspaceHits) })
        out.metric("redis_keyspace_misses_total", .counter,
                   help: "Failed key lookups (INFO keyspace_misses).", samples: each { Double($0.keyspaceMisses) })
        out.metric("redis_hit_ratio", .gauge,
                   help: "keyspace_hits / (keyspace_hits + keyspace_misses) since start or CONFIG RESETSTAT.",
                   samples: each(\.hitRate))
        out.metric("redis_memory_used_bytes", .gauge, help: "Memory allocated by Redis (INFO used_memory).", samples: each { Double($0.usedMemory) })
        out.metric("redis_memory_used_peak_bytes", .gauge, help: "Peak of used_memory.", samples: each { Double($0.usedMemoryPeak) })
        out.metric("redis_memory_max_bytes", .gauge, help: "The maxmemory limit; 0 when unlimited.", samples: each { Double($0.maxmemory) })
        out.metric("redis_memory_fragmentation_ratio", .gauge,
                   help: "Resident set size over used_memory.", samples: each(\.memFragmentationRatio))
        out.metric("redis_evicted_keys_total", .counter, help: "Keys evicted by the maxmemory policy.", samples: each { Double($0.evictedKeys) })
        out.metric("redis_expired_keys_total", .counter, help: "Keys removed because their TTL ran out.", samples: each { Double($0.expiredKeys) })
        out.metric("redis_connected_clients", .gauge, help: "Client connections, this one included.", samples: each { Double($0.connectedClients) })
        out.metric("redis_instantaneous_ops_per_second", .gauge,
                   help: "Commands per second, the server's estimate over its last samples.", samples: each { Double($0.opsPerSec) })
        out.metric("redis_commands_processed_total", .counter,
                   help: "Commands processed by the server.", samples: each { Double($0.totalCommandsProcessed) })
        out.metric("redis_uptime_seconds", .gauge, help: "Seconds since the server started.", samples: each { $0.uptimeSeconds.map(Double.init) })
        out.metric("redis_db_keys", .gauge, help: "Keys per database.",
                   samples: servers.flatMap { server in server.metrics.databases.map { (server.labels + [("db", String($0.index))], Double($0.keys)) } })
        out.metric("redis_db_keys_expiring", .gauge, help: "Keys with a TTL per database.",
                   samples: servers.flatMap { server in server.metrics.databases.map { (server.labels + [("db", String($0.index))], Double($0.expires)) } })
        out.metric("redis_info", .gauge, help: "Always 1; the labels describe the server.", samples: servers.map { server in
            var info = server.labels
            if let version = server.metrics.version { info.append(("version", version)) }
            if let role = server.metrics.role { info.append(("role", role)) }
            if let policy = server.metrics.maxmemoryPolicy { info.append(("maxmemory_policy", policy)) }
            return (info, 1)
        })
    }
}

extension FamilyMetrics {
    /// Per-family figures, labelled `family="NAME"`; keys of no family labelled
    /// `group="tmp:*"`. Key counts are for the whole database (extrapolated when the walk
    /// was a sample); every family of the registry appears, with 0 when it has no keys.
    public func write(to out: inout PrometheusText) {
        func perFamily(_ value: (KeyGroupStats) -> Double?) -> [(PrometheusText.Labels, Double)] {
            families.compactMap { stats in value(stats).map { ([("family", stats.name)], $0) } }
        }
        func perGroup(_ value: (KeyGroupStats) -> Double?) -> [(PrometheusText.Labels, Double)] {
            otherGroups.compactMap { stats in value(stats).map { ([("group", stats.name)], $0) } }
        }
        let scaled = { (stats: KeyGroupStats, count: Int) in (Double(count) * stats.scale).rounded() }
        out.metric("cache_family_keys", .gauge, help: "Keys per key family.",
                   samples: perFamily { Double($0.estimatedKeys) })
        out.metric("cache_family_keys_with_ttl", .gauge, help: "Keys with a TTL per key family.",
                   samples: perFamily { scaled($0, $0.withTTL) })
        out.metric("cache_family_keys_above_ttl_policy", .gauge,
                   help: "Keys whose TTL is above what the family's policy allows.",
                   samples: perFamily { scaled($0, $0.aboveTTLPolicy) })
        out.metric("cache_family_legacy_keys", .gauge, help: "Keys in a legacy form of the family.",
                   samples: perFamily { scaled($0, $0.legacyKeys) })
        out.metric("cache_family_memory_bytes", .gauge,
                   help: "Memory per key family: mean MEMORY USAGE of a sample times the keys.",
                   samples: perFamily { Double($0.memoryBytes) })
        out.metric("cache_family_ttl_policy_seconds", .gauge, help: "The longest TTL the family's policy allows.",
                   samples: perFamily { $0.ttlPolicyMaxSeconds.map(Double.init) })
        out.metric("cache_family_ttl_min_seconds", .gauge, help: "Shortest remaining TTL seen per family.",
                   samples: perFamily { $0.ttlMinMs.map { Double($0) / 1000 } })
        out.metric("cache_family_ttl_median_seconds", .gauge,
                   help: "Median remaining TTL per family, over a sample of at most 1000 keys.",
                   samples: perFamily { $0.ttlMedianMs.map { Double($0) / 1000 } })
        out.metric("cache_family_ttl_max_seconds", .gauge, help: "Longest remaining TTL seen per family.",
                   samples: perFamily { $0.ttlMaxMs.map { Double($0) / 1000 } })
        out.metric("cache_other_keys", .gauge, help: "Keys of no family, by their first segments.",
                   samples: perGroup { Double($0.estimatedKeys) })
        out.metric("cache_other_memory_bytes", .gauge, help: "Memory of keys of no family, by their first segments.",
                   samples: perGroup { Double($0.memoryBytes) })
        out.metric("cache_walk_keys", .gauge, help: "Keys the SCAN walk read.", value: walk.keys)
        out.metric("cache_walk_lookups", .gauge,
                   help: "Lookups (PTTL) the walk added to the server's keyspace_hits and keyspace_misses.",
                   value: walk.lookups)
    }
}

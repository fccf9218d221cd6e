# Shared by the bench scripts (sourced, not run).

# Starts a throw-away redis-server on 127.0.0.1:$1 with its files in $2 and waits until it
# answers; sets server_pid for the caller's cleanup.
bench_start_redis() {
  local port=$1 dir=$2
  echo "== starting redis-server on port $port"
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" \
    --logfile "$dir/redis.log" --daemonize no &
  server_pid=$!
  for _ in $(seq 1 100); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  echo "bench: redis-server on port $port did not answer" >&2
  return 1
}

# Fills the server on port $1 with $2 perm keys (EX 300) and $3 product keys (JSON of about
# 300 bytes, EX 1800), written as RESP by awk for redis-cli --pipe (fast, no process per
# key), and checks DBSIZE.
bench_fill_perm_product() {
  local port=$1 perms=$2 products=$3
  echo "== filling $((perms + products)) keys"
  awk -v perms="$perms" -v products="$products" 'BEGIN {
    split("product order organization member", resources, " ")
    split("read write", actions, " ")
    pad = ""
    for (i = 0; i < 190; i++) pad = pad "x"
    n = 0
    for (u = 1; n < perms; u++)
      for (o = 1; o <= 5 && n < perms; o++)
        for (r = 1; r <= 4 && n < perms; r++)
          for (a = 1; a <= 2 && n < perms; a++) {
            key = "perm:" u ":" o ":" resources[r] ":" actions[a]
            value = ((u + o + r + a) % 3 == 0) ? "false" : "true"
            printf "*5\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n$2\r\nEX\r\n$3\r\n300\r\n", length(key), key, length(value), value
            n++
          }
    for (p = 1; p <= products; p++) {
      key = "product:" p
      value = "{\"id\":" p ",\"organizationId\":" (p % 2000 + 1) ",\"name\":\"Product " p "\",\"price\":\"19.99\",\"status\":\"active\",\"description\":\"" pad "\"}"
      printf "*5\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n$2\r\nEX\r\n$4\r\n1800\r\n", length(key), key, length(value), value
    }
  }' | redis-cli -p "$port" --pipe | tail -1
  local keys
  keys=$(redis-cli -p "$port" dbsize)
  echo "dbsize: $keys"
  [ "$keys" -eq $((perms + products)) ] || { echo "bench: expected $((perms + products)) keys, found $keys" >&2; return 1; }
}

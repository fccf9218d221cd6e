/* Writes the benchmark keyspace as RESP (for `redis-cli --pipe`) on stdout:
 *   perm     1,000,000 perm:{u}:{o}:{resource}:{action} -> true/false, TTL 300 s
 *            (25,000 users x 2 orgs x 4 resources x 5 actions: perm:42:* is 40 keys)
 *   product  1,000,000 product:{id} -> ~300-byte JSON, TTL 1800 s
 * Usage: gen_resp perm|product > file.resp
 * Deterministic: the same bytes on every run, so every contender sees the same keyspace. */
#include <stdio.h>
#include <string.h>

static char out[1 << 20];
static size_t used;

static void flush_out(void) { fwrite(out, 1, used, stdout); used = 0; }

static void arg(const char *s, size_t n) {
    if (used + n + 32 > sizeof out) flush_out();
    used += (size_t)sprintf(out + used, "$%zu\r\n", n);
    memcpy(out + used, s, n);
    used += n;
    out[used++] = '\r';
    out[used++] = '\n';
}

static void set_ex(const char *key, size_t keylen, const char *value, size_t valuelen, const char *ttl) {
    if (used + 16 > sizeof out) flush_out();
    memcpy(out + used, "*5\r\n", 4);
    used += 4;
    arg("SET", 3);
    arg(key, keylen);
    arg(value, valuelen);
    arg("EX", 2);
    arg(ttl, strlen(ttl));
}

int main(int argc, char **argv) {
    static const char *resources[] = {"product", "order", "payout", "org"};
    static const char *actions[] = {"read", "create", "update", "delete", "manage"};
    char key[128], value[512];
    if (argc != 2 || (strcmp(argv[1], "perm") && strcmp(argv[1], "product"))) {
        fprintf(stderr, "usage: gen_resp perm|product\n");
        return 64;
    }
    if (!strcmp(argv[1], "perm")) {
        for (int u = 1; u <= 25000; u++) {
            int orgs[2] = {u % 500 + 1, (u * 7 + 250) % 500 + 1};
            if (orgs[1] == orgs[0]) orgs[1] = orgs[0] % 500 + 1;
            for (int o = 0; o < 2; o++)
                for (int r = 0; r < 4; r++)
                    for (int a = 0; a < 5; a++) {
                        int n = sprintf(key, "perm:%d:%d:%s:%s", u, orgs[o], resources[r], actions[a]);
                        int allowed = (u + orgs[o] + r * 3 + a) % 4 != 0;
                        set_ex(key, (size_t)n, allowed ? "true" : "false", allowed ? 4 : 5, "300");
                    }
        }
    } else {
        for (int id = 1; id <= 1000000; id++) {
            int n = sprintf(key, "product:%d", id);
            int v = sprintf(value,
                "{\"id\":%d,\"organizationId\":%d,\"categoryId\":%d,\"name\":\"Product %d\","
                "\"slug\":\"product-%d\",\"description\":\"A sturdy everyday item, number %d in the catalog.\","
                "\"price\":\"%d.%02d\",\"currency\":\"USD\",\"status\":\"active\",\"stock\":%d,"
                "\"createdAt\":\"2024-03-%02dT10:15:00.000Z\",\"updatedAt\":\"2024-04-%02dT08:00:00.000Z\"}",
                id, id % 2000 + 1, id % 120 + 1, id, id, id, id % 500 + 1, id % 100, id % 250,
                id % 28 + 1, id % 28 + 1);
            set_ex(key, (size_t)n, value, (size_t)v, "1800");
        }
    }
    flush_out();
    return 0;
}

/* The C contenders of bench/invalidate.sh, over hiredis:
 *   scan_delete pipelined PORT PATTERN [COUNT]
 *       SCAN COUNT 1000 (default); each batch's UNLINK goes out in the same pipelined
 *       round trip as the next SCAN.
 *   scan_delete overlapped PORT PATTERN [COUNT]
 *       SCAN COUNT 1000 (default); as soon as a SCAN reply arrives the next SCAN goes out,
 *       then the batch's UNLINK: the server always has the next command queued, so this is
 *       about the server's own time (what wwctl does).
 *   scan_delete seed PORT PATTERN
 *       the integration plan's algorithm (docs/KEYSPACE.md): SCAN COUNT 100, then DEL of each batch.
 * Prints the number of keys deleted. */
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(redisContext *c, const char *what) {
    fprintf(stderr, "scan_delete: %s: %s\n", what, c && c->err ? c->errstr : "unexpected reply");
    exit(70);
}

/* Builds argv for VERB key... from a SCAN reply's key array. */
static int build(const char *verb, redisReply *keys, const char ***argv, size_t **lens, size_t *cap) {
    size_t n = keys->elements + 1;
    if (n > *cap) {
        *cap = n * 2;
        *argv = realloc(*argv, *cap * sizeof **argv);
        *lens = realloc(*lens, *cap * sizeof **lens);
    }
    (*argv)[0] = verb;
    (*lens)[0] = strlen(verb);
    for (size_t i = 0; i < keys->elements; i++) {
        (*argv)[i + 1] = keys->element[i]->str;
        (*lens)[i + 1] = keys->element[i]->len;
    }
    return (int)n;
}

/* Writes what redisAppendCommand queued without reading a reply. */
static void flush(redisContext *c) {
    int done = 0;
    do {
        if (redisBufferWrite(c, &done) != REDIS_OK) die(c, "write");
    } while (!done);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: scan_delete pipelined|overlapped|seed PORT PATTERN [COUNT]\n");
        return 64;
    }
    int seed = !strcmp(argv[1], "seed");
    int overlapped = !strcmp(argv[1], "overlapped");
    const char *pattern = argv[3];
    const char *count = argc > 4 ? argv[4] : (seed ? "100" : "1000");
    redisContext *c = redisConnect("127.0.0.1", atoi(argv[2]));
    if (!c || c->err) die(c, "connect");

    const char **av = NULL;
    size_t *al = NULL, cap = 0;
    long long deleted = 0;
    int unlink_pending = 0;
    char cursor[32] = "0";
    redisReply *scan = redisCommand(c, "SCAN %s MATCH %s COUNT %s", cursor, pattern, count);
    for (;;) {
        if (!scan || scan->type != REDIS_REPLY_ARRAY || scan->elements != 2) die(c, "SCAN");
        snprintf(cursor, sizeof cursor, "%s", scan->element[0]->str);
        redisReply *keys = scan->element[1];
        int done = !strcmp(cursor, "0");
        if (seed) {
            if (keys->elements > 0) {
                int n = build("DEL", keys, &av, &al, &cap);
                redisReply *r = redisCommandArgv(c, n, av, al);
                if (!r || r->type != REDIS_REPLY_INTEGER) die(c, "DEL");
                deleted += r->integer;
                freeReplyObject(r);
            }
            freeReplyObject(scan);
            if (done) break;
            scan = redisCommand(c, "SCAN %s MATCH %s COUNT %s", cursor, pattern, count);
        } else if (overlapped) {
            /* Wire order: SCAN i+1, then UNLINK i; so UNLINK i-1's reply comes before SCAN i+1's. */
            if (!done) {
                redisAppendCommand(c, "SCAN %s MATCH %s COUNT %s", cursor, pattern, count);
                flush(c);
            }
            if (unlink_pending) {
                redisReply *r;
                if (redisGetReply(c, (void **)&r) != REDIS_OK || r->type != REDIS_REPLY_INTEGER) die(c, "UNLINK");
                deleted += r->integer;
                freeReplyObject(r);
                unlink_pending = 0;
            }
            if (keys->elements > 0) {
                int n = build("UNLINK", keys, &av, &al, &cap);
                redisAppendCommandArgv(c, n, av, al);
                flush(c);
                unlink_pending = 1;
            }
            freeReplyObject(scan);
            scan = NULL;
            if (done) {
                if (unlink_pending) {
                    redisReply *r;
                    if (redisGetReply(c, (void **)&r) != REDIS_OK || r->type != REDIS_REPLY_INTEGER) die(c, "UNLINK");
                    deleted += r->integer;
                    freeReplyObject(r);
                }
                break;
            }
            if (redisGetReply(c, (void **)&scan) != REDIS_OK) die(c, "SCAN");
        } else {
            int unlinking = keys->elements > 0;
            if (unlinking) {
                int n = build("UNLINK", keys, &av, &al, &cap);
                redisAppendCommandArgv(c, n, av, al);
            }
            if (!done) redisAppendCommand(c, "SCAN %s MATCH %s COUNT %s", cursor, pattern, count);
            freeReplyObject(scan);
            scan = NULL;
            if (unlinking) {
                redisReply *r;
                if (redisGetReply(c, (void **)&r) != REDIS_OK || r->type != REDIS_REPLY_INTEGER) die(c, "UNLINK");
                deleted += r->integer;
                freeReplyObject(r);
            }
            if (done) break;
            if (redisGetReply(c, (void **)&scan) != REDIS_OK) die(c, "SCAN");
        }
    }
    printf("%lld\n", deleted);
    redisFree(c);
    return 0;
}

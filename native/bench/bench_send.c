/* fa_bench_send: the C sender of the router throughput bench (bench/run.sh). It joins the router, asks the .NET
 * sink agent (TransportBench role router-recv: agent "bench/sink"/1) until it answers, then tells it 64-byte
 * BenchPayload messages as fast as the link takes them for warmup + seconds + linger, and prints
 * "RESULT role=send messages=N seconds=S". Two modes:
 *   --mode tell    one fa_tell() call per message, with the connection's default write coalescing (what an
 *                  application calling the library once per message gets);
 *   --mode batch   fa_send_batch() of N envelopes (--batch, default 256) per call, one sendmsg each.
 *
 *   fa_bench_send --connect PATH --seconds S [--warmup W] [--linger L] [--mode tell|batch] [--batch N]
 *
 * BenchPayload is .NET's record struct (long Sequence, long IntendedTicks, long A..F): 64 raw little-endian bytes.
 * The sink checks that sequence numbers arrive in order. */
#define _POSIX_C_SOURCE 200809L

#include "fastagents.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_BATCH 256

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void put_payload(uint8_t *p, int64_t sequence, int64_t ticks) {
    fa_writer w;
    fa_writer_init(&w, p, 64);
    fa_put_i64(&w, sequence);
    fa_put_i64(&w, ticks);
    fa_put_zeros(&w, 48);
}

int main(int argc, char **argv) {
    const char *path = NULL;
    double seconds = 5, warmup = 1, linger = 0.5;
    int batch = MAX_BATCH;
    const char *mode = "batch";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--connect") == 0) path = argv[i + 1];
        else if (strcmp(argv[i], "--seconds") == 0) seconds = atof(argv[i + 1]);
        else if (strcmp(argv[i], "--warmup") == 0) warmup = atof(argv[i + 1]);
        else if (strcmp(argv[i], "--linger") == 0) linger = atof(argv[i + 1]);
        else if (strcmp(argv[i], "--batch") == 0) batch = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--mode") == 0) mode = argv[i + 1];
    }
    int per_message = strcmp(mode, "tell") == 0;
    if (path == NULL || batch < 1 || batch > MAX_BATCH || (!per_message && strcmp(mode, "batch") != 0)) {
        fprintf(stderr, "usage: fa_bench_send --connect PATH --seconds S [--warmup W] [--linger L] [--mode tell|batch] "
                        "[--batch 1..256]\n");
        return 2;
    }
    fa_options o;
    fa_options_init(&o);
    o.endpoint = path;
    o.name = "c-send";
    o.send_timeout_ms = 30000;
    fa_conn *c;
    if (fa_open(&o, &c) != FA_OK) return 1;
    int rc = fa_reconnect(c, 10000);
    if (rc != FA_OK) {
        fprintf(stderr, "fa_bench_send: %s (%s)\n", fa_strerror(rc), fa_last_error(c));
        return 1;
    }
    const uint64_t sink = fa_agent_id(fa_type_id("bench/sink"), 1);
    const uint32_t type = fa_payload_type_id("FastAgents.TransportBench.RouterBench.BenchPayload");

    /* wait until the sink answers, so the router knows it */
    static uint8_t payloads[MAX_BATCH][64];
    put_payload(payloads[0], -1, 0);
    fa_out ask;
    memset(&ask, 0, sizeof ask);
    ask.kind = FA_ASK;
    ask.priority = FA_PRIORITY_NORMAL;
    ask.target = sink;
    ask.payload_type = type;
    ask.payload = payloads[0];
    ask.payload_len = 64;
    int64_t give_up = now_ns() + 30 * 1000000000LL;
    for (;;) {
        fa_msg reply;
        rc = fa_ask(c, &ask, 2000, &reply);
        if (rc == FA_OK) break;
        if (now_ns() > give_up || (rc != FA_EUNDELIVERABLE && rc != FA_ETIMEDOUT)) {
            fprintf(stderr, "fa_bench_send: the sink does not answer: %s (%s)\n", fa_strerror(rc), fa_last_error(c));
            return 1;
        }
        struct timespec ts = {0, 10000000};
        nanosleep(&ts, NULL);
    }

    static fa_out msgs[MAX_BATCH];
    for (int i = 0; i < batch; i++) {
        memset(&msgs[i], 0, sizeof msgs[i]);
        msgs[i].kind = FA_TELL;
        msgs[i].priority = FA_PRIORITY_NORMAL;
        msgs[i].target = sink;
        msgs[i].payload_type = type;
        msgs[i].payload = payloads[i];
        msgs[i].payload_len = 64;
    }
    int64_t start = now_ns();
    int64_t open_at = start + (int64_t)(warmup * 1e9);
    int64_t close_at = open_at + (int64_t)(seconds * 1e9);
    int64_t end = close_at + (int64_t)(linger * 1e9);
    int64_t sequence = 0, at_open = -1, at_close = -1, t_open = 0, t_close = 0;
    for (;;) {
        int64_t now = now_ns();
        if (at_open < 0 && now >= open_at) {
            at_open = sequence;
            t_open = now;
        }
        if (at_close < 0 && now >= close_at) {
            at_close = sequence;
            t_close = now;
        }
        if (now >= end) break;
        if (per_message) { /* 256 calls of fa_tell, one message each, between clock reads */
            for (int i = 0; i < MAX_BATCH; i++) {
                put_payload(payloads[0], sequence, now);
                while ((rc = fa_tell(c, 0, sink, type, payloads[0], 64)) == FA_ETIMEDOUT) {
                }
                if (rc != FA_OK) {
                    fprintf(stderr, "fa_bench_send: %s (%s)\n", fa_strerror(rc), fa_last_error(c));
                    return 1;
                }
                sequence++;
            }
            continue;
        }
        for (int i = 0; i < batch; i++) put_payload(payloads[i], sequence + i, now);
        size_t done = 0;
        while ((int)done < batch) {
            size_t sent = 0;
            rc = fa_send_batch(c, msgs + done, (size_t)batch - done, &sent);
            done += sent;
            if (rc != FA_OK && rc != FA_ETIMEDOUT) {
                fprintf(stderr, "fa_bench_send: %s (%s)\n", fa_strerror(rc), fa_last_error(c));
                return 1;
            }
        }
        sequence += batch;
    }
    printf("RESULT role=send messages=%lld seconds=%.6f errors=0\n", (long long)(at_close - at_open),
           (double)(t_close - t_open) / 1e9);
    fa_flush(c, 5000);
    fa_close(c);
    return 0;
}

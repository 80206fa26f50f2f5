/* echo_agent: a C agent that joins a FastAgents router and answers every ask with the message it got.
 *
 *   echo_agent [--router unix:/path | tcp:host:port] [--token T] [--type c-echo] [--key 0] [--seconds N]
 *
 * It registers agent <type>/<key> with capability <type>, prints "READY c-echo agent=<id>" once joined, and then
 * answers asks until SIGINT / SIGTERM (or --seconds pass), reconnecting when the router restarts. A .NET process
 * asks it like any agent:
 *
 *   var echo = new AgentId(AgentType.Register("c-echo"), 0);
 *   EchoMessage reply = await runtime.AskAsync<EchoMessage, EchoMessage>(echo, new EchoMessage(1, 42));
 *
 * (or from the command line: fastagents probe --router unix:/path --type c-echo --key 0 --count 100).
 * The payload is .NET's `record struct EchoMessage(long Sequence, long Value)` (FastAgents.Cli.Router): 16 raw
 * little-endian bytes, which the agent checks and echoes back unchanged. */
#define _POSIX_C_SOURCE 200809L

#include "fastagents.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static volatile sig_atomic_t s_stop;

static void on_signal(int sig) {
    (void)sig;
    s_stop = 1;
}

int main(int argc, char **argv) {
    const char *router = NULL;
    const char *token = NULL;
    const char *type = "c-echo";
    unsigned long key = 0;
    double seconds = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--router") == 0) router = argv[i + 1];
        else if (strcmp(argv[i], "--token") == 0) token = argv[i + 1];
        else if (strcmp(argv[i], "--type") == 0) type = argv[i + 1];
        else if (strcmp(argv[i], "--key") == 0) key = strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--seconds") == 0) seconds = atof(argv[i + 1]);
        else {
            fprintf(stderr, "usage: echo_agent [--router EP] [--token T] [--type NAME] [--key K] [--seconds N]\n");
            return 2;
        }
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    const uint32_t echo_type = fa_payload_type_id("FastAgents.Cli.Router.EchoMessage");
    const uint64_t self = fa_agent_id(fa_type_id(type), (uint32_t)key);
    const uint64_t capability = fa_capability_id(type);

    fa_options o;
    fa_options_init(&o);
    o.endpoint = router;
    o.token = token;
    o.name = "c-echo";
    fa_conn *c;
    int rc = fa_open(&o, &c);
    if (rc != FA_OK) {
        fprintf(stderr, "echo_agent: %s\n", fa_strerror(rc));
        return 1;
    }
    fa_register(c, self, &capability, 1); /* remembered; sent on every connect */
    if ((rc = fa_reconnect(c, 10000)) != FA_OK) {
        fprintf(stderr, "echo_agent: cannot join the router: %s (%s)\n", fa_strerror(rc), fa_last_error(c));
        fa_close(c);
        return 1;
    }
    printf("READY c-echo agent=%016llx\n", (unsigned long long)self);
    fflush(stdout);

    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    unsigned long long answered = 0, rejected = 0;
    while (!s_stop) {
        if (seconds > 0) {
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            if ((double)(now.tv_sec - start.tv_sec) + (double)(now.tv_nsec - start.tv_nsec) / 1e9 >= seconds) break;
        }
        fa_msg m;
        rc = fa_recv(c, &m, 200);
        if (rc == FA_ETIMEDOUT) continue;
        if (rc != FA_OK) {
            fprintf(stderr, "echo_agent: connection lost: %s (%s); reconnecting\n", fa_strerror(rc), fa_last_error(c));
            while (!s_stop && fa_reconnect(c, 1000) != FA_OK) {
            }
            continue;
        }
        if (m.kind != FA_ASK) continue; /* tells, publishes and notices are ignored */
        if (m.payload_type != echo_type || m.payload_len != 16) {
            fa_reject(c, &m, FA_DL_NO_HANDLER); /* the asker fails at once instead of timing out */
            rejected++;
            continue;
        }
        fa_reader r;
        fa_reader_init(&r, m.payload, m.payload_len);
        long long sequence = (long long)fa_get_i64(&r);
        long long value = (long long)fa_get_i64(&r);
        (void)sequence;
        (void)value;
        if (fa_reply(c, &m, self, echo_type, m.payload, m.payload_len) == FA_OK) answered++; /* zero copy */
    }
    printf("c-echo answered=%llu rejected=%llu\n", answered, rejected);
    fa_close(c);
    return 0;
}

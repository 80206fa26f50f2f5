/* Integration tests against a real `fastagents router` and .NET agents (`fastagents echo`, `fastagents probe`),
 * each started by the test on its own socket and stopped at the end (or killed by the watchdog).
 *
 *   test_integration CASE      CASE: tell_ask dotnet_ask fanout reconnect heartbeat example malformed
 *
 * Skipped (exit 77) when the build was configured without -DFASTAGENTS_CLI=/path/fastagents.dll. */
#define _DEFAULT_SOURCE 1
#define _POSIX_C_SOURCE 200809L

#include "fastagents.h"
#include "harness.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *s_cli = FA_TEST_CLI;
static const char *s_dotnet = FA_TEST_DOTNET;

static uint32_t echo_type(void) { return fa_payload_type_id("FastAgents.Cli.Router.EchoMessage"); }

static void put_echo(uint8_t *b, int64_t seq, int64_t value) {
    fa_writer w;
    fa_writer_init(&w, b, 16);
    fa_put_i64(&w, seq);
    fa_put_i64(&w, value);
}

/* An ask of a 16-byte echo payload (put_echo) to target. */
static fa_out echo_ask(uint64_t target, const uint8_t *payload) {
    fa_out m;
    memset(&m, 0, sizeof m);
    m.kind = FA_ASK;
    m.priority = FA_PRIORITY_NORMAL;
    m.target = target;
    m.payload_type = echo_type();
    m.payload = payload;
    m.payload_len = 16;
    return m;
}

static void start_router(th_child *ch, const char *sock, const char *config) {
    char *argv[12];
    int n = 0;
    argv[n++] = (char *)s_dotnet;
    argv[n++] = (char *)s_cli;
    argv[n++] = "router";
    argv[n++] = "--socket";
    argv[n++] = (char *)sock;
    argv[n++] = "--http-port";
    argv[n++] = "off";
    argv[n++] = "--log-level";
    argv[n++] = "warning";
    if (config != NULL) {
        argv[n++] = "--config";
        argv[n++] = (char *)config;
    }
    argv[n] = NULL;
    CHECK(th_spawn(ch, argv) == 0);
    char line[512];
    if (th_wait_line(ch, "READY router", line, sizeof line, 30000) != 1) th_fail(__FILE__, __LINE__, "router did not start", sock);
}

static void start_echo(th_child *ch, const char *sock, const char *topic, int agents) {
    char ep[200], count[16];
    snprintf(ep, sizeof ep, "unix:%s", sock);
    snprintf(count, sizeof count, "%d", agents);
    char *argv[12] = {(char *)s_dotnet, (char *)s_cli, "echo", "--router", ep, "--agents", count, NULL, NULL, NULL};
    if (topic != NULL) {
        argv[7] = "--subscribe";
        argv[8] = (char *)topic;
    }
    CHECK(th_spawn(ch, argv) == 0);
    char line[512];
    if (th_wait_line(ch, "READY echo", line, sizeof line, 30000) != 1) th_fail(__FILE__, __LINE__, "echo did not start", sock);
}

static void start_probe(th_child *ch, const char *sock, const char *type, int count) {
    char ep[200], n[16];
    snprintf(ep, sizeof ep, "unix:%s", sock);
    snprintf(n, sizeof n, "%d", count);
    char *argv[] = {(char *)s_dotnet, (char *)s_cli, "probe", "--router", ep, "--type", (char *)type, "--key", "0",
                    "--count", n, "--timeout-ms", "5000", NULL};
    CHECK(th_spawn(ch, argv) == 0);
}

static fa_conn *connect_to(const char *sock, const char *name) {
    fa_options o;
    fa_options_init(&o);
    char ep[200];
    snprintf(ep, sizeof ep, "unix:%s", sock);
    o.endpoint = ep;
    o.name = name;
    fa_conn *c = NULL;
    CHECK(fa_open(&o, &c) == FA_OK);
    return c;
}

/* Asks agent `target` an EchoMessage and checks the echo; retries while the agent is not known yet. */
static void ask_echo(fa_conn *c, uint64_t target, uint8_t flags, int64_t seq, int wait_ms) {
    uint8_t p[16];
    put_echo(p, seq, seq * 31 + 7);
    fa_out m = echo_ask(target, p);
    m.flags = flags;
    int64_t deadline = th_now_ms() + wait_ms;
    for (;;) {
        fa_msg r;
        int rc = fa_ask(c, &m, 5000, &r);
        if (rc == FA_EUNDELIVERABLE && th_now_ms() < deadline) {
            th_sleep_ms(50);
            continue;
        }
        CHECK_RC(c, rc, FA_OK);
        CHECK(r.kind == FA_REPLY && r.payload_type == echo_type() && r.payload_len == 16);
        CHECK(memcmp(r.payload, p, 16) == 0);
        return;
    }
}

/* Waits for an echo status line with handled >= want. */
static long wait_handled(th_child *echo, long want, int timeout_ms) {
    char line[512];
    long handled = -1;
    int64_t deadline = th_now_ms() + timeout_ms;
    while (handled < want && th_now_ms() < deadline) {
        if (th_wait_line(echo, "echo handled=", line, sizeof line, (int)(deadline - th_now_ms())) != 1) break;
        handled = atol(line + strlen("echo handled="));
    }
    return handled;
}

/* Answers asks on c until the probe exits (or the timeout); returns the probe's exit code. */
static int serve_until_exit(fa_conn *c, th_child *probe, int timeout_ms, long *answered) {
    int64_t deadline = th_now_ms() + timeout_ms;
    while (!th_exited(probe) && th_now_ms() < deadline) {
        fa_msg m;
        int rc = fa_recv(c, &m, 50);
        if (rc == FA_ETIMEDOUT) continue;
        CHECK_RC(c, rc, FA_OK);
        if (m.kind == FA_ASK) {
            CHECK(m.payload_type == echo_type() && m.payload_len == 16);
            CHECK_RC(c, fa_reply(c, &m, 0, m.payload_type, m.payload, m.payload_len), FA_OK);
            (*answered)++;
        }
    }
    return th_stop(probe, SIGTERM, 2000);
}

static void check_probe(th_child *probe, int code, int count) {
    char line[512], want[64];
    snprintf(want, sizeof want, "probe ok=%d failed=0", count);
    if (th_wait_line(probe, "probe ", line, sizeof line, 5000) != 1 || strcmp(line, want) != 0 || code != 0) {
        char d[700];
        snprintf(d, sizeof d, "exit %d, line '%s'", code, line);
        th_fail(__FILE__, __LINE__, "probe failed", d);
    }
}

/* C -> .NET: asks by id and by capability, an undeliverable ask, tells and a batch of tells. */
static void case_tell_ask(const char *sock) {
    th_child router, echo;
    start_router(&router, sock, NULL);
    start_echo(&echo, sock, NULL, 2);
    fa_conn *c = connect_to(sock, "c-tell-ask");
    CHECK_RC(c, fa_connect(c, 5000), FA_OK);
    uint64_t echo0 = fa_agent_id(fa_type_id("echo"), 0), echo1 = fa_agent_id(fa_type_id("echo"), 1);
    ask_echo(c, echo0, 0, 1, 10000);
    for (int i = 0; i < 100; i++) ask_echo(c, echo1, 0, 100 + i, 0);
    for (int i = 0; i < 20; i++) ask_echo(c, fa_capability_id("echo"), FA_FLAG_ANY_OF, 1000 + i, 0);
    long asks = 121;

    /* no such agent: the router refuses at once */
    uint8_t p[16];
    put_echo(p, 5, 5);
    fa_out m = echo_ask(fa_agent_id(fa_type_id("nobody"), 3), p);
    fa_msg r;
    CHECK_RC(c, fa_ask(c, &m, 5000, &r), FA_EUNDELIVERABLE);
    CHECK(r.reason == FA_DL_NO_SUCH_AGENT && r.reporter == 1 && r.target == m.target);

    /* tells: 1000 one by one, 1000 in a batch */
    for (int i = 0; i < 1000; i++) {
        put_echo(p, i, i);
        CHECK_RC(c, fa_tell(c, 0, i % 2 ? echo1 : echo0, echo_type(), p, 16), FA_OK);
    }
    static uint8_t payloads[1000][16];
    static fa_out batch[1000];
    for (int i = 0; i < 1000; i++) {
        put_echo(payloads[i], i, -i);
        memset(&batch[i], 0, sizeof batch[i]);
        batch[i].kind = FA_TELL;
        batch[i].priority = FA_PRIORITY_NORMAL;
        batch[i].target = echo0;
        batch[i].payload_type = echo_type();
        batch[i].payload = payloads[i];
        batch[i].payload_len = 16;
    }
    size_t sent = 0;
    CHECK_RC(c, fa_send_batch(c, batch, 1000, &sent), FA_OK);
    CHECK(sent == 1000);
    long handled = wait_handled(&echo, asks + 2000, 15000);
    if (handled < asks + 2000) th_fail(__FILE__, __LINE__, "echo did not handle every tell", NULL);
    printf("  C -> .NET: %ld asks answered, 2000 tells handled (echo handled=%ld)\n", asks, handled);
    fa_close(c);
    CHECK(th_stop(&echo, SIGTERM, 10000) == 0);
    CHECK(th_stop(&router, SIGTERM, 10000) == 0);
}

/* .NET -> C: the probe asks a C agent. */
static void case_dotnet_ask(const char *sock) {
    th_child router, probe;
    start_router(&router, sock, NULL);
    fa_conn *c = connect_to(sock, "c-agent");
    uint64_t cap = fa_capability_id("cecho");
    CHECK_RC(c, fa_register(c, fa_agent_id(fa_type_id("cecho"), 0), &cap, 1), FA_OK);
    CHECK_RC(c, fa_connect(c, 5000), FA_OK);
    start_probe(&probe, sock, "cecho", 200);
    long answered = 0;
    int code = serve_until_exit(c, &probe, 60000, &answered);
    check_probe(&probe, code, 200);
    CHECK(answered == 200);
    printf("  .NET -> C: 200 asks answered by the C agent\n");
    fa_close(c);
    CHECK(th_stop(&router, SIGTERM, 10000) == 0);
}

/* A publish from C reaches a C subscriber and a .NET subscriber, never the publisher. */
static void case_fanout(const char *sock) {
    th_child router, echo;
    start_router(&router, sock, NULL);
    start_echo(&echo, sock, "fa-native-topic", 1);
    uint64_t topic = fa_topic_id("fa-native-topic");
    uint64_t echo0 = fa_agent_id(fa_type_id("echo"), 0);

    fa_conn *sub = connect_to(sock, "c-sub");
    uint64_t me = fa_agent_id(fa_type_id("csub"), 0);
    CHECK_RC(sub, fa_register(sub, me, NULL, 0), FA_OK);
    CHECK_RC(sub, fa_subscribe(sub, topic, me), FA_OK);
    CHECK_RC(sub, fa_connect(sub, 5000), FA_OK);
    ask_echo(sub, echo0, 0, 1, 10000); /* a round trip: the router has our subscription, and echo's */

    fa_conn *pub = connect_to(sock, "c-pub");
    CHECK_RC(pub, fa_connect(pub, 5000), FA_OK);
    ask_echo(pub, echo0, 0, 2, 10000);
    const int n = 50;
    for (int i = 0; i < n; i++) {
        uint8_t p[16];
        put_echo(p, i, 1000 + i);
        CHECK_RC(pub, fa_publish(pub, 0, topic, echo_type(), p, 16), FA_OK);
    }
    /* the publisher now waits on another connection, not on its own: it writes its buffered frames out */
    CHECK_RC(pub, fa_flush(pub, 5000), FA_OK);
    for (int i = 0; i < n; i++) {
        fa_msg m;
        CHECK_RC(sub, fa_recv(sub, &m, 5000), FA_OK);
        CHECK(m.kind == FA_PUBLISH && m.correlation_id == topic && m.target == 0 && m.payload_len == 16);
        fa_reader r;
        fa_reader_init(&r, m.payload, 16);
        CHECK(fa_get_i64(&r) == i && fa_get_i64(&r) == 1000 + i);
    }
    long handled = wait_handled(&echo, 2 + n, 15000);
    CHECK(handled >= 2 + n);
    fa_msg m;
    CHECK_RC(pub, fa_recv(pub, &m, 300), FA_ETIMEDOUT); /* never back to the publisher */
    printf("  fan-out: %d publishes reached the C subscriber and the .NET subscriber (handled=%ld)\n", n, handled);
    fa_close(pub);
    fa_close(sub);
    CHECK(th_stop(&echo, SIGTERM, 10000) == 0);
    CHECK(th_stop(&router, SIGTERM, 10000) == 0);
}

/* The router restarts: the C client sees the close, reconnects, and is registered again. */
static void case_reconnect(const char *sock) {
    th_child router, echo, probe;
    start_router(&router, sock, NULL);
    start_echo(&echo, sock, NULL, 1);
    uint64_t echo0 = fa_agent_id(fa_type_id("echo"), 0);
    fa_conn *c = connect_to(sock, "c-reconnect");
    CHECK_RC(c, fa_register(c, fa_agent_id(fa_type_id("cecho"), 0), NULL, 0), FA_OK);
    CHECK_RC(c, fa_connect(c, 5000), FA_OK);
    uint64_t node = fa_node_agent(c);
    ask_echo(c, echo0, 0, 1, 10000);

    CHECK(th_stop(&router, SIGTERM, 15000) == 0);
    fa_msg m;
    int rc;
    int64_t deadline = th_now_ms() + 10000;
    while ((rc = fa_recv(c, &m, 500)) == FA_OK || rc == FA_ETIMEDOUT) {
        if (th_now_ms() > deadline) th_fail(__FILE__, __LINE__, "the router's exit went unnoticed", NULL);
    }
    CHECK(rc == FA_ECLOSED);
    printf("  router stopped: %s (%s)\n", fa_strerror(rc), fa_last_error(c));
    CHECK(!fa_is_connected(c));

    start_router(&router, sock, NULL);
    CHECK_RC(c, fa_reconnect(c, 20000), FA_OK);
    CHECK(fa_reconnections(c) == 1 && fa_node_agent(c) == node);
    ask_echo(c, echo0, 0, 2, 15000); /* echo reconnects with its own backoff */
    start_probe(&probe, sock, "cecho", 20);
    long answered = 0;
    int code = serve_until_exit(c, &probe, 60000, &answered);
    check_probe(&probe, code, 20);
    printf("  reconnected: ask to .NET ok, 20 .NET asks answered by the re-registered C agent\n");
    fa_close(c);
    CHECK(th_stop(&echo, SIGTERM, 10000) == 0);
    CHECK(th_stop(&router, SIGTERM, 10000) == 0);
}

/* Heartbeats keep an idle client alive with a fast router; a frozen router is detected as dead. */
static void case_heartbeat(const char *sock) {
    char config[128];
    snprintf(config, sizeof config, "%s.json", sock);
    FILE *f = fopen(config, "w");
    CHECK(f != NULL);
    fprintf(f, "{ \"heartbeatMs\": 100, \"deadAfterMs\": 600 }\n");
    fclose(f);
    th_child router;
    start_router(&router, sock, config);
    fa_conn *c = connect_to(sock, "c-idle");
    uint64_t self = fa_agent_id(fa_type_id("cself"), 0);
    CHECK_RC(c, fa_register(c, self, NULL, 0), FA_OK);
    CHECK_RC(c, fa_connect(c, 5000), FA_OK);

    /* blocking receive with timeouts longer than the router's dead-after */
    int64_t end = th_now_ms() + 2000;
    fa_msg m;
    while (th_now_ms() < end) CHECK_RC(c, fa_recv(c, &m, 900), FA_ETIMEDOUT);
    /* poll-driven receive */
    end = th_now_ms() + 1500;
    while (th_now_ms() < end) {
        struct pollfd p = {fa_fd(c), POLLIN, 0};
        int t = fa_next_timeout_ms(c);
        CHECK(t >= 0 && t <= 601);
        poll(&p, 1, t);
        int rc;
        while ((rc = fa_recv(c, &m, 0)) == FA_OK) {
        }
        CHECK_RC(c, rc, FA_EAGAIN);
    }
    CHECK(fa_is_connected(c));
    /* an ask to our own agent goes through the router and back */
    uint8_t p[16];
    put_echo(p, 9, 9);
    fa_out a = echo_ask(self, p);
    uint64_t corr = 0;
    CHECK_RC(c, fa_ask_start(c, &a, &corr), FA_OK);
    CHECK_RC(c, fa_recv(c, &m, 5000), FA_OK);
    CHECK(m.kind == FA_ASK && m.correlation_id == corr && m.sender == fa_node_agent(c));
    CHECK_RC(c, fa_reply(c, &m, 0, m.payload_type, m.payload, m.payload_len), FA_OK);
    CHECK_RC(c, fa_recv(c, &m, 5000), FA_OK);
    CHECK(m.kind == FA_REPLY && m.correlation_id == corr && m.sender == self);
    printf("  idle for 3.5 s against a router with dead-after 600 ms: still connected\n");

    /* freeze the router: silence is detected */
    kill(router.pid, SIGSTOP);
    int64_t t0 = th_now_ms();
    int rc = fa_recv(c, &m, 5000);
    int64_t took = th_now_ms() - t0;
    kill(router.pid, SIGCONT);
    CHECK_RC(c, rc, FA_EDEAD);
    CHECK(took < 2000);
    printf("  frozen router detected as dead after %lld ms\n", (long long)took);
    fa_close(c);
    th_stop(&router, SIGTERM, 10000);
    unlink(config);
}

/* The example echo agent answers the .NET probe. */
static void case_example(const char *sock) {
    th_child router, agent, probe;
    start_router(&router, sock, NULL);
    char ep[200];
    snprintf(ep, sizeof ep, "unix:%s", sock);
    char *argv[] = {FA_TEST_ECHO_AGENT, "--router", ep, "--seconds", "60", NULL};
    CHECK(th_spawn(&agent, argv) == 0);
    char line[512];
    CHECK(th_wait_line(&agent, "READY c-echo", line, sizeof line, 10000) == 1);
    start_probe(&probe, sock, "c-echo", 100);
    int64_t deadline = th_now_ms() + 60000;
    while (!th_exited(&probe) && th_now_ms() < deadline) th_sleep_ms(20);
    int code = th_stop(&probe, SIGTERM, 2000);
    check_probe(&probe, code, 100);
    CHECK(th_stop(&agent, SIGTERM, 5000) == 0);
    CHECK(th_wait_line(&agent, "c-echo answered=100", line, sizeof line, 2000) == 1);
    printf("  example echo_agent answered 100 asks from .NET\n");
    CHECK(th_stop(&router, SIGTERM, 10000) == 0);
}

/* Reads exactly n bytes (0) or fails (-1). */
static int relay_read(int fd, uint8_t *b, size_t n) {
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, b + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        got += (size_t)r;
    }
    return 0;
}

static int relay_write(int fd, const uint8_t *b, size_t n) {
    size_t put = 0;
    while (put < n) {
        ssize_t w = write(fd, b + put, n - put);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        put += (size_t)w;
    }
    return 0;
}

/* A relay between one client and the real router that corrupts the first envelope the router sends: its kind
 * byte becomes 0x7F, which no frame has. Runs in a child process until either side closes. */
static void corrupting_relay(int listener, const char *router_sock) {
    int client = accept(listener, NULL, NULL);
    int router = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    if (strlen(router_sock) >= sizeof a.sun_path) _exit(72);
    memcpy(a.sun_path, router_sock, strlen(router_sock) + 1);
    if (client < 0 || router < 0 || connect(router, (struct sockaddr *)&a, sizeof a) != 0) _exit(70);
    static uint8_t frame[1 << 20];
    int corrupted = 0;
    for (;;) {
        struct pollfd pf[2] = {{client, POLLIN, 0}, {router, POLLIN, 0}};
        if (poll(pf, 2, 30000) <= 0) _exit(71);
        if (pf[0].revents) { /* client -> router: bytes as they come */
            ssize_t r = read(client, frame, sizeof frame);
            if (r <= 0 || relay_write(router, frame, (size_t)r) != 0) break;
        }
        if (pf[1].revents) { /* router -> client: frame by frame, so that one can be corrupted */
            if (relay_read(router, frame, 8) != 0) break;
            uint32_t length = (uint32_t)frame[0] | (uint32_t)frame[1] << 8 | (uint32_t)frame[2] << 16 | (uint32_t)frame[3] << 24;
            if (length < 8 || length > sizeof frame || relay_read(router, frame + 8, length - 8) != 0) break;
            if (!corrupted && frame[5] < 0x10) { /* the first envelope (control frames are 0x10 and up) */
                frame[5] = 0x7F;
                corrupted = 1;
            }
            if (relay_write(client, frame, length) != 0) break;
        }
    }
    _exit(0);
}

/* A malformed frame from the router side (through a relay that corrupts the first envelope the real router sends):
 * the client rejects it with UnknownKind, closes that connection, and the router goes on serving. */
static void case_malformed(const char *sock) {
    th_child router, echo;
    start_router(&router, sock, NULL);
    start_echo(&echo, sock, NULL, 1);

    char relay_sock[108];
    th_socket_path(relay_sock, sizeof relay_sock, "relay");
    unlink(relay_sock);
    int listener = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    CHECK(strlen(relay_sock) < sizeof a.sun_path);
    memcpy(a.sun_path, relay_sock, strlen(relay_sock) + 1);
    CHECK(listener >= 0 && bind(listener, (struct sockaddr *)&a, sizeof a) == 0 && listen(listener, 1) == 0);
    pid_t relay = fork();
    CHECK(relay >= 0);
    if (relay == 0) corrupting_relay(listener, sock);
    close(listener);

    uint64_t target = fa_agent_id(fa_type_id("echo"), 0);
    fa_conn *c = connect_to(relay_sock, "c-malformed");
    CHECK_RC(c, fa_connect(c, 10000), FA_OK);
    uint8_t p[16];
    put_echo(p, 1, 2);
    fa_out m = echo_ask(target, p);
    fa_msg r;
    int rc;
    int64_t deadline = th_now_ms() + 20000;
    do { /* the echo agent may not be known to the router yet: its refusal is a control frame, passed intact */
        rc = fa_ask(c, &m, 5000, &r);
        if (rc == FA_EUNDELIVERABLE) th_sleep_ms(50);
    } while (rc == FA_EUNDELIVERABLE && th_now_ms() < deadline);
    CHECK_RC(c, rc, FA_EPROTO); /* the reply was the corrupted envelope */
    CHECK(fa_last_protocol_error(c) == FA_PE_UNKNOWN_KIND);
    CHECK(!fa_is_connected(c));
    fa_close(c);
    int status = 0;
    CHECK(waitpid(relay, &status, 0) == relay && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    unlink(relay_sock);

    /* the router and the echo agent are unharmed: a direct connection gets its answers */
    fa_conn *d = connect_to(sock, "c-after");
    CHECK_RC(d, fa_connect(d, 10000), FA_OK);
    for (int i = 0; i < 20; i++) ask_echo(d, target, 0, i, 10000);
    fa_close(d);
    CHECK(th_stop(&echo, SIGTERM, 10000) == 0);
    CHECK(th_stop(&router, SIGTERM, 10000) == 0);
    printf("malformed: an envelope corrupted on its way from the router is rejected (UnknownKind), the router serves on: ok\n");
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: test_integration tell_ask|dotnet_ask|fanout|reconnect|heartbeat|example\n");
        return 2;
    }
    if (s_cli[0] == '\0') {
        printf("SKIPPED: FASTAGENTS_CLI is not set; configure with -DFASTAGENTS_CLI=/path/to/fastagents.dll\n");
        return 77;
    }
    if (access(s_cli, R_OK) != 0) {
        fprintf(stderr, "FAIL: FASTAGENTS_CLI=%s is not readable\n", s_cli);
        return 1;
    }
    th_watchdog(110);
    char sock[108];
    th_socket_path(sock, sizeof sock, argv[1]);
    const char *cs = argv[1];
    if (strcmp(cs, "tell_ask") == 0) case_tell_ask(sock);
    else if (strcmp(cs, "dotnet_ask") == 0) case_dotnet_ask(sock);
    else if (strcmp(cs, "fanout") == 0) case_fanout(sock);
    else if (strcmp(cs, "reconnect") == 0) case_reconnect(sock);
    else if (strcmp(cs, "heartbeat") == 0) case_heartbeat(sock);
    else if (strcmp(cs, "example") == 0) case_example(sock);
    else if (strcmp(cs, "malformed") == 0) case_malformed(sock);
    else {
        fprintf(stderr, "unknown case %s\n", cs);
        return 2;
    }
    unlink(sock);
    printf("test_integration %s: passed\n", cs);
    return 0;
}

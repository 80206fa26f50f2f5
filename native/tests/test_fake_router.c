/* Protocol tests against a scripted fake router (a forked child on a Unix socket): frames split across reads,
 * frames before the welcome, refusals, malformed frames from the router side, dead-router detection, oversized
 * sends, and partial writes under backpressure. No .NET needed. */
#define _DEFAULT_SOURCE 1
#define _POSIX_C_SOURCE 200809L

#include "fa_internal.h"
#include "harness.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- the fake router's side (runs in the child) -------------------------------------------------------------- */

static int rd_exact(int fd, uint8_t *p, size_t n, int timeout_ms) {
    size_t got = 0;
    while (got < n) {
        struct pollfd pf = {fd, POLLIN, 0};
        int r = poll(&pf, 1, timeout_ms);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        ssize_t k = read(fd, p + got, n - got);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return -1;
        got += (size_t)k;
    }
    return 0;
}

/* Writes all n bytes: 0, or -1 when the peer is gone (th_watchdog ignores SIGPIPE before any fork, so EPIPE comes
 * back). */
static int wr_try(int fd, const void *p, size_t n) {
    const uint8_t *b = (const uint8_t *)p;
    while (n > 0) {
        ssize_t k = write(fd, b, n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return -1;
        b += k;
        n -= (size_t)k;
    }
    return 0;
}

static void wr_all(int fd, const void *p, size_t n) {
    if (wr_try(fd, p, n) != 0) _exit(90);
}

/* Reads one frame into buf (cap bytes): its length, or -1. */
static long rd_frame(int fd, uint8_t *buf, size_t cap, int timeout_ms) {
    if (rd_exact(fd, buf, 8, timeout_ms) != 0) return -1;
    uint32_t len = fa__get32(buf);
    if (len < 8 || len > cap) return -1;
    if (rd_exact(fd, buf + 8, len - 8, timeout_ms) != 0) return -1;
    return (long)len;
}

static size_t welcome(uint8_t *f, uint32_t max_frame, uint32_t hb, uint32_t dead) {
    memset(f, 0, 32);
    fa__prefix(f, 32, FA_K_WELCOME);
    fa__put16(f + 8, 1);
    fa__put32(f + 12, max_frame);
    fa__put32(f + 16, hb);
    fa__put32(f + 20, dead);
    fa__put32(f + 24, 1);
    return 32;
}

static int listen_on(const char *path) {
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
    unlink(path);
    if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(s, 4) != 0) {
        perror("fake router listen");
        _exit(91);
    }
    return s;
}

/* Accepts one client and reads its hello (checked): the connection fd. */
static int accept_hello(int ls) {
    int fd = accept(ls, NULL, NULL);
    if (fd < 0) _exit(92);
    uint8_t f[2048];
    long n = rd_frame(fd, f, sizeof f, 5000);
    if (n < 36 || f[5] != FA_K_HELLO || fa__get32(f + 8) != FA_MAGIC || fa__get16(f + 12) != 1) _exit(93);
    if ((fa__get64(f + 16) >> 32) != 0xFFFFFFFFu || (uint32_t)fa__get64(f + 16) == 0) _exit(94);
    if ((long)(36 + fa__get16(f + 32) + fa__get16(f + 34)) != n) _exit(95);
    return fd;
}

/* Expects an Error frame with `code` from the client, then the end of the stream. */
static void expect_error_then_eof(int fd, uint16_t code) {
    uint8_t f[2048];
    for (;;) {
        long n = rd_frame(fd, f, sizeof f, 5000);
        if (n < 0) _exit(96);
        if (f[5] == FA_K_HEARTBEAT) continue;
        if (f[5] != FA_K_ERROR || fa__get16(f + 8) != code) _exit(97);
        break;
    }
    uint8_t b;
    if (rd_exact(fd, &b, 1, 5000) == 0) _exit(98); /* more bytes after the error */
}

typedef void (*script_fn)(int ls, const void *arg);

static pid_t start_fake(const char *path, script_fn fn, const void *arg) {
    int ls = listen_on(path);
    pid_t pid = fork();
    if (pid == 0) {
        alarm(20);
        fn(ls, arg);
        _exit(0);
    }
    close(ls);
    return pid;
}

static void expect_child_ok(pid_t pid, const char *what) {
    int st = 0;
    int64_t deadline = th_now_ms() + 15000;
    while (waitpid(pid, &st, WNOHANG) == 0) {
        if (th_now_ms() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            th_fail(__FILE__, __LINE__, what, "fake router did not finish");
        }
        th_sleep_ms(5);
    }
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        char d[64];
        snprintf(d, sizeof d, "fake router exit status %d", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
        th_fail(__FILE__, __LINE__, what, d);
    }
}

/* Opens (does not connect) a connection to the fake router at path with the options in *o; the endpoint is set here
 * (fa_open copies it). */
static fa_conn *open_at(const char *path, fa_options *o) {
    char ep[200];
    snprintf(ep, sizeof ep, "unix:%s", path);
    o->endpoint = ep;
    fa_conn *c = NULL;
    CHECK(fa_open(o, &c) == FA_OK && c != NULL);
    o->endpoint = NULL;
    return c;
}

static fa_conn *open_conn(const char *path, uint32_t max_frame) {
    fa_options o;
    fa_options_init(&o);
    o.name = "fake-test";
    if (max_frame) o.max_frame = max_frame;
    return open_at(path, &o);
}

/* Opens and connects with a 30 ms send timeout: the backpressure tests count the sends that time out. */
static fa_conn *open_impatient(const char *path) {
    fa_options o;
    fa_options_init(&o);
    o.send_timeout_ms = 30;
    fa_conn *c = open_at(path, &o);
    CHECK_RC(c, fa_connect(c, 5000), FA_OK);
    return c;
}

static const uint64_t k_agent = 0x9CACDE2300000007ull;

/* ---- scenario 1: frames in pieces, frames before the welcome, registration replay, close frame ---------------- */

static void script_pieces(int ls, const void *arg) {
    (void)arg;
    int fd = accept_hello(ls);
    uint8_t f[256];
    /* a heartbeat and a gone frame before the welcome (PROTOCOL.md 5.9) */
    fa__encode_heartbeat(f, 0);
    wr_all(fd, f, 16);
    fa__prefix(f, 24, FA_K_GONE);
    fa__put32(f + 8, 1);
    fa__put32(f + 12, 0);
    fa__put64(f + 16, 0xFFFFFFFF00000009ull);
    wr_all(fd, f, 24);
    /* the welcome one byte at a time */
    welcome(f, 1 << 20, 1000, 5000);
    for (int i = 0; i < 32; i++) {
        wr_all(fd, f + i, 1);
        usleep(1000);
    }
    /* the client registers its agent with one capability */
    long n = rd_frame(fd, f, sizeof f, 5000);
    uint64_t cap = fa_capability_id("summarize");
    uint8_t want[32];
    fa__encode_register(want, k_agent, &cap, 1);
    if (n != 32 || memcmp(f, want, 32) != 0) _exit(10);
    n = rd_frame(fd, f, sizeof f, 5000);
    uint8_t sub[24];
    fa__encode_subscription(sub, FA_K_SUBSCRIBE, fa_topic_id("prices"), k_agent);
    if (n != 24 || memcmp(f, sub, 24) != 0) _exit(11);
    /* a tell split 3 ways, then two frames in one write */
    uint8_t tell[72 + 72 + 16];
    fa_out m;
    memset(&m, 0, sizeof m);
    m.kind = FA_TELL;
    m.priority = 1;
    m.target = k_agent;
    m.payload_type = 0x5F3B991Cu;
    m.payload_len = 16;
    fa__encode_header(tell, &m, 1, 0, 0);
    for (int i = 0; i < 16; i++) tell[56 + i] = (uint8_t)i;
    wr_all(fd, tell, 5);
    usleep(20000);
    wr_all(fd, tell + 5, 50);
    usleep(20000);
    wr_all(fd, tell + 55, 17);
    memcpy(tell + 72, tell, 72);
    fa__put64(tell + 72 + 8, 2);
    fa__encode_heartbeat(tell + 144, 0);
    wr_all(fd, tell + 72, 88); /* tell #2 and a heartbeat */
    /* the client answers an ask: read its reply */
    m.kind = FA_ASK;
    m.sender = 0xFFFFFFFF00000042ull;
    fa__encode_header(tell, &m, 3, 0x8000000000000077ull, m.sender);
    wr_all(fd, tell, 72);
    n = rd_frame(fd, f, sizeof f, 5000);
    while (n == 16 && f[5] == FA_K_HEARTBEAT) n = rd_frame(fd, f, sizeof f, 5000);
    if (n != 72 || f[5] != FA_REPLY || fa__get64(f + 16) != 0x8000000000000077ull ||
        fa__get64(f + 32) != 0xFFFFFFFF00000042ull || fa__get64(f + 24) != k_agent || memcmp(f + 56, tell + 56, 16) != 0)
        _exit(12);
    /* a goodbye from the router */
    fa__encode_close(f, FA_PE_SHUTTING_DOWN);
    wr_all(fd, f, 16);
    usleep(100000);
    close(fd);
}

static void test_pieces(void) {
    char path[108];
    th_socket_path(path, sizeof path, "pieces");
    pid_t pid = start_fake(path, script_pieces, NULL);
    fa_conn *c = open_conn(path, 0);
    uint64_t cap = fa_capability_id("summarize");
    CHECK_RC(c, fa_register(c, k_agent, &cap, 1), FA_OK);
    CHECK_RC(c, fa_subscribe(c, fa_topic_id("prices"), k_agent), FA_OK);
    CHECK_RC(c, fa_connect(c, 5000), FA_OK);
    CHECK(fa_router_max_frame(c) == (1u << 20));
    fa_msg m;
    CHECK_RC(c, fa_recv(c, &m, 5000), FA_OK);
    CHECK(m.kind == FA_TELL && m.message_id == 1 && m.target == k_agent && m.payload_len == 16);
    CHECK(m.payload[0] == 0 && m.payload[15] == 15);
    CHECK_RC(c, fa_recv(c, &m, 5000), FA_OK);
    CHECK(m.kind == FA_TELL && m.message_id == 2);
    CHECK_RC(c, fa_recv(c, &m, 5000), FA_OK);
    CHECK(m.kind == FA_ASK && m.correlation_id == 0x8000000000000077ull);
    CHECK_RC(c, fa_reply(c, &m, 0, m.payload_type, m.payload, m.payload_len), FA_OK);
    CHECK_RC(c, fa_recv(c, &m, 5000), FA_ECLOSED);
    CHECK(fa_last_protocol_error(c) == FA_PE_SHUTTING_DOWN);
    CHECK(!fa_is_connected(c));
    CHECK_RC(c, fa_tell(c, 0, k_agent, 1, NULL, 0), FA_ENOTCONN);
    fa_close(c);
    expect_child_ok(pid, "pieces");
    unlink(path);
    printf("  pieces: ok\n");
}

/* ---- scenario 2: malformed frames from the router ------------------------------------------------------------- */

typedef struct bad_case {
    const char *name;
    uint8_t frame[128];
    size_t len;
    uint16_t code; /* expected protocol error */
} bad_case;

static void script_bad(int ls, const void *arg) {
    const bad_case *bc = (const bad_case *)arg;
    int fd = accept_hello(ls);
    uint8_t f[64];
    wr_all(fd, f, welcome(f, 1 << 20, 1000, 5000));
    wr_all(fd, bc->frame, bc->len);
    expect_error_then_eof(fd, bc->code);
    close(fd);
}

static void make_tell(uint8_t *f) {
    fa_out m;
    memset(&m, 0, sizeof m);
    m.kind = FA_TELL;
    m.priority = 1;
    m.target = k_agent;
    m.payload_len = 8;
    fa__encode_header(f, &m, 1, 0, 0);
    memset(f + 56, 0xAB, 8);
}

static void test_malformed(void) {
    bad_case cases[12];
    int n = 0;
    memset(cases, 0, sizeof cases);

    cases[n].name = "bad priority";
    make_tell(cases[n].frame);
    cases[n].frame[6] = 7;
    cases[n].len = 64;
    cases[n++].code = FA_PE_MALFORMED_FRAME;

    cases[n].name = "ring-only flag";
    make_tell(cases[n].frame);
    cases[n].frame[7] = 0x80;
    cases[n].len = 64;
    cases[n++].code = FA_PE_MALFORMED_FRAME;

    cases[n].name = "payload length disagrees";
    make_tell(cases[n].frame);
    fa__put32(cases[n].frame + 44, 9);
    cases[n].len = 64;
    cases[n++].code = FA_PE_MALFORMED_FRAME;

    cases[n].name = "tell without target";
    make_tell(cases[n].frame);
    memset(cases[n].frame + 32, 0, 8);
    cases[n].len = 64;
    cases[n++].code = FA_PE_MALFORMED_FRAME;

    cases[n].name = "version 2";
    fa__encode_heartbeat(cases[n].frame, 0);
    cases[n].frame[4] = 2;
    cases[n].len = 16;
    cases[n++].code = FA_PE_UNSUPPORTED_VERSION;

    cases[n].name = "unknown kind";
    fa__prefix(cases[n].frame, 16, 0x20);
    cases[n].len = 16;
    cases[n++].code = FA_PE_UNKNOWN_KIND;

    cases[n].name = "heartbeat with byte 6 set";
    fa__encode_heartbeat(cases[n].frame, 0);
    cases[n].frame[6] = 1;
    cases[n].len = 16;
    cases[n++].code = FA_PE_MALFORMED_FRAME;

    cases[n].name = "heartbeat of 24 bytes";
    fa__prefix(cases[n].frame, 24, FA_K_HEARTBEAT);
    cases[n].len = 24;
    cases[n++].code = FA_PE_MALFORMED_FRAME;

    cases[n].name = "oversized frame (client max 4096)";
    make_tell(cases[n].frame);
    fa__put32(cases[n].frame, 5000);
    cases[n].len = 64; /* rejected on the prefix, before the body */
    cases[n++].code = FA_PE_FRAME_TOO_LARGE;

    cases[n].name = "second welcome";
    welcome(cases[n].frame, 1 << 20, 1000, 5000);
    cases[n].len = 32;
    cases[n++].code = FA_PE_UNEXPECTED_FRAME;

    cases[n].name = "register sent to a client";
    fa__encode_register(cases[n].frame, k_agent, NULL, 0);
    cases[n].len = 24;
    cases[n++].code = FA_PE_UNEXPECTED_FRAME;

    cases[n].name = "undeliverable with unknown reason";
    make_tell(cases[n].frame + 16);
    fa__encode_undeliverable(cases[n].frame, 0, 1, cases[n].frame + 16);
    cases[n].frame[8] = 42;
    cases[n].len = 72;
    cases[n++].code = FA_PE_MALFORMED_FRAME;

    for (int i = 0; i < n; i++) {
        char path[108];
        th_socket_path(path, sizeof path, "bad");
        pid_t pid = start_fake(path, script_bad, &cases[i]);
        fa_conn *c = open_conn(path, 4096);
        CHECK_RC(c, fa_connect(c, 5000), FA_OK);
        fa_msg m;
        int rc = fa_recv(c, &m, 5000);
        if (rc != FA_EPROTO || fa_last_protocol_error(c) != cases[i].code) {
            char d[600];
            snprintf(d, sizeof d, "%s: rc %d, code %u, error '%s'", cases[i].name, rc, fa_last_protocol_error(c),
                     fa_last_error(c));
            th_fail(__FILE__, __LINE__, "malformed frame not rejected as expected", d);
        }
        CHECK(!fa_is_connected(c) && fa_fd(c) == -1);
        CHECK(strstr(fa_last_error(c), "broke the protocol") != NULL);
        fa_close(c);
        expect_child_ok(pid, cases[i].name);
        unlink(path);
        printf("  malformed (%s): rejected with %s\n", cases[i].name, fa_protocol_error_name(cases[i].code));
    }
}

/* ---- scenario 3: refused hello, and an envelope before the welcome -------------------------------------------- */

static void script_refuse(int ls, const void *arg) {
    (void)arg;
    int fd = accept_hello(ls);
    uint8_t f[64];
    size_t n = fa__encode_error(f, FA_PE_UNAUTHORIZED, "bad token", 9);
    wr_all(fd, f, n);
    close(fd);
}

static void script_early_envelope(int ls, const void *arg) {
    (void)arg;
    int fd = accept_hello(ls);
    uint8_t f[64];
    make_tell(f);
    wr_all(fd, f, 64);
    expect_error_then_eof(fd, FA_PE_UNEXPECTED_FRAME);
    close(fd);
}

static void test_refused(void) {
    char path[108];
    th_socket_path(path, sizeof path, "refuse");
    pid_t pid = start_fake(path, script_refuse, NULL);
    fa_conn *c = open_conn(path, 0);
    CHECK_RC(c, fa_connect(c, 5000), FA_EREFUSED);
    CHECK(fa_last_protocol_error(c) == FA_PE_UNAUTHORIZED);
    CHECK(strstr(fa_last_error(c), "bad token") != NULL);
    fa_close(c);
    expect_child_ok(pid, "refuse");

    pid = start_fake(path, script_early_envelope, NULL);
    c = open_conn(path, 0);
    CHECK_RC(c, fa_connect(c, 5000), FA_EPROTO);
    CHECK(fa_last_protocol_error(c) == FA_PE_UNEXPECTED_FRAME);
    fa_close(c);
    expect_child_ok(pid, "early envelope");

    unlink(path);
    c = open_conn(path, 0); /* nobody listening */
    CHECK_RC(c, fa_connect(c, 1000), FA_ECONNECT);
    int64_t t0 = th_now_ms();
    CHECK_RC(c, fa_reconnect(c, 400), FA_ECONNECT);
    CHECK(th_now_ms() - t0 >= 300 && th_now_ms() - t0 < 3000);
    fa_close(c);
    printf("  refused / unexpected / no router: ok\n");
}

/* ---- scenario 4: dead router, heartbeats, oversized sends ----------------------------------------------------- */

static void script_silent(int ls, const void *arg) {
    (void)arg;
    int fd = accept_hello(ls);
    uint8_t f[4096];
    wr_all(fd, f, welcome(f, 4096, 50, 300));
    int heartbeats = 0;
    for (;;) { /* read what the client sends, say nothing */
        long n = rd_frame(fd, f, sizeof f, 3000);
        if (n < 0) break;
        if (f[5] == FA_K_HEARTBEAT) heartbeats++;
    }
    if (heartbeats < 3) _exit(20);
    close(fd);
}

static void test_dead_router(void) {
    char path[108];
    th_socket_path(path, sizeof path, "silent");
    pid_t pid = start_fake(path, script_silent, NULL);
    fa_conn *c = open_conn(path, 0);
    CHECK_RC(c, fa_connect(c, 5000), FA_OK);
    CHECK(fa_router_max_frame(c) == 4096);
    uint8_t big[5000];
    memset(big, 1, sizeof big);
    CHECK_RC(c, fa_tell(c, 0, k_agent, 1, big, 4096 - 56 + 1), FA_ETOOBIG);
    CHECK_RC(c, fa_tell(c, 0, k_agent, 1, big, 4096 - 56), FA_OK);
    CHECK_RC(c, fa_tell(c, 0, 0, 1, big, 1), FA_EINVAL);
    CHECK(fa_is_connected(c));
    CHECK(fa_next_timeout_ms(c) >= 0 && fa_next_timeout_ms(c) <= 301);
    fa_msg m;
    int64_t t0 = th_now_ms();
    CHECK_RC(c, fa_recv(c, &m, 0), FA_EAGAIN);
    CHECK_RC(c, fa_recv(c, &m, 5000), FA_EDEAD);
    int64_t took = th_now_ms() - t0;
    CHECK(took >= 250 && took < 2000);
    fa_close(c);
    expect_child_ok(pid, "silent");
    unlink(path);
    printf("  dead router detected after %lld ms; heartbeats sent: ok\n", (long long)took);
}

/* ---- scenario 5: backpressure and partial writes ------------------------------------------------------------- */

static void script_slow_reader(int ls, const void *arg) {
    long expected_bytes = 0;
    (void)arg;
    int fd = accept_hello(ls);
    uint8_t f[64];
    wr_all(fd, f, welcome(f, 1 << 20, 1000, 60000));
    /* The client fills the socket; then it tells us how many envelopes it sent in a final tell. */
    usleep(600000);
    static uint8_t buf[1 << 20];
    long frames = 0;
    for (;;) {
        long n = rd_frame(fd, buf, sizeof buf, 5000);
        if (n < 0) _exit(30);
        if (buf[5] == FA_K_HEARTBEAT) continue;
        if (buf[5] == FA_K_CLOSE) break;
        if (buf[5] != FA_TELL) _exit(31);
        uint32_t plen = fa__get32(buf + 44);
        if ((long)(56 + plen) != n) _exit(32);
        if (plen == 8) { /* the count */
            expected_bytes = (long)fa__get64(buf + 56);
            continue;
        }
        for (uint32_t i = 0; i < plen; i += 4093) {
            if (buf[56 + i] != (uint8_t)(frames + 1)) _exit(33); /* payload intact */
        }
        frames++;
    }
    if (frames != expected_bytes) _exit(34);
    close(fd);
}

static void test_backpressure(void) {
    char path[108];
    th_socket_path(path, sizeof path, "slow");
    pid_t pid = start_fake(path, script_slow_reader, NULL);
    fa_conn *c = open_impatient(path);
    static uint8_t payload[30000];
    uint64_t sent = 0;
    int timeouts = 0;
    for (int i = 0; i < 400 && timeouts < 3; i++) {
        memset(payload, (int)(uint8_t)(sent + 1), sizeof payload);
        int rc = fa_tell(c, 0, k_agent, 1, payload, sizeof payload);
        if (rc == FA_OK) {
            sent++;
        } else {
            CHECK(rc == FA_ETIMEDOUT);
            timeouts++;
        }
    }
    CHECK(timeouts > 0); /* the socket filled up */
    /* now wait for room: the reader wakes up */
    int rc;
    while ((rc = fa_flush(c, 5000)) != FA_OK) CHECK(rc == FA_ETIMEDOUT);
    uint64_t count = sent;
    fa_out m;
    memset(&m, 0, sizeof m);
    m.kind = FA_TELL;
    m.priority = FA_PRIORITY_NORMAL;
    m.target = k_agent;
    m.payload = &count;
    m.payload_len = 8;
    int64_t t0 = th_now_ms();
    while ((rc = fa_send(c, &m)) == FA_ETIMEDOUT && th_now_ms() - t0 < 5000) {
    }
    CHECK_RC(c, rc, FA_OK);
    fa_close(c); /* sends Close after flushing */
    expect_child_ok(pid, "slow reader");
    unlink(path);
    printf("  backpressure: %llu large frames intact across partial writes, %d send timeouts: ok\n",
           (unsigned long long)sent, timeouts);
}

/* ---- scenario 6: write coalescing ---------------------------------------------------------------------------- */

#define CO_TELLS 20000
#define CO_SMALL 64u
#define CO_LARGE 40000u /* above half of the 64 KiB write buffer: not copied */

static int co_large(long i) { return i % 4999 == 2500; }

static void co_payload(uint8_t *p, uint32_t len, long seq) {
    memset(p, (int)(uint8_t)seq, len);
    fa__put64(p, (uint64_t)seq);
}

/* Reads one tell and checks it carries sequence `seq` with the pattern of co_payload. */
static void co_expect_tell(int fd, uint8_t *buf, size_t cap, long seq, int code) {
    long n = rd_frame(fd, buf, cap, 5000);
    if (n < 0 || buf[5] != FA_TELL) _exit(code);
    uint32_t plen = fa__get32(buf + 44);
    if ((long)(56 + plen) != n || plen < 8 || fa__get64(buf + 56) != (uint64_t)seq) _exit(code + 1);
    for (uint32_t i = 8; i < plen; i += 97) {
        if (buf[56 + i] != (uint8_t)seq) _exit(code + 2);
    }
}

/* Expects exactly: tells 0..N-1 (a large one now and then, a batch of 100 in the middle), a subscribe (topic = i)
 * after every 1000th tell, a heartbeat (backlog = tells so far) after every 1500th, then a close. */
static void script_order(int ls, const void *arg) {
    (void)arg;
    int fd = accept_hello(ls);
    uint8_t f[64];
    wr_all(fd, f, welcome(f, 1 << 20, 60000, 60000)); /* no automatic heartbeat during the test */
    static uint8_t buf[1 << 17];
    for (long i = 0; i < CO_TELLS; i++) {
        co_expect_tell(fd, buf, sizeof buf, i, 40);
        if (i % 1000 == 999) {
            long n = rd_frame(fd, buf, sizeof buf, 5000);
            if (n != 24 || buf[5] != FA_K_SUBSCRIBE || fa__get64(buf + 8) != (uint64_t)i) _exit(43);
        }
        if (i % 1500 == 1499) {
            long n = rd_frame(fd, buf, sizeof buf, 5000);
            if (n != 16 || buf[5] != FA_K_HEARTBEAT || fa__get64(buf + 8) != (uint64_t)(i + 1)) _exit(44);
        }
    }
    long n = rd_frame(fd, buf, sizeof buf, 5000);
    if (n != 16 || buf[5] != FA_K_CLOSE) _exit(45);
    close(fd);
}

static void test_coalesce_order(void) {
    char path[108];
    th_socket_path(path, sizeof path, "order");
    pid_t pid = start_fake(path, script_order, NULL);
    fa_conn *c = open_conn(path, 0);
    CHECK_RC(c, fa_connect(c, 5000), FA_OK);
    CHECK(fa_unsent_bytes(c) == 0);
    static uint8_t large[CO_LARGE];
    static uint8_t small[100][CO_SMALL];
    fa_out batch[100];
    int copied = 0;
    for (long i = 0; i < CO_TELLS;) {
        if (i == 10000) { /* a batch, written behind the buffered frames */
            for (int k = 0; k < 100; k++) {
                co_payload(small[k], CO_SMALL, i + k);
                memset(&batch[k], 0, sizeof batch[k]);
                batch[k].kind = FA_TELL;
                batch[k].priority = FA_PRIORITY_NORMAL;
                batch[k].target = k_agent;
                batch[k].payload = small[k];
                batch[k].payload_len = CO_SMALL;
            }
            size_t sent = 0;
            CHECK_RC(c, fa_send_batch(c, batch, 100, &sent), FA_OK);
            CHECK(sent == 100);
            i += 100;
            continue;
        }
        uint32_t len = co_large(i) ? CO_LARGE : CO_SMALL;
        uint8_t *p = co_large(i) ? large : small[0];
        co_payload(p, len, i);
        size_t before = fa_unsent_bytes(c);
        CHECK_RC(c, fa_tell(c, 0, k_agent, 1, p, len), FA_OK);
        if (fa_unsent_bytes(c) == before + 56 + len) copied++;
        if (i == 0) CHECK(fa_unsent_bytes(c) == 56 + CO_SMALL); /* kept, not written */
        if (i % 1000 == 999) CHECK_RC(c, fa_subscribe(c, (uint64_t)i, k_agent), FA_OK);
        if (i % 1500 == 1499) {
            fa_set_backlog(c, i + 1);
            CHECK_RC(c, fa_heartbeat(c), FA_OK);
        }
        i++;
    }
    CHECK(copied > CO_TELLS / 2);
    fa_close(c); /* writes out the rest, then the close frame */
    expect_child_ok(pid, "coalesced order");
    unlink(path);
    printf("  coalescing: %d tells (%d copied into the buffer), batch, large frames, subscribes and heartbeats "
           "arrived in order: ok\n", CO_TELLS, copied);
}

/* A slow reader: small frames fill the socket and the write buffer; partial writes cut the buffer anywhere. */
static void script_slow_small(int ls, const void *arg) {
    (void)arg;
    int fd = accept_hello(ls);
    uint8_t f[64];
    wr_all(fd, f, welcome(f, 1 << 20, 60000, 60000));
    usleep(600000);
    static uint8_t buf[4096];
    long seq = 0;
    for (;;) {
        long n = rd_frame(fd, buf, sizeof buf, 5000);
        if (n < 0) _exit(50);
        if (buf[5] == FA_K_CLOSE) break;
        if (buf[5] != FA_TELL) _exit(51);
        uint32_t plen = fa__get32(buf + 44);
        if ((long)(56 + plen) != n) _exit(52);
        if (plen == 16 && fa__get64(buf + 56) == 0xC0FFEEu) { /* the count */
            if ((long)fa__get64(buf + 64) != seq) _exit(53);
            continue;
        }
        if (plen != 100 || fa__get64(buf + 56) != (uint64_t)seq) _exit(54);
        for (uint32_t i = 8; i < plen; i++) {
            if (buf[56 + i] != (uint8_t)seq) _exit(55);
        }
        seq++;
    }
    close(fd);
}

static void test_coalesce_backpressure(void) {
    char path[108];
    th_socket_path(path, sizeof path, "slowsmall");
    pid_t pid = start_fake(path, script_slow_small, NULL);
    fa_conn *c = open_impatient(path);
    uint8_t p[100];
    long seq = 0;
    int timeouts = 0, cut = 0;
    for (int i = 0; i < 200000 && timeouts < 3; i++) {
        co_payload(p, sizeof p, seq);
        int rc = fa_tell(c, 0, k_agent, 1, p, sizeof p);
        if (rc == FA_OK) {
            seq++;
        } else {
            CHECK_RC(c, rc, FA_ETIMEDOUT); /* not sent: the same sequence is sent again */
            timeouts++;
            CHECK(fa_unsent_bytes(c) > 0);
        }
        if (fa_unsent_bytes(c) % 156 != 0) cut++; /* the buffer begins inside a frame: a partial write */
    }
    CHECK(timeouts > 0);
    CHECK(cut > 0); /* partial writes cut the buffer inside a frame, and the rest was resumed */
    /* the reader wakes up: what was kept goes out, then more frames */
    for (int i = 0; i < 2000; i++) {
        co_payload(p, sizeof p, seq);
        int rc;
        while ((rc = fa_tell(c, 0, k_agent, 1, p, sizeof p)) == FA_ETIMEDOUT) {
        }
        CHECK_RC(c, rc, FA_OK);
        seq++;
    }
    uint8_t count[16];
    fa__put64(count, 0xC0FFEEu);
    fa__put64(count + 8, (uint64_t)seq);
    CHECK_RC(c, fa_tell(c, 0, k_agent, 1, count, sizeof count), FA_OK);
    int rc;
    while ((rc = fa_flush(c, 5000)) != FA_OK) CHECK_RC(c, rc, FA_ETIMEDOUT);
    CHECK(fa_unsent_bytes(c) == 0);
    fa_close(c);
    expect_child_ok(pid, "slow reader, small frames");
    unlink(path);
    printf("  coalescing under backpressure: %ld small frames intact and in order, %d send timeouts, %d calls with a "
           "partly written frame buffered: ok\n", seq, timeouts, cut);
}

/* Echoes every tell back and answers every ask with a reply carrying its payload; serves connections one after
 * the other until the listening socket's accept fails (the test closes nothing: the child is ended by the
 * `count` argument: the number of connections). */
static void script_echo(int ls, const void *arg) {
    int conns = *(const int *)arg;
    for (int k = 0; k < conns; k++) {
        int fd = accept_hello(ls);
        uint8_t f[4096];
        wr_all(fd, f, welcome(f, 1 << 20, 60000, 60000));
        for (;;) {
            long n = rd_frame(fd, f, sizeof f, 10000);
            /* A client that closes with echoes still unread makes the kernel reset this end (ECONNRESET on the
             * read): that connection is over, the next one is served. What the client saw is checked client side. */
            if (n < 0) break;
            if (f[5] == FA_K_CLOSE) break;
            if (f[5] == FA_K_HEARTBEAT) continue;
            if (f[5] == FA_TELL || f[5] == FA_ASK) {
                if (f[5] == FA_ASK) {
                    uint64_t sender = fa__get64(f + 24);
                    f[5] = FA_REPLY;
                    fa__put64(f + 24, fa__get64(f + 32)); /* sender: the asked agent */
                    fa__put64(f + 32, sender);
                }
                /* A client may close while its last echo is on the way (the section on the age bound does):
                 * the write fails with EPIPE and that connection is over, as with the reset above. */
                if (wr_try(fd, f, (size_t)n) != 0) break;
            } else {
                _exit(61);
            }
        }
        close(fd);
    }
}

static fa_conn *open_coalescing(const char *path, uint32_t write_buffer, uint32_t delay_us) {
    fa_options o;
    fa_options_init(&o);
    o.write_buffer = write_buffer;
    o.flush_delay_us = delay_us;
    fa_conn *c = open_at(path, &o);
    CHECK_RC(c, fa_connect(c, 5000), FA_OK);
    return c;
}

/* 1 when bytes from the router are waiting on the socket within timeout_ms (no library call meanwhile). */
static int readable(fa_conn *c, int timeout_ms) {
    struct pollfd pf = {fa_fd(c), POLLIN, 0};
    return poll(&pf, 1, timeout_ms) == 1;
}

static void test_coalesce_flushes(void) {
    char path[108];
    th_socket_path(path, sizeof path, "flushes");
    int conns = 4;
    pid_t pid = start_fake(path, script_echo, &conns);
    uint8_t p[24];
    fa_msg m;

    /* 1. an ask after buffered tells gets its reply: the buffer is written out before fa_ask waits */
    fa_conn *c = open_coalescing(path, FA_DEFAULT_WRITE_BUFFER, 10u * 1000 * 1000); /* flush delay 10 s */
    for (long i = 0; i < 10; i++) {
        co_payload(p, sizeof p, i);
        CHECK_RC(c, fa_tell(c, 0, k_agent, 1, p, sizeof p), FA_OK);
    }
    CHECK(fa_unsent_bytes(c) == 10 * (56 + sizeof p));
    CHECK(!readable(c, 100)); /* nothing went out, so nothing came back */
    fa_out ask;
    memset(&ask, 0, sizeof ask);
    ask.kind = FA_ASK;
    ask.priority = FA_PRIORITY_NORMAL;
    ask.target = k_agent;
    co_payload(p, sizeof p, 77);
    ask.payload = p;
    ask.payload_len = sizeof p;
    CHECK_RC(c, fa_ask(c, &ask, 3000, &m), FA_OK); /* with the tells and the ask still buffered: FA_ETIMEDOUT */
    CHECK(m.kind == FA_REPLY && m.sender == k_agent && fa__get64(m.payload) == 77);
    for (long i = 0; i < 10; i++) { /* the echoes that came meanwhile, kept aside in order */
        CHECK_RC(c, fa_recv(c, &m, 0), FA_OK);
        CHECK(m.kind == FA_TELL && fa__get64(m.payload) == (uint64_t)i);
    }
    /* a blocking fa_recv writes out the buffer before it waits, too */
    co_payload(p, sizeof p, 11);
    CHECK_RC(c, fa_tell(c, 0, k_agent, 1, p, sizeof p), FA_OK);
    CHECK(fa_unsent_bytes(c) > 0);
    CHECK_RC(c, fa_recv(c, &m, 0), FA_EAGAIN); /* timeout 0 and a young buffer: kept */
    CHECK(fa_unsent_bytes(c) > 0);
    CHECK_RC(c, fa_recv(c, &m, 3000), FA_OK);
    CHECK(m.kind == FA_TELL && fa__get64(m.payload) == 11);
    fa_close(c);
    printf("  coalescing: fa_ask and a blocking fa_recv write out buffered tells first: ok\n");

    /* 2. coalescing off: each tell is written by its own call, at once */
    c = open_coalescing(path, 0, FA_DEFAULT_FLUSH_DELAY_US);
    co_payload(p, sizeof p, 21);
    CHECK_RC(c, fa_tell(c, 0, k_agent, 1, p, sizeof p), FA_OK);
    CHECK(fa_unsent_bytes(c) == 0);
    CHECK(readable(c, 3000)); /* the echo came back without another call */
    CHECK_RC(c, fa_recv(c, &m, 0), FA_OK);
    CHECK(m.kind == FA_TELL && fa__get64(m.payload) == 21);
    fa_close(c);
    printf("  coalescing off (write_buffer 0): one write per tell: ok\n");

    /* 3. the age bound: a lone tell goes out with the next call made after the flush delay, without fa_flush */
    c = open_coalescing(path, FA_DEFAULT_WRITE_BUFFER, FA_DEFAULT_FLUSH_DELAY_US);
    co_payload(p, sizeof p, 31);
    CHECK_RC(c, fa_tell(c, 0, k_agent, 1, p, sizeof p), FA_OK);
    CHECK(fa_unsent_bytes(c) == 56 + sizeof p);
    int t = fa_next_timeout_ms(c);
    CHECK(t >= 0 && t <= 2);
    CHECK(!readable(c, 50)); /* no call, no write: the tell waits in the buffer */
    CHECK(fa_next_timeout_ms(c) == 0);
    int rc = fa_recv(c, &m, 0); /* a later call: older than 1 ms, written out (the echo may even be back) */
    CHECK(fa_unsent_bytes(c) == 0);
    if (rc == FA_EAGAIN) {
        CHECK(readable(c, 3000));
        rc = fa_recv(c, &m, 0);
    }
    CHECK_RC(c, rc, FA_OK);
    CHECK(m.kind == FA_TELL && fa__get64(m.payload) == 31);
    /* the same through a send call: the next tell, made later than the bound, writes both */
    co_payload(p, sizeof p, 32);
    CHECK_RC(c, fa_tell(c, 0, k_agent, 1, p, sizeof p), FA_OK);
    th_sleep_ms(20);
    co_payload(p, sizeof p, 33);
    CHECK_RC(c, fa_tell(c, 0, k_agent, 1, p, sizeof p), FA_OK);
    CHECK(fa_unsent_bytes(c) == 0);
    CHECK(readable(c, 3000));
    CHECK_RC(c, fa_recv(c, &m, 0), FA_OK);
    CHECK(m.kind == FA_TELL && fa__get64(m.payload) == 32);
    fa_close(c);
    printf("  coalescing: the age bound writes a lone tell out on the next call after 1 ms: ok\n");

    /* 4. fa_flush writes the buffer out at once */
    c = open_coalescing(path, FA_DEFAULT_WRITE_BUFFER, 10u * 1000 * 1000);
    co_payload(p, sizeof p, 41);
    CHECK_RC(c, fa_tell(c, 0, k_agent, 1, p, sizeof p), FA_OK);
    CHECK(fa_unsent_bytes(c) > 0);
    CHECK_RC(c, fa_flush(c, 1000), FA_OK);
    CHECK(fa_unsent_bytes(c) == 0);
    CHECK(readable(c, 3000));
    CHECK_RC(c, fa_recv(c, &m, 0), FA_OK);
    CHECK(m.kind == FA_TELL && fa__get64(m.payload) == 41);
    fa_close(c);
    expect_child_ok(pid, "echo");
    unlink(path);
    printf("  coalescing: fa_flush: ok\n");
}

int main(void) {
    th_watchdog(100);
    test_pieces();
    test_malformed();
    test_refused();
    test_dead_router();
    test_backpressure();
    test_coalesce_order();
    test_coalesce_backpressure();
    test_coalesce_flushes();
    printf("test_fake_router: all passed\n");
    return 0;
}

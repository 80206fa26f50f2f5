/* Unit tests of frame encoding and decoding against the byte diagrams of docs/PROTOCOL.md (sections 3-7, 14). */
#include "fa_internal.h"
#include "harness.h"

#include <stdio.h>
#include <string.h>

static void check_bytes(const char *what, const uint8_t *got, const uint8_t *want, size_t n) {
    if (memcmp(got, want, n) != 0) {
        for (size_t i = 0; i < n; i++) {
            if (got[i] != want[i]) {
                char d[128];
                snprintf(d, sizeof d, "byte %zu is %02x, expected %02x", i, got[i], want[i]);
                th_fail(__FILE__, __LINE__, what, d);
            }
        }
    }
}

static void test_ids(void) {
    CHECK(fa_fnv1a32("", 0) == 0x811C9DC5u);
    CHECK(fa_fnv1a32("a", 1) == 0xE40C292Cu);
    CHECK(fa_fnv1a32("counter", 7) == 0x9CACDE23u);
    CHECK(fa_fnv1a32("prices", 6) == 0x15792B1Bu);
    CHECK(fa_fnv1a64("", 0) == 0xCBF29CE484222325ull);
    CHECK(fa_fnv1a64("a", 1) == 0xAF63DC4C8601EC8Cull);
    CHECK(fa_fnv1a64("counter", 7) == 0x77976C7416517C63ull);
    CHECK(fa_topic_id("prices") == 0x926E3C1AD17843FBull);
    CHECK(fa_capability_id("summarize") == 0x20EA7DB5AD4182DAull);
    CHECK(fa_agent_id(fa_type_id("counter"), 7) == 0x9CACDE2300000007ull);
    CHECK(fa_payload_type_id("System.String") == 0xFA6BBBA7u);
    CHECK(fa_payload_type_id("System.Int32") == 0xF92D023Au);
    CHECK(fa_payload_type_id("System.Int64") == 0x692563C5u);
    CHECK(fa_payload_type_id("System.Double") == 0x328EE55Bu);
    CHECK(fa_payload_type_id("System.Byte[]") == 0xFDB7EF68u);
    CHECK(fa_payload_type_id("Demo.Quote") == 0x5F3B991Cu);
    CHECK(fa_key_of("") == 0x811C9DC5u);
}

/* 14.1: hello and welcome. */
static void test_hello_welcome(void) {
    static const uint8_t want[] = {0x25, 0x00, 0x00, 0x00, 0x01, 0x10, 0x00, 0x00, 0x46, 0x41, 0x47, 0x54, 0x01,
                                   0x00, 0x00, 0x00, 0x78, 0x56, 0x34, 0x12, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00,
                                   0x10, 0x00, 0xe8, 0x03, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x63};
    uint8_t f[64];
    size_t n = fa__encode_hello(f, sizeof f, 0xFFFFFFFF12345678ull, 1048576, 1000, "c", 1, NULL, 0);
    CHECK(n == sizeof want);
    check_bytes("hello", f, want, n);
    CHECK(fa__encode_hello(f, 36, 1, 4096, 1000, "c", 1, NULL, 0) == 0); /* too small a buffer */
    char big[300];
    memset(big, 'x', sizeof big);
    uint8_t hb[2000];
    CHECK(fa__encode_hello(hb, sizeof hb, 1, 4096, 1000, big, 257, NULL, 0) == 0);
    CHECK(fa__encode_hello(hb, sizeof hb, 1, 4096, 1000, big, 256, "tok", 3) == 36 + 256 + 3);

    static const uint8_t welcome[] = {0x20, 0x00, 0x00, 0x00, 0x01, 0x11, 0x00, 0x00, 0x01, 0x00, 0x00,
                                      0x00, 0x00, 0x00, 0x10, 0x00, 0xe8, 0x03, 0x00, 0x00, 0x88, 0x13,
                                      0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
    uint32_t len;
    uint8_t kind;
    char why[200];
    CHECK(fa__check_prefix(welcome, FA_DEFAULT_MAX_FRAME, &len, &kind, why, sizeof why) == 0);
    CHECK(len == 32 && kind == FA_K_WELCOME);
    fa__frame fr;
    CHECK(fa__parse_frame(welcome, len, &fr, why, sizeof why) == 0);
    CHECK(fr.welcome.version == 1);
    CHECK(fr.welcome.max_frame == 1048576);
    CHECK(fr.welcome.heartbeat_ms == 1000);
    CHECK(fr.welcome.dead_after_ms == 5000);
    CHECK(fr.welcome.connection_id == 1);
    CHECK(fa__parse_frame(welcome, 33, &fr, why, sizeof why) == FA_PE_MALFORMED_FRAME);
}

/* 14.2: register. */
static void test_register(void) {
    static const uint8_t want[] = {0x20, 0x00, 0x00, 0x00, 0x01, 0x12, 0x00, 0x00, 0x07, 0x00, 0x00,
                                   0x00, 0x23, 0xde, 0xac, 0x9c, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
                                   0x00, 0x00, 0xda, 0x82, 0x41, 0xad, 0xb5, 0x7d, 0xea, 0x20};
    uint8_t f[64];
    uint64_t cap = fa_capability_id("summarize");
    size_t n = fa__encode_register(f, fa_agent_id(fa_type_id("counter"), 7), &cap, 1);
    CHECK(n == sizeof want);
    check_bytes("register", f, want, n);
}

/* 14.3: a tell of a 16-byte unmanaged struct, and the router's undeliverable notice for it. */
static const uint8_t k_tell[] = {
    0x48, 0x00, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0xff, 0x80, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00,
    0x23, 0xde, 0xac, 0x9c, 0x1c, 0x99, 0x3b, 0x5f, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xd0, 0x12, 0x13, 0x00, 0x00, 0x00, 0x00, 0x00};

static void test_tell(void) {
    uint8_t payload[16];
    fa_writer w;
    fa_writer_init(&w, payload, sizeof payload);
    fa_put_i64(&w, 42);
    fa_put_i64(&w, 1250000);
    CHECK(fa_writer_finish(&w) == 16);

    fa_out m;
    memset(&m, 0, sizeof m);
    m.kind = FA_TELL;
    m.priority = FA_PRIORITY_NORMAL;
    m.target = fa_agent_id(fa_type_id("counter"), 7);
    m.payload_type = fa_payload_type_id("Demo.Quote");
    m.payload = payload;
    m.payload_len = 16;
    CHECK(fa__check_out(&m) == FA_OK);
    CHECK(fa__out_length(&m) == 72);
    uint8_t f[72];
    fa__encode_header(f, &m, 0x80FFC00000000000ull, 0, 0);
    memcpy(f + 56, payload, 16);
    check_bytes("tell", f, k_tell, sizeof k_tell);

    /* decoding the same bytes */
    uint32_t len;
    uint8_t kind;
    char why[200];
    CHECK(fa__check_prefix(k_tell, FA_DEFAULT_MAX_FRAME, &len, &kind, why, sizeof why) == 0);
    CHECK(len == 72 && kind == FA_TELL);
    fa__frame fr;
    CHECK(fa__parse_frame(k_tell, len, &fr, why, sizeof why) == 0);
    CHECK(fr.msg.kind == FA_TELL && fr.msg.priority == 1 && fr.msg.flags == 0);
    CHECK(fr.msg.message_id == 0x80FFC00000000000ull);
    CHECK(fr.msg.target == 0x9CACDE2300000007ull && fr.msg.sender == 0 && fr.msg.correlation_id == 0);
    CHECK(fr.msg.payload_type == 0x5F3B991Cu && fr.msg.payload_len == 16);
    CHECK(fr.msg.payload == k_tell + 56 && fr.msg.trace == NULL);
    fa_reader r;
    fa_reader_init(&r, fr.msg.payload, fr.msg.payload_len);
    CHECK(fa_get_i64(&r) == 42);
    CHECK(fa_get_i64(&r) == 1250000);
    CHECK(fa_reader_finish(&r) == FA_OK);

    static const uint8_t undeliverable[] = {
        0x48, 0x00, 0x00, 0x00, 0x01, 0x17, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x48, 0x00,
        0x00, 0x00, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0xff, 0x80, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x23, 0xde,
        0xac, 0x9c, 0x1c, 0x99, 0x3b, 0x5f, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
    uint8_t u[72];
    fa__encode_undeliverable(u, FA_DL_NO_SUCH_AGENT, 1, k_tell);
    check_bytes("undeliverable", u, undeliverable, sizeof u);
    CHECK(fa__check_prefix(undeliverable, FA_DEFAULT_MAX_FRAME, &len, &kind, why, sizeof why) == 0);
    CHECK(fa__parse_frame(undeliverable, len, &fr, why, sizeof why) == 0);
    CHECK(fr.msg.kind == FA_UNDELIVERABLE && fr.msg.reason == 0 && fr.msg.reporter == 1);
    CHECK(fr.msg.target == 0x9CACDE2300000007ull && fr.msg.payload == NULL && fr.msg.payload_len == 16);
    uint8_t bad[72];
    memcpy(bad, undeliverable, 72);
    bad[8] = 11; /* unknown reason */
    CHECK(fa__parse_frame(bad, 72, &fr, why, sizeof why) == FA_PE_MALFORMED_FRAME);
}

static void test_control_frames(void) {
    uint8_t f[64];
    static const uint8_t hb[] = {0x10, 0, 0, 0, 1, 0x16, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0};
    CHECK(fa__encode_heartbeat(f, 5) == 16);
    check_bytes("heartbeat", f, hb, 16);
    CHECK(fa__encode_heartbeat(f, -3) == 16 && f[8] == 0); /* negative backlog is sent as 0 */
    static const uint8_t sub[] = {0x18, 0, 0, 0, 1, 0x14, 0, 0, 0xfb, 0x43, 0x78, 0xd1, 0x1a, 0x3c, 0x6e, 0x92,
                                  0x07, 0, 0, 0, 0x23, 0xde, 0xac, 0x9c};
    CHECK(fa__encode_subscription(f, FA_K_SUBSCRIBE, fa_topic_id("prices"), 0x9CACDE2300000007ull) == 24);
    check_bytes("subscribe", f, sub, 24);
    CHECK(fa__encode_subscription(f, FA_K_UNSUBSCRIBE, 1, 2) == 24 && f[5] == 0x15);
    static const uint8_t dereg[] = {0x10, 0, 0, 0, 1, 0x13, 0, 0, 0x07, 0, 0, 0, 0x23, 0xde, 0xac, 0x9c};
    CHECK(fa__encode_deregister(f, 0x9CACDE2300000007ull) == 16);
    check_bytes("deregister", f, dereg, 16);
    static const uint8_t close_frame[] = {0x10, 0, 0, 0, 1, 0x1f, 0, 0, 0x0b, 0, 0, 0, 0, 0, 0, 0};
    CHECK(fa__encode_close(f, 11) == 16);
    check_bytes("close", f, close_frame, 16);
    static const uint8_t err[] = {0x0f, 0, 0, 0, 1, 0x1e, 0, 0, 0x05, 0, 0x03, 0, 'b', 'a', 'd'};
    CHECK(fa__encode_error(f, 5, "bad", 3) == 15);
    check_bytes("error", f, err, 15);

    char why[200];
    fa__frame fr;
    CHECK(fa__parse_frame(err, 15, &fr, why, sizeof why) == 0);
    CHECK(fr.code == 5 && fr.text_len == 3 && memcmp(fr.text, "bad", 3) == 0);
    CHECK(fa__parse_frame(err, 14, &fr, why, sizeof why) == FA_PE_MALFORMED_FRAME);
    CHECK(fa__parse_frame(hb, 16, &fr, why, sizeof why) == 0 && fr.backlog == 5);

    /* gone: two ids */
    uint8_t gone[32];
    fa__prefix(gone, 32, FA_K_GONE);
    fa__put32(gone + 8, 2);
    fa__put32(gone + 12, 0);
    fa__put64(gone + 16, 0x9CACDE2300000007ull);
    fa__put64(gone + 24, 0xFFFFFFFF12345678ull);
    CHECK(fa__parse_frame(gone, 32, &fr, why, sizeof why) == 0);
    CHECK(fr.msg.kind == FA_GONE && fr.msg.gone_count == 2);
    CHECK(fa_msg_gone_id(&fr.msg, 0) == 0x9CACDE2300000007ull);
    CHECK(fa_msg_gone_id(&fr.msg, 1) == 0xFFFFFFFF12345678ull);
    CHECK(fa_msg_gone_id(&fr.msg, 2) == 0);
    fa__put32(gone + 8, 3);
    CHECK(fa__parse_frame(gone, 32, &fr, why, sizeof why) == FA_PE_MALFORMED_FRAME);
}

/* Section 3: prefix checks, in order. */
static void test_prefix_checks(void) {
    uint8_t p[8];
    uint32_t len;
    uint8_t kind;
    char why[200];
    fa__prefix(p, 16, FA_K_HEARTBEAT);
    CHECK(fa__check_prefix(p, 4096, &len, &kind, why, sizeof why) == 0);
    p[4] = 2;
    CHECK(fa__check_prefix(p, 4096, &len, &kind, why, sizeof why) == FA_PE_UNSUPPORTED_VERSION);
    p[4] = 1;
    fa__put32(p, 5000);
    CHECK(fa__check_prefix(p, 4096, &len, &kind, why, sizeof why) == FA_PE_FRAME_TOO_LARGE);
    p[4] = 9; /* version is checked first */
    CHECK(fa__check_prefix(p, 4096, &len, &kind, why, sizeof why) == FA_PE_UNSUPPORTED_VERSION);
    fa__prefix(p, 55, FA_TELL);
    CHECK(fa__check_prefix(p, 4096, &len, &kind, why, sizeof why) == FA_PE_MALFORMED_FRAME);
    fa__prefix(p, 56, FA_STOP);
    p[6] = 2; /* envelopes: bytes 6-7 are priority and flags */
    CHECK(fa__check_prefix(p, 4096, &len, &kind, why, sizeof why) == 0);
    int unknown[] = {0x00, 0x06, 0x0f, 0x19, 0x1d, 0x20, 0xff};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        fa__prefix(p, 64, (uint8_t)unknown[i]);
        CHECK(fa__check_prefix(p, 4096, &len, &kind, why, sizeof why) == FA_PE_UNKNOWN_KIND);
    }
    struct {
        uint8_t kind;
        uint32_t min;
    } mins[] = {{0x10, 36}, {0x11, 32}, {0x12, 24}, {0x13, 16}, {0x14, 24}, {0x15, 24},
                {0x16, 16}, {0x17, 72}, {0x18, 16}, {0x1e, 12}, {0x1f, 16}};
    for (size_t i = 0; i < sizeof mins / sizeof mins[0]; i++) {
        fa__prefix(p, mins[i].min - 1, mins[i].kind);
        CHECK(fa__check_prefix(p, 4096, &len, &kind, why, sizeof why) == FA_PE_MALFORMED_FRAME);
        fa__prefix(p, mins[i].min, mins[i].kind);
        CHECK(fa__check_prefix(p, 4096, &len, &kind, why, sizeof why) == 0);
        p[7] = 1;
        CHECK(fa__check_prefix(p, 4096, &len, &kind, why, sizeof why) == FA_PE_MALFORMED_FRAME);
    }
    CHECK(fa__client_accepts(FA_K_WELCOME) == FA_PE_UNEXPECTED_FRAME);
    CHECK(fa__client_accepts(FA_K_HELLO) == FA_PE_UNEXPECTED_FRAME);
    CHECK(fa__client_accepts(FA_K_REGISTER) == FA_PE_UNEXPECTED_FRAME);
    CHECK(fa__client_accepts(FA_K_GONE) == 0 && fa__client_accepts(FA_TELL) == 0);
}

/* Section 4.6: envelope checks; 4.2: the trace section. */
static void test_envelope_checks(void) {
    uint8_t f[128];
    char why[200];
    fa__frame fr;
    memcpy(f, k_tell, sizeof k_tell);
    f[6] = 3; /* priority */
    CHECK(fa__parse_frame(f, 72, &fr, why, sizeof why) == FA_PE_MALFORMED_FRAME);
    memcpy(f, k_tell, sizeof k_tell);
    f[7] = 0x40; /* Remote never travels */
    CHECK(fa__parse_frame(f, 72, &fr, why, sizeof why) == FA_PE_MALFORMED_FRAME);
    memcpy(f, k_tell, sizeof k_tell);
    CHECK(fa__parse_frame(f, 71, &fr, why, sizeof why) == FA_PE_MALFORMED_FRAME); /* length disagrees */
    memset(f + 32, 0, 8); /* target 0 on a tell */
    CHECK(fa__parse_frame(f, 72, &fr, why, sizeof why) == FA_PE_MALFORMED_FRAME);
    f[5] = FA_REPLY; /* a reply may have target 0 */
    CHECK(fa__parse_frame(f, 72, &fr, why, sizeof why) == 0);
    f[5] = FA_PUBLISH;
    CHECK(fa__parse_frame(f, 72, &fr, why, sizeof why) == 0);

    /* traced: 56 + 32 + 16 */
    uint8_t trace[32];
    for (int i = 0; i < 32; i++) trace[i] = (uint8_t)(i + 1);
    fa_out m;
    memset(&m, 0, sizeof m);
    m.kind = FA_ASK;
    m.priority = FA_PRIORITY_HIGH;
    m.flags = FA_FLAG_TRACED | FA_FLAG_ANY_OF;
    m.target = fa_capability_id("echo");
    m.trace = trace;
    m.payload = k_tell;
    m.payload_len = 16;
    CHECK(fa__out_length(&m) == 104);
    fa__encode_header(f, &m, 9, 0x8000000000000001ull, 0xFFFFFFFF00000001ull);
    memcpy(f + 56, trace, 32);
    memcpy(f + 88, k_tell, 16);
    CHECK(fa__parse_frame(f, 104, &fr, why, sizeof why) == 0);
    CHECK(fr.msg.trace == f + 56 && fr.msg.payload == f + 88 && fr.msg.flags == 3);
    CHECK(fr.msg.correlation_id == 0x8000000000000001ull && fr.msg.sender == 0xFFFFFFFF00000001ull);

    /* outgoing checks */
    m.trace = NULL;
    CHECK(fa__check_out(&m) == FA_EINVAL);
    m.flags = FA_FLAG_ANY_OF;
    CHECK(fa__check_out(&m) == FA_OK);
    m.kind = FA_PUBLISH;
    CHECK(fa__check_out(&m) == FA_EINVAL); /* AnyOf never on a publish */
    m.flags = 0;
    m.target = 0;
    CHECK(fa__check_out(&m) == FA_OK);
    m.kind = FA_TELL;
    CHECK(fa__check_out(&m) == FA_EINVAL);
    m.kind = 6;
    m.target = 1;
    CHECK(fa__check_out(&m) == FA_EINVAL);
    m.kind = FA_TELL;
    m.priority = 3;
    CHECK(fa__check_out(&m) == FA_EINVAL);
}

int main(void) {
    th_watchdog(30);
    test_ids();
    test_hello_welcome();
    test_register();
    test_tell();
    test_control_frames();
    test_prefix_checks();
    test_envelope_checks();
    printf("test_frames: all passed\n");
    return 0;
}

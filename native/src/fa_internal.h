/* Internal declarations of the FastAgents C client: frame encoding and decoding (frame.c), shared by the
 * connection code (conn.c) and the unit tests. Not part of the public API; symbols are hidden in the shared
 * library. */
#ifndef FA_INTERNAL_H
#define FA_INTERNAL_H

#include "fastagents.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Frame kinds (PROTOCOL.md section 3). */
enum {
    FA_K_HELLO = 0x10,
    FA_K_WELCOME = 0x11,
    FA_K_REGISTER = 0x12,
    FA_K_DEREGISTER = 0x13,
    FA_K_SUBSCRIBE = 0x14,
    FA_K_UNSUBSCRIBE = 0x15,
    FA_K_HEARTBEAT = 0x16,
    FA_K_UNDELIVERABLE = 0x17,
    FA_K_GONE = 0x18,
    FA_K_ERROR = 0x1E,
    FA_K_CLOSE = 0x1F
};

#define FA_PREFIX_SIZE 8u
#define FA_HELLO_MIN 36u
#define FA_WELCOME_SIZE 32u
#define FA_REGISTER_MIN 24u
#define FA_DEREGISTER_SIZE 16u
#define FA_SUBSCRIPTION_SIZE 24u
#define FA_HEARTBEAT_SIZE 16u
#define FA_UNDELIVERABLE_SIZE 72u
#define FA_GONE_MIN 16u
#define FA_ERROR_MIN 12u
#define FA_CLOSE_SIZE 16u
#define FA_MAGIC 0x54474146u
#define FA_MAX_ERROR_TEXT 1024u

static inline void fa__put16(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static inline void fa__put32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}
static inline void fa__put64(uint8_t *p, uint64_t v) {
    fa__put32(p, (uint32_t)v);
    fa__put32(p + 4, (uint32_t)(v >> 32));
}
static inline uint16_t fa__get16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline uint32_t fa__get32(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline uint64_t fa__get64(const uint8_t *p) { return (uint64_t)fa__get32(p) | ((uint64_t)fa__get32(p + 4) << 32); }

/* Writes the 8-byte prefix. */
void fa__prefix(uint8_t *p, uint32_t length, uint8_t kind);

/* Hello: returns the frame length, or 0 when name/token are too long or cap too small. */
size_t fa__encode_hello(uint8_t *out, size_t cap, uint64_t node, uint32_t max_frame, uint32_t heartbeat_ms,
                        const char *name, size_t name_len, const void *token, size_t token_len);

/* Envelope header (56 bytes) of m, with the ids to use; length = 56 (+32) + payload. */
void fa__encode_header(uint8_t *out, const fa_out *m, uint64_t message_id, uint64_t correlation, uint64_t sender);

/* Checks an outgoing envelope's fields: 0 or FA_EINVAL. */
int fa__check_out(const fa_out *m);

/* Length of the frame an outgoing envelope makes (64-bit: may exceed u32). */
uint64_t fa__out_length(const fa_out *m);

/* Control frames; out must have room for the returned size. */
size_t fa__encode_register(uint8_t *out, uint64_t agent, const uint64_t *caps, uint32_t count);
size_t fa__encode_deregister(uint8_t *out, uint64_t agent);
size_t fa__encode_subscription(uint8_t *out, uint8_t kind, uint64_t topic, uint64_t agent);
size_t fa__encode_heartbeat(uint8_t *out, int64_t backlog);
size_t fa__encode_close(uint8_t *out, uint16_t code);
/* Error frame: text cut at 1024 bytes; out must hold 12 + min(len, 1024). */
size_t fa__encode_error(uint8_t *out, uint16_t code, const char *text, size_t len);
/* Undeliverable frame with the 56-byte header of the envelope (flags reduced to Traced and AnyOf). */
size_t fa__encode_undeliverable(uint8_t *out, uint8_t reason, uint8_t reporter, const uint8_t *header);

/* Checks a frame prefix as a client receiver (PROTOCOL.md section 3, checks 1-6). Returns 0 with *length and
 * *kind set, or a protocol error code (FA_PE_*) with a description in why. */
int fa__check_prefix(const uint8_t *p, uint32_t max_frame, uint32_t *length, uint8_t *kind, char *why, size_t n);

/* The router's welcome. */
typedef struct fa__welcome {
    uint16_t version;
    uint32_t max_frame;
    uint32_t heartbeat_ms;
    uint32_t dead_after_ms;
    uint32_t connection_id;
} fa__welcome;

/* Parses a whole frame already checked by fa__check_prefix. Returns 0 or a protocol error code (why says how).
 * Envelopes, undeliverable and gone notices fill *m; a welcome fills *w (may be NULL if not expected);
 * heartbeats, errors and closes fill *code / *text where relevant. */
typedef struct fa__frame {
    uint8_t kind;
    fa_msg msg;          /* envelopes, undeliverable, gone */
    fa__welcome welcome; /* welcome */
    int64_t backlog;     /* heartbeat */
    uint16_t code;       /* error, close */
    const char *text;    /* error */
    uint16_t text_len;
} fa__frame;

int fa__parse_frame(const uint8_t *f, uint32_t length, fa__frame *out, char *why, size_t n);

/* Protocol error code to use when a frame kind arrives that a client must not receive after its welcome
 * (0 when it is allowed). */
int fa__client_accepts(uint8_t kind);

#endif

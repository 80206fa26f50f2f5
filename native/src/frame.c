/* Frame encoding and decoding (docs/PROTOCOL.md sections 3-5). Pure functions: no I/O, no allocation. */
#include "fa_internal.h"

#include <stdarg.h>
#include <stdio.h>

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int fail(char *why, size_t n, const char *fmt, ...) {
    if (why != NULL && n > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, n, fmt, ap);
        va_end(ap);
    }
    return 1;
}

void fa__prefix(uint8_t *p, uint32_t length, uint8_t kind) {
    fa__put32(p, length);
    p[4] = FA_PROTOCOL_VERSION;
    p[5] = kind;
    p[6] = 0;
    p[7] = 0;
}

size_t fa__encode_hello(uint8_t *out, size_t cap, uint64_t node, uint32_t max_frame, uint32_t heartbeat_ms,
                        const char *name, size_t name_len, const void *token, size_t token_len) {
    if (name_len > FA_MAX_NAME_BYTES || token_len > FA_MAX_TOKEN_BYTES) {
        return 0;
    }
    size_t length = FA_HELLO_MIN + name_len + token_len;
    if (cap < length) {
        return 0;
    }
    fa__prefix(out, (uint32_t)length, FA_K_HELLO);
    fa__put32(out + 8, FA_MAGIC);
    fa__put16(out + 12, FA_PROTOCOL_VERSION);
    fa__put16(out + 14, 0);
    fa__put64(out + 16, node);
    fa__put32(out + 24, max_frame);
    fa__put32(out + 28, heartbeat_ms);
    fa__put16(out + 32, (uint16_t)name_len);
    fa__put16(out + 34, (uint16_t)token_len);
    if (name_len > 0) {
        memcpy(out + 36, name, name_len);
    }
    if (token_len > 0) {
        memcpy(out + 36 + name_len, token, token_len);
    }
    return length;
}

uint64_t fa__out_length(const fa_out *m) {
    uint64_t offset = (m->flags & FA_FLAG_TRACED) ? FA_HEADER_SIZE + FA_TRACE_SIZE : FA_HEADER_SIZE;
    return offset + m->payload_len;
}

int fa__check_out(const fa_out *m) {
    if (m->kind < FA_TELL || m->kind > FA_STOP) {
        return FA_EINVAL;
    }
    if (m->priority > FA_PRIORITY_LOW) {
        return FA_EINVAL;
    }
    if ((m->flags & ~(FA_FLAG_TRACED | FA_FLAG_ANY_OF)) != 0) {
        return FA_EINVAL;
    }
    if ((m->flags & FA_FLAG_TRACED) && m->trace == NULL) {
        return FA_EINVAL;
    }
    if ((m->flags & FA_FLAG_ANY_OF) && m->kind == FA_PUBLISH) {
        return FA_EINVAL; /* PROTOCOL.md 4.4: never on a publish */
    }
    if (m->target == 0 && m->kind != FA_PUBLISH && m->kind != FA_REPLY) {
        return FA_EINVAL;
    }
    if (m->payload_len > 0 && m->payload == NULL) {
        return FA_EINVAL;
    }
    return FA_OK;
}

void fa__encode_header(uint8_t *out, const fa_out *m, uint64_t message_id, uint64_t correlation, uint64_t sender) {
    uint32_t length = (uint32_t)fa__out_length(m);
    fa__put32(out, length);
    out[4] = FA_PROTOCOL_VERSION;
    out[5] = m->kind;
    out[6] = m->priority;
    out[7] = m->flags;
    fa__put64(out + 8, message_id);
    fa__put64(out + 16, correlation);
    fa__put64(out + 24, sender);
    fa__put64(out + 32, m->target);
    fa__put32(out + 40, m->payload_type);
    fa__put32(out + 44, m->payload_len);
    fa__put64(out + 48, (uint64_t)m->timestamp);
}

size_t fa__encode_register(uint8_t *out, uint64_t agent, const uint64_t *caps, uint32_t count) {
    size_t length = FA_REGISTER_MIN + 8u * (size_t)count;
    fa__prefix(out, (uint32_t)length, FA_K_REGISTER);
    fa__put64(out + 8, agent);
    fa__put32(out + 16, count);
    fa__put32(out + 20, 0);
    for (uint32_t i = 0; i < count; i++) {
        fa__put64(out + 24 + 8u * (size_t)i, caps[i]);
    }
    return length;
}

size_t fa__encode_deregister(uint8_t *out, uint64_t agent) {
    fa__prefix(out, FA_DEREGISTER_SIZE, FA_K_DEREGISTER);
    fa__put64(out + 8, agent);
    return FA_DEREGISTER_SIZE;
}

size_t fa__encode_subscription(uint8_t *out, uint8_t kind, uint64_t topic, uint64_t agent) {
    fa__prefix(out, FA_SUBSCRIPTION_SIZE, kind);
    fa__put64(out + 8, topic);
    fa__put64(out + 16, agent);
    return FA_SUBSCRIPTION_SIZE;
}

size_t fa__encode_heartbeat(uint8_t *out, int64_t backlog) {
    fa__prefix(out, FA_HEARTBEAT_SIZE, FA_K_HEARTBEAT);
    fa__put64(out + 8, (uint64_t)(backlog < 0 ? 0 : backlog));
    return FA_HEARTBEAT_SIZE;
}

size_t fa__encode_close(uint8_t *out, uint16_t code) {
    memset(out, 0, FA_CLOSE_SIZE);
    fa__prefix(out, FA_CLOSE_SIZE, FA_K_CLOSE);
    fa__put16(out + 8, code);
    return FA_CLOSE_SIZE;
}

size_t fa__encode_error(uint8_t *out, uint16_t code, const char *text, size_t len) {
    if (len > FA_MAX_ERROR_TEXT) {
        len = FA_MAX_ERROR_TEXT;
    }
    fa__prefix(out, (uint32_t)(FA_ERROR_MIN + len), FA_K_ERROR);
    fa__put16(out + 8, code);
    fa__put16(out + 10, (uint16_t)len);
    if (len > 0) {
        memcpy(out + 12, text, len);
    }
    return FA_ERROR_MIN + len;
}

size_t fa__encode_undeliverable(uint8_t *out, uint8_t reason, uint8_t reporter, const uint8_t *header) {
    memset(out, 0, 16);
    fa__prefix(out, FA_UNDELIVERABLE_SIZE, FA_K_UNDELIVERABLE);
    out[8] = reason;
    out[9] = reporter;
    memcpy(out + 16, header, FA_HEADER_SIZE);
    out[16 + 7] &= (uint8_t)(FA_FLAG_TRACED | FA_FLAG_ANY_OF);
    return FA_UNDELIVERABLE_SIZE;
}

static uint32_t minimum_size(uint8_t kind) {
    switch (kind) {
    case FA_K_HELLO: return FA_HELLO_MIN;
    case FA_K_WELCOME: return FA_WELCOME_SIZE;
    case FA_K_REGISTER: return FA_REGISTER_MIN;
    case FA_K_DEREGISTER: return FA_DEREGISTER_SIZE;
    case FA_K_SUBSCRIBE:
    case FA_K_UNSUBSCRIBE: return FA_SUBSCRIPTION_SIZE;
    case FA_K_HEARTBEAT: return FA_HEARTBEAT_SIZE;
    case FA_K_UNDELIVERABLE: return FA_UNDELIVERABLE_SIZE;
    case FA_K_GONE: return FA_GONE_MIN;
    case FA_K_ERROR: return FA_ERROR_MIN;
    case FA_K_CLOSE: return FA_CLOSE_SIZE;
    default: return 0; /* unknown */
    }
}

static int is_envelope(uint8_t kind) { return kind >= FA_TELL && kind <= FA_STOP; }

int fa__check_prefix(const uint8_t *p, uint32_t max_frame, uint32_t *length, uint8_t *kind, char *why, size_t n) {
    uint32_t len = fa__get32(p);
    uint8_t version = p[4];
    uint8_t k = p[5];
    *length = len;
    *kind = k;
    if (version != FA_PROTOCOL_VERSION) {
        fail(why, n, "frame version %u; this side speaks version %u", version, FA_PROTOCOL_VERSION);
        return FA_PE_UNSUPPORTED_VERSION;
    }
    if (len > max_frame) {
        fail(why, n, "a frame of %u bytes exceeds the maximum of %u", len, max_frame);
        return FA_PE_FRAME_TOO_LARGE;
    }
    if (is_envelope(k)) {
        if (len < FA_HEADER_SIZE) {
            fail(why, n, "an envelope frame of %u bytes is shorter than its 56-byte header", len);
            return FA_PE_MALFORMED_FRAME;
        }
        return 0;
    }
    uint32_t min = minimum_size(k);
    if (min == 0) {
        fail(why, n, "frame kind 0x%02x is not part of the protocol", k);
        return FA_PE_UNKNOWN_KIND;
    }
    if (len < min) {
        fail(why, n, "a frame of kind 0x%02x has at least %u bytes; this one says %u", k, min, len);
        return FA_PE_MALFORMED_FRAME;
    }
    if (p[6] != 0 || p[7] != 0) {
        fail(why, n, "bytes 6-7 of a control frame (kind 0x%02x) must be zero", k);
        return FA_PE_MALFORMED_FRAME;
    }
    return 0;
}

/* Reads an envelope header at h into m (no checks). */
static void read_header(const uint8_t *h, fa_msg *m) {
    m->kind = h[5];
    m->priority = h[6];
    m->flags = h[7];
    m->message_id = fa__get64(h + 8);
    m->correlation_id = fa__get64(h + 16);
    m->sender = fa__get64(h + 24);
    m->target = fa__get64(h + 32);
    m->payload_type = fa__get32(h + 40);
    m->payload_len = fa__get32(h + 44);
    m->timestamp = (int64_t)fa__get64(h + 48);
}

int fa__parse_frame(const uint8_t *f, uint32_t length, fa__frame *out, char *why, size_t n) {
    uint8_t kind = f[5];
    memset(out, 0, sizeof *out);
    out->kind = kind;
    if (is_envelope(kind)) {
        fa_msg *m = &out->msg;
        read_header(f, m);
        if ((m->flags & ~(FA_FLAG_TRACED | FA_FLAG_ANY_OF)) != 0) {
            fail(why, n, "envelope flags 0x%02x include bits that never travel on the wire", m->flags);
            return FA_PE_MALFORMED_FRAME;
        }
        uint64_t offset = (m->flags & FA_FLAG_TRACED) ? FA_HEADER_SIZE + FA_TRACE_SIZE : FA_HEADER_SIZE;
        if (offset + m->payload_len != length) {
            fail(why, n, "the envelope has %u bytes; its header says %u of payload after %u", length, m->payload_len,
                 (unsigned)offset);
            return FA_PE_MALFORMED_FRAME;
        }
        if (m->priority > FA_PRIORITY_LOW) {
            fail(why, n, "envelope priority %u is not 0, 1 or 2", m->priority);
            return FA_PE_MALFORMED_FRAME;
        }
        if (m->target == 0 && kind != FA_PUBLISH && kind != FA_REPLY) {
            fail(why, n, "an envelope of kind %u needs a target", kind);
            return FA_PE_MALFORMED_FRAME;
        }
        m->trace = (m->flags & FA_FLAG_TRACED) ? f + FA_HEADER_SIZE : NULL;
        m->payload = f + offset;
        return 0;
    }
    switch (kind) {
    case FA_K_WELCOME:
        if (length != FA_WELCOME_SIZE) {
            fail(why, n, "a welcome has 32 bytes; this one has %u", length);
            return FA_PE_MALFORMED_FRAME;
        }
        out->welcome.version = fa__get16(f + 8);
        out->welcome.max_frame = fa__get32(f + 12);
        out->welcome.heartbeat_ms = fa__get32(f + 16);
        out->welcome.dead_after_ms = fa__get32(f + 20);
        out->welcome.connection_id = fa__get32(f + 24);
        if (out->welcome.version != FA_PROTOCOL_VERSION) {
            fail(why, n, "the welcome says protocol version %u", out->welcome.version);
            return FA_PE_UNSUPPORTED_VERSION;
        }
        return 0;
    case FA_K_HEARTBEAT:
        if (length != FA_HEARTBEAT_SIZE) {
            fail(why, n, "a heartbeat has 16 bytes; this one has %u", length);
            return FA_PE_MALFORMED_FRAME;
        }
        out->backlog = (int64_t)fa__get64(f + 8);
        if (out->backlog < 0) {
            out->backlog = 0;
        }
        return 0;
    case FA_K_UNDELIVERABLE: {
        if (length != FA_UNDELIVERABLE_SIZE) {
            fail(why, n, "an undeliverable frame has 72 bytes; this one has %u", length);
            return FA_PE_MALFORMED_FRAME;
        }
        if (f[8] > FA_DL_FRAME_TOO_LARGE) {
            fail(why, n, "undeliverable reason %u is unknown", f[8]);
            return FA_PE_MALFORMED_FRAME;
        }
        fa_msg *m = &out->msg;
        read_header(f + 16, m);
        m->kind = FA_UNDELIVERABLE;
        m->reason = f[8];
        m->reporter = f[9];
        m->trace = NULL;
        m->payload = NULL;
        return 0;
    }
    case FA_K_GONE: {
        uint32_t count = fa__get32(f + 8);
        if ((uint64_t)FA_GONE_MIN + 8u * (uint64_t)count != length) {
            fail(why, n, "a gone frame of %u ids has %u bytes", count, length);
            return FA_PE_MALFORMED_FRAME;
        }
        out->msg.kind = FA_GONE;
        out->msg.gone_count = count;
        out->msg.gone_ids = f + 16;
        return 0;
    }
    case FA_K_ERROR: {
        uint16_t len = fa__get16(f + 10);
        if ((uint32_t)FA_ERROR_MIN + len != length) {
            fail(why, n, "an error frame with %u bytes of text has %u bytes", len, length);
            return FA_PE_MALFORMED_FRAME;
        }
        out->code = fa__get16(f + 8);
        out->text = (const char *)(f + 12);
        out->text_len = len;
        return 0;
    }
    case FA_K_CLOSE:
        out->code = fa__get16(f + 8);
        return 0;
    case FA_K_HELLO:
    case FA_K_REGISTER:
    case FA_K_DEREGISTER:
    case FA_K_SUBSCRIBE:
    case FA_K_UNSUBSCRIBE:
        /* Well-formed or not, a client never accepts these; fa__client_accepts reports it. */
        return 0;
    default:
        fail(why, n, "frame kind 0x%02x is not part of the protocol", kind);
        return FA_PE_UNKNOWN_KIND;
    }
}

int fa__client_accepts(uint8_t kind) {
    if (is_envelope(kind)) {
        return 0;
    }
    switch (kind) {
    case FA_K_HEARTBEAT:
    case FA_K_UNDELIVERABLE:
    case FA_K_GONE:
    case FA_K_ERROR:
    case FA_K_CLOSE: return 0;
    default: return FA_PE_UNEXPECTED_FRAME;
    }
}

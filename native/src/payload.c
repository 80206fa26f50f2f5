/* Identifiers (FNV-1a), status texts, and the MemoryPack payload helpers (fa_writer, fa_reader). */
#include "fa_internal.h"

#include <string.h>

/* ---- identifiers -------------------------------------------------------------------------------------------- */

uint32_t fa_fnv1a32(const void *data, size_t n) {
    const uint8_t *p = (const uint8_t *)data;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 16777619u;
    }
    return h;
}

uint64_t fa_fnv1a64(const void *data, size_t n) {
    const uint8_t *p = (const uint8_t *)data;
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    return h;
}

uint32_t fa_type_id(const char *name) {
    uint32_t id = fa_fnv1a32(name, name == NULL ? 0 : strlen(name));
    return id == 0 ? 1 : id;
}

uint32_t fa_payload_type_id(const char *dotnet_full_name) { return fa_type_id(dotnet_full_name); }

uint32_t fa_key_of(const char *name) { return fa_fnv1a32(name, name == NULL ? 0 : strlen(name)); }

uint64_t fa_agent_id(uint32_t type_id, uint32_t key) { return ((uint64_t)type_id << 32) | key; }

uint64_t fa_topic_id(const char *name) { return fa_fnv1a64(name, name == NULL ? 0 : strlen(name)); }

uint64_t fa_capability_id(const char *name) { return fa_fnv1a64(name, name == NULL ? 0 : strlen(name)); }

uint64_t fa_msg_gone_id(const fa_msg *m, uint32_t i) {
    if (m == NULL || m->kind != FA_GONE || i >= m->gone_count || m->gone_ids == NULL) {
        return 0;
    }
    return fa__get64(m->gone_ids + 8u * (size_t)i);
}

/* ---- texts -------------------------------------------------------------------------------------------------- */

const char *fa_strerror(int status) {
    switch (status) {
    case FA_OK: return "success";
    case FA_EINVAL: return "invalid argument";
    case FA_ENOMEM: return "out of memory";
    case FA_EENDPOINT: return "bad or unresolvable endpoint";
    case FA_ECONNECT: return "cannot connect to the router";
    case FA_EIO: return "socket read or write failed";
    case FA_ECLOSED: return "the router closed the connection";
    case FA_ETIMEDOUT: return "timed out";
    case FA_EAGAIN: return "would block";
    case FA_EPROTO: return "the router broke the protocol";
    case FA_EREFUSED: return "the router sent an error";
    case FA_ETOOBIG: return "frame exceeds the router's maximum frame";
    case FA_ENOTCONN: return "not connected";
    case FA_EUNDELIVERABLE: return "undeliverable";
    case FA_EDEAD: return "the router fell silent (dead-after exceeded)";
    case FA_ERANGE: return "payload out of range or malformed";
    default: return "unknown error";
    }
}

const char *fa_protocol_error_name(unsigned code) {
    static const char *const names[] = {"None",           "BadMagic",         "UnsupportedVersion", "Unauthorized",
                                        "FrameTooLarge",  "MalformedFrame",   "UnknownKind",        "UnexpectedFrame",
                                        "HandshakeTimeout", "HeartbeatTimeout", "NodeInUse",        "ShuttingDown",
                                        "TooManyConnections", "SlowReader"};
    return code < sizeof names / sizeof names[0] ? names[code] : "Unknown";
}

const char *fa_dead_letter_reason_name(unsigned reason) {
    static const char *const names[] = {"NoSuchAgent",    "AgentStopped",      "NoHandler",    "HandlerFailed",
                                        "InboxFull",      "ReplyToExpiredAsk", "AskTimedOut",  "ShuttingDown",
                                        "MalformedPayload", "Disconnected",    "FrameTooLarge"};
    return reason < sizeof names / sizeof names[0] ? names[reason] : "Unknown";
}

/* ---- writer ------------------------------------------------------------------------------------------------- */

void fa_writer_init(fa_writer *w, void *buf, size_t cap) {
    w->buf = (uint8_t *)buf;
    w->cap = buf == NULL ? 0 : cap;
    w->len = 0;
    w->error = FA_OK;
}

long fa_writer_finish(const fa_writer *w) { return w->error != FA_OK ? (long)w->error : (long)w->len; }

static uint8_t *reserve(fa_writer *w, size_t n) {
    if (w->error != FA_OK) {
        return NULL;
    }
    if (w->cap - w->len < n) {
        w->error = FA_ERANGE;
        return NULL;
    }
    uint8_t *p = w->buf + w->len;
    w->len += n;
    return p;
}

void fa_put_u8(fa_writer *w, uint8_t v) {
    uint8_t *p = reserve(w, 1);
    if (p) *p = v;
}
void fa_put_bool(fa_writer *w, int v) { fa_put_u8(w, v ? 1 : 0); }
void fa_put_i16(fa_writer *w, int16_t v) { fa_put_u16(w, (uint16_t)v); }
void fa_put_u16(fa_writer *w, uint16_t v) {
    uint8_t *p = reserve(w, 2);
    if (p) fa__put16(p, v);
}
void fa_put_i32(fa_writer *w, int32_t v) { fa_put_u32(w, (uint32_t)v); }
void fa_put_u32(fa_writer *w, uint32_t v) {
    uint8_t *p = reserve(w, 4);
    if (p) fa__put32(p, v);
}
void fa_put_i64(fa_writer *w, int64_t v) { fa_put_u64(w, (uint64_t)v); }
void fa_put_u64(fa_writer *w, uint64_t v) {
    uint8_t *p = reserve(w, 8);
    if (p) fa__put64(p, v);
}
void fa_put_f32(fa_writer *w, float v) {
    uint32_t bits;
    memcpy(&bits, &v, sizeof bits);
    fa_put_u32(w, bits);
}
void fa_put_f64(fa_writer *w, double v) {
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    fa_put_u64(w, bits);
}
void fa_put_zeros(fa_writer *w, size_t n) {
    uint8_t *p = reserve(w, n);
    if (p && n) memset(p, 0, n);
}
void fa_put_raw(fa_writer *w, const void *src, size_t n) {
    if (n > 0 && src == NULL) {
        if (w->error == FA_OK) w->error = FA_EINVAL;
        return;
    }
    uint8_t *p = reserve(w, n);
    if (p && n) memcpy(p, src, n);
}

/* Counts the UTF-16 code units of valid UTF-8 text; returns -1 when the text is not valid UTF-8. */
static long utf16_length(const uint8_t *s, size_t n) {
    long units = 0;
    size_t i = 0;
    while (i < n) {
        uint8_t b = s[i];
        size_t extra;
        uint32_t cp;
        if (b < 0x80) {
            extra = 0;
            cp = b;
        } else if (b >= 0xC2 && b <= 0xDF) {
            extra = 1;
            cp = b & 0x1Fu;
        } else if (b >= 0xE0 && b <= 0xEF) {
            extra = 2;
            cp = b & 0x0Fu;
        } else if (b >= 0xF0 && b <= 0xF4) {
            extra = 3;
            cp = b & 0x07u;
        } else {
            return -1;
        }
        if (n - i - 1 < extra) {
            return -1;
        }
        for (size_t k = 1; k <= extra; k++) {
            uint8_t c = s[i + k];
            if ((c & 0xC0) != 0x80) {
                return -1;
            }
            cp = (cp << 6) | (c & 0x3Fu);
        }
        if ((extra == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF))) {
            return -1; /* overlong, surrogate or out of range */
        }
        units += extra == 3 ? 2 : 1;
        i += extra + 1;
    }
    return units;
}

void fa_put_string(fa_writer *w, const char *s, size_t n) {
    if (w->error != FA_OK) {
        return;
    }
    if (s == NULL) {
        fa_put_i32(w, -1);
        return;
    }
    if (n == 0) {
        fa_put_i32(w, 0);
        return;
    }
    long units = utf16_length((const uint8_t *)s, n);
    if (units < 0 || n > 0x7FFFFFFEu) {
        w->error = FA_EINVAL;
        return;
    }
    fa_put_i32(w, ~(int32_t)n);
    fa_put_i32(w, (int32_t)units);
    fa_put_raw(w, s, n);
}

void fa_put_member_count(fa_writer *w, uint8_t count) {
    if (count >= 250 && count != 255) {
        if (w->error == FA_OK) w->error = FA_EINVAL;
        return;
    }
    fa_put_u8(w, count);
}

void fa_put_array_header(fa_writer *w, int32_t count) {
    if (count < -1) {
        if (w->error == FA_OK) w->error = FA_EINVAL;
        return;
    }
    fa_put_i32(w, count);
}

void fa_put_bytes(fa_writer *w, const void *p, int32_t n) {
    if (p == NULL) {
        fa_put_i32(w, -1);
        return;
    }
    if (n < 0) {
        if (w->error == FA_OK) w->error = FA_EINVAL;
        return;
    }
    fa_put_i32(w, n);
    fa_put_raw(w, p, (size_t)n);
}

/* ---- reader ------------------------------------------------------------------------------------------------- */

void fa_reader_init(fa_reader *r, const void *buf, size_t len) {
    r->buf = (const uint8_t *)buf;
    r->len = buf == NULL ? 0 : len;
    r->pos = 0;
    r->error = FA_OK;
}

int fa_reader_finish(const fa_reader *r) { return r->error != FA_OK || r->pos != r->len ? FA_ERANGE : FA_OK; }

static const uint8_t *take(fa_reader *r, size_t n) {
    if (r->error != FA_OK) {
        return NULL;
    }
    if (r->len - r->pos < n) {
        r->error = FA_ERANGE;
        return NULL;
    }
    const uint8_t *p = r->buf + r->pos;
    r->pos += n;
    return p;
}

uint8_t fa_get_u8(fa_reader *r) {
    const uint8_t *p = take(r, 1);
    return p ? *p : 0;
}
int fa_get_bool(fa_reader *r) { return fa_get_u8(r) != 0; }
int16_t fa_get_i16(fa_reader *r) { return (int16_t)fa_get_u16(r); }
uint16_t fa_get_u16(fa_reader *r) {
    const uint8_t *p = take(r, 2);
    return p ? fa__get16(p) : 0;
}
int32_t fa_get_i32(fa_reader *r) { return (int32_t)fa_get_u32(r); }
uint32_t fa_get_u32(fa_reader *r) {
    const uint8_t *p = take(r, 4);
    return p ? fa__get32(p) : 0;
}
int64_t fa_get_i64(fa_reader *r) { return (int64_t)fa_get_u64(r); }
uint64_t fa_get_u64(fa_reader *r) {
    const uint8_t *p = take(r, 8);
    return p ? fa__get64(p) : 0;
}
float fa_get_f32(fa_reader *r) {
    uint32_t bits = fa_get_u32(r);
    float v;
    memcpy(&v, &bits, sizeof v);
    return v;
}
double fa_get_f64(fa_reader *r) {
    uint64_t bits = fa_get_u64(r);
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}
void fa_get_skip(fa_reader *r, size_t n) { (void)take(r, n); }
void fa_get_raw(fa_reader *r, void *dst, size_t n) {
    const uint8_t *p = take(r, n);
    if (p && n) memcpy(dst, p, n);
}

int fa_get_string(fa_reader *r, const char **s, size_t *n) {
    *s = NULL;
    *n = 0;
    int32_t head = fa_get_i32(r);
    if (r->error != FA_OK) {
        return r->error;
    }
    if (head == -1) {
        return FA_OK;
    }
    if (head == 0) {
        *s = (const char *)(r->buf + r->pos); /* "" : a valid, empty view */
        return FA_OK;
    }
    if (head > 0) {
        r->error = FA_ERANGE; /* UTF-16 form: not viewable as UTF-8 */
        return FA_ERANGE;
    }
    size_t bytes = (size_t)(uint32_t)~head;
    int32_t units = fa_get_i32(r);
    const uint8_t *p = take(r, bytes);
    if (p == NULL) {
        return r->error;
    }
    if (utf16_length(p, bytes) != (long)units) {
        r->error = FA_ERANGE;
        return FA_ERANGE;
    }
    *s = (const char *)p;
    *n = bytes;
    return FA_OK;
}

uint8_t fa_get_member_count(fa_reader *r) {
    uint8_t v = fa_get_u8(r);
    if (v >= 250 && v != 255 && r->error == FA_OK) {
        r->error = FA_ERANGE;
    }
    return v;
}

int32_t fa_get_array_header(fa_reader *r) {
    int32_t v = fa_get_i32(r);
    if (v < -1 && r->error == FA_OK) {
        r->error = FA_ERANGE;
    }
    return v;
}

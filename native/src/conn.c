/* The connection: socket, handshake, sending, receiving, heartbeats, asks, reconnection. */
#define _DEFAULT_SOURCE 1
#define _POSIX_C_SOURCE 200809L

#include "fa_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0 /* SO_NOSIGPIPE is set on the socket instead */
#endif

#define FA_BATCH 256            /* envelopes per sendmsg in fa_send_batch */
#define FA_INITIAL_RBUF 65536u  /* first size of the read buffer */
#define FA_DEFERRED_MAX (64u << 20) /* bytes of messages kept aside during a blocking ask */

typedef struct fa_reg {
    uint64_t agent;
    uint32_t count;
    uint64_t *caps;
} fa_reg;

typedef struct fa_sub {
    uint64_t topic;
    uint64_t agent;
} fa_sub;

typedef struct fa_deferred {
    struct fa_deferred *next;
    uint32_t len;
    uint8_t bytes[];
} fa_deferred;

struct fa_conn {
    /* options */
    int is_tcp;
    char *path; /* unix socket path, or host for TCP */
    char *port;
    char *name;
    size_t name_len;
    uint8_t *token;
    size_t token_len;
    uint64_t node;
    uint32_t max_frame;
    uint32_t opt_heartbeat_ms;
    uint32_t opt_dead_after_ms;
    int32_t send_timeout_ms;

    /* connection state */
    int fd;
    int joined;
    uint32_t router_max_frame;
    uint32_t heartbeat_ms;
    uint32_t dead_after_ms;
    int64_t last_rx_ms;
    int64_t last_hb_ms;
    int64_t backlog;
    uint64_t next_message_id;
    uint64_t next_correlation;
    uint64_t connects;

    /* read buffer: bytes [rstart, rend) are received and not yet consumed */
    uint8_t *rbuf;
    size_t rcap;
    size_t rstart;
    size_t rend;

    /* outgoing bytes not written yet, wbuf[woff, wlen): coalesced frames, and the rest of a frame whose write
     * was cut short; wlimit is the coalescing size (0: off), wsince_us when the oldest of them waits since */
    uint8_t *wbuf;
    size_t walloc;
    size_t woff;
    size_t wlen;
    size_t wlimit;
    uint32_t wdelay_us;
    int64_t wsince_us;

    /* messages received during a blocking ask, returned later by fa_recv */
    fa_deferred *dhead;
    fa_deferred *dtail;
    fa_deferred *dcur;
    size_t dbytes;

    /* what is replayed on every connect */
    fa_reg *regs;
    size_t nregs;
    size_t cregs;
    fa_sub *subs;
    size_t nsubs;
    size_t csubs;

    char err[512];
    unsigned proto_err;

    /* scratch for fa_send_batch (iov[0] is for the buffered bytes) */
    uint8_t hdrs[FA_BATCH][FA_HEADER_SIZE];
    struct iovec iov[FA_BATCH * 3 + 1];
};

/* ---- small helpers ------------------------------------------------------------------------------------------- */

static int64_t now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t now_ms(void) { return now_us() / 1000; }

static int64_t deadline_of(int timeout_ms) { return timeout_ms < 0 ? INT64_MAX : now_ms() + timeout_ms; }

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void set_err(fa_conn *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, sizeof c->err, fmt, ap);
    va_end(ap);
}

static char *dup_str(const char *s, size_t n) {
    char *d = (char *)malloc(n + 1);
    if (d != NULL) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static uint32_t random32(void) {
    uint32_t v = 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t n = read(fd, &v, sizeof v);
        close(fd);
        if (n == (ssize_t)sizeof v) {
            return v;
        }
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t mix = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ ((uint64_t)getpid() << 40) ^ (uint64_t)(uintptr_t)&v;
    return fa_fnv1a32(&mix, sizeof mix);
}

/* Closes the socket and forgets the connection's stream state; registrations, subscriptions and messages already
 * kept aside survive. */
static void drop(fa_conn *c) {
    if (c->fd >= 0) {
        close(c->fd);
    }
    c->fd = -1;
    c->joined = 0;
    c->rstart = c->rend = 0;
    c->woff = c->wlen = 0; /* bytes not written are lost with the connection, like those in the socket */
}

static int fail(fa_conn *c, int status) {
    drop(c);
    return status;
}

/* Waits until fd is ready for events or the deadline passes: 1 ready, 0 deadline, FA_EIO on error. */
static int wait_fd(fa_conn *c, short events, int64_t deadline) {
    for (;;) {
        int64_t now = now_ms();
        int timeout;
        if (deadline == INT64_MAX) {
            timeout = -1;
        } else if (deadline <= now) {
            timeout = 0;
        } else {
            timeout = deadline - now > 60000 ? 60000 : (int)(deadline - now);
        }
        struct pollfd p = {c->fd, events, 0};
        int r = poll(&p, 1, timeout);
        if (r > 0) {
            return 1;
        }
        if (r == 0) {
            if (timeout == 0 || now_ms() >= deadline) {
                return 0;
            }
            continue;
        }
        if (errno == EINTR) {
            continue;
        }
        set_err(c, "poll failed: %s", strerror(errno));
        return FA_EIO;
    }
}

/* ---- writing ------------------------------------------------------------------------------------------------- */

/* Outgoing bytes that are not written yet live in one buffer, wbuf[woff, wlen): whole frames copied there by
 * the coalescing send path, and the rest of a frame whose write was cut short (the socket was full). Every
 * write takes these bytes first, so frames leave in exactly the order they were sent. */

static ssize_t send_iov(int fd, struct iovec *iov, int cnt) {
    struct msghdr mh;
    memset(&mh, 0, sizeof mh);
    mh.msg_iov = iov;
    mh.msg_iovlen = (size_t)cnt;
    return sendmsg(fd, &mh, MSG_NOSIGNAL);
}

static int io_error(fa_conn *c, const char *what, int e) {
    set_err(c, "%s failed: %s", what, strerror(e));
    return fail(c, (e == EPIPE || e == ECONNRESET) ? FA_ECLOSED : FA_EIO);
}

static size_t unsent(const fa_conn *c) { return c->wlen - c->woff; }

/* Makes room for n more bytes after the unsent ones: moves those to the front, grows the buffer if needed. */
static int wreserve(fa_conn *c, size_t n) {
    size_t keep = c->wlen - c->woff;
    if (c->wlen + n <= c->walloc) {
        return FA_OK;
    }
    if (c->woff > 0) {
        memmove(c->wbuf, c->wbuf + c->woff, keep);
        c->woff = 0;
        c->wlen = keep;
    }
    if (keep + n > c->walloc) {
        size_t cap = keep + n;
        uint8_t *p = (uint8_t *)realloc(c->wbuf, cap);
        if (p == NULL) {
            set_err(c, "out of memory keeping %zu bytes to write; connection closed", cap);
            return fail(c, FA_ENOMEM);
        }
        c->wbuf = p;
        c->walloc = cap;
    }
    return FA_OK;
}

/* Copies iov[0..cnt) behind the unsent bytes (room reserved by the caller). */
static void wappend(fa_conn *c, const struct iovec *iov, int cnt, int64_t now) {
    if (c->wlen == c->woff) {
        c->woff = c->wlen = 0;
        c->wsince_us = now;
    }
    for (int i = 0; i < cnt; i++) {
        if (iov[i].iov_len > 0) {
            memcpy(c->wbuf + c->wlen, iov[i].iov_base, iov[i].iov_len);
            c->wlen += iov[i].iov_len;
        }
    }
}

/* Modes of write_through (flags). */
enum { WT_WAIT = 0, WT_NOWAIT = 1, WT_QUIET = 2 };

/* Writes the unsent buffered bytes and then the frames of iov[1..cnt] (iov[0] is filled here; cnt may be 0),
 * with as few sendmsg calls as possible, waiting for room until the deadline (unless WT_NOWAIT). When the
 * socket is full:
 *   - with coalescing on, the unwritten rest of the frames is copied into the buffer when it fits there (the
 *     frames count as sent);
 *   - at the deadline, a frame already begun is completed later (its rest is copied into the buffer, growing it
 *     if needed), so the stream never carries half a frame, and the call succeeds;
 *   - otherwise FA_ETIMEDOUT (FA_EAGAIN when not waiting): the frames were not sent; the buffered bytes that did
 *     not go out stay for later (WT_QUIET: no error text is set).
 * FA_OK means everything was written or kept. I/O errors close the connection. */
static int write_through(fa_conn *c, struct iovec *iov, int cnt, int64_t deadline, int mode) {
    if (c->fd < 0) {
        set_err(c, "not connected");
        return FA_ENOTCONN;
    }
    size_t bufleft = c->wlen - c->woff; /* buffered bytes not written yet */
    iov[0].iov_base = bufleft > 0 ? (void *)(c->wbuf + c->woff) : NULL;
    iov[0].iov_len = bufleft;
    size_t flen = 0;
    for (int i = 1; i <= cnt; i++) {
        flen += iov[i].iov_len;
    }
    size_t fleft = flen; /* bytes of the frames not written yet */
    int idx = 0;
    while (idx <= cnt && iov[idx].iov_len == 0) {
        idx++;
    }
    while (idx <= cnt) {
        ssize_t n = send_iov(c->fd, iov + idx, cnt + 1 - idx);
        if (n > 0) {
            size_t left = (size_t)n;
            size_t take = left < bufleft ? left : bufleft;
            bufleft -= take;
            c->woff += take;
            fleft -= left - take;
            while (idx <= cnt && left >= iov[idx].iov_len) {
                left -= iov[idx].iov_len;
                idx++;
            }
            if (idx <= cnt) {
                iov[idx].iov_base = (uint8_t *)iov[idx].iov_base + left;
                iov[idx].iov_len -= left;
            }
            while (idx <= cnt && iov[idx].iov_len == 0) {
                idx++;
            }
            continue;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (bufleft == 0) {
                c->woff = c->wlen = 0;
            }
            int first = idx == 0 ? 1 : idx; /* the frames' iovecs not written in full */
            if (fleft > 0 && c->wlimit > 0 && bufleft + fleft <= c->wlimit) {
                int rc = wreserve(c, fleft);
                if (rc != FA_OK) {
                    return rc;
                }
                wappend(c, iov + first, cnt + 1 - first, now_us());
                return FA_OK;
            }
            int w = (mode & WT_NOWAIT) || now_ms() >= deadline ? 0 : wait_fd(c, POLLOUT, deadline);
            if (w < 0) {
                return fail(c, w);
            }
            if (w > 0) {
                continue;
            }
            if (fleft < flen) { /* a frame was begun: keep its rest (the buffer is empty now) */
                int rc = wreserve(c, fleft);
                if (rc != FA_OK) {
                    return rc;
                }
                wappend(c, iov + first, cnt + 1 - first, now_us());
                return FA_OK;
            }
            c->wsince_us = now_us(); /* the socket is full: the age bound starts again */
            if (!(mode & WT_QUIET)) {
                set_err(c, "the socket took no bytes within the send timeout");
            }
            return (mode & WT_NOWAIT) ? FA_EAGAIN : FA_ETIMEDOUT;
        }
        return io_error(c, "write", n < 0 ? errno : EPIPE);
    }
    c->woff = c->wlen = 0;
    return FA_OK;
}

/* Writes out the buffered bytes, waiting until the deadline unless mode has WT_NOWAIT. */
static int wflush(fa_conn *c, int64_t deadline, int mode) {
    if (unsent(c) == 0) {
        return FA_OK;
    }
    struct iovec v[1];
    return write_through(c, v, 0, deadline, mode);
}

/* The age bound: writes out (without waiting) buffered bytes older than the flush delay. A full socket is not
 * an error here; the bytes stay and are tried again after another delay. */
static int age_flush(fa_conn *c, int64_t now) {
    if (c->wlen > c->woff && c->fd >= 0 && now - c->wsince_us >= (int64_t)c->wdelay_us) {
        int rc = wflush(c, 0, WT_NOWAIT | WT_QUIET);
        return rc == FA_EAGAIN ? FA_OK : rc;
    }
    return FA_OK;
}

/* Sends one frame, iov[1..cnt] of len bytes (iov[0] is scratch). With coalescing on and a frame of at most half
 * the buffer, the frame is copied behind the buffered bytes when they leave room for it; otherwise the buffered
 * bytes and the frame go out together with one sendmsg, the frame straight from the caller's memory.
 * control: the frame is a control frame (heartbeat, registration, ...): the buffer is written out at once,
 * without waiting. Otherwise the age bound is applied. */
static int send_frame(fa_conn *c, struct iovec *iov, int cnt, size_t len, int control, int timeout_ms, int64_t now) {
    if (c->fd < 0) {
        set_err(c, "not connected");
        return FA_ENOTCONN;
    }
    if (c->wlimit > 0 && len <= c->wlimit / 2 && unsent(c) + len <= c->wlimit) {
        int rc = wreserve(c, len);
        if (rc != FA_OK) {
            return rc;
        }
        wappend(c, iov + 1, cnt, now);
        if (control) {
            rc = wflush(c, 0, WT_NOWAIT | WT_QUIET);
            return rc == FA_EAGAIN ? FA_OK : rc;
        }
        return age_flush(c, now);
    }
    return write_through(c, iov, cnt, deadline_of(timeout_ms), timeout_ms == 0 ? WT_NOWAIT : WT_WAIT);
}

/* Sends a control frame of n bytes at p. */
static int write_bytes(fa_conn *c, const void *p, size_t n, int timeout_ms) {
    struct iovec v[2];
    v[1].iov_base = (void *)(uintptr_t)p;
    v[1].iov_len = n;
    return send_frame(c, v, 1, n, 1, timeout_ms, now_us());
}

static int send_heartbeat(fa_conn *c, int timeout_ms) {
    uint8_t f[FA_HEARTBEAT_SIZE];
    fa__encode_heartbeat(f, c->backlog);
    int rc = write_bytes(c, f, sizeof f, timeout_ms);
    if (rc == FA_OK) {
        c->last_hb_ms = now_ms();
    }
    return rc;
}

/* Sends a heartbeat when one is due; a full socket only postpones it. */
static int maybe_heartbeat(fa_conn *c, int64_t now) {
    if (c->joined && now - c->last_hb_ms >= (int64_t)c->heartbeat_ms) {
        int rc = send_heartbeat(c, 0);
        if (rc == FA_EAGAIN) {
            return FA_OK;
        }
        return rc;
    }
    return FA_OK;
}

/* Sends an Error frame (best effort, never waits) and closes: the router broke the protocol. */
static int violation(fa_conn *c, int code, const char *why) {
    c->proto_err = (unsigned)code;
    set_err(c, "the router broke the protocol (%s): %s", fa_protocol_error_name((unsigned)code), why);
    if (c->fd >= 0) {
        uint8_t f[FA_ERROR_MIN + 256];
        size_t len = strlen(why);
        if (len > 256) {
            len = 256;
        }
        struct iovec v[2];
        v[1].iov_base = f;
        v[1].iov_len = fa__encode_error(f, (uint16_t)code, why, len);
        char saved[sizeof c->err];
        memcpy(saved, c->err, sizeof saved);
        (void)write_through(c, v, 1, 0, WT_NOWAIT | WT_QUIET); /* behind the buffered frames; never waits */
        memcpy(c->err, saved, sizeof saved);
        if (c->fd >= 0) {
            shutdown(c->fd, SHUT_WR);
        }
    }
    return fail(c, FA_EPROTO);
}

/* ---- reading ------------------------------------------------------------------------------------------------- */

/* Reads what the socket has: >0 bytes read, 0 nothing now, or an error (connection closed). */
static int read_some(fa_conn *c) {
    if (c->rstart == c->rend) {
        c->rstart = c->rend = 0;
    } else if (c->rend == c->rcap && c->rstart > 0) {
        memmove(c->rbuf, c->rbuf + c->rstart, c->rend - c->rstart);
        c->rend -= c->rstart;
        c->rstart = 0;
    }
    for (;;) {
        ssize_t n = recv(c->fd, c->rbuf + c->rend, c->rcap - c->rend, 0);
        if (n > 0) {
            c->rend += (size_t)n;
            c->last_rx_ms = now_ms();
            return (int)(n > 0x7FFFFFFF ? 0x7FFFFFFF : n);
        }
        if (n == 0) {
            if (c->rend > c->rstart) {
                set_err(c, "the router closed the connection in the middle of a frame");
            } else {
                set_err(c, "the router closed the connection (end of stream)");
            }
            return fail(c, FA_ECLOSED);
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return 0;
        }
        return io_error(c, "read", errno);
    }
}

/* Takes the next complete frame from the read buffer: 1 with *fr (and *raw, *len) set, 0 when more bytes are
 * needed, or an error (protocol violation: connection closed). */
static int next_frame(fa_conn *c, fa__frame *fr, const uint8_t **raw, uint32_t *len) {
    size_t avail = c->rend - c->rstart;
    if (avail < FA_PREFIX_SIZE) {
        return 0;
    }
    const uint8_t *p = c->rbuf + c->rstart;
    uint32_t length;
    uint8_t kind;
    char why[200];
    int code = fa__check_prefix(p, c->max_frame, &length, &kind, why, sizeof why);
    if (code != 0) {
        return violation(c, code, why);
    }
    if (c->joined && (code = fa__client_accepts(kind)) != 0) {
        snprintf(why, sizeof why, "a frame of kind 0x%02x is not sent to a client after its welcome", kind);
        return violation(c, code, why);
    }
    if (avail < length) {
        if (length > c->rcap) {
            size_t cap = c->rcap * 2 > length ? c->rcap * 2 : length;
            if (cap > c->max_frame && length <= c->max_frame) {
                cap = c->max_frame > length ? c->max_frame : length;
            }
            uint8_t *nb = (uint8_t *)malloc(cap);
            if (nb == NULL) {
                set_err(c, "out of memory growing the read buffer to %zu bytes", cap);
                return fail(c, FA_ENOMEM);
            }
            memcpy(nb, p, avail);
            free(c->rbuf);
            c->rbuf = nb;
            c->rcap = cap;
            c->rstart = 0;
            c->rend = avail;
        } else if (c->rstart + length > c->rcap) {
            memmove(c->rbuf, p, avail);
            c->rstart = 0;
            c->rend = avail;
        }
        return 0;
    }
    code = fa__parse_frame(p, length, fr, why, sizeof why);
    if (code != 0) {
        return violation(c, code, why);
    }
    *raw = p;
    *len = length;
    c->rstart += length;
    return 1;
}

/* Handles an Error or Close frame from the router: the connection ends. */
static int ended_by_router(fa_conn *c, const fa__frame *fr) {
    c->proto_err = fr->code;
    if (fr->kind == FA_K_ERROR) {
        set_err(c, "the router sent error %u (%s): %.*s", fr->code, fa_protocol_error_name(fr->code), (int)fr->text_len,
                fr->text);
        return fail(c, FA_EREFUSED);
    }
    set_err(c, "the router closed the connection (close frame, code %u %s)", fr->code,
            fa_protocol_error_name(fr->code));
    return fail(c, FA_ECLOSED);
}

/* The receive loop shared by fa_recv and fa_ask. The age bound is applied first; when the call is about to wait
 * (not nonblocking), the buffered bytes are written out first, and while it waits, whenever the socket takes
 * more: the caller never waits for an answer to bytes still in its own buffer. */
static int recv_core(fa_conn *c, fa_msg *m, const uint8_t **raw, uint32_t *rawlen, int64_t deadline, int nonblocking) {
    if (c->joined) {
        int rc = age_flush(c, now_us());
        if (rc != FA_OK) {
            return rc;
        }
    }
    for (;;) {
        if (!c->joined) {
            if (c->err[0] == '\0') {
                set_err(c, "not connected");
            }
            return FA_ENOTCONN;
        }
        fa__frame fr;
        int r = next_frame(c, &fr, raw, rawlen);
        if (r < 0) {
            return r;
        }
        if (r == 1) {
            switch (fr.kind) {
            case FA_K_HEARTBEAT: continue;
            case FA_K_ERROR:
            case FA_K_CLOSE: return ended_by_router(c, &fr);
            default: *m = fr.msg; return FA_OK;
            }
        }
        int64_t now = now_ms();
        int rc = maybe_heartbeat(c, now);
        if (rc != FA_OK) {
            return rc;
        }
        r = read_some(c);
        if (r < 0) {
            return r;
        }
        if (r > 0) {
            continue;
        }
        if (!nonblocking && unsent(c) > 0) {
            rc = wflush(c, 0, WT_NOWAIT | WT_QUIET);
            if (rc != FA_OK && rc != FA_EAGAIN) {
                return rc;
            }
        }
        now = now_ms();
        if (now - c->last_rx_ms > (int64_t)c->dead_after_ms) {
            set_err(c, "nothing arrived from the router for %lld ms (dead after %u ms)", (long long)(now - c->last_rx_ms),
                    c->dead_after_ms);
            return fail(c, FA_EDEAD);
        }
        if (nonblocking || now >= deadline) {
            return nonblocking ? FA_EAGAIN : FA_ETIMEDOUT;
        }
        int64_t wake = c->last_hb_ms + c->heartbeat_ms;
        int64_t dead = c->last_rx_ms + c->dead_after_ms + 1;
        if (dead < wake) {
            wake = dead;
        }
        if (deadline < wake) {
            wake = deadline;
        }
        int w = wait_fd(c, (short)(POLLIN | (unsent(c) > 0 ? POLLOUT : 0)), wake);
        if (w < 0) {
            return fail(c, w);
        }
    }
}

static int defer_frame(fa_conn *c, const uint8_t *raw, uint32_t len) {
    if (c->dbytes + len > FA_DEFERRED_MAX) {
        set_err(c, "more than %u bytes of messages arrived while waiting for a reply", FA_DEFERRED_MAX);
        return FA_ENOMEM;
    }
    fa_deferred *d = (fa_deferred *)malloc(sizeof *d + len);
    if (d == NULL) {
        set_err(c, "out of memory keeping a message aside");
        return FA_ENOMEM;
    }
    d->next = NULL;
    d->len = len;
    memcpy(d->bytes, raw, len);
    if (c->dtail != NULL) {
        c->dtail->next = d;
    } else {
        c->dhead = d;
    }
    c->dtail = d;
    c->dbytes += len;
    return FA_OK;
}

static void release_current(fa_conn *c) {
    if (c->dcur != NULL) {
        c->dbytes -= c->dcur->len;
        free(c->dcur);
        c->dcur = NULL;
    }
}

/* ---- endpoint and socket ------------------------------------------------------------------------------------- */

static int parse_endpoint(fa_conn *c, const char *ep) {
    char fallback[512];
    if (ep == NULL || *ep == '\0') {
        const char *tmp = getenv("TMPDIR");
        if (tmp == NULL || *tmp == '\0') {
            tmp = "/tmp";
        }
        size_t tl = strlen(tmp);
        snprintf(fallback, sizeof fallback, "%s%sfastagents/router.sock", tmp, tmp[tl - 1] == '/' ? "" : "/");
        ep = fallback;
    }
    const char *tcp = NULL;
    if (strncmp(ep, "unix:", 5) == 0) {
        ep += 5;
    } else if (strncmp(ep, "tcp:", 4) == 0) {
        tcp = ep + 4;
    } else if (ep[0] != '/' && ep[0] != '.' && strchr(ep, ':') != NULL) {
        tcp = ep;
    }
    if (tcp == NULL) {
        if (*ep == '\0' || strlen(ep) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
            return FA_EENDPOINT;
        }
        c->is_tcp = 0;
        c->path = dup_str(ep, strlen(ep));
        return c->path == NULL ? FA_ENOMEM : FA_OK;
    }
    const char *host = tcp;
    size_t host_len;
    const char *port;
    if (*tcp == '[') {
        const char *close_bracket = strchr(tcp, ']');
        if (close_bracket == NULL || close_bracket[1] != ':') {
            return FA_EENDPOINT;
        }
        host = tcp + 1;
        host_len = (size_t)(close_bracket - host);
        port = close_bracket + 2;
    } else {
        const char *colon = strrchr(tcp, ':');
        if (colon == NULL) {
            return FA_EENDPOINT;
        }
        host_len = (size_t)(colon - tcp);
        port = colon + 1;
    }
    if (host_len == 0 || *port == '\0') {
        return FA_EENDPOINT;
    }
    c->is_tcp = 1;
    c->path = dup_str(host, host_len);
    c->port = dup_str(port, strlen(port));
    return c->path == NULL || c->port == NULL ? FA_ENOMEM : FA_OK;
}

static int set_nonblocking(int fd) {
    int fl = fcntl(fd, F_GETFL, 0);
    return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* Creates a non-blocking socket and connects it within the deadline: the fd, or an error. */
static int connect_addr(fa_conn *c, int family, const struct sockaddr *sa, socklen_t salen, int64_t deadline) {
    int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        set_err(c, "socket: %s", strerror(errno));
        return FA_ECONNECT;
    }
#ifdef SO_NOSIGPIPE
    {
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
    }
#endif
    if (set_nonblocking(fd) != 0) {
        set_err(c, "fcntl: %s", strerror(errno));
        close(fd);
        return FA_ECONNECT;
    }
    int r;
    do {
        r = connect(fd, sa, salen);
    } while (r != 0 && errno == EINTR);
    if (r != 0 && errno != EINPROGRESS && errno != EAGAIN) {
        set_err(c, "connect: %s", strerror(errno));
        close(fd);
        return FA_ECONNECT;
    }
    if (r != 0) {
        int saved = c->fd;
        c->fd = fd;
        int w = wait_fd(c, POLLOUT, deadline);
        c->fd = saved;
        if (w <= 0) {
            if (w == 0) {
                set_err(c, "connect: timed out");
            }
            close(fd);
            return w == 0 ? FA_ETIMEDOUT : FA_ECONNECT;
        }
        int soerr = 0;
        socklen_t sl = sizeof soerr;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0 || soerr != 0) {
            set_err(c, "connect: %s", strerror(soerr != 0 ? soerr : errno));
            close(fd);
            return FA_ECONNECT;
        }
    }
    if (family != AF_UNIX) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    return fd;
}

static int open_socket(fa_conn *c, int64_t deadline) {
    if (!c->is_tcp) {
        struct sockaddr_un sa;
        memset(&sa, 0, sizeof sa);
        sa.sun_family = AF_UNIX;
        memcpy(sa.sun_path, c->path, strlen(c->path) + 1);
        int fd = connect_addr(c, AF_UNIX, (const struct sockaddr *)&sa, (socklen_t)sizeof sa, deadline);
        if (fd < 0 && fd != FA_ETIMEDOUT) {
            size_t used = strlen(c->err);
            snprintf(c->err + used, sizeof c->err - used, " (unix:%s)", c->path);
        }
        return fd;
    }
    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    struct addrinfo *res = NULL;
    int g = getaddrinfo(c->path, c->port, &hints, &res);
    if (g != 0 || res == NULL) {
        set_err(c, "cannot resolve %s:%s: %s", c->path, c->port, gai_strerror(g));
        return FA_EENDPOINT;
    }
    int fd = FA_ECONNECT;
    for (struct addrinfo *a = res; a != NULL; a = a->ai_next) {
        fd = connect_addr(c, a->ai_family, a->ai_addr, a->ai_addrlen, deadline);
        if (fd >= 0 || fd == FA_ETIMEDOUT) {
            break;
        }
    }
    freeaddrinfo(res);
    return fd;
}

/* ---- registrations ------------------------------------------------------------------------------------------- */

static int send_register(fa_conn *c, const fa_reg *r) {
    uint8_t small[FA_REGISTER_MIN + 8 * 16];
    size_t size = FA_REGISTER_MIN + 8u * (size_t)r->count;
    uint8_t *f = size <= sizeof small ? small : (uint8_t *)malloc(size);
    if (f == NULL) {
        set_err(c, "out of memory");
        return FA_ENOMEM;
    }
    fa__encode_register(f, r->agent, r->caps, r->count);
    int rc = write_bytes(c, f, size, c->send_timeout_ms);
    if (f != small) {
        free(f);
    }
    return rc;
}

static int send_subscription(fa_conn *c, uint8_t kind, uint64_t topic, uint64_t agent) {
    uint8_t f[FA_SUBSCRIPTION_SIZE];
    fa__encode_subscription(f, kind, topic, agent);
    return write_bytes(c, f, sizeof f, c->send_timeout_ms);
}

static int valid_agent(uint64_t agent) { return agent != 0 && (uint32_t)(agent >> 32) != FA_NODE_TYPE_ID; }

/* How long closing a connection waits for its last bytes: the send timeout, at most 1 s. */
static int close_timeout(const fa_conn *c) {
    return c->send_timeout_ms < 0 || c->send_timeout_ms > 1000 ? 1000 : c->send_timeout_ms;
}

/* ---- public: lifecycle ------------------------------------------------------------------------------------- */

void fa_options_init(fa_options *o) {
    if (o == NULL) {
        return;
    }
    memset(o, 0, sizeof *o);
    o->name = "c";
    o->max_frame = FA_DEFAULT_MAX_FRAME;
    o->send_timeout_ms = 5000;
    o->write_buffer = FA_DEFAULT_WRITE_BUFFER;
    o->flush_delay_us = FA_DEFAULT_FLUSH_DELAY_US;
}

int fa_open(const fa_options *o, fa_conn **out) {
    if (out == NULL) {
        return FA_EINVAL;
    }
    *out = NULL;
    fa_options defaults;
    if (o == NULL) {
        fa_options_init(&defaults);
        o = &defaults;
    }
    const char *name = o->name != NULL ? o->name : "c";
    size_t name_len = strlen(name);
    size_t token_len = o->token != NULL ? strlen(o->token) : 0;
    if (name_len > FA_MAX_NAME_BYTES || token_len > FA_MAX_TOKEN_BYTES) {
        return FA_EINVAL;
    }
    if ((o->max_frame != 0 && o->max_frame < FA_MIN_MAX_FRAME) || o->write_buffer > FA_MAX_WRITE_BUFFER) {
        return FA_EINVAL;
    }
    fa_conn *c = (fa_conn *)calloc(1, sizeof *c);
    if (c == NULL) {
        return FA_ENOMEM;
    }
    c->fd = -1;
    int rc = parse_endpoint(c, o->endpoint);
    if (rc != FA_OK) {
        fa_close(c);
        return rc;
    }
    c->name = dup_str(name, name_len);
    c->name_len = name_len;
    c->token = (uint8_t *)dup_str(token_len ? o->token : "", token_len);
    c->token_len = token_len;
    c->max_frame = o->max_frame != 0 ? o->max_frame : FA_DEFAULT_MAX_FRAME;
    c->rcap = c->max_frame < FA_INITIAL_RBUF ? c->max_frame : FA_INITIAL_RBUF;
    c->rbuf = (uint8_t *)malloc(c->rcap);
    c->wlimit = o->write_buffer;
    c->wdelay_us = o->flush_delay_us;
    if (c->wlimit > 0) {
        c->wbuf = (uint8_t *)malloc(c->wlimit);
        c->walloc = c->wbuf != NULL ? c->wlimit : 0;
    }
    if (c->name == NULL || c->token == NULL || c->rbuf == NULL || (c->wlimit > 0 && c->wbuf == NULL)) {
        fa_close(c);
        return FA_ENOMEM;
    }
    uint32_t key = o->node_key != 0 ? o->node_key : 1u + random32() % 0x7FFFFFFEu;
    c->node = ((uint64_t)FA_NODE_TYPE_ID << 32) | key;
    c->opt_heartbeat_ms = o->heartbeat_ms;
    c->opt_dead_after_ms = o->dead_after_ms;
    c->send_timeout_ms = o->send_timeout_ms;
    c->next_message_id = (uint64_t)random32() << 32;
    c->next_correlation = ((uint64_t)(random32() & 0x7FFFFFFFu) << 32);
    *out = c;
    return FA_OK;
}

int fa_connect(fa_conn *c, int timeout_ms) {
    if (c == NULL) {
        return FA_EINVAL;
    }
    int64_t deadline = deadline_of(timeout_ms);
    if (c->joined && unsent(c) > 0) { /* the old connection's last frames, before it is closed */
        int64_t until = deadline_of(close_timeout(c));
        (void)wflush(c, until < deadline ? until : deadline, WT_QUIET);
    }
    drop(c);
    c->err[0] = '\0';
    c->proto_err = 0;
    int fd = open_socket(c, deadline);
    if (fd < 0) {
        return fd;
    }
    c->fd = fd;

    uint8_t hello[FA_HELLO_MIN + FA_MAX_NAME_BYTES + FA_MAX_TOKEN_BYTES];
    size_t n = fa__encode_hello(hello, sizeof hello, c->node, c->max_frame,
                                c->opt_heartbeat_ms != 0 ? c->opt_heartbeat_ms : 1000, c->name, c->name_len, c->token,
                                c->token_len);
    int64_t left = deadline == INT64_MAX ? -1 : deadline - now_ms();
    int rc = write_bytes(c, hello, n, left < 0 ? -1 : (int)(left > 0x7FFFFFFF ? 0x7FFFFFFF : left));
    if (rc == FA_OK) {
        rc = wflush(c, deadline, WT_WAIT);
    }
    if (rc != FA_OK) {
        return fail(c, rc);
    }

    c->last_rx_ms = now_ms();
    for (;;) {
        fa__frame fr;
        const uint8_t *raw;
        uint32_t len;
        int r = next_frame(c, &fr, &raw, &len);
        if (r < 0) {
            return r;
        }
        if (r == 1) {
            if (fr.kind == FA_K_WELCOME) {
                c->router_max_frame = fr.welcome.max_frame;
                c->heartbeat_ms = c->opt_heartbeat_ms ? c->opt_heartbeat_ms
                                                      : (fr.welcome.heartbeat_ms ? fr.welcome.heartbeat_ms : 1000);
                c->dead_after_ms = c->opt_dead_after_ms ? c->opt_dead_after_ms
                                                        : (fr.welcome.dead_after_ms ? fr.welcome.dead_after_ms : 5000);
                break;
            }
            if (fr.kind == FA_K_HEARTBEAT || fr.kind == FA_K_GONE) {
                continue; /* may come before the welcome (PROTOCOL.md 5.9) */
            }
            if (fr.kind == FA_K_ERROR || fr.kind == FA_K_CLOSE) {
                return ended_by_router(c, &fr);
            }
            char why[100];
            snprintf(why, sizeof why, "a frame of kind 0x%02x instead of the welcome", fr.kind);
            return violation(c, FA_PE_UNEXPECTED_FRAME, why);
        }
        r = read_some(c);
        if (r < 0) {
            return r;
        }
        if (r > 0) {
            continue;
        }
        int w = wait_fd(c, POLLIN, deadline);
        if (w < 0) {
            return fail(c, w);
        }
        if (w == 0) {
            set_err(c, "no welcome from the router within the connect timeout");
            return fail(c, FA_ETIMEDOUT);
        }
    }

    c->joined = 1;
    c->last_rx_ms = c->last_hb_ms = now_ms();
    for (size_t i = 0; i < c->nregs; i++) {
        if ((rc = send_register(c, &c->regs[i])) != FA_OK) {
            return rc;
        }
    }
    for (size_t i = 0; i < c->nsubs; i++) {
        if ((rc = send_subscription(c, FA_K_SUBSCRIBE, c->subs[i].topic, c->subs[i].agent)) != FA_OK) {
            return rc;
        }
    }
    rc = wflush(c, deadline, WT_QUIET); /* what a full socket did not take goes with the next calls */
    if (rc != FA_OK && rc != FA_ETIMEDOUT) {
        return rc;
    }
    c->connects++;
    return FA_OK;
}

int fa_reconnect(fa_conn *c, int timeout_ms) {
    if (c == NULL) {
        return FA_EINVAL;
    }
    int64_t deadline = deadline_of(timeout_ms);
    int64_t delay = 50;
    for (;;) {
        int64_t left = deadline == INT64_MAX ? -1 : deadline - now_ms();
        int attempt = left < 0 ? 5000 : (int)(left > 5000 ? 5000 : left);
        int rc = fa_connect(c, attempt);
        if (rc == FA_OK) {
            return FA_OK;
        }
        if (rc == FA_EINVAL || rc == FA_ENOMEM || rc == FA_EENDPOINT) {
            return rc;
        }
        int64_t now = now_ms();
        if (now >= deadline) {
            return rc;
        }
        int64_t wait = delay + (int64_t)(random32() % (uint32_t)(delay / 2 + 1));
        if (now + wait > deadline) {
            wait = deadline - now;
        }
        struct timespec ts = {(time_t)(wait / 1000), (long)(wait % 1000) * 1000000L};
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
        }
        delay = delay * 2 > 2000 ? 2000 : delay * 2;
        if (now_ms() >= deadline) {
            return rc; /* the last attempt's error; fa_last_error() says more */
        }
    }
}

int fa_is_connected(const fa_conn *c) { return c != NULL && c->joined; }

void fa_close(fa_conn *c) {
    if (c == NULL) {
        return;
    }
    if (c->joined) {
        uint8_t f[FA_CLOSE_SIZE];
        fa__encode_close(f, FA_PE_NONE);
        int timeout = close_timeout(c);
        if (write_bytes(c, f, sizeof f, timeout) == FA_OK) {
            (void)wflush(c, deadline_of(timeout), WT_QUIET);
        }
        if (c->fd >= 0) {
            shutdown(c->fd, SHUT_WR);
        }
    }
    drop(c);
    release_current(c);
    while (c->dhead != NULL) {
        fa_deferred *d = c->dhead;
        c->dhead = d->next;
        free(d);
    }
    for (size_t i = 0; i < c->nregs; i++) {
        free(c->regs[i].caps);
    }
    free(c->regs);
    free(c->subs);
    free(c->rbuf);
    free(c->wbuf);
    free(c->path);
    free(c->port);
    free(c->name);
    free(c->token);
    free(c);
}

const char *fa_last_error(const fa_conn *c) { return c == NULL ? "" : c->err; }
unsigned fa_last_protocol_error(const fa_conn *c) { return c == NULL ? 0 : c->proto_err; }
uint64_t fa_node_agent(const fa_conn *c) { return c == NULL ? 0 : c->node; }
uint32_t fa_router_max_frame(const fa_conn *c) { return c == NULL ? 0 : c->router_max_frame; }
uint64_t fa_reconnections(const fa_conn *c) { return c == NULL || c->connects == 0 ? 0 : c->connects - 1; }
int fa_fd(const fa_conn *c) { return c == NULL ? -1 : c->fd; }

int fa_pending(const fa_conn *c) {
    if (c == NULL) {
        return 0;
    }
    if (c->dhead != NULL) {
        return 1;
    }
    size_t avail = c->rend - c->rstart;
    return avail >= FA_PREFIX_SIZE && avail >= fa__get32(c->rbuf + c->rstart);
}

int fa_next_timeout_ms(const fa_conn *c) {
    if (c == NULL || !c->joined) {
        return -1;
    }
    int64_t now = now_ms();
    int64_t wake = c->last_hb_ms + c->heartbeat_ms;
    int64_t dead = c->last_rx_ms + c->dead_after_ms + 1;
    if (dead < wake) {
        wake = dead;
    }
    if (unsent(c) > 0) {
        int64_t flush = (c->wsince_us + (int64_t)c->wdelay_us + 999) / 1000; /* rounded up */
        if (flush < wake) {
            wake = flush;
        }
    }
    return wake <= now ? 0 : (int)(wake - now);
}

void fa_set_backlog(fa_conn *c, int64_t backlog) {
    if (c != NULL) {
        c->backlog = backlog < 0 ? 0 : backlog;
    }
}

int fa_heartbeat(fa_conn *c) {
    if (c == NULL) {
        return FA_EINVAL;
    }
    if (!c->joined) {
        return FA_ENOTCONN;
    }
    return send_heartbeat(c, c->send_timeout_ms);
}

/* ---- public: registrations ----------------------------------------------------------------------------------- */

int fa_register(fa_conn *c, uint64_t agent, const uint64_t *capabilities, uint32_t count) {
    if (c == NULL || !valid_agent(agent) || count > FA_MAX_CAPABILITIES || (count > 0 && capabilities == NULL)) {
        return FA_EINVAL;
    }
    uint64_t *caps = NULL;
    if (count > 0) {
        caps = (uint64_t *)malloc(sizeof *caps * count);
        if (caps == NULL) {
            return FA_ENOMEM;
        }
        memcpy(caps, capabilities, sizeof *caps * count);
    }
    fa_reg *r = NULL;
    for (size_t i = 0; i < c->nregs; i++) {
        if (c->regs[i].agent == agent) {
            r = &c->regs[i];
            free(r->caps);
            break;
        }
    }
    if (r == NULL) {
        if (c->nregs == c->cregs) {
            size_t cap = c->cregs ? c->cregs * 2 : 8;
            fa_reg *nr = (fa_reg *)realloc(c->regs, sizeof *nr * cap);
            if (nr == NULL) {
                free(caps);
                return FA_ENOMEM;
            }
            c->regs = nr;
            c->cregs = cap;
        }
        r = &c->regs[c->nregs++];
    }
    r->agent = agent;
    r->count = count;
    r->caps = caps;
    return c->joined ? send_register(c, r) : FA_OK;
}

int fa_deregister(fa_conn *c, uint64_t agent) {
    if (c == NULL || !valid_agent(agent)) {
        return FA_EINVAL;
    }
    for (size_t i = 0; i < c->nregs; i++) {
        if (c->regs[i].agent == agent) {
            free(c->regs[i].caps);
            c->regs[i] = c->regs[--c->nregs];
            break;
        }
    }
    for (size_t i = 0; i < c->nsubs;) {
        if (c->subs[i].agent == agent) {
            c->subs[i] = c->subs[--c->nsubs];
        } else {
            i++;
        }
    }
    if (!c->joined) {
        return FA_OK;
    }
    uint8_t f[FA_DEREGISTER_SIZE];
    fa__encode_deregister(f, agent);
    return write_bytes(c, f, sizeof f, c->send_timeout_ms);
}

int fa_subscribe(fa_conn *c, uint64_t topic, uint64_t agent) {
    if (c == NULL || !valid_agent(agent)) {
        return FA_EINVAL;
    }
    int known = 0;
    for (size_t i = 0; i < c->nsubs; i++) {
        if (c->subs[i].topic == topic && c->subs[i].agent == agent) {
            known = 1;
            break;
        }
    }
    if (!known) {
        if (c->nsubs == c->csubs) {
            size_t cap = c->csubs ? c->csubs * 2 : 8;
            fa_sub *ns = (fa_sub *)realloc(c->subs, sizeof *ns * cap);
            if (ns == NULL) {
                return FA_ENOMEM;
            }
            c->subs = ns;
            c->csubs = cap;
        }
        c->subs[c->nsubs].topic = topic;
        c->subs[c->nsubs].agent = agent;
        c->nsubs++;
    }
    return c->joined ? send_subscription(c, FA_K_SUBSCRIBE, topic, agent) : FA_OK;
}

int fa_unsubscribe(fa_conn *c, uint64_t topic, uint64_t agent) {
    if (c == NULL || !valid_agent(agent)) {
        return FA_EINVAL;
    }
    for (size_t i = 0; i < c->nsubs; i++) {
        if (c->subs[i].topic == topic && c->subs[i].agent == agent) {
            c->subs[i] = c->subs[--c->nsubs];
            break;
        }
    }
    return c->joined ? send_subscription(c, FA_K_UNSUBSCRIBE, topic, agent) : FA_OK;
}

/* ---- public: sending ----------------------------------------------------------------------------------------- */

/* Fills the header at h for m and the iovecs at v; returns the number of iovecs, or an error. */
static int prepare(fa_conn *c, const fa_out *m, uint8_t *h, struct iovec *v, uint64_t correlation) {
    int rc = fa__check_out(m);
    if (rc != FA_OK) {
        set_err(c, "invalid envelope (kind %u, priority %u, flags 0x%02x, target %llx)", m->kind, m->priority, m->flags,
                (unsigned long long)m->target);
        return rc;
    }
    uint64_t length = fa__out_length(m);
    if (length > c->router_max_frame) {
        set_err(c, "an envelope of %llu bytes exceeds the router's maximum frame of %u", (unsigned long long)length,
                c->router_max_frame);
        return FA_ETOOBIG;
    }
    uint64_t id = m->message_id != 0 ? m->message_id : ++c->next_message_id;
    uint64_t sender = m->sender;
    if (m->kind == FA_ASK && sender == 0) {
        sender = c->node;
    }
    fa__encode_header(h, m, id, correlation, sender);
    int n = 0;
    v[n].iov_base = h;
    v[n].iov_len = FA_HEADER_SIZE;
    n++;
    if (m->flags & FA_FLAG_TRACED) {
        v[n].iov_base = (void *)(uintptr_t)m->trace;
        v[n].iov_len = FA_TRACE_SIZE;
        n++;
    }
    if (m->payload_len > 0) {
        v[n].iov_base = (void *)(uintptr_t)m->payload;
        v[n].iov_len = m->payload_len;
        n++;
    }
    return n;
}

static int send_one(fa_conn *c, const fa_out *m, uint64_t correlation) {
    if (!c->joined) {
        set_err(c, "not connected");
        return FA_ENOTCONN;
    }
    int64_t now = now_us();
    int rc = maybe_heartbeat(c, now / 1000);
    if (rc != FA_OK) {
        return rc;
    }
    uint8_t h[FA_HEADER_SIZE];
    struct iovec v[4];
    int n = prepare(c, m, h, v + 1, correlation);
    if (n < 0) {
        return n;
    }
    size_t len = 0;
    for (int i = 1; i <= n; i++) {
        len += v[i].iov_len;
    }
    return send_frame(c, v, n, len, 0, c->send_timeout_ms, now);
}

int fa_send(fa_conn *c, const fa_out *m) {
    if (c == NULL || m == NULL) {
        return FA_EINVAL;
    }
    uint64_t correlation = m->correlation_id;
    if (m->kind == FA_ASK && correlation == 0) {
        correlation = (1ull << 63) | (++c->next_correlation & 0x7FFFFFFFFFFFFFFFull);
    }
    return send_one(c, m, correlation);
}

int fa_send_batch(fa_conn *c, const fa_out *m, size_t n, size_t *sent) {
    if (sent != NULL) {
        *sent = 0;
    }
    if (c == NULL || (m == NULL && n > 0)) {
        return FA_EINVAL;
    }
    if (!c->joined) {
        set_err(c, "not connected");
        return FA_ENOTCONN;
    }
    int rc = maybe_heartbeat(c, now_ms());
    if (rc != FA_OK) {
        return rc;
    }
    size_t done = 0;
    while (done < n) {
        size_t chunk = n - done > FA_BATCH ? FA_BATCH : n - done;
        int cnt = 0;
        for (size_t i = 0; i < chunk; i++) {
            const fa_out *e = &m[done + i];
            uint64_t correlation = e->correlation_id;
            if (e->kind == FA_ASK && correlation == 0) {
                correlation = (1ull << 63) | (++c->next_correlation & 0x7FFFFFFFFFFFFFFFull);
            }
            int k = prepare(c, e, c->hdrs[i], c->iov + 1 + cnt, correlation);
            if (k < 0) {
                if (i > 0) {
                    rc = write_through(c, c->iov, cnt, deadline_of(c->send_timeout_ms),
                                       c->send_timeout_ms == 0 ? WT_NOWAIT : WT_WAIT);
                    if (rc == FA_OK) {
                        done += i;
                    }
                }
                if (sent != NULL) {
                    *sent = done;
                }
                return rc != FA_OK && i > 0 ? rc : k;
            }
            cnt += k;
        }
        rc = write_through(c, c->iov, cnt, deadline_of(c->send_timeout_ms),
                           c->send_timeout_ms == 0 ? WT_NOWAIT : WT_WAIT);
        if (rc != FA_OK) {
            break;
        }
        done += chunk;
    }
    if (sent != NULL) {
        *sent = done;
    }
    return rc;
}

static int send_simple(fa_conn *c, uint8_t kind, uint8_t flags, uint64_t sender, uint64_t target, uint64_t corr,
                       uint32_t type, const void *payload, uint32_t len) {
    if (c == NULL) {
        return FA_EINVAL;
    }
    fa_out m;
    memset(&m, 0, sizeof m);
    m.kind = kind;
    m.priority = FA_PRIORITY_NORMAL;
    m.flags = flags;
    m.sender = sender;
    m.target = target;
    m.correlation_id = corr;
    m.payload_type = type;
    m.payload = payload;
    m.payload_len = len;
    return send_one(c, &m, corr);
}

int fa_tell(fa_conn *c, uint64_t sender, uint64_t target, uint32_t payload_type, const void *payload,
            uint32_t payload_len) {
    return send_simple(c, FA_TELL, 0, sender, target, 0, payload_type, payload, payload_len);
}

int fa_tell_any(fa_conn *c, uint64_t sender, uint64_t capability, uint32_t payload_type, const void *payload,
                uint32_t payload_len) {
    return send_simple(c, FA_TELL, FA_FLAG_ANY_OF, sender, capability, 0, payload_type, payload, payload_len);
}

int fa_publish(fa_conn *c, uint64_t sender, uint64_t topic, uint32_t payload_type, const void *payload,
               uint32_t payload_len) {
    return send_simple(c, FA_PUBLISH, 0, sender, 0, topic, payload_type, payload, payload_len);
}

int fa_ask_start(fa_conn *c, const fa_out *m, uint64_t *correlation) {
    if (c == NULL || m == NULL) {
        return FA_EINVAL;
    }
    fa_out a = *m;
    a.kind = FA_ASK;
    uint64_t corr = a.correlation_id != 0 ? a.correlation_id
                                          : (1ull << 63) | (++c->next_correlation & 0x7FFFFFFFFFFFFFFFull);
    int rc = send_one(c, &a, corr);
    if (rc == FA_OK && correlation != NULL) {
        *correlation = corr;
    }
    return rc;
}

int fa_ask(fa_conn *c, const fa_out *m, int timeout_ms, fa_msg *reply) {
    if (c == NULL || m == NULL || reply == NULL) {
        return FA_EINVAL;
    }
    uint64_t corr;
    int64_t deadline = deadline_of(timeout_ms);
    int rc = fa_ask_start(c, m, &corr);
    if (rc != FA_OK) {
        return rc;
    }
    release_current(c);
    for (;;) {
        fa_msg got;
        const uint8_t *raw;
        uint32_t len;
        rc = recv_core(c, &got, &raw, &len, deadline, 0);
        if (rc != FA_OK) {
            if (rc == FA_ETIMEDOUT) {
                set_err(c, "no reply within %d ms", timeout_ms);
            }
            return rc;
        }
        if (got.kind == FA_REPLY && got.correlation_id == corr) {
            *reply = got;
            return FA_OK;
        }
        if (got.kind == FA_UNDELIVERABLE && got.correlation_id == corr) {
            *reply = got;
            set_err(c, "the ask was undeliverable: %s (reported by %s)", fa_dead_letter_reason_name(got.reason),
                    got.reporter == 1 ? "the router" : "the target's process");
            return FA_EUNDELIVERABLE;
        }
        int target_gone = 0;
        if (got.kind == FA_GONE && !(m->flags & FA_FLAG_ANY_OF)) {
            for (uint32_t i = 0; i < got.gone_count; i++) {
                if (fa_msg_gone_id(&got, i) == m->target) {
                    target_gone = 1;
                }
            }
        }
        if ((rc = defer_frame(c, raw, len)) != FA_OK) {
            return rc;
        }
        if (target_gone) {
            memset(reply, 0, sizeof *reply);
            reply->kind = FA_UNDELIVERABLE;
            reply->reason = FA_DL_DISCONNECTED;
            reply->reporter = 1;
            reply->correlation_id = corr;
            reply->target = m->target;
            set_err(c, "the ask's target left (its process disconnected)");
            return FA_EUNDELIVERABLE;
        }
    }
}

int fa_reply(fa_conn *c, const fa_msg *ask, uint64_t sender, uint32_t payload_type, const void *payload,
             uint32_t payload_len) {
    if (c == NULL || ask == NULL) {
        return FA_EINVAL;
    }
    fa_out m;
    memset(&m, 0, sizeof m);
    m.kind = FA_REPLY;
    m.priority = ask->priority <= FA_PRIORITY_LOW ? ask->priority : FA_PRIORITY_NORMAL;
    m.sender = sender != 0 ? sender : ((ask->flags & FA_FLAG_ANY_OF) ? 0 : ask->target);
    m.target = ask->sender;
    m.correlation_id = ask->correlation_id;
    m.payload_type = payload_type;
    m.payload = payload;
    m.payload_len = payload_len;
    return send_one(c, &m, m.correlation_id);
}

int fa_reject(fa_conn *c, const fa_msg *ask, uint8_t reason) {
    if (c == NULL || ask == NULL || reason > FA_DL_FRAME_TOO_LARGE) {
        return FA_EINVAL;
    }
    if (!c->joined) {
        return FA_ENOTCONN;
    }
    fa_out m;
    memset(&m, 0, sizeof m);
    m.kind = ask->kind >= FA_TELL && ask->kind <= FA_STOP ? ask->kind : FA_ASK;
    m.priority = ask->priority;
    m.flags = ask->flags & (FA_FLAG_TRACED | FA_FLAG_ANY_OF);
    m.sender = ask->sender;
    m.target = ask->target;
    m.payload_type = ask->payload_type;
    m.payload_len = ask->payload_len;
    m.timestamp = ask->timestamp;
    uint8_t h[FA_HEADER_SIZE];
    fa__encode_header(h, &m, ask->message_id, ask->correlation_id, ask->sender);
    uint8_t f[FA_UNDELIVERABLE_SIZE];
    struct iovec v[2];
    v[1].iov_base = f;
    v[1].iov_len = fa__encode_undeliverable(f, reason, 2, h);
    return send_frame(c, v, 1, v[1].iov_len, 0, c->send_timeout_ms, now_us());
}

int fa_flush(fa_conn *c, int timeout_ms) {
    if (c == NULL) {
        return FA_EINVAL;
    }
    if (unsent(c) == 0) {
        return FA_OK;
    }
    if (c->fd < 0) {
        return FA_ENOTCONN;
    }
    return wflush(c, deadline_of(timeout_ms), timeout_ms == 0 ? WT_NOWAIT : WT_WAIT);
}

size_t fa_unsent_bytes(const fa_conn *c) { return c == NULL ? 0 : unsent(c); }

/* ---- public: receiving --------------------------------------------------------------------------------------- */

int fa_recv(fa_conn *c, fa_msg *m, int timeout_ms) {
    if (c == NULL || m == NULL) {
        return FA_EINVAL;
    }
    release_current(c);
    if (c->dhead != NULL) {
        fa_deferred *d = c->dhead;
        c->dhead = d->next;
        if (c->dhead == NULL) {
            c->dtail = NULL;
        }
        c->dcur = d;
        fa__frame fr;
        fa__parse_frame(d->bytes, d->len, &fr, NULL, 0); /* checked when it arrived */
        *m = fr.msg;
        if (c->joined) {
            int64_t now = now_us();
            int rc = maybe_heartbeat(c, now / 1000);
            if (rc == FA_OK) {
                rc = age_flush(c, now);
            }
            (void)rc; /* a failure shows on the next call */
        }
        return FA_OK;
    }
    const uint8_t *raw;
    uint32_t len;
    return recv_core(c, m, &raw, &len, deadline_of(timeout_ms), timeout_ms == 0);
}

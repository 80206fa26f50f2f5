/*
 * fastagents.h - C client library for the FastAgents router protocol (docs/PROTOCOL.md, version 1).
 *
 * A process written in C (or C++, Rust, Python through ctypes) joins a FastAgents system by connecting to the
 * router daemon (`fastagents router`) over a Unix domain socket or TCP, registering its agents, subscribing them
 * to topics, and exchanging envelopes (tell, ask, reply, publish) with agents in other processes.
 *
 * Overview
 * --------
 *   fa_options o;  fa_options_init(&o);  o.endpoint = "unix:/tmp/fastagents/router.sock";
 *   fa_conn *c;    fa_open(&o, &c);                    allocate (no I/O)
 *   fa_register(c, fa_agent_id(fa_type_id("calc"), 0), NULL, 0);
 *   fa_connect(c, 5000);                               connect, hello/welcome, replay registrations
 *   fa_msg m;
 *   for (;;) {                                         receive loop (heartbeats are handled inside)
 *       int rc = fa_recv(c, &m, 1000);
 *       if (rc == FA_ETIMEDOUT) continue;
 *       if (rc != FA_OK) { fa_reconnect(c, 10000); continue; }
 *       if (m.kind == FA_ASK) fa_reply(c, &m, 0, m.payload_type, m.payload, m.payload_len);
 *   }
 *   fa_close(c);
 *
 * Threading
 * ---------
 * The library has no global mutable state. A connection (fa_conn) is NOT thread-safe: use one connection per
 * thread, or serialise every call on a connection yourself. Different connections may be used from different
 * threads at the same time. The library installs no signal handlers and raises no SIGPIPE (writes use
 * MSG_NOSIGNAL where available, SO_NOSIGPIPE elsewhere).
 *
 * Errors
 * ------
 * Every function that can fail returns an int: FA_OK (0) on success, or one of the negative fa_status codes.
 * fa_strerror() turns a code into a constant English text; fa_last_error() gives the detailed text of the last
 * failure on a connection (for example the router's refusal text). Codes that mean the connection is gone
 * (FA_ECLOSED, FA_EIO, FA_EPROTO, FA_EREFUSED, FA_EDEAD) leave the connection closed; fa_connect() or
 * fa_reconnect() opens it again with the same node agent, registrations and subscriptions.
 *
 * Heartbeats and liveness
 * -----------------------
 * The library sends a heartbeat whenever one is due (every `heartbeat ms` of the router's welcome, or
 * fa_options.heartbeat_ms) from inside fa_recv(), fa_ask() and the send functions, and declares the router dead
 * after fa_options.dead_after_ms (default: the welcome's dead-after) without receiving a byte. A program must
 * therefore call into the connection at least once per heartbeat interval (a blocking fa_recv() with any timeout
 * does this by itself: it wakes up to send heartbeats).
 *
 * Write coalescing
 * ----------------
 * Like the .NET client, a connection coalesces small outgoing frames: fa_send, fa_tell, fa_tell_any, fa_publish,
 * fa_reply, fa_reject, fa_ask_start and fa_ask copy a frame of at most half of fa_options.write_buffer (default
 * 64 KiB) into a per-connection write buffer instead of making a system call for it. The buffer is written out,
 * with one sendmsg() that also carries the frame that did not fit, and always in the order the frames were sent:
 *   - when the next frame does not fit in it;
 *   - by fa_flush();
 *   - before any call waits for the router: fa_recv() with a timeout other than 0, fa_ask(), fa_connect(),
 *     fa_reconnect(), fa_close() (and, while they wait, whenever the socket takes more bytes), so request /
 *     response code never waits for an answer to bytes still in its own buffer;
 *   - with any control frame (heartbeat, register, deregister, subscribe, unsubscribe), queued behind the
 *     buffered envelopes and written out with them at once (without waiting for room);
 *   - by the first call on the connection (any send, fa_recv() including timeout 0, fa_heartbeat()) made when the
 *     oldest buffered byte has waited fa_options.flush_delay_us (default 1000 us) or longer. The library has no
 *     thread and no timer: a sender that stops calling into the connection must call fa_flush(), or its last
 *     frames wait in the buffer until its next call. A poll loop gets the flush deadline from
 *     fa_next_timeout_ms() (or calls fa_flush(c, 0) before it blocks).
 * Larger frames, and fa_send_batch(), go straight from the caller's buffers (zero copy) in one sendmsg() behind
 * the buffered bytes. The trade-off is latency: a frame can wait up to the flush delay (or until the sender's
 * next call) before it leaves. fa_options.write_buffer = 0 turns coalescing off: every send call then makes its
 * own sendmsg(), as soon as it is called. A send call that triggers a flush reports the flush's error (a failed
 * write closes the connection: FA_EIO / FA_ECLOSED). Bytes still buffered when a connection fails are lost with
 * it, like the bytes in the socket's kernel buffer.
 *
 * Memory and zero copy
 * --------------------
 * Outgoing frames are either copied into the write buffer (small frames, see "Write coalescing") or written
 * straight from the caller's buffers with scatter/gather sendmsg(), per frame or per batch with fa_send_batch();
 * the 56-byte header is built on the stack. Incoming frames are read into one reusable buffer per connection and
 * handed out as views (fa_msg.payload points into it). A view stays valid until the next call on the same
 * connection that receives (fa_recv, fa_ask, fa_connect, fa_reconnect, fa_close); the send functions (fa_send,
 * fa_tell, fa_reply, ...) leave it intact, so an echo agent may reply with the payload it received.
 *
 * Payload layout (MemoryPack, see docs/SERIALIZATION.md)
 * ------------------------------------------------------
 * Payloads are opaque bytes to the router and to this library; the receiving .NET runtime reads them with the
 * formatter of the type named by the envelope's payload type id. To talk to .NET agents, write the bytes the
 * .NET serializer expects:
 *   - an unmanaged struct (fields of primitive types only) is its raw memory, little-endian, fields at the
 *     offsets .NET gives them (sequential layout: each field aligned to its size, padding bytes zero), no header.
 *     `record struct EchoMessage(long Sequence, long Value)` is 16 bytes: Sequence at 0, Value at 8.
 *   - a string is an int32 header then the text: null is FF FF FF FF, "" is 00 00 00 00, otherwise
 *     ~utf8ByteCount (int32), the UTF-16 length (int32) and the UTF-8 bytes.
 *   - a class or a struct with reference fields is a member-count byte (255 = null) followed by each member in
 *     its own format, packed with no padding; arrays and lists are an int32 length (-1 = null) then elements.
 * fa_writer / fa_reader below write and read these forms in caller buffers (no allocation). The payload type id
 * is fa_type_id() of the .NET type's full name, e.g. fa_type_id("FastAgents.Cli.Router.EchoMessage").
 */
#ifndef FASTAGENTS_H
#define FASTAGENTS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define FA_API
#elif defined(__GNUC__)
#define FA_API __attribute__((visibility("default")))
#else
#define FA_API
#endif

/** Protocol version spoken by this library (byte 4 of every frame). */
#define FA_PROTOCOL_VERSION 1
/** Default and smallest allowed maximum frame size, in bytes. */
#define FA_DEFAULT_MAX_FRAME (1u << 20)
#define FA_MIN_MAX_FRAME 4096u
/** Size of an envelope header and of the optional trace section. */
#define FA_HEADER_SIZE 56u
#define FA_TRACE_SIZE 32u
/** Default size of the write (coalescing) buffer, its largest allowed size, and the default flush delay. */
#define FA_DEFAULT_WRITE_BUFFER 65536u
#define FA_MAX_WRITE_BUFFER (64u << 20)
#define FA_DEFAULT_FLUSH_DELAY_US 1000u
/** Limits of the hello and register frames. */
#define FA_MAX_NAME_BYTES 256u
#define FA_MAX_TOKEN_BYTES 1024u
#define FA_MAX_CAPABILITIES 1024u

/* ------------------------------------------------------------------------------------------------------------ */
/* Status codes                                                                                                   */
/* ------------------------------------------------------------------------------------------------------------ */

/** Return codes of the library's functions: 0 on success, negative on failure. */
typedef enum fa_status {
    FA_OK = 0,
    FA_EINVAL = -1,         /**< An argument is invalid (NULL pointer, bad id, oversized name or token, ...). */
    FA_ENOMEM = -2,         /**< Memory allocation failed. */
    FA_EENDPOINT = -3,      /**< The endpoint cannot be parsed or resolved. */
    FA_ECONNECT = -4,       /**< The socket could not connect (no router listening, permission denied, ...). */
    FA_EIO = -5,            /**< A read or write on the socket failed (reset, broken pipe); the connection is closed. */
    FA_ECLOSED = -6,        /**< The router ended the connection (end of stream or a Close frame); it is closed. */
    FA_ETIMEDOUT = -7,      /**< Nothing happened within the timeout (no message, no reply, socket not writable). */
    FA_EAGAIN = -8,         /**< Non-blocking call: nothing to receive now, or the socket takes no more bytes now. */
    FA_EPROTO = -9,         /**< The router broke the protocol; an Error frame was sent and the connection closed. */
    FA_EREFUSED = -10,      /**< The router sent an Error frame (refused the hello, or ended the connection). */
    FA_ETOOBIG = -11,       /**< The frame would exceed the router's maximum frame; nothing was sent. */
    FA_ENOTCONN = -12,      /**< The connection is not open (never connected, or closed by an earlier failure). */
    FA_EUNDELIVERABLE = -13,/**< An ask cannot be answered: the router or the target reported it undeliverable. */
    FA_EDEAD = -14,         /**< Nothing arrived from the router within dead-after; the connection is closed. */
    FA_ERANGE = -15         /**< fa_writer / fa_reader: out of room, or the bytes are not the expected format. */
} fa_status;

/** A constant English description of a status code (never NULL). */
FA_API const char *fa_strerror(int status);

/* Protocol error codes (PROTOCOL.md section 12), as carried in Error and Close frames. */
#define FA_PE_NONE 0
#define FA_PE_BAD_MAGIC 1
#define FA_PE_UNSUPPORTED_VERSION 2
#define FA_PE_UNAUTHORIZED 3
#define FA_PE_FRAME_TOO_LARGE 4
#define FA_PE_MALFORMED_FRAME 5
#define FA_PE_UNKNOWN_KIND 6
#define FA_PE_UNEXPECTED_FRAME 7
#define FA_PE_HANDSHAKE_TIMEOUT 8
#define FA_PE_HEARTBEAT_TIMEOUT 9
#define FA_PE_NODE_IN_USE 10
#define FA_PE_SHUTTING_DOWN 11
#define FA_PE_TOO_MANY_CONNECTIONS 12
#define FA_PE_SLOW_READER 13

/** The name of a protocol error code ("Unauthorized", ...), or "Unknown". */
FA_API const char *fa_protocol_error_name(unsigned code);

/* Dead-letter reasons (PROTOCOL.md section 5.8), as carried in undeliverable notices. */
#define FA_DL_NO_SUCH_AGENT 0
#define FA_DL_AGENT_STOPPED 1
#define FA_DL_NO_HANDLER 2
#define FA_DL_HANDLER_FAILED 3
#define FA_DL_INBOX_FULL 4
#define FA_DL_REPLY_TO_EXPIRED_ASK 5
#define FA_DL_ASK_TIMED_OUT 6
#define FA_DL_SHUTTING_DOWN 7
#define FA_DL_MALFORMED_PAYLOAD 8
#define FA_DL_DISCONNECTED 9
#define FA_DL_FRAME_TOO_LARGE 10

/** The name of a dead-letter reason ("NoSuchAgent", ...), or "Unknown". */
FA_API const char *fa_dead_letter_reason_name(unsigned reason);

/* ------------------------------------------------------------------------------------------------------------ */
/* Identifiers (PROTOCOL.md section 7)                                                                            */
/* ------------------------------------------------------------------------------------------------------------ */

/** FNV-1a, 32-bit, of n bytes. */
FA_API uint32_t fa_fnv1a32(const void *data, size_t n);
/** FNV-1a, 64-bit, of n bytes. */
FA_API uint64_t fa_fnv1a64(const void *data, size_t n);
/** Agent type id of a type name (FNV-1a-32 of its UTF-8 bytes, 0 mapped to 1). */
FA_API uint32_t fa_type_id(const char *name);
/** Payload type id of a .NET type's full name, e.g. "System.String" (FNV-1a-32, 0 mapped to 1). */
FA_API uint32_t fa_payload_type_id(const char *dotnet_full_name);
/** Key of a named agent (FNV-1a-32 of the name, no mapping). */
FA_API uint32_t fa_key_of(const char *name);
/** Agent id: type id in the high 32 bits, key in the low 32. */
FA_API uint64_t fa_agent_id(uint32_t type_id, uint32_t key);
/** Topic id (FNV-1a-64 of the name). */
FA_API uint64_t fa_topic_id(const char *name);
/** Capability id (FNV-1a-64 of the name). */
FA_API uint64_t fa_capability_id(const char *name);

/** The agent type id of node agents (high 32 bits of a node agent id). */
#define FA_NODE_TYPE_ID 0xFFFFFFFFu

/* ------------------------------------------------------------------------------------------------------------ */
/* Frames and messages                                                                                            */
/* ------------------------------------------------------------------------------------------------------------ */

/** Envelope kinds, and the kinds of notices fa_recv() reports. */
enum {
    FA_TELL = 0x01,
    FA_ASK = 0x02,
    FA_REPLY = 0x03,
    FA_PUBLISH = 0x04,
    FA_STOP = 0x05,
    FA_UNDELIVERABLE = 0x17, /**< Notice: an envelope could not be delivered (fa_msg.reason, fa_msg.reporter). */
    FA_GONE = 0x18           /**< Notice: a process left (fa_msg.gone_count ids, read with fa_msg_gone_id()). */
};

/** Priorities (the inbox lane at the target). */
enum { FA_PRIORITY_HIGH = 0, FA_PRIORITY_NORMAL = 1, FA_PRIORITY_LOW = 2 };

/** Envelope flags that travel on the wire. */
enum { FA_FLAG_TRACED = 0x01, FA_FLAG_ANY_OF = 0x02 };

/**
 * An envelope to send. Zero-initialise it (`fa_out m = {0};`), then set at least kind, priority
 * (FA_PRIORITY_NORMAL is the usual choice; 0 is High), target and payload_type.
 *   message_id     0: the library assigns a unique one.
 *   correlation_id Ask: 0 lets the library assign one. Reply: the ask's. Publish: the topic id.
 *   sender         0 for a tell or publish from outside any agent; for an ask, 0 means the connection's node
 *                  agent (replies come back to this connection).
 *   target         the agent, or a capability id with FA_FLAG_ANY_OF, or 0 for a publish to a topic.
 *   trace          32 bytes (PROTOCOL.md 4.2) when flags has FA_FLAG_TRACED, else ignored.
 */
typedef struct fa_out {
    uint8_t kind;
    uint8_t priority;
    uint8_t flags;
    uint64_t message_id;
    uint64_t correlation_id;
    uint64_t sender;
    uint64_t target;
    uint32_t payload_type;
    int64_t timestamp;
    const uint8_t *trace;
    const void *payload;
    uint32_t payload_len;
} fa_out;

/**
 * A received envelope or notice. Pointers are views into the connection's buffer (see "Memory and zero copy").
 * For an envelope, kind is FA_TELL..FA_STOP and every header field is set. For FA_UNDELIVERABLE, the header
 * fields are those of the undelivered envelope (payload is NULL, payload_len is its declared length) and reason,
 * reporter are set. For FA_GONE, gone_count ids follow: read them with fa_msg_gone_id().
 */
typedef struct fa_msg {
    uint8_t kind;
    uint8_t priority;
    uint8_t flags;
    uint8_t reason;   /**< FA_UNDELIVERABLE: a FA_DL_* reason. */
    uint8_t reporter; /**< FA_UNDELIVERABLE: 1 the router, 2 a process. */
    uint64_t message_id;
    uint64_t correlation_id;
    uint64_t sender;
    uint64_t target;
    uint32_t payload_type;
    int64_t timestamp;
    const uint8_t *trace;   /**< 32 bytes when flags has FA_FLAG_TRACED, else NULL. */
    const uint8_t *payload; /**< payload_len bytes; not aligned: copy with memcpy or read with fa_reader. */
    uint32_t payload_len;
    uint32_t gone_count;
    const uint8_t *gone_ids; /**< gone_count little-endian u64s; use fa_msg_gone_id(). */
} fa_msg;

/** The i-th agent id of a FA_GONE notice (0 when i is out of range). */
FA_API uint64_t fa_msg_gone_id(const fa_msg *m, uint32_t i);

/* ------------------------------------------------------------------------------------------------------------ */
/* Connection                                                                                                     */
/* ------------------------------------------------------------------------------------------------------------ */

/** Opaque connection object. One per thread (see "Threading"). */
typedef struct fa_conn fa_conn;

/**
 * Options of a connection. Call fa_options_init() first, then change what you need. Strings are copied by
 * fa_open().
 */
typedef struct fa_options {
    /** "unix:/path", "/path" or "./path" (Unix socket), "tcp:host:port", "tcp:[v6addr]:port" or "host:port".
     *  NULL: $TMPDIR/fastagents/router.sock (or /tmp/fastagents/router.sock). */
    const char *endpoint;
    const char *token;        /**< The router's token, or NULL / "" for none (at most 1024 bytes). */
    const char *name;         /**< Client name for the router's logs (valid UTF-8, at most 256 bytes); default "c". */
    uint32_t node_key;        /**< Key of the node agent (1..2^32-1); 0: drawn at random by fa_open(). */
    uint32_t max_frame;       /**< Largest frame accepted from the router; default 1 MiB, at least 4096. */
    uint32_t heartbeat_ms;    /**< Heartbeat interval; 0: the welcome's heartbeat interval. */
    uint32_t dead_after_ms;   /**< Silence after which the router is declared dead; 0: the welcome's dead-after. */
    int32_t send_timeout_ms;  /**< How long a send waits for the socket to take bytes; default 5000; 0: never
                                   waits (FA_EAGAIN); negative: waits forever. */
    uint32_t write_buffer;    /**< Size of the write buffer that coalesces small frames (see "Write coalescing");
                                   default FA_DEFAULT_WRITE_BUFFER (64 KiB); 0: off, one sendmsg() per send call;
                                   at most FA_MAX_WRITE_BUFFER. Frames above half of it are not copied. */
    uint32_t flush_delay_us;  /**< Buffered bytes this old (microseconds) are written out by the next call on the
                                   connection; default FA_DEFAULT_FLUSH_DELAY_US (1 ms); 0: by the next call. */
} fa_options;

/** Fills o with the defaults. */
FA_API void fa_options_init(fa_options *o);

/**
 * Allocates a connection with these options; no I/O happens. Register agents and subscriptions now or later,
 * then call fa_connect().
 * @return FA_OK, FA_EINVAL (bad options), FA_ENOMEM, FA_EENDPOINT (unparsable endpoint).
 */
FA_API int fa_open(const fa_options *o, fa_conn **out);

/**
 * Connects and performs the handshake (hello, welcome) within timeout_ms (negative: no limit), then sends a
 * register frame for each registered agent and a subscribe frame for each subscription. If the connection was
 * open, it is closed first. One attempt; see fa_reconnect() for retries.
 * @return FA_OK; FA_ECONNECT, FA_EENDPOINT, FA_ETIMEDOUT, FA_EREFUSED (the router's error code is in
 *         fa_last_protocol_error()), FA_EPROTO, FA_ECLOSED, FA_EIO.
 */
FA_API int fa_connect(fa_conn *c, int timeout_ms);

/**
 * Connects again after the connection was lost (router restart, network failure): calls fa_connect() with a
 * backoff of 50 ms doubling up to 2 s between attempts, until one succeeds or timeout_ms passes (negative: no
 * limit). The node agent, registrations and subscriptions are kept. Asks pending on the old connection are lost.
 * @return FA_OK, or the last attempt's error (fa_last_error() describes it).
 */
FA_API int fa_reconnect(fa_conn *c, int timeout_ms);

/** Non-zero while the connection is open (joined: the welcome arrived and no failure since). */
FA_API int fa_is_connected(const fa_conn *c);

/**
 * Writes out the buffered frames and a Close frame (code 0), shuts the socket down, and frees the connection and
 * everything it owns. Waits at most the send timeout (at most 1 s) for the socket to take the bytes. c may be NULL.
 */
FA_API void fa_close(fa_conn *c);

/** The detailed text of the last failure on this connection ("" when none). Valid until the next call. */
FA_API const char *fa_last_error(const fa_conn *c);

/** The protocol error code of the last Error or Close frame received or sent (FA_PE_*), or 0. */
FA_API unsigned fa_last_protocol_error(const fa_conn *c);

/** The connection's node agent (0xFFFFFFFF00000000 | node key). */
FA_API uint64_t fa_node_agent(const fa_conn *c);

/** The router's maximum frame from the welcome (0 before the first welcome). */
FA_API uint32_t fa_router_max_frame(const fa_conn *c);

/** Number of successful fa_connect() calls after the first. */
FA_API uint64_t fa_reconnections(const fa_conn *c);

/* ------------------------------------------------------------------------------------------------------------ */
/* Registrations and subscriptions (remembered and replayed on every connect)                                     */
/* ------------------------------------------------------------------------------------------------------------ */

/**
 * Registers agent `agent` (not 0, not a node agent) owned by this connection, with `count` capability ids
 * (at most 1024; registering again replaces them). Sent now if connected, and on every later connect.
 * @return FA_OK, FA_EINVAL, FA_ENOMEM, or a send error (the registration is kept and replayed on reconnect).
 */
FA_API int fa_register(fa_conn *c, uint64_t agent, const uint64_t *capabilities, uint32_t count);

/** Removes agent `agent` (and its subscriptions) from this connection; tells the router if connected. */
FA_API int fa_deregister(fa_conn *c, uint64_t agent);

/** Subscribes agent `agent` of this connection to a topic id. Sent now if connected, and on every connect. */
FA_API int fa_subscribe(fa_conn *c, uint64_t topic, uint64_t agent);

/** Ends a subscription made with fa_subscribe(). */
FA_API int fa_unsubscribe(fa_conn *c, uint64_t topic, uint64_t agent);

/* ------------------------------------------------------------------------------------------------------------ */
/* Sending                                                                                                        */
/* ------------------------------------------------------------------------------------------------------------ */

/**
 * Sends one envelope. With coalescing on (the default) and a frame of at most half the write buffer, the frame
 * is copied into the write buffer and the call returns without a system call, unless the buffer must be written
 * out (the frame does not fit, a heartbeat is due, or the buffered bytes reached the flush delay: see "Write
 * coalescing"). Otherwise the frame is written from m's buffers with one sendmsg(), behind the buffered bytes.
 * Waits up to the send timeout while the socket takes no bytes; a frame that fits in the buffer once the socket
 * took part of it is kept there. A frame of which part was written when the timeout struck is kept (copied)
 * and completed before the next frame, so the stream never carries half a frame; such a send counts as done.
 * The same holds for fa_tell, fa_tell_any, fa_publish, fa_ask_start, fa_reply and fa_reject.
 * @return FA_OK (written, or kept to be written in order); FA_EINVAL (bad kind, priority, flags or missing
 *         target), FA_ETOOBIG, FA_EAGAIN (send timeout 0 and the socket is full), FA_ETIMEDOUT (the frame was not
 *         sent), FA_ENOTCONN, FA_EIO / FA_ECLOSED (a write, possibly of earlier buffered frames, failed; the
 *         connection is closed).
 */
FA_API int fa_send(fa_conn *c, const fa_out *m);

/**
 * Sends n envelopes with as few sendmsg() calls as possible (up to 256 per call), zero copy: the buffered bytes
 * go first in the same sendmsg(). *sent (may be NULL) receives how many were sent in full or accepted; on error
 * the rest were not sent.
 */
FA_API int fa_send_batch(fa_conn *c, const fa_out *m, size_t n, size_t *sent);

/** Tells agent `target` a payload (priority Normal). `sender` may be 0 (from outside any agent). */
FA_API int fa_tell(fa_conn *c, uint64_t sender, uint64_t target, uint32_t payload_type, const void *payload,
                   uint32_t payload_len);

/** Tells the least busy agent with capability id `capability` (flag AnyOf, priority Normal). */
FA_API int fa_tell_any(fa_conn *c, uint64_t sender, uint64_t capability, uint32_t payload_type,
                       const void *payload, uint32_t payload_len);

/** Publishes a payload to topic id `topic` (priority Normal). The router never returns it to this connection. */
FA_API int fa_publish(fa_conn *c, uint64_t sender, uint64_t topic, uint32_t payload_type, const void *payload,
                      uint32_t payload_len);

/**
 * Sends an ask without waiting: m->kind is taken as FA_ASK; the sender defaults to the node agent and the
 * correlation id is assigned when m->correlation_id is 0. The id goes to *correlation (may be NULL); the reply
 * arrives through fa_recv() as an FA_REPLY with that correlation_id (or as an FA_UNDELIVERABLE notice whose
 * correlation_id is that id).
 */
FA_API int fa_ask_start(fa_conn *c, const fa_out *m, uint64_t *correlation);

/**
 * Asks and waits up to timeout_ms (negative: no limit) for the reply, which is returned in *reply (a view, see
 * "Memory and zero copy"). The ask and every frame buffered before it are written out before the call waits. Envelopes and notices that arrive meanwhile are kept (copied) and returned by later
 * fa_recv() calls in order.
 * @return FA_OK; FA_ETIMEDOUT; FA_EUNDELIVERABLE (reply->reason holds the reason: the router or the target's
 *         process reported the ask undeliverable, or the target's process left: FA_DL_DISCONNECTED);
 *         a send error; a connection error.
 */
FA_API int fa_ask(fa_conn *c, const fa_out *m, int timeout_ms, fa_msg *reply);

/**
 * Replies to a received ask: target = the ask's sender, correlation id and priority = the ask's. `sender` is
 * the replying agent; 0 means the ask's target (when the ask was not sent to a capability).
 */
FA_API int fa_reply(fa_conn *c, const fa_msg *ask, uint64_t sender, uint32_t payload_type, const void *payload,
                    uint32_t payload_len);

/**
 * Tells the router this process cannot answer an ask (an Undeliverable frame, reporter 2, with `reason`), so the
 * asker fails at once instead of timing out.
 */
FA_API int fa_reject(fa_conn *c, const fa_msg *ask, uint8_t reason);

/**
 * Writes out the buffered frames (coalesced frames, and the rest of a frame whose send timed out part-way),
 * waiting up to timeout_ms for the socket to take them (0: only what it takes now; negative: no limit). Call it
 * when a sender stops calling into the connection for a while (see "Write coalescing").
 * @return FA_OK when nothing is left, FA_ETIMEDOUT / FA_EAGAIN when bytes remain (they stay buffered),
 *         FA_ENOTCONN, or a write error (FA_EIO / FA_ECLOSED: the connection is closed).
 */
FA_API int fa_flush(fa_conn *c, int timeout_ms);

/** Bytes buffered and not yet written to the socket (0 when none). */
FA_API size_t fa_unsent_bytes(const fa_conn *c);

/* ------------------------------------------------------------------------------------------------------------ */
/* Receiving                                                                                                      */
/* ------------------------------------------------------------------------------------------------------------ */

/**
 * Returns the next envelope or notice in *m, waiting up to timeout_ms (0: do not wait; negative: no limit).
 * Heartbeats are answered, dead routers detected, and Error / Close frames end the connection, inside this call.
 * Before it waits (timeout not 0, nothing received yet), it writes out the buffered frames, and keeps writing
 * them while it waits; with timeout 0 it only applies the flush delay (see "Write coalescing").
 * @return FA_OK with *m set; FA_EAGAIN (timeout 0, nothing ready) or FA_ETIMEDOUT; FA_ECLOSED (end of stream or
 *         a Close frame: fa_last_protocol_error() has its code), FA_EREFUSED (an Error frame), FA_EPROTO (the
 *         router broke the protocol; this side sent an Error frame), FA_EDEAD, FA_EIO, FA_ENOTCONN.
 *
 * Poll-friendly use: poll fa_fd() for POLLIN with timeout fa_next_timeout_ms(), then call fa_recv(c, &m, 0)
 * until it returns FA_EAGAIN (frames may already be buffered; poll does not see those). Buffered outgoing frames
 * leave by the flush delay (fa_next_timeout_ms() includes it); call fa_flush(c, 0) before poll() to send them
 * at once, and add POLLOUT while fa_unsent_bytes() is not 0 if the socket may be full.
 */
FA_API int fa_recv(fa_conn *c, fa_msg *m, int timeout_ms);

/** The socket descriptor (-1 when closed), for poll/epoll/select. Do not read, write or close it. */
FA_API int fa_fd(const fa_conn *c);

/** Non-zero when fa_recv(c, &m, 0) would return a message without reading the socket. */
FA_API int fa_pending(const fa_conn *c);

/** Milliseconds until the library needs to run (next heartbeat, dead-after check, or flush of buffered frames
 *  that reach the flush delay); -1 when closed. */
FA_API int fa_next_timeout_ms(const fa_conn *c);

/** Sets the backlog reported in heartbeats (envelopes waiting in this process; used for capability balancing). */
FA_API void fa_set_backlog(fa_conn *c, int64_t backlog);

/** Sends a heartbeat now, with the buffered frames before it (normally not needed: heartbeats are sent
 *  automatically). */
FA_API int fa_heartbeat(fa_conn *c);

/* ------------------------------------------------------------------------------------------------------------ */
/* Payload helpers: the MemoryPack layout of simple messages                                                      */
/* ------------------------------------------------------------------------------------------------------------ */

/**
 * Writes little-endian values into a caller buffer. The first failure (no room, bad argument) sets `error` to
 * FA_ERANGE / FA_EINVAL and later calls do nothing, so check once at the end (fa_writer_finish()).
 *
 * Example, .NET `record struct EchoMessage(long Sequence, long Value)`:
 *   uint8_t buf[16]; fa_writer w; fa_writer_init(&w, buf, sizeof buf);
 *   fa_put_i64(&w, seq); fa_put_i64(&w, value);               16 bytes, no header
 * Example, .NET `[FastMessage] class Person { int Age; string? Name; }`:
 *   fa_put_member_count(&w, 2); fa_put_i32(&w, 40); fa_put_string(&w, "John", 4);
 */
typedef struct fa_writer {
    uint8_t *buf;
    size_t cap;
    size_t len;
    int error;
} fa_writer;

FA_API void fa_writer_init(fa_writer *w, void *buf, size_t cap);
/** Bytes written, or the error (negative) if any call failed. */
FA_API long fa_writer_finish(const fa_writer *w);
FA_API void fa_put_u8(fa_writer *w, uint8_t v);
FA_API void fa_put_bool(fa_writer *w, int v);
FA_API void fa_put_i16(fa_writer *w, int16_t v);
FA_API void fa_put_u16(fa_writer *w, uint16_t v);
FA_API void fa_put_i32(fa_writer *w, int32_t v);
FA_API void fa_put_u32(fa_writer *w, uint32_t v);
FA_API void fa_put_i64(fa_writer *w, int64_t v);
FA_API void fa_put_u64(fa_writer *w, uint64_t v);
FA_API void fa_put_f32(fa_writer *w, float v);
FA_API void fa_put_f64(fa_writer *w, double v);
/** n zero bytes (struct padding). */
FA_API void fa_put_zeros(fa_writer *w, size_t n);
/** n raw bytes. */
FA_API void fa_put_raw(fa_writer *w, const void *p, size_t n);
/** A string in MemoryPack's UTF-8 form; s == NULL writes null. The text must be valid UTF-8 (else FA_EINVAL). */
FA_API void fa_put_string(fa_writer *w, const char *s, size_t n);
/** An object's member-count byte (0..249), or 255 for a null object. */
FA_API void fa_put_member_count(fa_writer *w, uint8_t count);
/** An array / list length header (-1 for null), followed by the elements the caller writes. */
FA_API void fa_put_array_header(fa_writer *w, int32_t count);
/** A byte[] (or any array of 1-byte elements): its length, then the bytes; p == NULL writes null. */
FA_API void fa_put_bytes(fa_writer *w, const void *p, int32_t n);

/** Reads values written in the layout above from a buffer; the first failure sets `error` (FA_ERANGE). */
typedef struct fa_reader {
    const uint8_t *buf;
    size_t len;
    size_t pos;
    int error;
} fa_reader;

FA_API void fa_reader_init(fa_reader *r, const void *buf, size_t len);
/** FA_OK when every read succeeded and all bytes were consumed, FA_ERANGE otherwise. */
FA_API int fa_reader_finish(const fa_reader *r);
FA_API uint8_t fa_get_u8(fa_reader *r);
FA_API int fa_get_bool(fa_reader *r);
FA_API int16_t fa_get_i16(fa_reader *r);
FA_API uint16_t fa_get_u16(fa_reader *r);
FA_API int32_t fa_get_i32(fa_reader *r);
FA_API uint32_t fa_get_u32(fa_reader *r);
FA_API int64_t fa_get_i64(fa_reader *r);
FA_API uint64_t fa_get_u64(fa_reader *r);
FA_API float fa_get_f32(fa_reader *r);
FA_API double fa_get_f64(fa_reader *r);
FA_API void fa_get_skip(fa_reader *r, size_t n);
FA_API void fa_get_raw(fa_reader *r, void *dst, size_t n);
/**
 * Reads a string (either MemoryPack form: UTF-8, or UTF-16 which is reported as FA_ERANGE since it cannot be
 * viewed as UTF-8). *s receives a view into the buffer (not NUL-terminated) or NULL for a null string; *n its
 * byte length. @return FA_OK or FA_ERANGE.
 */
FA_API int fa_get_string(fa_reader *r, const char **s, size_t *n);
/** An object's member-count byte (255 = null). */
FA_API uint8_t fa_get_member_count(fa_reader *r);
/** An array / list length header (-1 = null). */
FA_API int32_t fa_get_array_header(fa_reader *r);

#ifdef __cplusplus
}
#endif

#endif /* FASTAGENTS_H */

/* Test helpers: checks, child processes with a stdout pipe, a watchdog, temporary socket paths. */
#ifndef FA_TEST_HARNESS_H
#define FA_TEST_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CHECK(cond)                                                                                                    \
    do {                                                                                                               \
        if (!(cond)) th_fail(__FILE__, __LINE__, #cond, NULL);                                                         \
    } while (0)

/* Checks that expr returns want; on failure prints both codes and the connection's last error. */
#define CHECK_RC(conn, expr, want)                                                                                     \
    do {                                                                                                               \
        int th_rc_ = (expr);                                                                                           \
        if (th_rc_ != (want)) th_fail_rc(__FILE__, __LINE__, #expr, th_rc_, (want), (conn));                           \
    } while (0)

struct fa_conn;

void th_fail(const char *file, int line, const char *what, const char *detail);
void th_fail_rc(const char *file, int line, const char *what, int got, int want, const struct fa_conn *c);

/* Kills every child after `seconds` and exits with status 2: no test can hang. */
void th_watchdog(int seconds);

/* A unique socket path under /tmp. */
void th_socket_path(char *buf, size_t n, const char *tag);

typedef struct th_child {
    pid_t pid;
    int out;      /* read end of the child's stdout */
    char buf[16384];
    size_t len;
    int status;   /* exit status once reaped, else -1 */
} th_child;

/* Starts argv (NULL-terminated) with stdout on a pipe; stderr is inherited. Returns 0 or -1. */
int th_spawn(th_child *ch, char *const argv[]);
/* Reads the next stdout line (without newline) within timeout_ms: 1 line, 0 timeout, -1 end of output. */
int th_read_line(th_child *ch, char *line, size_t n, int timeout_ms);
/* Reads lines until one starts with prefix: 1 found (line set), 0 timeout, -1 end of output. */
int th_wait_line(th_child *ch, const char *prefix, char *line, size_t n, int timeout_ms);
/* Non-zero once the child has exited (reaps it, status in ch->status). */
int th_exited(th_child *ch);
/* Sends sig, waits up to timeout_ms, then SIGKILLs; returns the exit code (or 128 + signal). */
int th_stop(th_child *ch, int sig, int timeout_ms);

/* Milliseconds of a monotonic clock. */
int64_t th_now_ms(void);
void th_sleep_ms(int ms);

#endif

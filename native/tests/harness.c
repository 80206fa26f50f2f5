#define _DEFAULT_SOURCE 1
#define _POSIX_C_SOURCE 200809L

#include "harness.h"

#include "fastagents.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#define TH_MAX_CHILDREN 16

/* Test-process bookkeeping (the library itself has no global state). */
static pid_t s_children[TH_MAX_CHILDREN];
static int s_counter;

static void kill_children(void) {
    for (int i = 0; i < TH_MAX_CHILDREN; i++) {
        if (s_children[i] > 0) {
            kill(s_children[i], SIGKILL);
            waitpid(s_children[i], NULL, 0);
            s_children[i] = 0;
        }
    }
}

static void on_alarm(int sig) {
    (void)sig;
    static const char msg[] = "FAIL: watchdog: the test took too long; children killed\n";
    ssize_t w = write(2, msg, sizeof msg - 1);
    (void)w;
    for (int i = 0; i < TH_MAX_CHILDREN; i++) {
        if (s_children[i] > 0) kill(s_children[i], SIGKILL);
    }
    _exit(2);
}

void th_watchdog(int seconds) {
    signal(SIGALRM, on_alarm);
    signal(SIGPIPE, SIG_IGN);
    atexit(kill_children);
    alarm((unsigned)seconds);
}

void th_fail(const char *file, int line, const char *what, const char *detail) {
    fprintf(stderr, "FAIL %s:%d: %s%s%s\n", file, line, what, detail ? ": " : "", detail ? detail : "");
    kill_children();
    exit(1);
}

void th_fail_rc(const char *file, int line, const char *what, int got, int want, const struct fa_conn *c) {
    char detail[1024];
    snprintf(detail, sizeof detail, "returned %d (%s), expected %d (%s); last error: %s", got, fa_strerror(got), want,
             fa_strerror(want), c ? fa_last_error(c) : "-");
    th_fail(file, line, what, detail);
}

void th_socket_path(char *buf, size_t n, const char *tag) {
    snprintf(buf, n, "/tmp/fa-native-%ld-%s-%d.sock", (long)getpid(), tag, ++s_counter);
    unlink(buf);
}

int64_t th_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void th_sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

int th_spawn(th_child *ch, char *const argv[]) {
    memset(ch, 0, sizeof *ch);
    ch->status = -1;
    int p[2];
    if (pipe(p) != 0) return -1;
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
#ifdef __linux__
        prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
        dup2(p[1], 1);
        close(p[0]);
        close(p[1]);
        execvp(argv[0], argv);
        fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(p[1]);
    fcntl(p[0], F_SETFD, FD_CLOEXEC);
    ch->pid = pid;
    ch->out = p[0];
    for (int i = 0; i < TH_MAX_CHILDREN; i++) {
        if (s_children[i] == 0) {
            s_children[i] = pid;
            break;
        }
    }
    return 0;
}

int th_read_line(th_child *ch, char *line, size_t n, int timeout_ms) {
    int64_t deadline = th_now_ms() + timeout_ms;
    for (;;) {
        char *nl = memchr(ch->buf, '\n', ch->len);
        if (nl != NULL) {
            size_t l = (size_t)(nl - ch->buf);
            size_t c = l < n - 1 ? l : n - 1;
            memcpy(line, ch->buf, c);
            line[c] = '\0';
            memmove(ch->buf, nl + 1, ch->len - l - 1);
            ch->len -= l + 1;
            return 1;
        }
        if (ch->out < 0) return -1;
        if (ch->len == sizeof ch->buf) ch->len = 0; /* an absurdly long line: drop it */
        int64_t left = deadline - th_now_ms();
        if (left <= 0) return 0;
        struct pollfd p = {ch->out, POLLIN, 0};
        int r = poll(&p, 1, (int)left);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) continue;
        ssize_t got = read(ch->out, ch->buf + ch->len, sizeof ch->buf - ch->len);
        if (got > 0) {
            ch->len += (size_t)got;
        } else if (got == 0 || errno != EINTR) {
            close(ch->out);
            ch->out = -1;
            if (ch->len > 0) { /* last line without newline */
                ch->buf[ch->len < sizeof ch->buf ? ch->len : sizeof ch->buf - 1] = '\n';
                ch->len = ch->len < sizeof ch->buf ? ch->len + 1 : sizeof ch->buf;
            }
        }
    }
}

int th_wait_line(th_child *ch, const char *prefix, char *line, size_t n, int timeout_ms) {
    int64_t deadline = th_now_ms() + timeout_ms;
    for (;;) {
        int64_t left = deadline - th_now_ms();
        if (left <= 0) return 0;
        int r = th_read_line(ch, line, n, (int)left);
        if (r <= 0) return r;
        if (strncmp(line, prefix, strlen(prefix)) == 0) return 1;
    }
}

static void forget(pid_t pid) {
    for (int i = 0; i < TH_MAX_CHILDREN; i++) {
        if (s_children[i] == pid) s_children[i] = 0;
    }
}

static int decode(int st) { return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0); }

int th_exited(th_child *ch) {
    if (ch->status >= 0) return 1;
    if (ch->pid <= 0) return 1;
    int st;
    pid_t r = waitpid(ch->pid, &st, WNOHANG);
    if (r == ch->pid) {
        ch->status = decode(st);
        forget(ch->pid);
        return 1;
    }
    return 0;
}

int th_stop(th_child *ch, int sig, int timeout_ms) {
    if (ch->pid <= 0) return -1;
    if (!th_exited(ch)) {
        kill(ch->pid, sig);
        int64_t deadline = th_now_ms() + timeout_ms;
        while (!th_exited(ch) && th_now_ms() < deadline) th_sleep_ms(10);
        if (!th_exited(ch)) {
            fprintf(stderr, "note: child %ld did not exit after signal %d; killing it\n", (long)ch->pid, sig);
            kill(ch->pid, SIGKILL);
            int st;
            waitpid(ch->pid, &st, 0);
            ch->status = decode(st);
            forget(ch->pid);
        }
    }
    if (ch->out >= 0) {
        /* keep the pipe for reading remaining lines; closed by th_read_line at end of output */
    }
    return ch->status;
}

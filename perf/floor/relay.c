// The machine's floor for the router's latency figure, in C: a paced sender -> Unix socket -> relay process
// (blocking read, blocking write) -> Unix socket -> receiver, three processes, one thread each, 64-byte
// messages that carry their intended send time; latency from that time (open model). Nothing here can be
// removed, so no transport between three processes on this machine does better.
// Usage: relay RATE SECONDS   (the first fifth of the messages is warm-up and is not counted)
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int compare(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void read_all(int fd, char *buffer, size_t length)
{
    size_t got = 0;
    while (got < length) {
        ssize_t r = read(fd, buffer + got, length - got);
        if (r <= 0) {
            exit(1);
        }
        got += (size_t)r;
    }
}

static void write_all(int fd, const char *buffer, size_t length)
{
    if (write(fd, buffer, length) != (ssize_t)length) {
        exit(1);
    }
}

int main(int argc, char **argv)
{
    int rate = argc > 1 ? atoi(argv[1]) : 20000;
    int seconds = argc > 2 ? atoi(argv[2]) : 5;
    long count = (long)rate * seconds;
    int in[2], out[2];
    if (rate <= 0 || seconds <= 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, in) != 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, out) != 0) {
        fprintf(stderr, "usage: relay RATE SECONDS\n");
        return 2;
    }

    char message[64] = {0};
    if (fork() == 0) {
        for (long i = 0; i < count; i++) {
            read_all(in[1], message, sizeof message);
            write_all(out[0], message, sizeof message);
        }
        return 0;
    }

    if (fork() == 0) {
        int64_t *latency = malloc((size_t)count * sizeof *latency);
        if (latency == NULL) {
            return 1;
        }
        for (long i = 0; i < count; i++) {
            int64_t intended;
            read_all(out[1], message, sizeof message);
            memcpy(&intended, message, sizeof intended);
            latency[i] = now_ns() - intended;
        }
        long skip = count / 5, n = count - skip;
        int64_t *l = latency + skip;
        qsort(l, (size_t)n, sizeof *l, compare);
        printf("relay floor: rate=%d/s messages=%ld p50=%.1f p90=%.1f p99=%.1f p99.9=%.1f max=%.1f us\n", rate, n,
               l[n / 2] / 1e3, l[n * 9 / 10] / 1e3, l[n * 99 / 100] / 1e3, l[n * 999 / 1000] / 1e3, l[n - 1] / 1e3);
        free(latency);
        return 0;
    }

    prctl(PR_SET_TIMERSLACK, 1, 0, 0, 0); // wake at the intended time, not up to 50 us after it
    int64_t start = now_ns() + 1000000;
    for (long i = 0; i < count; i++) {
        int64_t intended = start + (int64_t)((double)i * 1e9 / rate);
        struct timespec until = {intended / 1000000000, intended % 1000000000};
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL);
        memcpy(message, &intended, sizeof intended);
        write_all(in[0], message, sizeof message);
    }

    while (wait(NULL) > 0) {
    }
    return 0;
}

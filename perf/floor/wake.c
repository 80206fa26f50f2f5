// The machine's floor for waking a parked thread, in C: the consumer sleeps on a futex, the producer
// stays quiet for GAP_US, stamps the time, publishes and wakes it; the consumer records how long after
// the publish it ran. Usage: wake WAKES GAP_US
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static _Atomic int word;
static _Atomic int handled;
static _Atomic long stamp;
static long *latencies;
static long wakes;

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static void *consumer(void *arg) {
    (void)arg;
    for (long i = 0; i < wakes; i++) {
        while (atomic_load(&word) == 0)
            syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
        latencies[i] = now_ns() - atomic_load(&stamp);
        atomic_store(&word, 0);
        atomic_store(&handled, 1);
    }
    return NULL;
}

static int compare(const void *a, const void *b) {
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s WAKES GAP_US\n", argv[0]);
        return 2;
    }
    wakes = atol(argv[1]);
    long gap_us = atol(argv[2]);
    latencies = malloc(sizeof(long) * wakes);
    pthread_t thread;
    pthread_create(&thread, NULL, consumer, NULL);
    for (long i = 0; i < wakes; i++) {
        struct timespec gap = {gap_us / 1000000, (gap_us % 1000000) * 1000};
        nanosleep(&gap, NULL);
        atomic_store(&handled, 0);
        atomic_store(&stamp, now_ns());
        atomic_store(&word, 1);
        syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
        while (!atomic_load(&handled)) {
        }
    }
    pthread_join(thread, NULL);
    qsort(latencies, wakes, sizeof(long), compare);
    printf("c futex wake after %ld us idle: p50=%.2f p99=%.2f p99.9=%.2f max=%.2f us\n", gap_us,
           latencies[wakes / 2] / 1e3, latencies[wakes * 99 / 100] / 1e3, latencies[wakes * 999 / 1000] / 1e3,
           latencies[wakes - 1] / 1e3);
    return 0;
}

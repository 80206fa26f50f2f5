// The machine's floor for a two-thread request/reply exchange, in C: the same algorithm as the ring's
// default wait (spin with a pause for a time budget, then park on a futex; the publisher wakes only when
// the other side is parked), so the .NET figures can be compared with what the hardware and the
// hypervisor allow. Usage: pingpong ROUND_TRIPS SPIN_BUDGET_US PIN(0|1)
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__)
#include <immintrin.h>
#define PAUSE() _mm_pause()
#else
#define PAUSE() __asm__ __volatile__("yield")
#endif

typedef struct {
    _Alignas(64) _Atomic long seq;
    _Alignas(64) _Atomic int sleepers;
    _Atomic int generation;
} channel;

static channel ping, pong;
static long *latencies;
static long round_trips, warmup = 20000, budget_ns;
static int pin;

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static void pin_to(int cpu) {
    if (!pin) return;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

static void wait_for(channel *c, long value) {
    long start = now_ns();
    for (int i = 1; atomic_load(&c->seq) < value; i++) {
        if (i % 16 == 0 && now_ns() - start > budget_ns) break;
        PAUSE();
    }
    while (atomic_load(&c->seq) < value) {
        atomic_fetch_add(&c->sleepers, 1); // seq_cst: a full fence before the re-check
        int generation = atomic_load(&c->generation);
        if (atomic_load(&c->seq) < value)
            syscall(SYS_futex, &c->generation, FUTEX_WAIT_PRIVATE, generation, NULL, NULL, 0);
        atomic_fetch_sub(&c->sleepers, 1);
    }
}

static void publish(channel *c, long value) {
    atomic_store(&c->seq, value);
    atomic_thread_fence(memory_order_seq_cst);
    if (atomic_load(&c->sleepers) != 0) {
        atomic_fetch_add(&c->generation, 1);
        syscall(SYS_futex, &c->generation, FUTEX_WAKE_PRIVATE, 1 << 30, NULL, NULL, 0);
    }
}

static void *echo(void *arg) {
    (void)arg;
    pin_to(1);
    for (long i = 1; i <= warmup + round_trips; i++) {
        wait_for(&ping, i);
        publish(&pong, i);
    }
    return NULL;
}

static int compare(const void *a, const void *b) {
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s ROUND_TRIPS SPIN_BUDGET_US PIN(0|1)\n", argv[0]);
        return 2;
    }
    round_trips = atol(argv[1]);
    budget_ns = atol(argv[2]) * 1000;
    pin = atoi(argv[3]);
    latencies = malloc(sizeof(long) * round_trips);
    pthread_t thread;
    pthread_create(&thread, NULL, echo, NULL);
    pin_to(0);
    for (long i = 1; i <= warmup + round_trips; i++) {
        long start = now_ns();
        publish(&ping, i);
        wait_for(&pong, i);
        if (i > warmup) latencies[i - warmup - 1] = now_ns() - start;
    }
    pthread_join(thread, NULL);
    qsort(latencies, round_trips, sizeof(long), compare);
    printf("c ping-pong round trip (spin %ld us then futex, %s): p50=%.2f p99=%.2f p99.9=%.2f max=%.2f us\n",
           budget_ns / 1000, pin ? "pinned" : "unpinned", latencies[round_trips / 2] / 1e3,
           latencies[round_trips * 99 / 100] / 1e3, latencies[round_trips * 999 / 1000] / 1e3,
           latencies[round_trips - 1] / 1e3);
    return 0;
}

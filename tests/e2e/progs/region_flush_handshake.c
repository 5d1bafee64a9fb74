/* This file handles flush in a producer/consumer handshake: thread 0
 * writes a value, flushes, and raises a flag with an atomic write; thread
 * 1 waits for the flag with atomic reads, flushes, reads the value, and
 * answers through a second flag. Many rounds, each with a new value: a
 * missing flush or a flag that is not atomic shows as a wrong sum. With a
 * team of one (if(0)) one thread plays both parts. */
#include <stdio.h>
#ifdef _OPENMP
#include <omp.h>
#else
static int omp_get_thread_num(void) { return 0; }
static int omp_get_num_threads(void) { return 1; }
#endif

enum { ROUNDS = 300 };

static long run(int two)
{
    long data[2] = {0, 0}, got = 0;
    int flag = 0, ack = 0;
#pragma omp parallel num_threads(2) if(two) shared(data, got, flag, ack)
    {
        int t = omp_get_thread_num(), n = omp_get_num_threads();
        if (n == 1) {
            for (int r = 1; r <= ROUNDS; r++) {
                data[r % 2] = (long)r * r;
                got += data[r % 2];
            }
        } else if (t == 0) {
            for (int r = 1; r <= ROUNDS; r++) {
                data[r % 2] = (long)r * r;
#pragma omp flush
#pragma omp atomic write
                flag = r;
                int a = 0;
                while (a != r) {
#pragma omp atomic read
                    a = ack;
                }
            }
        } else if (t == 1) {
            for (int r = 1; r <= ROUNDS; r++) {
                int f = 0;
                while (f != r) {
#pragma omp atomic read
                    f = flag;
                }
#pragma omp flush
                got += data[r % 2];
#pragma omp atomic write
                ack = r;
            }
        }
    }
    return got;
}

int main(void)
{
    long pair = run(1), alone = run(0);
    printf("pair=%ld alone=%ld expect=%ld\n", pair, alone,
           (long)ROUNDS * (ROUNDS + 1) * (2 * ROUNDS + 1) / 6);
    return 0;
}

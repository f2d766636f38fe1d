#include "log.h"

#include <pthread.h>
#include <stdio.h>
#include <time.h>

static char buffer[1 << 16];
static pthread_t flusher;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static int running;

static void *flush_loop(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    while (running) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += LOG_FLUSH_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&wake, &lock, &until);
        fflush(stderr);
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

void log_start(void)
{
    setvbuf(stderr, buffer, _IOFBF, sizeof buffer);
    running = 1;
    if (pthread_create(&flusher, NULL, flush_loop, NULL) != 0) {
        running = 0;
        setvbuf(stderr, NULL, _IONBF, 0); /* no flusher: do not hold lines back */
    }
}

void log_stop(void)
{
    pthread_mutex_lock(&lock);
    int was_running = running;
    running = 0;
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
    if (was_running) pthread_join(flusher, NULL);
    fflush(stderr);
}

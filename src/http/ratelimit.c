#include "http/ratelimit.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define KEY_MAX 96
#define PROBE_LIMIT 16

typedef struct bucket {
    char key[KEY_MAX];
    double tokens;
    int64_t last_ms;   /* 0 = free slot */
} bucket;

struct rate_limiter {
    pthread_mutex_t lock;
    size_t slots;
    bucket *buckets;
};

rate_limiter *rate_limiter_new(size_t slots)
{
    if (slots == 0)
        return NULL;
    rate_limiter *rl = calloc(1, sizeof *rl);
    if (!rl)
        return NULL;
    rl->buckets = calloc(slots, sizeof *rl->buckets);
    if (!rl->buckets) {
        free(rl);
        return NULL;
    }
    rl->slots = slots;
    pthread_mutex_init(&rl->lock, NULL);
    return rl;
}

void rate_limiter_free(rate_limiter *rl)
{
    if (!rl)
        return;
    pthread_mutex_destroy(&rl->lock);
    free(rl->buckets);
    free(rl);
}

static uint64_t hash_key(const char *key)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h;
}

/* The bucket of key: its own slot, else a free one, else the stalest within the probe window. */
static bucket *find_bucket(rate_limiter *rl, const char *key, double capacity, int64_t now_ms)
{
    size_t start = (size_t)(hash_key(key) % rl->slots);
    bucket *victim = &rl->buckets[start];
    for (size_t i = 0; i < PROBE_LIMIT && i < rl->slots; i++) {
        bucket *b = &rl->buckets[(start + i) % rl->slots];
        if (b->last_ms != 0 && strncmp(b->key, key, KEY_MAX - 1) == 0)
            return b;
        if (b->last_ms < victim->last_ms)
            victim = b;
    }
    strncpy(victim->key, key, KEY_MAX - 1);
    victim->key[KEY_MAX - 1] = '\0';
    victim->tokens = capacity;
    victim->last_ms = now_ms;
    return victim;
}

int rate_limiter_take(rate_limiter *rl, const char *key, int64_t per_minute, int64_t now_ms)
{
    if (per_minute <= 0 || !rl)
        return 0;
    if (now_ms <= 0)
        now_ms = 1;
    double capacity = (double)per_minute;
    double per_ms = capacity / 60000.0;
    pthread_mutex_lock(&rl->lock);
    bucket *b = find_bucket(rl, key, capacity, now_ms);
    if (now_ms > b->last_ms) {
        b->tokens += (double)(now_ms - b->last_ms) * per_ms;
        if (b->tokens > capacity)
            b->tokens = capacity;
        b->last_ms = now_ms;
    }
    int wait = 0;
    if (b->tokens >= 1.0) {
        b->tokens -= 1.0;
    } else {
        double ms = (1.0 - b->tokens) / per_ms;
        wait = (int)ceil(ms / 1000.0);
        if (wait < 1)
            wait = 1;
    }
    pthread_mutex_unlock(&rl->lock);
    return wait;
}

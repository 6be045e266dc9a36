#include "discord/discord_notify.h"

#include "core/config.h"
#include "core/log.h"
#include "core/timefmt.h"
#include "discord/discord_client.h"

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#define RETRY_AFTER_MAX_S 60.0

static const struct {
    const char *name;
    const char *text_key;
    int color;
} KINDS[] = {
    [DISCORD_SERVER_STARTING] = {"SERVER_STARTING", "aswg.discord.message.server-starting", 0xF1C40F},
    [DISCORD_SERVER_STARTED] = {"SERVER_STARTED", "aswg.discord.message.server-start", 0x2ECC71},
    [DISCORD_SERVER_STOPPED] = {"SERVER_STOPPED", "aswg.discord.message.server-stop", 0x95A5A6},
    [DISCORD_SERVER_CRASHED] = {"SERVER_CRASHED", "aswg.discord.message.server-crashed", 0xE74C3C},
    [DISCORD_SERVER_UPDATING] = {"SERVER_UPDATING", "aswg.discord.message.server-updating", 0x3498DB},
    [DISCORD_PLAYER_JOINED] = {"PLAYER_JOINED", "aswg.discord.message.player-joined", 0x1ABC9C},
    [DISCORD_PLAYER_LEFT] = {"PLAYER_LEFT", "aswg.discord.message.player-left", 0xE67E22},
};

typedef struct message {
    discord_kind kind;
    char *body;
} message;

static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t sender;
    bool running, stopping;
    message queue[DISCORD_QUEUE_MAX];
    size_t head, count;
    discord_delivery state;
} g_notify = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

const char *discord_kind_name(discord_kind kind)
{
    return KINDS[kind].name;
}

static int64_t now_ms(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* The configured text with every "{player}" replaced. */
static char *title_for(discord_kind kind, const char *player)
{
    const char *text = config_str(KINDS[kind].text_key);
    if (!text[0])
        text = KINDS[kind].name;
    size_t plen = player ? strlen(player) : 0, len = strlen(text) + 1;
    for (const char *p = text; (p = strstr(p, "{player}")); p += 8)
        len += plen;
    char *out = malloc(len), *o = out;
    if (!out)
        return NULL;
    for (const char *p = text; *p;) {
        if (strncmp(p, "{player}", 8) == 0) {
            memcpy(o, player ? player : "", plen);
            o += plen;
            p += 8;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return out;
}

static void add_field(json_t *fields, const char *name, const char *value)
{
    if (value && value[0])
        json_array_append_new(fields, json_pack("{s:s, s:s, s:b}", "name", name, "value", value, "inline", 1));
}

char *discord_message_build(discord_kind kind, const discord_event *ev)
{
    char *title = title_for(kind, ev ? ev->player : NULL);
    if (!title)
        return NULL;
    char stamp[TIME_ISO_MAX];
    time_format_iso(now_ms(), stamp);
    json_t *embed = json_pack("{s:s, s:i, s:s, s:s}", "title", title, "color",
                              KINDS[kind].color, "type", "rich", "timestamp", stamp);
    free(title);
    if (!embed)
        return NULL;
    json_t *fields = json_array();
    if (ev) {
        if (ev->detail && ev->detail[0])
            json_object_set_new(embed, "description", json_string(ev->detail));
        add_field(fields, "Server", ev->server_name);
        add_field(fields, "Mission", ev->mission);
        if (ev->players >= 0) {
            char count[32];
            if (ev->max_players > 0)
                snprintf(count, sizeof count, "%d/%d", ev->players, ev->max_players);
            else
                snprintf(count, sizeof count, "%d", ev->players);
            add_field(fields, "Players", count);
        }
    }
    if (json_array_size(fields))
        json_object_set_new(embed, "fields", fields);
    else
        json_decref(fields);
    json_t *doc = json_pack("{s:[o]}", "embeds", embed);
    char *body = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    return body;
}

void discord_notify(discord_kind kind, const discord_event *ev)
{
    if (!config_bool("aswg.discord.webhook.enabled") || !config_str("aswg.discord.webhook.url")[0])
        return;
    char *body = discord_message_build(kind, ev);
    if (!body)
        return;
    pthread_mutex_lock(&g_notify.lock);
    if (g_notify.count == DISCORD_QUEUE_MAX) {
        message *oldest = &g_notify.queue[g_notify.head];
        log_warn("Discord queue full: dropping the oldest message (%s)", KINDS[oldest->kind].name);
        free(oldest->body);
        g_notify.head = (g_notify.head + 1) % DISCORD_QUEUE_MAX;
        g_notify.count--;
        g_notify.state.dropped++;
    }
    g_notify.queue[(g_notify.head + g_notify.count) % DISCORD_QUEUE_MAX] = (message){kind, body};
    g_notify.count++;
    pthread_cond_signal(&g_notify.wake);
    pthread_mutex_unlock(&g_notify.lock);
}

/* Sleeps up to seconds unless aswg stops; the caller holds the lock. Returns false on stop. */
static bool pause_locked(double seconds)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    long long ns = until.tv_nsec + (long long)(seconds * 1e9);
    until.tv_sec += (time_t)(ns / 1000000000);
    until.tv_nsec = (long)(ns % 1000000000);
    while (!g_notify.stopping && pthread_cond_timedwait(&g_notify.wake, &g_notify.lock, &until) == 0) {
    }
    return !g_notify.stopping;
}

/* Posts one message with the retry rules; the caller holds the lock, released while posting. */
static void deliver_locked(const message *m)
{
    double backoff = 1.0;
    for (int attempt = 1; attempt <= DISCORD_MAX_TRIES && !g_notify.stopping; attempt++) {
        /* The URL is read at each try: a change applies at once (DECISIONS.md 8). */
        char *url = strdup(config_str("aswg.discord.webhook.url"));
        pthread_mutex_unlock(&g_notify.lock);
        discord_answer answer = {0};
        if (url && url[0])
            discord_post(url, m->body, &answer);
        free(url);
        pthread_mutex_lock(&g_notify.lock);
        snprintf(g_notify.state.last_kind, sizeof g_notify.state.last_kind, "%s", KINDS[m->kind].name);
        g_notify.state.last_status = answer.status;
        g_notify.state.last_at_ms = now_ms();
        if (answer.status >= 200 && answer.status < 300) {
            g_notify.state.sent++;
            return;
        }
        bool retry = answer.status == 0 || answer.status == 429 || answer.status >= 500;
        if (!retry || attempt == DISCORD_MAX_TRIES)
            break;
        double wait = answer.status == 429 && answer.retry_after_s > 0 ? answer.retry_after_s : backoff;
        if (wait > RETRY_AFTER_MAX_S)
            wait = RETRY_AFTER_MAX_S;
        backoff *= 2;
        log_info("Discord %s: %s, retrying in %.1f s", KINDS[m->kind].name,
                 answer.status ? "refused for now" : answer.error, wait);
        if (!pause_locked(wait))
            break;
    }
    g_notify.state.failed++;
    log_warn("Discord message %s not delivered (last status %ld)", KINDS[m->kind].name, g_notify.state.last_status);
}

static void *send_loop(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&g_notify.lock);
    while (!g_notify.stopping) {
        if (g_notify.count == 0) {
            pthread_cond_wait(&g_notify.wake, &g_notify.lock);
            continue;
        }
        message m = g_notify.queue[g_notify.head];
        g_notify.head = (g_notify.head + 1) % DISCORD_QUEUE_MAX;
        g_notify.count--;
        deliver_locked(&m);
        free(m.body);
    }
    pthread_mutex_unlock(&g_notify.lock);
    return NULL;
}

int discord_notify_start(void)
{
    g_notify.stopping = false;
    if (pthread_create(&g_notify.sender, NULL, send_loop, NULL) != 0)
        return -1;
    g_notify.running = true;
    return 0;
}

void discord_notify_stop(void)
{
    if (!g_notify.running)
        return;
    pthread_mutex_lock(&g_notify.lock);
    g_notify.stopping = true;
    pthread_cond_broadcast(&g_notify.wake);
    pthread_mutex_unlock(&g_notify.lock);
    pthread_join(g_notify.sender, NULL);
    g_notify.running = false;
    if (g_notify.count)
        log_warn("%zu Discord message(s) not sent: aswg is stopping", g_notify.count);
    for (; g_notify.count; g_notify.count--) {
        free(g_notify.queue[g_notify.head].body);
        g_notify.head = (g_notify.head + 1) % DISCORD_QUEUE_MAX;
    }
}

void discord_delivery_state(discord_delivery *out)
{
    pthread_mutex_lock(&g_notify.lock);
    *out = g_notify.state;
    out->queued = g_notify.count;
    pthread_mutex_unlock(&g_notify.lock);
}

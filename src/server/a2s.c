#include "server/a2s.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PACKET_MAX 1400
#define ANSWER_MAX (16 * PACKET_MAX)
#define SPLIT_MAX 16

typedef struct reader {
    const unsigned char *p, *end;
    int ok;
} reader;

static unsigned char read_byte(reader *r)
{
    if (r->p >= r->end) {
        r->ok = 0;
        return 0;
    }
    return *r->p++;
}

static void skip(reader *r, size_t n)
{
    if ((size_t)(r->end - r->p) < n) {
        r->ok = 0;
        r->p = r->end;
    } else {
        r->p += n;
    }
}

/* A NUL-terminated string, truncated to fit out. */
static void read_string(reader *r, char *out, size_t out_size)
{
    const unsigned char *nul = r->p < r->end ? memchr(r->p, 0, (size_t)(r->end - r->p)) : NULL;
    if (!nul) {
        r->ok = 0;
        out[0] = '\0';
        return;
    }
    size_t n = (size_t)(nul - r->p);
    if (n >= out_size)
        n = out_size - 1;
    memcpy(out, r->p, n);
    out[n] = '\0';
    r->p = nul + 1;
}

int a2s_parse_info(const unsigned char *data, size_t len, a2s_info *out)
{
    reader r = {data, data + len, 1};
    memset(out, 0, sizeof *out);
    if (read_byte(&r) != 0x49)
        return -1;
    read_byte(&r); /* protocol */
    read_string(&r, out->name, sizeof out->name);
    read_string(&r, out->map, sizeof out->map);
    char folder[A2S_TEXT_MAX];
    read_string(&r, folder, sizeof folder);
    read_string(&r, out->game, sizeof out->game);
    skip(&r, 2); /* app id */
    out->players = read_byte(&r);
    out->max_players = read_byte(&r);
    return r.ok ? 0 : -1;
}

int a2s_parse_players(const unsigned char *data, size_t len, a2s_players *out)
{
    reader r = {data, data + len, 1};
    out->count = 0;
    if (read_byte(&r) != 0x44)
        return -1;
    unsigned count = read_byte(&r);
    for (unsigned i = 0; i < count && r.ok; i++) {
        char name[A2S_TEXT_MAX];
        read_byte(&r); /* index */
        read_string(&r, name, sizeof name);
        skip(&r, 8); /* score (int32) and time connected (float32) */
        /* Players still joining have no name yet: not worth listing. */
        if (r.ok && name[0] && out->count < A2S_MAX_PLAYERS)
            memcpy(out->names[out->count++], name, sizeof name);
    }
    return r.ok ? 0 : -1;
}

static long remaining_ms(const struct timespec *deadline)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

static ssize_t receive(int fd, unsigned char *buf, size_t cap, const struct timespec *deadline)
{
    for (;;) {
        long ms = remaining_ms(deadline);
        if (ms <= 0)
            return -1;
        struct pollfd p = {fd, POLLIN, 0};
        int rc = poll(&p, 1, (int)ms);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc <= 0)
            return -1;
        ssize_t n = recv(fd, buf, cap, 0);
        if (n >= 0 || errno != EINTR)
            return n;
    }
}

/* One answer, reassembled from split packets when needed; returns its length without the
 * 0xFFFFFFFF prefix, or -1. */
static ssize_t receive_answer(int fd, unsigned char *answer, const struct timespec *deadline)
{
    unsigned char packet[PACKET_MAX + 64];
    size_t sizes[SPLIT_MAX] = {0};
    bool have[SPLIT_MAX] = {0};
    unsigned char parts[SPLIT_MAX][PACKET_MAX];
    unsigned total = 0, got = 0;
    for (;;) {
        ssize_t n = receive(fd, packet, sizeof packet, deadline);
        if (n < 5)
            return -1;
        uint32_t head;
        memcpy(&head, packet, 4);
        if (head == 0xFFFFFFFFu) {
            memcpy(answer, packet + 4, (size_t)n - 4);
            return n - 4;
        }
        /* Split: FE FF FF FF, id (4), total (1), number (1), size (2), payload. */
        if (head != 0xFFFFFFFEu || n < 12 || (packet[7] & 0x80))
            return -1; /* not split, or compressed (GoldSource-era bzip2): not supported */
        unsigned t = packet[8], i = packet[9];
        size_t payload = (size_t)n - 12;
        if (t == 0 || t > SPLIT_MAX || i >= t || payload > PACKET_MAX || (total && t != total))
            return -1;
        total = t;
        if (!have[i]) {
            memcpy(parts[i], packet + 12, payload);
            sizes[i] = payload;
            have[i] = true;
            got++;
        }
        if (got == total)
            break;
    }
    size_t len = 0;
    for (unsigned i = 0; i < total; i++) {
        memcpy(answer + len, parts[i], sizes[i]);
        len += sizes[i];
    }
    if (len < 4)
        return -1;
    memmove(answer, answer + 4, len - 4); /* the reassembled answer starts with FF FF FF FF */
    return (ssize_t)len - 4;
}

/* Sends request (with a 4-byte challenge slot at its end when has_challenge) and answers a
 * 0x41 challenge by resending with it; returns the answer's length or -1. */
static ssize_t ask(int fd, unsigned char *req, size_t req_len, unsigned char *answer,
                   const struct timespec *deadline)
{
    for (int round = 0; round < 3; round++) {
        if (send(fd, req, req_len, 0) != (ssize_t)req_len)
            return -1;
        ssize_t n = receive_answer(fd, answer, deadline);
        if (n < 0)
            return -1;
        if (answer[0] != 0x41)
            return n;
        if (n < 5)
            return -1;
        /* A2S_INFO takes the challenge appended; A2S_PLAYER has it in place of FF FF FF FF. */
        if (req[4] == 0x54 && req_len == 25)
            req_len += 4;
        memcpy(req + req_len - 4, answer + 1, 4);
    }
    return -1;
}

static int open_socket(int port)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int a2s_query(int port, int timeout_ms, a2s_info *info, a2s_players *players)
{
    players->count = 0;
    int fd = open_socket(port);
    if (fd < 0)
        return -1;
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += timeout_ms / 1000;
    deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
    if (deadline.tv_nsec >= 1000000000) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000;
    }
    static const unsigned char INFO[] = "\xFF\xFF\xFF\xFF\x54Source Engine Query";
    /* A2S_PLAYER with the challenge -1 (asks for one): 9 bytes, no NUL. */
    static const unsigned char PLAYERS[] = {0xFF, 0xFF, 0xFF, 0xFF, 0x55, 0xFF, 0xFF, 0xFF, 0xFF};
    unsigned char req[32], answer[ANSWER_MAX];
    memcpy(req, INFO, sizeof INFO); /* 25 bytes with the NUL */
    ssize_t n = ask(fd, req, sizeof INFO, answer, &deadline);
    int rc = n > 0 && a2s_parse_info(answer, (size_t)n, info) == 0 ? 0 : -1;
    if (rc == 0) {
        memcpy(req, PLAYERS, sizeof PLAYERS);
        n = ask(fd, req, sizeof PLAYERS, answer, &deadline);
        if (n <= 0 || a2s_parse_players(answer, (size_t)n, players) != 0)
            players->count = 0;
    }
    close(fd);
    return rc;
}

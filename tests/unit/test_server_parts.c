/* The pure parts of the server domain: console player lines, the Steam A2S client (against a
 * loopback fake with the challenge handshake and split answers), command-line splitting and
 * quoting, and the Discord embed. */
#include "core/config.h"
#include "core/db.h"
#include "discord/discord_notify.h"
#include "server/a2s.h"
#include "server/player_events.h"
#include "server/server_params.h"
#include "support/tmpdir.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

/* ---- player lines ---- */

static void test_player_lines(void **state)
{
    (void)state;
    char name[64];
    assert_int_equal(player_event_parse("12:00:01 Player Bob connected (id=76561198000000001).", name, sizeof name),
                     PLAYER_JOINED);
    assert_string_equal(name, "Bob");
    assert_int_equal(player_event_parse(" 9:05:33 Player Alice Smith disconnected.", name, sizeof name), PLAYER_LEFT);
    assert_string_equal(name, "Alice Smith");
    assert_int_equal(player_event_parse("Player [TAG] connected guy connected (id=1).\r", name, sizeof name),
                     PLAYER_JOINED);
    assert_string_equal(name, "[TAG] connected guy");
    assert_int_equal(player_event_parse("Player Bob connected", name, sizeof name), PLAYER_JOINED);
    assert_int_equal(player_event_parse("Player Bob is losing connection", name, sizeof name), PLAYER_NONE);
    assert_int_equal(player_event_parse("12:00:01 BattlEye Server: Player #0 Bob connected", name, sizeof name),
                     PLAYER_NONE);
    assert_int_equal(player_event_parse("Player  disconnected.", name, sizeof name), PLAYER_NONE);
    assert_int_equal(player_event_parse("", name, sizeof name), PLAYER_NONE);
    char tiny[4];
    assert_int_equal(player_event_parse("Player Bobby connected.", tiny, sizeof tiny), PLAYER_JOINED);
    assert_string_equal(tiny, "Bob");
}

/* ---- A2S ---- */

static size_t cstr(unsigned char *p, const char *s)
{
    size_t n = strlen(s) + 1;
    memcpy(p, s, n);
    return n;
}

static size_t info_answer(unsigned char *p)
{
    size_t n = 0;
    p[n++] = 0x49;
    p[n++] = 17;
    n += cstr(p + n, "My Server");
    n += cstr(p + n, "Altis");
    n += cstr(p + n, "Arma3");
    n += cstr(p + n, "Escape");
    p[n++] = 0;
    p[n++] = 0;
    p[n++] = 3;
    p[n++] = 64;
    p[n++] = 0;
    return n;
}

static size_t players_answer(unsigned char *p, int count)
{
    size_t n = 0;
    p[n++] = 0x44;
    p[n++] = (unsigned char)count;
    for (int i = 0; i < count; i++) {
        char name[64];
        snprintf(name, sizeof name, "Player number %03d with a long name", i);
        p[n++] = (unsigned char)i;
        n += cstr(p + n, i == 0 ? "" : name);
        memset(p + n, 0, 8);
        n += 8;
    }
    return n;
}

static void test_a2s_parsers(void **state)
{
    (void)state;
    unsigned char buf[8192];
    a2s_info info;
    size_t n = info_answer(buf);
    assert_int_equal(a2s_parse_info(buf, n, &info), 0);
    assert_string_equal(info.name, "My Server");
    assert_string_equal(info.map, "Altis");
    assert_string_equal(info.game, "Escape");
    assert_int_equal(info.players, 3);
    assert_int_equal(info.max_players, 64);
    for (size_t cut = 0; cut + 1 < n; cut++) /* the last byte (bots) is not needed */
        assert_int_equal(a2s_parse_info(buf, cut, &info), -1);
    a2s_players *players = malloc(sizeof *players);
    n = players_answer(buf, 4);
    assert_int_equal(a2s_parse_players(buf, n, players), 0);
    assert_int_equal(players->count, 3); /* the one without a name is still joining */
    assert_string_equal(players->names[0], "Player number 001 with a long name");
    assert_int_equal(a2s_parse_players(buf, n - 1, players), -1);
    buf[0] = 0x45;
    assert_int_equal(a2s_parse_players(buf, n, players), -1);
    free(players);
}

typedef struct fake_steam {
    int fd, port;
    int players;         /* enough of them makes the player answer split into packets */
    int answered;
} fake_steam;

static void send_split(int fd, struct sockaddr_in *to, const unsigned char *answer, size_t len)
{
    unsigned char whole[16384];
    memcpy(whole, "\xFF\xFF\xFF\xFF", 4);
    memcpy(whole + 4, answer, len);
    len += 4;
    size_t chunk = 1000, total = (len + chunk - 1) / chunk;
    /* Sent last part first: reassembly goes by number, not arrival. */
    for (size_t k = total; k-- > 0;) {
        unsigned char packet[1400];
        memcpy(packet, "\xFE\xFF\xFF\xFF\x07\x00\x00\x00", 8);
        packet[8] = (unsigned char)total;
        packet[9] = (unsigned char)k;
        packet[10] = 0xE0, packet[11] = 0x04;
        size_t n = k == total - 1 ? len - k * chunk : chunk;
        memcpy(packet + 12, whole + k * chunk, n);
        sendto(fd, packet, n + 12, 0, (struct sockaddr *)to, sizeof *to);
    }
}

static void *serve_steam(void *arg)
{
    fake_steam *f = arg;
    const unsigned char challenge[4] = {9, 8, 7, 6};
    for (int i = 0; i < 4; i++) {
        unsigned char req[64], out[8192];
        struct sockaddr_in from;
        socklen_t len = sizeof from;
        ssize_t n = recvfrom(f->fd, req, sizeof req, 0, (struct sockaddr *)&from, &len);
        if (n < 5)
            return NULL;
        bool is_info = req[4] == 0x54;
        const unsigned char *sent = is_info ? req + 25 : req + 5;
        if ((is_info && n < 29) || memcmp(sent, challenge, 4) != 0) {
            unsigned char c[9] = {0xFF, 0xFF, 0xFF, 0xFF, 0x41, 9, 8, 7, 6};
            sendto(f->fd, c, sizeof c, 0, (struct sockaddr *)&from, len);
            continue;
        }
        size_t m = is_info ? info_answer(out) : players_answer(out, f->players);
        if (is_info || m < 1200) {
            unsigned char whole[8200];
            memcpy(whole, "\xFF\xFF\xFF\xFF", 4);
            memcpy(whole + 4, out, m);
            sendto(f->fd, whole, m + 4, 0, (struct sockaddr *)&from, len);
        } else {
            send_split(f->fd, &from, out, m);
        }
        f->answered++;
    }
    return NULL;
}

static void start_fake(fake_steam *f, pthread_t *t)
{
    f->fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(f->fd, (struct sockaddr *)&addr, sizeof addr), 0);
    socklen_t len = sizeof addr;
    getsockname(f->fd, (struct sockaddr *)&addr, &len);
    f->port = ntohs(addr.sin_port);
    pthread_create(t, NULL, serve_steam, f);
}

static void test_a2s_query_with_challenge_and_split_answer(void **state)
{
    (void)state;
    fake_steam f = {.players = 60};
    pthread_t t;
    start_fake(&f, &t);
    a2s_info info;
    a2s_players *players = malloc(sizeof *players);
    assert_int_equal(a2s_query(f.port, 2000, &info, players), 0);
    pthread_join(t, NULL);
    close(f.fd);
    assert_string_equal(info.name, "My Server");
    assert_int_equal(players->count, 59);
    assert_string_equal(players->names[58], "Player number 059 with a long name");
    assert_int_equal(f.answered, 2);
    free(players);
}

static void test_a2s_query_nobody_home(void **state)
{
    (void)state;
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, (struct sockaddr *)&addr, sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd, (struct sockaddr *)&addr, &len);
    int port = ntohs(addr.sin_port);
    close(fd); /* nothing listens there now */
    a2s_info info;
    a2s_players *players = malloc(sizeof *players);
    assert_int_equal(a2s_query(port, 300, &info, players), -1);
    assert_int_equal(players->count, 0);
    free(players);
}

/* ---- command lines ---- */

static void assert_words(const char *line, const char *const *expected)
{
    char err[128];
    char **words = server_words_split(line, err, sizeof err);
    assert_non_null(words);
    size_t i = 0;
    for (; expected[i]; i++) {
        assert_non_null(words[i]);
        assert_string_equal(words[i], expected[i]);
    }
    assert_null(words[i]);
    server_words_free(words);
}

static void test_words_split(void **state)
{
    (void)state;
    assert_words("  ./arma3server_x64   -port=2302\t-name=x ",
                 (const char *const[]){"./arma3server_x64", "-port=2302", "-name=x", NULL});
    assert_words("a 'b c' \"d \\\"e\\\"\" f\\ g '' h'i'j",
                 (const char *const[]){"a", "b c", "d \"e\"", "f g", "", "hij", NULL});
    assert_words("\"-mod=@CBA A3;@ace\" & ; $HOME",
                 (const char *const[]){"-mod=@CBA A3;@ace", "&", ";", "$HOME", NULL});
    char err[128];
    assert_null(server_words_split("a 'b", err, sizeof err));
    assert_non_null(strstr(err, "quote"));
    assert_null(server_words_split("   ", err, sizeof err));
    assert_null(server_words_split("\"open", err, sizeof err));
}

static char *g_dir;

static int setup_config(void **state)
{
    (void)state;
    g_dir = strdup("/tmp/aswg-server-parts-XXXXXX");
    if (!mkdtemp(g_dir))
        return -1;
    char path[512], err[256];
    snprintf(path, sizeof path, "%s/aswg-config.properties", g_dir);
    FILE *f = fopen(path, "w");
    fprintf(f, "aswg.server-directory-path=/srv/my arma\naswg.server-port=2402\n"
               "aswg.discord.message.player-joined={player} is here ({player})\n");
    fclose(f);
    snprintf(path, sizeof path, "%s/aswg.db", g_dir);
    return config_load(g_dir, err, sizeof err) || db_open(path, err, sizeof err);
}

static int teardown_config(void **state)
{
    (void)state;
    db_close();
    config_free();
    test_remove_tree(g_dir);
    free(g_dir);
    return 0;
}

static void test_display_quotes_what_needs_it(void **state)
{
    (void)state;
    char err[128];
    assert_int_equal(server_params_set_overwrite("/srv/my\\ arma/arma3server_x64 -port=2402 \"-name=it's me\"", err,
                                                 sizeof err), 0);
    char *shown = server_params_display();
    assert_string_equal(shown, "'/srv/my arma/arma3server_x64' -port=2402 '-name=it'\\''s me'");
    /* What is shown splits back into the same words. */
    char **words = server_words_split(shown, err, sizeof err);
    assert_string_equal(words[0], "/srv/my arma/arma3server_x64");
    assert_string_equal(words[2], "-name=it's me");
    server_words_free(words);
    free(shown);
    assert_int_equal(server_params_set_overwrite("", err, sizeof err), 0);
    server_argv a;
    assert_int_equal(server_params_build(&a, err, sizeof err), 0);
    assert_string_equal(a.argv[0], "/srv/my arma/arma3server_x64");
    assert_string_equal(a.argv[1], "-port=2402");
    assert_string_equal(a.argv[2], "-cfg=/srv/my arma/network.cfg");
    assert_string_equal(a.argv[3], "-config=/srv/my arma/server.cfg");
    server_argv_free(&a);
    assert_int_equal(server_params_set_overwrite("bad 'quote", err, sizeof err), ERR_BAD_REQUEST);
}

/* ---- Discord embed ---- */

static void test_discord_embed(void **state)
{
    (void)state;
    discord_event ev = {.player = "Bob", .server_name = "My Server", .mission = "Escape", .players = 3,
                        .max_players = 64};
    char *body = discord_message_build(DISCORD_PLAYER_JOINED, &ev);
    json_t *doc = json_loads(body, 0, NULL);
    json_t *embed = json_array_get(json_object_get(doc, "embeds"), 0);
    assert_string_equal(json_string_value(json_object_get(embed, "title")), "Bob is here (Bob)");
    assert_string_equal(json_string_value(json_object_get(embed, "type")), "rich");
    assert_int_equal(json_integer_value(json_object_get(embed, "color")), 0x1ABC9C);
    assert_non_null(json_object_get(embed, "timestamp"));
    json_t *fields = json_object_get(embed, "fields");
    assert_int_equal(json_array_size(fields), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(fields, 2), "value")), "3/64");
    assert_null(json_object_get(embed, "description"));
    json_decref(doc);
    free(body);

    discord_event crash = {.detail = "The server exited by itself (exit code 3)", .players = -1, .max_players = -1};
    body = discord_message_build(DISCORD_SERVER_CRASHED, &crash);
    doc = json_loads(body, 0, NULL);
    embed = json_array_get(json_object_get(doc, "embeds"), 0);
    assert_string_equal(json_string_value(json_object_get(embed, "title")), "Server crashed");
    assert_string_equal(json_string_value(json_object_get(embed, "description")), crash.detail);
    assert_null(json_object_get(embed, "fields")); /* Discord may refuse "fields":null or [] */
    assert_int_not_equal(json_integer_value(json_object_get(embed, "color")), 0x1ABC9C);
    json_decref(doc);
    free(body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_player_lines),
        cmocka_unit_test(test_a2s_parsers),
        cmocka_unit_test(test_a2s_query_with_challenge_and_split_answer),
        cmocka_unit_test(test_a2s_query_nobody_home),
        cmocka_unit_test(test_words_split),
        cmocka_unit_test_setup_teardown(test_display_quotes_what_needs_it, setup_config, teardown_config),
        cmocka_unit_test_setup_teardown(test_discord_embed, setup_config, teardown_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

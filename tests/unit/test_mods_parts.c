/* Pure parts of the mods domain: meta.cpp/mod.cpp, the Arma 3 Launcher preset format, and the
 * websocket handshake key that carries the install progress. */
#include "http/websocket.h"
#include "mods/launcher_preset.h"
#include "mods/mod_meta.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static void test_meta_cpp(void **state)
{
    (void)state;
    const char *meta = "protocol = 1;\r\npublishedid = 450814997;\r\nname = \"CBA_A3\";\r\n"
                       "timestamp = 5249945088134227457;\r\n";
    mod_meta m = {0};
    assert_int_equal(mod_meta_parse(meta, strlen(meta), &m), 0);
    assert_int_equal(m.published_id, 450814997);
    assert_string_equal(m.name, "CBA_A3");
    /* DateTime.ToBinary ticks with the kind bits: 2023-07-25 in ms since the epoch. */
    assert_true(m.updated_ms > 1690000000000LL && m.updated_ms < 1691000000000LL);

    mod_meta local = {0};
    const char *mod_cpp = "name = \"My \"\"Local\"\" Mod\";\npicture = \"logo.paa\";\n";
    assert_int_equal(mod_meta_parse(mod_cpp, strlen(mod_cpp), &local), 0);
    assert_string_equal(local.name, "My \"Local\" Mod");
    assert_int_equal(local.published_id, 0);

    mod_meta bad = {0};
    const char *broken = "publishedid = ;; {{";
    assert_int_equal(mod_meta_parse(broken, strlen(broken), &bad), -1);
    const char *negative = "publishedid = -5; timestamp = abc;";
    assert_int_equal(mod_meta_parse(negative, strlen(negative), &bad), 0);
    assert_int_equal(bad.published_id, 0);
    assert_int_equal(bad.updated_ms, 0);
}

static const char LAUNCHER[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<html>\n  <head>\n"
    "    <meta name=\"arma:Type\" content=\"preset\" />\n"
    "    <meta name=\"arma:PresetName\" content=\"Friday &amp; Co\" />\n  </head>\n  <body>\n"
    "    <div class=\"mod-list\">\n      <table>\n"
    "        <tr data-type=\"ModContainer\">\n          <td data-type=\"DisplayName\">CBA_A3</td>\n"
    "          <td><span class=\"from-steam\">Steam</span></td>\n"
    "          <td><a href=\"https://steamcommunity.com/sharedfiles/filedetails/?id=450814997\" "
    "data-type=\"Link\">https://steamcommunity.com/sharedfiles/filedetails/?id=450814997</a></td>\n"
    "        </tr>\n"
    "        <tr data-type=\"ModContainer\">\n          <td data-type=\"DisplayName\">\n   Task  Force &lt;Radio&gt;\n"
    "          </td>\n          <td><a href=\"https://steamcommunity.com/sharedfiles/filedetails/?id=894678801\">"
    "x</a></td>\n        </tr>\n"
    "        <tr data-type=\"ModContainer\">\n          <td data-type=\"DisplayName\">Local</td>\n"
    "          <td><span class=\"from-local\">Local</span></td><td></td>\n        </tr>\n"
    "      </table>\n    </div>\n  </body>\n</html>\n";

static void test_launcher_parse_and_render(void **state)
{
    (void)state;
    launcher_preset *p = malloc(sizeof *p);
    assert_int_equal(launcher_preset_parse(LAUNCHER, strlen(LAUNCHER), p), 0);
    assert_string_equal(p->name, "Friday & Co");
    assert_int_equal(p->count, 3);
    assert_int_equal(p->mods[0].workshop_id, 450814997);
    assert_string_equal(p->mods[0].name, "CBA_A3");
    assert_int_equal(p->mods[1].workshop_id, 894678801);
    assert_string_equal(p->mods[1].name, "Task Force <Radio>");
    assert_int_equal(p->mods[2].workshop_id, 0);

    char *html = launcher_preset_render("A <b> & \"c\"", p->mods, 2);
    assert_non_null(strstr(html, "content=\"A &lt;b&gt; &amp; &quot;c&quot;\""));
    launcher_preset *again = malloc(sizeof *again);
    assert_int_equal(launcher_preset_parse(html, strlen(html), again), 0);
    assert_string_equal(again->name, "A <b> & \"c\"");
    assert_int_equal(again->count, 2);
    assert_string_equal(again->mods[1].name, "Task Force <Radio>");
    assert_int_equal(again->mods[1].workshop_id, 894678801);
    free(html);
    free(again);

    assert_int_equal(launcher_preset_parse("<html>hello</html>", 18, p), -1);
    /* Cut anywhere: never a crash, never a read past the end. */
    for (size_t cut = 0; cut < sizeof LAUNCHER - 1; cut += 7) {
        char *part = malloc(cut ? cut : 1);
        memcpy(part, LAUNCHER, cut);
        launcher_preset_parse(part, cut, p);
        free(part);
    }
    free(p);
}

static void test_websocket_accept_key(void **state)
{
    (void)state;
    char accept[29];
    /* The example of RFC 6455 section 1.3. */
    assert_int_equal(ws_accept_key("dGhlIHNhbXBsZSBub25jZQ==", accept), 0);
    assert_string_equal(accept, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_meta_cpp),
        cmocka_unit_test(test_launcher_parse_and_render),
        cmocka_unit_test(test_websocket_accept_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Mission file names, templates and server.cfg class names. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "missions/mission_names.h"

#include <stdlib.h>
#include <string.h>

static void assert_owned_string(char *actual, const char *expected)
{
    if (!expected) {
        assert_null(actual);
        return;
    }
    assert_non_null(actual);
    assert_string_equal(actual, expected);
    free(actual);
}

static void test_normalizer_matches_aswg(void **state)
{
    (void)state;
    assert_owned_string(mission_normalize_file_name("My Mission.Altis.pbo"), "my_mission.altis.pbo");
    assert_owned_string(mission_normalize_file_name("a\\b/c:d*e?f\"g<h>i|j k"), "a_b_c_d_e_f_g_h_i_j_k");
    /* dots, dashes, % and non-ASCII are kept */
    assert_owned_string(mission_normalize_file_name("CO-10%.Tanoa.PBO"), "co-10%.tanoa.pbo");
    assert_owned_string(mission_normalize_file_name("Zażółć.VR.pbo"), "zażółć.vr.pbo");
}

static void test_templates_from_file_names(void **state)
{
    (void)state;
    assert_owned_string(mission_template_from_file_name("My Mission.Altis.pbo"), "my_mission.altis");
    assert_owned_string(mission_template_from_file_name("X.PBO"), "x");
    assert_owned_string(mission_template_from_file_name("notes.txt"), NULL);
    assert_owned_string(mission_template_from_file_name(".pbo"), NULL);
    assert_true(mission_is_pbo_name("a.PbO"));
    assert_false(mission_is_pbo_name("pbo"));
    assert_false(mission_is_pbo_name("a.pbo.txt"));
}

static void test_template_validation(void **state)
{
    (void)state;
    char why[160];
    assert_true(mission_template_valid("co10_Escape.Altis", why, sizeof why));
    assert_true(mission_template_valid("a-b.cam_lao_nam", why, sizeof why));
    const char *bad[] = {"", "has space", "tab\t", "new\nline", "q\"uote", "s'quote", "a/b", "a\\b",
                         "ctl\x01", "del\x7f", ".", ".."};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why[0] = '\0';
        if (mission_template_valid(bad[i], why, sizeof why))
            fail_msg("template '%s' accepted", bad[i]);
        assert_true(why[0] != '\0');
    }
    char longest[257];
    memset(longest, 'x', 256);
    longest[256] = '\0';
    assert_false(mission_template_valid(longest, why, sizeof why));
    longest[255] = '\0';
    assert_true(mission_template_valid(longest, why, sizeof why));
}

static void test_cfg_class_names(void **state)
{
    (void)state;
    assert_owned_string(mission_cfg_class_name("MP_COOP_m01.Stratis"), "MP_COOP_m01_Stratis");
    assert_owned_string(mission_cfg_class_name("co-10.Altis"), "co_10_Altis");
    assert_owned_string(mission_cfg_class_name("10th.Altis"), "_10th_Altis");
    assert_owned_string(mission_cfg_class_name("mission(1)%.VR"), "mission_1___VR");
    assert_owned_string(mission_cfg_class_name("zażółć"), "za________"); /* one _ per UTF-8 byte */
}

static void test_param_names(void **state)
{
    (void)state;
    assert_true(mission_param_name_valid("Daytime"));
    assert_true(mission_param_name_valid("_p1"));
    assert_false(mission_param_name_valid(""));
    assert_false(mission_param_name_valid("1st"));
    assert_false(mission_param_name_valid("a b"));
    assert_false(mission_param_name_valid("x;y"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalizer_matches_aswg),
        cmocka_unit_test(test_templates_from_file_names),
        cmocka_unit_test(test_template_validation),
        cmocka_unit_test(test_cfg_class_names),
        cmocka_unit_test(test_param_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

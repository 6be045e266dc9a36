#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "support/tmpdir.h"

#include "core/fs.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- temp directory per test ---- */


static int setup_dir(void **state)
{
    char *dir = strdup("/tmp/aswg-unit-XXXXXX");
    if (!dir || !mkdtemp(dir)) {
        free(dir);
        return -1;
    }
    *state = dir;
    return 0;
}

static int teardown_dir(void **state)
{
    char *dir = *state;
    int rc = test_remove_tree(dir);
    free(dir);
    return rc;
}

static char *path_in(const char *dir, const char *name)
{
    char *p = fs_join(dir, name);
    assert_non_null(p);
    return p;
}

/* Number of entries in dir other than "." and "..". */
static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static void write_plain(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

/* ---- fs_write_atomic ---- */

static void test_write_atomic_creates_with_mode(void **state)
{
    const char *dir = *state;
    char *path = path_in(dir, "secret.key");
    assert_int_equal(fs_write_atomic(path, "abc\0def", 7, 0600), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal(st.st_size, 7);
    size_t len = 0;
    char *data = fs_read_all(path, &len);
    assert_non_null(data);
    assert_int_equal(len, 7);
    assert_memory_equal(data, "abc\0def", 7);
    free(data);
    assert_int_equal(count_entries(dir), 1);
    free(path);
}

static void test_write_atomic_mode_not_masked(void **state)
{
    const char *dir = *state;
    char *path = path_in(dir, "public.txt");
    assert_int_equal(fs_write_atomic(path, "x", 1, 0644), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0644);
    free(path);
}

static void test_write_atomic_replaces_content(void **state)
{
    const char *dir = *state;
    char *path = path_in(dir, "config.properties");
    write_plain(path, "a much longer original content that must disappear entirely\n");
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(fs_write_atomic(path, "new\n", 4, 0600), 0);
    size_t len = 0;
    char *data = fs_read_all(path, &len);
    assert_non_null(data);
    assert_string_equal(data, "new\n");
    assert_int_equal(len, 4);
    free(data);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    /* No temp file is left next to it. */
    assert_int_equal(count_entries(dir), 1);

    /* Empty content replaces too. */
    assert_int_equal(fs_write_atomic(path, "", 0, 0600), 0);
    data = fs_read_all(path, &len);
    assert_non_null(data);
    assert_int_equal(len, 0);
    assert_string_equal(data, "");
    free(data);
    assert_int_equal(count_entries(dir), 1);
    free(path);
}

static void test_write_atomic_missing_dir_fails_cleanly(void **state)
{
    const char *dir = *state;
    char *missing = path_in(dir, "no-such-dir");
    char *path = path_in(missing, "file.txt");
    errno = 0;
    assert_int_equal(fs_write_atomic(path, "data", 4, 0600), -1);
    assert_int_equal(errno, ENOENT);
    assert_false(fs_exists(path));
    assert_false(fs_exists(missing));
    assert_int_equal(count_entries(dir), 0);
    free(path);
    free(missing);
}

static void test_write_atomic_onto_directory_fails_leaving_nothing(void **state)
{
    const char *dir = *state;
    char *sub = path_in(dir, "taken");
    assert_int_equal(mkdir(sub, 0700), 0);
    /* rename() of a file onto a directory fails: the temp file must be removed again. */
    assert_int_equal(fs_write_atomic(sub, "data", 4, 0600), -1);
    struct stat st;
    assert_int_equal(stat(sub, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(count_entries(dir), 1);
    free(sub);
}

/* ---- fs_read_all ---- */

static void test_read_all_content_and_length(void **state)
{
    const char *dir = *state;
    char *path = path_in(dir, "text.txt");
    write_plain(path, "line one\nline two\n");
    size_t len = 12345;
    char *data = fs_read_all(path, &len);
    assert_non_null(data);
    assert_int_equal(len, 18);
    assert_string_equal(data, "line one\nline two\n");
    assert_int_equal(data[len], '\0');
    free(data);
    /* len_out may be NULL. */
    data = fs_read_all(path, NULL);
    assert_non_null(data);
    assert_string_equal(data, "line one\nline two\n");
    free(data);
    free(path);
}

static void test_read_all_large_file(void **state)
{
    const char *dir = *state;
    char *path = path_in(dir, "big.bin");
    size_t size = 100000; /* several buffer doublings, not a multiple of 4096 */
    unsigned char *src = malloc(size);
    assert_non_null(src);
    for (size_t i = 0; i < size; i++)
        src[i] = (unsigned char)(i * 7 + 3);
    assert_int_equal(fs_write_atomic(path, src, size, 0600), 0);
    size_t len = 0;
    char *data = fs_read_all(path, &len);
    assert_non_null(data);
    assert_int_equal(len, size);
    assert_memory_equal(data, src, size);
    assert_int_equal(data[len], '\0');
    free(data);
    free(src);
    free(path);
}

static void test_read_all_empty_file(void **state)
{
    const char *dir = *state;
    char *path = path_in(dir, "empty");
    write_plain(path, "");
    size_t len = 99;
    char *data = fs_read_all(path, &len);
    assert_non_null(data);
    assert_int_equal(len, 0);
    assert_string_equal(data, "");
    free(data);
    free(path);
}

static void test_read_all_missing_file(void **state)
{
    const char *dir = *state;
    char *path = path_in(dir, "absent.txt");
    errno = 0;
    size_t len = 42;
    assert_null(fs_read_all(path, &len));
    assert_int_equal(errno, ENOENT);
    free(path);
}

/* ---- fs_mkdirs ---- */

static void assert_is_dir(const char *path, mode_t mode)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    if (mode)
        assert_int_equal(st.st_mode & 0777, mode);
}

static void test_mkdirs_nested(void **state)
{
    const char *dir = *state;
    char *deep = path_in(dir, "a/b/c/d");
    mode_t old = umask(022);
    assert_int_equal(fs_mkdirs(deep, 0700), 0);
    umask(old);
    assert_is_dir(deep, 0700);
    char *mid = path_in(dir, "a/b");
    assert_is_dir(mid, 0700);
    /* Existing directories are fine, whether all or some of them exist. */
    assert_int_equal(fs_mkdirs(deep, 0700), 0);
    char *sibling = path_in(dir, "a/b/e");
    assert_int_equal(fs_mkdirs(sibling, 0755), 0);
    assert_is_dir(sibling, 0);
    assert_int_equal(fs_mkdirs(dir, 0700), 0);
    free(sibling);
    free(mid);
    free(deep);
}

static void test_mkdirs_trailing_slash_and_relative(void **state)
{
    const char *dir = *state;
    char *with_slash = path_in(dir, "x/y/");
    assert_int_equal(fs_mkdirs(with_slash, 0755), 0);
    char *y = path_in(dir, "x/y");
    assert_is_dir(y, 0);

    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    int rc = fs_mkdirs("rel/one", 0755);
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(rc, 0);
    char *rel = path_in(dir, "rel/one");
    assert_is_dir(rel, 0);
    free(rel);
    free(y);
    free(with_slash);
}

static void test_mkdirs_file_in_the_way(void **state)
{
    const char *dir = *state;
    char *file = path_in(dir, "plain");
    write_plain(file, "x");
    char *below = path_in(file, "sub");
    assert_int_equal(fs_mkdirs(below, 0700), -1);
    assert_false(fs_exists(below));
    /* The path itself is a file. */
    errno = 0;
    assert_int_equal(fs_mkdirs(file, 0700), -1);
    assert_int_equal(errno, ENOTDIR);
    free(below);
    free(file);
}

/* fs_mkdirs("") is what main.c does when aswg.data-directory-path (a free string) is set empty.
 * It must fail like mkdir(""), not read past the copy of the string. Run in a child process so
 * that a sanitizer abort fails only this test. */
static void test_mkdirs_empty_path(void **state)
{
    (void)state;
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int rc = fs_mkdirs("", 0700);
        _exit(rc == -1 ? 0 : 3);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* ---- fs_join ---- */

static void assert_join(const char *dir, const char *name, const char *expected)
{
    char *j = fs_join(dir, name);
    assert_non_null(j);
    assert_string_equal(j, expected);
    free(j);
}

static void test_join(void **state)
{
    (void)state;
    assert_join("data", "aswg.db", "data/aswg.db");
    assert_join("data/", "aswg.db", "data/aswg.db");
    assert_join("data///", "aswg.db", "data/aswg.db");
    assert_join("data", "/aswg.db", "data/aswg.db");
    assert_join("data/", "//aswg.db", "data/aswg.db");
    assert_join("/", "etc", "/etc");
    assert_join("/", "/etc", "/etc");
    assert_join("/srv/arma", "mods/@ace", "/srv/arma/mods/@ace");
    assert_join(".", "aswg-config.properties", "./aswg-config.properties");
    assert_join("", "aswg.db", "aswg.db"); /* never the file system root */
}

/* ---- fs_is_safe_name ---- */

static void test_is_safe_name(void **state)
{
    (void)state;
    assert_true(fs_is_safe_name("mission.Altis.pbo"));
    assert_true(fs_is_safe_name("a b"));
    assert_true(fs_is_safe_name("\xc3\x9c" "bung \xe6\x97\xa5\xe6\x9c\xac.pbo")); /* Übung 日本 */
    assert_true(fs_is_safe_name("..."));
    assert_true(fs_is_safe_name(".hidden"));
    assert_true(fs_is_safe_name("a..b"));

    assert_false(fs_is_safe_name(""));
    assert_false(fs_is_safe_name("."));
    assert_false(fs_is_safe_name(".."));
    assert_false(fs_is_safe_name("a/b"));
    assert_false(fs_is_safe_name("/"));
    assert_false(fs_is_safe_name("../etc"));
    assert_false(fs_is_safe_name("a\\b"));
    assert_false(fs_is_safe_name("..\\x"));
    assert_false(fs_is_safe_name("\x01"));
    assert_false(fs_is_safe_name("name\n"));
    assert_false(fs_is_safe_name("tab\there"));
    assert_false(fs_is_safe_name("del\x7f"));

    char name[257];
    memset(name, 'n', 255);
    name[255] = '\0';
    assert_true(fs_is_safe_name(name));
    memset(name, 'n', 256);
    name[256] = '\0';
    assert_false(fs_is_safe_name(name));
}

/* ---- fs_normalize_relative ---- */

static void assert_normalized(const char *path, const char *expected)
{
    char out[256];
    memset(out, 'Z', sizeof out);
    assert_int_equal(fs_normalize_relative(path, out, sizeof out), 0);
    assert_string_equal(out, expected);
}

static void assert_normalize_fails(const char *path)
{
    char out[256];
    assert_int_equal(fs_normalize_relative(path, out, sizeof out), -1);
}

static void test_normalize_relative(void **state)
{
    (void)state;
    assert_normalized("a/./b//c/../d", "a/b/d");
    assert_normalized("x/", "x");
    assert_normalized("x", "x");
    assert_normalized("./x", "x");
    assert_normalized("a/b/../../c", "c");
    assert_normalized("mpmissions/co10.Altis.pbo", "mpmissions/co10.Altis.pbo");
    assert_normalized("a/.../b", "a/.../b");
    assert_normalized("a//b///", "a/b");
    assert_normalized("dir with space/f", "dir with space/f");
}

static void test_normalize_relative_rejects(void **state)
{
    (void)state;
    assert_normalize_fails("../x");
    assert_normalize_fails("..");
    assert_normalize_fails("a/../../x");
    assert_normalize_fails("a/b/../../../x");
    assert_normalize_fails("/abs");
    assert_normalize_fails("/");
    assert_normalize_fails("a\\b");
    assert_normalize_fails("..\\..\\x");
    assert_normalize_fails("a/\x01/b");
    assert_normalize_fails("a\n");
    assert_normalize_fails("");
    assert_normalize_fails(".");
    assert_normalize_fails("./");
    assert_normalize_fails("a/..");
    assert_normalize_fails("a/b/../..");
}

static void test_normalize_relative_out_size(void **state)
{
    (void)state;
    char out[8];
    /* "a/b" needs 4 bytes with its NUL. */
    assert_int_equal(fs_normalize_relative("a/b", out, 4), 0);
    assert_string_equal(out, "a/b");
    assert_int_equal(fs_normalize_relative("a/b", out, 3), -1);
    assert_int_equal(fs_normalize_relative("abc", out, 3), -1);
    assert_int_equal(fs_normalize_relative("abc", out, 0), -1);
    assert_int_equal(fs_normalize_relative("abcdefgh", out, sizeof out), -1);
    assert_int_equal(fs_normalize_relative("abcdefg", out, sizeof out), 0);
    assert_string_equal(out, "abcdefg");
}

/* ---- fs_rename_noreplace ---- */

static void test_rename_noreplace(void **state)
{
    const char *dir = *state;
    char *a = path_in(dir, "a.sqf"), *b = path_in(dir, "b.sqf"), *c = path_in(dir, "c.sqf");
    write_plain(a, "first\n");
    write_plain(b, "second\n");
    /* never over an existing file: both stay as they were */
    errno = 0;
    assert_int_equal(fs_rename_noreplace(a, b), -1);
    assert_int_equal(errno, EEXIST);
    char *text = fs_read_all(b, NULL);
    assert_string_equal(text, "second\n");
    free(text);
    assert_true(fs_exists(a));
    /* to a free name it moves */
    assert_int_equal(fs_rename_noreplace(a, c), 0);
    assert_false(fs_exists(a));
    text = fs_read_all(c, NULL);
    assert_string_equal(text, "first\n");
    free(text);
    errno = 0;
    assert_int_equal(fs_rename_noreplace(a, b), -1); /* a is gone */
    assert_true(errno == ENOENT || errno == EEXIST);
    assert_int_equal(count_entries(dir), 2);
    free(a);
    free(b);
    free(c);
}

#define DIR_TEST(f) cmocka_unit_test_setup_teardown(f, setup_dir, teardown_dir)

int main(void)
{
    const struct CMUnitTest tests[] = {
        DIR_TEST(test_write_atomic_creates_with_mode),
        DIR_TEST(test_write_atomic_mode_not_masked),
        DIR_TEST(test_write_atomic_replaces_content),
        DIR_TEST(test_write_atomic_missing_dir_fails_cleanly),
        DIR_TEST(test_write_atomic_onto_directory_fails_leaving_nothing),
        DIR_TEST(test_read_all_content_and_length),
        DIR_TEST(test_read_all_large_file),
        DIR_TEST(test_read_all_empty_file),
        DIR_TEST(test_read_all_missing_file),
        DIR_TEST(test_mkdirs_nested),
        DIR_TEST(test_mkdirs_trailing_slash_and_relative),
        DIR_TEST(test_mkdirs_file_in_the_way),
        cmocka_unit_test(test_mkdirs_empty_path),
        DIR_TEST(test_rename_noreplace),
        cmocka_unit_test(test_join),
        cmocka_unit_test(test_is_safe_name),
        cmocka_unit_test(test_normalize_relative),
        cmocka_unit_test(test_normalize_relative_rejects),
        cmocka_unit_test(test_normalize_relative_out_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Temporary directories for unit tests. */
#ifndef ASWG_TEST_TMPDIR_H
#define ASWG_TEST_TMPDIR_H

/* Removes path and everything below it (symlinks are removed, not followed). 0 or -1. */
int test_remove_tree(const char *path);

#endif

/* libFuzzer target for missions/pbo and missions/mission_meta: any input read as a PBO must be
 * refused or yield entries that lie inside the file; every entry must read back (or be refused);
 * the input as mission.sqm / description.ext text, and as a binarized (raP) mission.sqm, must be
 * read without crashing or leaking. */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "missions/mission_meta.h"
#include "missions/pbo.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            __builtin_trap();                                                                      \
    } while (0)

/* One memory file for the whole run, rewritten for each input. */
static int input_fd(const uint8_t *data, size_t size)
{
    static int fd = -1;
    if (fd < 0)
        fd = memfd_create("fuzz_pbo", MFD_CLOEXEC);
    CHECK(fd >= 0);
    CHECK(ftruncate(fd, 0) == 0);
    CHECK(size == 0 || pwrite(fd, data, size, 0) == (ssize_t)size);
    return fd;
}

static void check_entries(int fd, const pbo *p, uint64_t size)
{
    CHECK(p->data_end <= size);
    CHECK(p->property_count % 2 == 0);
    for (size_t i = 0; i < p->property_count; i += 2)
        CHECK(pbo_property(p, p->properties[i]) != NULL);
    for (size_t i = 0; i < p->count; i++) {
        const pbo_entry *e = &p->entries[i];
        CHECK(e->name[0] != '\0');
        CHECK(e->data_offset + e->data_size <= p->data_end);
        CHECK(pbo_find(p, e->name) != NULL);
        size_t len;
        char *text = pbo_read_entry(fd, e, 4096, &len);
        CHECK(!text || (e->packing == PBO_PACKING_NONE && len == e->data_size && !text[len]));
        CHECK(text || e->packing != PBO_PACKING_NONE || e->data_size > 4096);
        free(text);
    }
}

static void read_as_pbo(const uint8_t *data, size_t size)
{
    int fd = input_fd(data, size);
    pbo p;
    pbo_result rc = pbo_read_header(fd, size, &p);
    CHECK(rc == PBO_OK || rc == PBO_NOT_A_PBO);
    if (rc == PBO_OK)
        check_entries(fd, &p, size);
    pbo_free(&p);

    /* The same file through mission_meta_read, by the memory file's path. */
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    mission_meta meta = {0};
    CHECK(mission_meta_read(path, "fuzz.Altis.pbo", &meta) == (rc == PBO_OK ? 0 : -1));
    CHECK(rc != PBO_OK || json_is_array(meta.parameters));
    mission_meta_free(&meta);
}

static void read_as_texts(const char *sqm, size_t sqm_len, const char *ext, size_t ext_len)
{
    mission_meta meta = {0};
    mission_meta_from_texts(sqm, sqm_len, ext, ext_len, &meta);
    CHECK(json_is_array(meta.parameters));
    mission_meta_free(&meta);
}

/* The input behind a raP signature (and, for odd first bytes, a whole valid raP header), so that
 * the fuzzer reaches the class bodies without having to find the header first. */
static void read_as_rap(const uint8_t *data, size_t size)
{
    static const unsigned char header[16] = {0, 'r', 'a', 'P', 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0};
    size_t prefix = size && (data[0] & 1) ? sizeof header : 4;
    char *buf = malloc(prefix + size);
    CHECK(buf);
    memcpy(buf, header, prefix);
    if (size)
        memcpy(buf + prefix, data, size);
    read_as_texts(buf, prefix + size, NULL, 0);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    read_as_pbo(data, size);
    /* An exact-size copy: the texts are not NUL-terminated, so ASan sees any overread. */
    char *text = malloc(size ? size : 1);
    CHECK(text);
    if (size)
        memcpy(text, data, size);
    read_as_texts(text, size, text, size);
    free(text);
    read_as_rap(data, size);
    return 0;
}

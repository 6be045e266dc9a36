/* Test support: a growable byte buffer and a writer of PBO archives (the layout pbo.h
 * describes), plus helpers putting bytes into files. Allocation and I/O failures fail the running
 * cmocka test, so callers check nothing.
 *
 * A PBO built here: an optional product entry with its strings, one entry per file (timestamp
 * PBO_BUILD_TIMESTAMP; a compressed entry claims an original size of twice its data), the
 * terminator, the data of every file in order, then a 0x00 byte and a 20-byte fake SHA-1. */
#ifndef ASWG_TESTS_SUPPORT_PBO_BUILDER_H
#define ASWG_TESTS_SUPPORT_PBO_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#include "missions/pbo.h"

#define PBO_BUILD_TIMESTAMP 1700000000u
#define PBO_BUILD_TRAILER_LEN 21u   /* 0x00 + 20-byte SHA-1 */

/* ---- byte buffer ---- */

typedef struct bytes {
    unsigned char *data;
    size_t len, cap;
} bytes;

/* Appends n bytes of p (n may be 0). */
void bytes_put(bytes *b, const void *p, size_t n);
void bytes_put_byte(bytes *b, unsigned char c);
/* Little-endian. */
void bytes_put_u32(bytes *b, uint32_t v);
/* s with its NUL. */
void bytes_put_str(bytes *b, const char *s);
/* Overwrites the 4 bytes at offset at (little-endian). */
void bytes_patch_u32(bytes *b, size_t at, uint32_t v);
/* Frees the data and leaves an empty buffer. */
void bytes_free(bytes *b);

/* ---- PBO writer ---- */

typedef struct pbo_file_spec {
    const char *name;
    const void *data;
    size_t len;
    uint32_t packing;   /* PBO_PACKING_NONE or PBO_PACKING_COMPRESSED */
} pbo_file_spec;

/* One header entry: name, packing, original size, reserved 0, PBO_BUILD_TIMESTAMP, data size. */
void pbo_build_entry(bytes *b, const char *name, uint32_t packing, uint32_t original_size,
                     uint32_t data_size);
/* The product entry ("Vers") and its strings: a NULL-terminated key, value, ... list. */
void pbo_build_product(bytes *b, const char *const *product);
/* The terminator: an empty name and five zero fields. */
void pbo_build_terminator(bytes *b);
/* The header: the product entry unless product is NULL, an entry per file, the terminator. */
void pbo_build_header(bytes *b, const char *const *product, const pbo_file_spec *files, size_t n);
/* A whole PBO (header, data, trailer); *header_len (if not NULL) is the header's length. */
bytes pbo_build(const char *const *product, const pbo_file_spec *files, size_t n,
                size_t *header_len);

/* ---- files ---- */

/* Creates or truncates path (mode 0644) and writes the bytes to it. */
void bytes_write_file(const char *path, const void *data, size_t len);
/* A new file /tmp/aswg-test-XXXXXX holding the bytes; its name goes into path (the caller
 * unlinks it). */
void bytes_temp_file(const void *data, size_t len, char path[static 32]);
/* An already unlinked temp file holding the bytes, read/write; the caller closes the fd. */
int bytes_temp_fd(const void *data, size_t len);

#endif

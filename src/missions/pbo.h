/* Reading PBO archives (the Arma mission/addon container): the header, the list of entries and the
 * contents of small uncompressed entries. Never trusts the file: every size and offset is checked
 * against the real file size, and anything malformed is refused as "not a PBO".
 *
 * Layout: an optional product entry (empty name, packing method 0x56657273 "Vers", then
 * NUL-terminated key/value strings ending in an empty string), then file entries
 * {name NUL, packing_method u32, original_size u32, reserved u32, timestamp u32, data_size u32},
 * then a terminator entry (empty name, all fields zero); the data of all entries follows in
 * order; files written by common tools end with a 0x00 byte and a 20-byte SHA-1. */
#ifndef ASWG_MISSIONS_PBO_H
#define ASWG_MISSIONS_PBO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PBO_PACKING_NONE 0
#define PBO_PACKING_COMPRESSED 0x43707273u   /* "Cprs" */
#define PBO_PACKING_PRODUCT 0x56657273u      /* "Vers" */

typedef struct pbo_entry {
    char *name;             /* as stored, e.g. "mission.sqm" or "scripts\\init.sqf" */
    uint32_t packing;
    uint32_t original_size;
    uint32_t timestamp;
    uint32_t data_size;
    uint64_t data_offset;   /* absolute offset of the data in the file */
} pbo_entry;

typedef struct pbo {
    pbo_entry *entries;
    size_t count;
    char **properties;      /* product entry key, value, key, value, ... */
    size_t property_count;  /* number of strings (2 per property) */
    uint64_t data_end;      /* offset just after the last entry's data */
} pbo;

typedef enum pbo_result {
    PBO_OK = 0,
    PBO_NOT_A_PBO,          /* malformed header, sizes beyond the file, no terminator */
    PBO_IO_ERROR,           /* read failed (errno set) */
    PBO_NO_MEMORY,
} pbo_result;

/* Reads the header of the open file fd (of file_size bytes). Reads the header only; limits: at
 * most 100,000 entries, names up to 1024 bytes, header up to 64 MiB. */
pbo_result pbo_read_header(int fd, uint64_t file_size, pbo *out);
void pbo_free(pbo *p);

/* The entry whose name equals name ignoring ASCII case and treating '/' and '\\' alike, or NULL. */
const pbo_entry *pbo_find(const pbo *p, const char *name);

/* Reads an uncompressed entry of at most max_bytes into a malloc'd NUL-terminated buffer.
 * Returns NULL for compressed or too large entries and on read errors. */
char *pbo_read_entry(int fd, const pbo_entry *entry, size_t max_bytes, size_t *len_out);

/* The value of a product property such as "prefix", or NULL. */
const char *pbo_property(const pbo *p, const char *key);

#endif

/* Password hashing with bcrypt through libxcrypt (crypt_r, thread-safe). New hashes are "$2a$"
 * so the Java ASWG (jBCrypt) can still read a shared database; "$2a$", "$2b$", "$2y$" verify. */
#ifndef ASWG_AUTH_PASSWORD_H
#define ASWG_AUTH_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#define PASSWORD_MAX_BYTES 72   /* bcrypt ignores anything past 72 bytes, so longer is refused */
#define PASSWORD_HASH_MAX 128
#define PASSWORD_DEFAULT_COST 10

/* Hashes password (1..72 bytes) with the given bcrypt cost (10..15) into out. Returns 0, or -1
 * when the password is empty or too long, the cost is out of range, or the system fails. */
int password_hash(const char *password, int cost, char out[PASSWORD_HASH_MAX]);

/* True when password matches hash. Compares the whole result in constant time. Unknown hash
 * formats, "*0"-style failure tokens and passwords longer than 72 bytes never match. */
bool password_verify(const char *password, const char *hash);

/* Burns about the same time as a real verify: used for unknown users so that login timing does
 * not tell which usernames exist. */
void password_verify_dummy(const char *password);

/* Fills out with a random password of len characters (letters and digits, len < out_size). */
void password_generate(char *out, size_t out_size, size_t len);

#endif

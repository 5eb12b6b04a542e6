/*
 * sha256.h - SHA-256 (FIPS 180-4), internal. Used to fingerprint inputs and
 * outputs in the run report; written from the standard so the engine has no
 * crypto dependency.
 */
#ifndef BPA_SHA256_H
#define BPA_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpa/status.h"

typedef struct bpa_sha256 {
    uint32_t h[8];           /* chaining value */
    uint64_t total;          /* message bytes hashed so far */
    unsigned char buf[64];   /* partial block */
    size_t used;             /* bytes in buf */
} bpa_sha256;

void bpa_sha256_init(bpa_sha256 *ctx);
void bpa_sha256_update(bpa_sha256 *ctx, const void *data, size_t len);
/* Writes the digest; ctx must be re-initialised before reuse. */
void bpa_sha256_final(bpa_sha256 *ctx, unsigned char digest[32]);

/* bpa_sha256_final as lowercase hex, NUL-terminated. */
void bpa_sha256_final_hex(bpa_sha256 *ctx, char hex[65]);

/* Whole blocks go through the processor's SHA instructions (x86 SHA-NI)
 * where it has them, found once with CPUID. Tests switch that off and on to
 * check both paths: true when it is now on. Not for use while another
 * thread hashes. */
bool bpa_sha256_set_accelerated(bool on);

/* Lowercase hex digest of a buffer, NUL-terminated. */
void bpa_sha256_hex(const void *data, size_t len, char hex[65]);

/* Lowercase hex digest of a file, read in chunks so memory stays bounded.
 * BPA_E_IO when it cannot be opened or read; the message names the file and
 * the system's reason (err->file is left empty so it is not printed twice). */
bpa_status bpa_sha256_file(const char *path, char hex[65], bpa_error *err);

#endif

/*
 * bpa/hash.h - the SHA-256 fingerprint of a file, as results stamp their
 * inputs with (inputs[].sha256), so a caller can tell whether a result on
 * disk was made from the files as they are now (bpa batch --resume).
 *
 * Thread safety: no shared state.
 */
#ifndef BPA_HASH_H
#define BPA_HASH_H

#include "bpa/export.h"
#include "bpa/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The SHA-256 of the file's bytes as 64 lowercase hex digits and a NUL.
 * BPA_E_IO naming path when it cannot be read. */
BPA_API bpa_status bpa_file_sha256(const char *path, char hex[65], bpa_error *err);

#ifdef __cplusplus
}
#endif
#endif

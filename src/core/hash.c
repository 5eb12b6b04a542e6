/* The public face of the input fingerprint (bpa/hash.h). */
#include "bpa/hash.h"

#include "core/sha256.h"

bpa_status bpa_file_sha256(const char *path, char hex[65], bpa_error *err)
{
    return bpa_sha256_file(path, hex, err);
}

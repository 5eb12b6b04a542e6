/* Growable arrays without a capacity field (see array.h). */
#include "core/array.h"

#include <stdint.h>
#include <string.h>

#include "core/alloc.h"

#define FIRST 16

bool bpa_array_reserve(void **arr, size_t n, size_t size)
{
    size_t cap = n == 0 ? 0 : FIRST;
    while (cap < n)
        cap *= 2;
    if (n < cap)
        return true;
    size_t want = cap ? cap * 2 : FIRST;
    if (size && want > SIZE_MAX / size)
        return false;
    void *grown = bpa_realloc(*arr, want * size);
    if (!grown)
        return false;
    memset((char *)grown + cap * size, 0, (want - cap) * size);
    *arr = grown;
    return true;
}

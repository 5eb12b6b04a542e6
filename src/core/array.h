/*
 * array.h (internal) - growable arrays whose capacity follows from their
 * length, so the structs that hold them keep no capacity field: the
 * capacity of n elements is 0 for n = 0, else the larger of 16 and the
 * smallest power of two >= n.
 */
#ifndef BPA_ARRAY_H
#define BPA_ARRAY_H

#include <stdbool.h>
#include <stddef.h>

/* Make room for element n (the (n+1)-th) in *arr of n elements of `size`
 * bytes; new room is zeroed. False (and *arr unchanged) when memory runs
 * out or the size would overflow. */
bool bpa_array_reserve(void **arr, size_t n, size_t size);

#endif

/*
 * bpa/version.h - the version of the engine, as results record it
 * ("engine": {"version"}) and `bpa --version` prints it.
 */
#ifndef BPA_VERSION_H
#define BPA_VERSION_H

#include "bpa/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* "0.1.0": a static string, never NULL; thread-safe. */
BPA_API const char *bpa_version(void);

#ifdef __cplusplus
}
#endif
#endif

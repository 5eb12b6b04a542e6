/* The engine's version (see include/bpa/version.h); the Makefile defines it. */
#include "bpa/version.h"

const char *bpa_version(void) { return BPA_VERSION; }

/* Result codes and the error record (see include/bpa/status.h). */
#include "bpa/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *bpa_status_str(bpa_status status)
{
    switch (status) {
    case BPA_OK: return "ok";
    case BPA_E_INPUT: return "input error";
    case BPA_E_POLICY: return "policy error";
    case BPA_E_USAGE: return "usage error";
    case BPA_E_OUTPUT: return "output error";
    case BPA_E_NOMEM: return "out of memory";
    case BPA_E_IO: return "read error";
    case BPA_E_DIFFERENCES: return "differences found";
    }
    return "unknown error";
}

int bpa_status_exit_code(bpa_status status)
{
    switch (status) {
    case BPA_OK: return 0;
    case BPA_E_INPUT:
    case BPA_E_POLICY:
    case BPA_E_IO: return 1;
    case BPA_E_USAGE: return 2;
    case BPA_E_OUTPUT:
    case BPA_E_NOMEM: return 3;
    case BPA_E_DIFFERENCES: return 4;
    }
    return 1;
}

void bpa_error_clear(bpa_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

static void copy_bounded(char *dst, size_t n, const char *src)
{
    size_t len = src ? strlen(src) : 0;
    if (len >= n)
        len = n - 1;
    if (len)
        memcpy(dst, src, len);
    dst[len] = '\0';
}

bpa_status bpa_error_set(bpa_error *err, bpa_status status, const char *file,
                         unsigned line, unsigned column, const char *path,
                         const char *fmt, ...)
{
    if (!err)
        return status;
    err->status = status;
    copy_bounded(err->file, sizeof err->file, file);
    err->line = line;
    err->column = column;
    copy_bounded(err->path, sizeof err->path, path);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return status;
}

char *bpa_error_format(const bpa_error *err, char *buf, size_t n)
{
    size_t used = 0;
    if (!buf || n == 0)
        return buf;
    buf[0] = '\0';
#define APPEND(...)                                                            \
    do {                                                                       \
        if (used < n) {                                                        \
            int k = snprintf(buf + used, n - used, __VA_ARGS__);               \
            if (k > 0)                                                         \
                used += (size_t)k;                                             \
        }                                                                      \
    } while (0)
    if (err->file[0]) {
        APPEND("%s", err->file);
        if (err->line)
            APPEND(":%u", err->line);
        if (err->line && err->column)
            APPEND(":%u", err->column);
        APPEND(": ");
    }
    if (err->path[0])
        APPEND("%s: ", err->path);
    APPEND("%s", err->message[0] ? err->message : bpa_status_str(err->status));
#undef APPEND
    return buf;
}

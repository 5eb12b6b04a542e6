/* multipart/form-data bodies (RFC 7578) for `bpa serve`: the whole body is
 * in memory (its size is limited before), so the parts point into it. Our
 * own parser, so that a part header with a NUL or another control byte is
 * seen and refused rather than cut short. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "serve.h"

static const char *find(const char *hay, size_t n, const char *needle, size_t m)
{
    if (m == 0 || n < m)
        return NULL;
    for (size_t i = 0; i + m <= n; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, m) == 0)
            return hay + i;
    return NULL;
}

/* The value of param (e.g. "name") in a Content-Disposition header, quoted
 * or not, into out; false when absent, too long or with its quote unclosed
 * (then *bad). */
static bool header_param(const char *h, size_t n, const char *param, char *out, size_t outn,
                         bool *bad)
{
    size_t pl = strlen(param);
    for (size_t i = 0; i + pl + 1 <= n; i++) {
        if (strncasecmp(h + i, param, pl) != 0 || h[i + pl] != '=')
            continue;
        /* a whole word: "filename" must not match inside "xfilename" */
        if (i > 0 && h[i - 1] != ' ' && h[i - 1] != ';' && h[i - 1] != '\t')
            continue;
        size_t j = i + pl + 1, k = 0;
        bool quoted = j < n && h[j] == '"';
        if (quoted)
            j++;
        while (j < n && (quoted ? h[j] != '"' : h[j] != ';' && h[j] != ' ')) {
            if (k + 1 >= outn) {
                *bad = true;
                return false;
            }
            out[k++] = h[j++];
        }
        out[k] = '\0';
        if (quoted && j >= n)
            *bad = true; /* unclosed quote: the header is broken */
        return !(quoted && j >= n);
    }
    return false;
}

static bool fail(unsigned *status, unsigned code, char *msg, size_t msgn, const char *text)
{
    *status = code;
    snprintf(msg, msgn, "%s", text);
    return false;
}

bool serve_multipart_parse(const char *content_type, const char *body, size_t len,
                           serve_part *parts, size_t *nparts, unsigned *status, char *msg,
                           size_t msgn)
{
    *nparts = 0;
    const char *b = content_type ? strstr(content_type, "boundary=") : NULL;
    if (!content_type || strncasecmp(content_type, "multipart/form-data", 19) != 0 || !b)
        return fail(status, 400, msg, msgn,
                    "expected a multipart/form-data body with a boundary (a form with "
                    "enctype=\"multipart/form-data\")");
    b += 9;
    char delim[80] = "--";
    size_t bl = 0;
    bool quoted = *b == '"';
    if (quoted)
        b++;
    while (b[bl] && b[bl] != ';' && (quoted ? b[bl] != '"' : b[bl] != ' '))
        bl++;
    if (bl == 0 || bl > 70)
        return fail(status, 400, msg, msgn, "the multipart boundary is empty or longer than 70");
    memcpy(delim + 2, b, bl);
    size_t dl = bl + 2;
    delim[dl] = '\0';

    const char *p = find(body, len, delim, dl);
    if (!p)
        return fail(status, 400, msg, msgn, "the multipart body has no boundary line");
    const char *end = body + len;
    for (;;) {
        p += dl;
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            return true; /* the closing delimiter */
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
            return fail(status, 400, msg, msgn, "a multipart boundary line does not end in CRLF");
        p += 2;
        const char *hend = find(p, (size_t)(end - p), "\r\n\r\n", 4);
        if (!hend)
            return fail(status, 400, msg, msgn, "a multipart part has no end of its headers");
        if (*nparts == SERVE_MAX_PARTS) {
            snprintf(msg, msgn, "too many files and fields: at most %d in one request",
                     SERVE_MAX_PARTS);
            *status = 413;
            return false;
        }
        serve_part *part = &parts[(*nparts)++];
        memset(part, 0, sizeof *part);
        /* the headers, line by line */
        for (const char *h = p; h < hend;) {
            const char *eol = find(h, (size_t)(hend + 2 - h), "\r\n", 2);
            size_t hn = (size_t)(eol - h);
            for (size_t i = 0; i < hn; i++) {
                unsigned char ch = (unsigned char)h[i];
                if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
                    return fail(status, 400, msg, msgn,
                                "a multipart part header holds a control character (a NUL byte "
                                "or a line break in a file name?): give the file a plain name");
            }
            if (hn > 20 && strncasecmp(h, "Content-Disposition:", 20) == 0) {
                bool too_long = false;
                if (!header_param(h, hn, "name", part->name, sizeof part->name, &too_long) &&
                    too_long)
                    return fail(status, 400, msg, msgn,
                                "a form field name is too long or its quote is not closed");
                part->has_filename = header_param(h, hn, "filename", part->filename,
                                                  sizeof part->filename, &too_long);
                if (too_long)
                    return fail(status, 400, msg, msgn,
                                "a file name is longer than 255 bytes or its quote is not "
                                "closed: rename the file");
            }
            h = eol + 2;
        }
        if (!part->name[0])
            return fail(status, 400, msg, msgn,
                        "a multipart part has no Content-Disposition: form-data; name=...");
        const char *data = hend + 4;
        char close[84] = "\r\n";
        memcpy(close + 2, delim, dl + 1);
        const char *next = find(data, (size_t)(end - data), close, dl + 2);
        if (!next)
            return fail(status, 400, msg, msgn, "a multipart part is not closed by the boundary");
        part->data = data;
        part->len = (size_t)(next - data);
        p = next + 2;
    }
}

/*
 * Streaming CSV reader (see include/bpa/csv.h, RULES.md 8.1 and 12).
 *
 * One byte-level state machine serves files and memory: a file is read in
 * CSV_CHUNK-byte chunks into a private buffer, a memory input is simply one
 * chunk that never refills. Every consumed byte passes through get(), which
 * also tracks line/column and validates UTF-8 and NUL, so the field parser
 * only deals with CSV syntax; except a plain record (fast_record), taken
 * whole when no byte of it needs any of that. Because the structural
 * characters (comma, quote, CR, LF) are ASCII, they never occur inside a
 * UTF-8 sequence. A file's chunks are hashed (SHA-256) as they are read.
 *
 * Positions: line is the physical line (LF count + 1); column is 1-based and
 * counted in bytes, not characters; a leading BOM is not counted.
 */
#include "core/alloc.h"
#include "core/sha256.h"
#include "io/csv.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CSV_CHUNK ((size_t)64 * 1024)

/* get()/peek() results besides a byte value 0..255. */
#define CSV_EOF (-1)
#define CSV_FAIL (-2) /* the error is already recorded in csv->err */

struct bpa_csv {
    char *name;
    FILE *fp;            /* NULL for memory input */
    unsigned char *chunk; /* file buffer (owned) */
    const unsigned char *buf;
    size_t len, pos;
    int eof;        /* no more input beyond buf[len] */
    int first_fill; /* the BOM is checked on the first chunk only */
    int done;       /* end of input was reported */

    unsigned line, col;        /* position of the next byte */
    unsigned rec_line;         /* line of the current record's first byte */
    unsigned bline, bcol;      /* position of the byte get() returned last */
    unsigned u8_need;          /* continuation bytes still expected */
    unsigned char u8_lo, u8_hi; /* allowed range of the next continuation */
    unsigned u8_line, u8_col;  /* where the current sequence started */

    char *rec; /* the fields of the current record, each NUL-terminated */
    size_t rec_len, rec_cap;
    size_t offs[BPA_CSV_FIELDS_MAX];
    char *fields[BPA_CSV_FIELDS_MAX];

    int sep;        /* the field separator: ',' or, when detected, ';' */
    int bytewise;   /* tests: no fast_record */
    int detect;     /* the next record (the header) chooses sep */
    int semis;      /* the record being detected: ';' bytes ended fields */
    unsigned char semi_after[BPA_CSV_FIELDS_MAX]; /* field i ended in ';' */

    bpa_sha256 sha; /* of a file's bytes as read */

    bpa_status failed; /* sticky: the reader's state is unusable after it */
    bpa_error err;
};

static int fail(bpa_csv *c, bpa_status st, unsigned line, unsigned col,
                const char *msg)
{
    c->failed = bpa_error_set(&c->err, st, c->name, line, col, NULL, "%s", msg);
    return CSV_FAIL;
}

static void skip_bom(bpa_csv *c)
{
    static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
    c->first_fill = 0;
    if (c->len - c->pos >= 3 && memcmp(c->buf + c->pos, bom, 3) == 0)
        c->pos += 3;
}

/* Refill the buffer; returns 0, CSV_EOF or CSV_FAIL. fread loops until the
 * chunk is full or the input ends, so the first chunk holds the whole BOM
 * whenever the input is at least 3 bytes long. */
static int fill(bpa_csv *c)
{
    if (c->eof)
        return CSV_EOF;
    size_t n = fread(c->chunk, 1, CSV_CHUNK, c->fp);
    if (n == 0) {
        if (ferror(c->fp)) {
            char msg[BPA_ERROR_MSG_MAX];
            snprintf(msg, sizeof msg, "read error: %s", strerror(errno));
            return fail(c, BPA_E_IO, c->line, 0, msg);
        }
        c->eof = 1;
        return CSV_EOF;
    }
    bpa_sha256_update(&c->sha, c->chunk, n);
    c->buf = c->chunk;
    c->len = n;
    c->pos = 0;
    if (c->first_fill)
        skip_bom(c);
    return c->pos < c->len ? 0 : fill(c);
}

/* The next byte without consuming it (no validation: get() does that). */
static int peek(bpa_csv *c)
{
    if (c->pos == c->len) {
        int r = fill(c);
        if (r != 0)
            return r;
    }
    return c->buf[c->pos];
}

static int not_utf8(bpa_csv *c, const char *what)
{
    char msg[64];
    snprintf(msg, sizeof msg, "not UTF-8 (%s)", what);
    return fail(c, BPA_E_INPUT, c->u8_line, c->u8_col, msg);
}

/* Consume one byte: track the position, reject NUL and anything that is not
 * UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF). A bad sequence is reported at the column of its first byte. */
static int get(bpa_csv *c)
{
    if (c->pos == c->len) {
        int r = fill(c);
        if (r == CSV_EOF && c->u8_need)
            return not_utf8(c, "truncated sequence");
        if (r != 0)
            return r;
    }
    unsigned char b = c->buf[c->pos++];
    c->bline = c->line;
    c->bcol = c->col;
    if (b == '\n') {
        if (c->line < UINT_MAX)
            c->line++;
        c->col = 1;
    } else if (c->col < UINT_MAX) {
        c->col++;
    }

    if (c->u8_need) {
        if (b < c->u8_lo || b > c->u8_hi)
            return not_utf8(c, b >= 0x80 && b <= 0xBF ? "invalid sequence"
                                                      : "truncated sequence");
        c->u8_need--;
        c->u8_lo = 0x80;
        c->u8_hi = 0xBF;
        return b;
    }
    if (b == 0)
        return fail(c, BPA_E_INPUT, c->bline, c->bcol, "NUL byte");
    if (b < 0x80)
        return b;

    c->u8_line = c->bline;
    c->u8_col = c->bcol;
    c->u8_lo = 0x80;
    c->u8_hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
        c->u8_need = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
        c->u8_need = 2;
        if (b == 0xE0)
            c->u8_lo = 0xA0; /* overlong below U+0800 */
        else if (b == 0xED)
            c->u8_hi = 0x9F; /* surrogates U+D800..U+DFFF */
    } else if (b >= 0xF0 && b <= 0xF4) {
        c->u8_need = 3;
        if (b == 0xF0)
            c->u8_lo = 0x90; /* overlong below U+10000 */
        else if (b == 0xF4)
            c->u8_hi = 0x8F; /* above U+10FFFF */
    } else {
        /* stray continuation, C0/C1 (always overlong) or F5..FF */
        return not_utf8(c, "invalid byte");
    }
    return b;
}

/* Room for `more` bytes in the record buffer. The buffer only grows up to
 * BPA_CSV_FIELDS_MAX * (BPA_CSV_FIELD_MAX + 1) bytes, so the size cannot
 * overflow. */
static int reserve(bpa_csv *c, size_t more)
{
    if (c->rec_cap - c->rec_len >= more)
        return 0;
    size_t cap = c->rec_cap ? c->rec_cap : 256;
    while (cap - c->rec_len < more)
        cap *= 2;
    char *p = bpa_realloc(c->rec, cap);
    if (!p)
        return fail(c, BPA_E_NOMEM, 0, 0, "out of memory");
    c->rec = p;
    c->rec_cap = cap;
    return 0;
}

/* Append one data byte of the field that started at (fline, fcol). */
static int append(bpa_csv *c, int b, size_t *flen, unsigned fline,
                  unsigned fcol)
{
    if (*flen == BPA_CSV_FIELD_MAX) {
        char msg[64];
        snprintf(msg, sizeof msg, "field longer than %d bytes",
                 BPA_CSV_FIELD_MAX);
        return fail(c, BPA_E_INPUT, fline, fcol, msg);
    }
    if (reserve(c, 1) != 0)
        return CSV_FAIL;
    c->rec[c->rec_len++] = (char)b;
    (*flen)++;
    return 0;
}

/* After a CR at (line, col) only LF may follow; consumes the LF. */
static int expect_lf(bpa_csv *c, unsigned line, unsigned col)
{
    int d = peek(c);
    if (d == CSV_FAIL)
        return CSV_FAIL;
    if (d != '\n')
        return fail(c, BPA_E_INPUT, line, col, "stray carriage return");
    return get(c);
}

/* Read one field into the record buffer (without its NUL). Returns the byte
 * that ended it, already consumed (comma, LF, CR, or for a quoted field
 * whatever followed the closing quote), CSV_EOF or CSV_FAIL. */
static int parse_field(bpa_csv *c)
{
    unsigned fline = c->line, fcol = c->col;
    size_t flen = 0;
    int b = get(c);

    if (b == '"') {
        for (;;) {
            b = get(c);
            if (b == CSV_FAIL)
                return CSV_FAIL;
            if (b == CSV_EOF)
                return fail(c, BPA_E_INPUT, fline, fcol,
                            "unterminated quoted field (end of file)");
            if (b == '"') {
                b = get(c);
                if (b != '"')
                    return b; /* that was the closing quote */
            } else if (b == '\r') {
                /* CRLF in data becomes LF; the LF is appended next round. */
                int d = peek(c);
                if (d == CSV_FAIL)
                    return CSV_FAIL;
                if (d != '\n')
                    return fail(c, BPA_E_INPUT, c->bline, c->bcol,
                                "stray carriage return");
                continue;
            }
            if (append(c, b, &flen, fline, fcol) != 0)
                return CSV_FAIL;
        }
    }

    for (;;) {
        if (b == CSV_FAIL || b == CSV_EOF || b == c->sep || b == '\n' || b == '\r' ||
            (c->detect && b == ';'))
            return b;
        if (b == '"')
            return fail(c, BPA_E_INPUT, c->bline, c->bcol,
                        "quote inside an unquoted field (quote the whole "
                        "field and double the quote)");
        if (append(c, b, &flen, fline, fcol) != 0)
            return CSV_FAIL;
        b = get(c);
    }
}

/* Skip blank lines; returns 0 at a record's first byte, CSV_EOF or
 * CSV_FAIL. */
static int skip_blank(bpa_csv *c)
{
    for (;;) {
        int b = peek(c);
        if (b < 0)
            return b;
        if (b != '\n' && b != '\r')
            return 0;
        b = get(c);
        if (b == '\r' && expect_lf(c, c->bline, c->bcol) == CSV_FAIL)
            return CSV_FAIL;
    }
}

/* The common record at once: it lies wholly in the buffer, ends in LF or
 * CRLF, holds only ASCII other than NUL and quotes, and keeps to the limits.
 * Then its fields are split with one scan and one copy instead of a get()
 * per byte; anything else (quotes, UTF-8, a stray CR, a record across a
 * chunk, the header whose separator is being detected, a limit exceeded)
 * returns 0 having consumed nothing, and the byte-wise parser below takes
 * the record from its first byte, so every error is found and placed as
 * before. Returns the number of fields, 0: not taken, SIZE_MAX: out of
 * memory (recorded). */
static size_t fast_record(bpa_csv *c)
{
    if (c->detect || c->u8_need || c->bytewise)
        return 0;
    const unsigned char *p = c->buf + c->pos, *end = c->buf + c->len, *q = p;
    const unsigned char sep = (unsigned char)c->sep;
    const unsigned char *field = p;
    size_t n = 0;
    for (;; q++) {
        if (q == end)
            return 0;
        unsigned char b = *q;
        if (b > '"' && b < 0x80 && b != sep)
            continue; /* letters, digits, most punctuation */
        if (b == sep || b == '\n' || b == '\r') {
            if ((size_t)(q - field) > BPA_CSV_FIELD_MAX || n == BPA_CSV_FIELDS_MAX)
                return 0;
            c->offs[n++] = (size_t)(field - p);
            field = q + 1;
            if (b == sep)
                continue;
            if (b == '\r' && (q + 1 == end || q[1] != '\n'))
                return 0;
            break;
        }
        if (b == 0 || b == '"' || b >= 0x80)
            return 0;
    }
    size_t len = (size_t)(q - p); /* the record without its line end */
    if (reserve(c, len + 1) != 0)
        return SIZE_MAX;
    memcpy(c->rec, p, len);
    for (size_t i = 1; i < n; i++)
        c->rec[c->offs[i] - 1] = '\0';
    c->rec[len] = '\0';
    c->rec_len = len + 1;
    c->rec_line = c->line;
    c->pos += len + (*q == '\r' ? 2 : 1);
    c->bline = c->line; /* the line end, as get() would leave them */
    c->bcol = c->col + (unsigned)len;
    if (c->line < UINT_MAX)
        c->line++;
    c->col = 1;
    return n;
}

static int parse_record(bpa_csv *c, size_t *nfields)
{
    int r = skip_blank(c);
    *nfields = 0;
    if (r == CSV_EOF)
        return 0;
    if (r != 0)
        return r;
    size_t fast = fast_record(c);
    if (fast == SIZE_MAX)
        return CSV_FAIL;
    if (fast) {
        for (size_t i = 0; i < fast; i++)
            c->fields[i] = c->rec + c->offs[i];
        *nfields = fast;
        return 0;
    }

    size_t n = 0;
    c->rec_len = 0;
    c->rec_line = c->line;
    for (;;) {
        if (n == BPA_CSV_FIELDS_MAX) {
            char msg[64];
            snprintf(msg, sizeof msg, "more than %d fields",
                     BPA_CSV_FIELDS_MAX);
            return fail(c, BPA_E_INPUT, c->line, c->col, msg);
        }
        c->offs[n++] = c->rec_len;
        int t = parse_field(c);
        if (t == CSV_FAIL)
            return CSV_FAIL;
        if (reserve(c, 1) != 0)
            return CSV_FAIL;
        c->rec[c->rec_len++] = '\0';
        if (c->detect) {
            c->semi_after[n - 1] = t == ';';
            if (t == ';') {
                c->semis++;
                continue;
            }
        }
        if (t == c->sep)
            continue;
        if (t == '\r' && expect_lf(c, c->bline, c->bcol) == CSV_FAIL)
            return CSV_FAIL;
        if (t == '\r' || t == '\n' || t == CSV_EOF)
            break;
        /* only a quoted field can end in anything else */
        return fail(c, BPA_E_INPUT, c->bline, c->bcol,
                    c->sep == ';' ? "expected a semicolon or line end after a closing quote"
                                  : "expected a comma or line end after a closing quote");
    }
    if (c->detect) {
        /* RULES.md 8.1: a semicolon and no comma outside quotes make the
         * separator a semicolon; else the semicolons were text and the
         * fields they ended are joined back. */
        c->detect = 0;
        size_t commas = n - 1 - (size_t)c->semis;
        if (c->semis && !commas) {
            c->sep = ';';
        } else if (c->semis) {
            size_t m = 0;
            for (size_t i = 0; i < n; i++) {
                if (i > 0 && c->semi_after[i - 1])
                    c->rec[c->offs[i] - 1] = ';';
                else
                    c->offs[m++] = c->offs[i];
            }
            n = m;
        }
    }
    for (size_t i = 0; i < n; i++)
        c->fields[i] = c->rec + c->offs[i];
    *nfields = n;
    return 0;
}

/* A reader with a copy of the name and no input yet; NULL when out of
 * memory. */
static bpa_csv *csv_new(const char *name)
{
    size_t nlen = strlen(name);
    bpa_csv *c = bpa_calloc(1, sizeof *c);
    char *copy = bpa_malloc(nlen + 1);
    if (!c || !copy) {
        free(c);
        free(copy);
        return NULL;
    }
    memcpy(copy, name, nlen + 1);
    c->name = copy;
    c->sep = ',';
    c->line = 1;
    c->col = 1;
    c->first_fill = 1;
    c->failed = BPA_OK;
    return c;
}

bpa_status bpa_csv_open_file(bpa_csv **out, const char *path, bpa_error *err)
{
    *out = NULL;
    if (!path)
        return bpa_error_set(err, BPA_E_IO, NULL, 0, 0, NULL,
                             "cannot open: no file name");
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return bpa_error_set(err, BPA_E_IO, path, 0, 0, NULL,
                             "cannot open: %s", strerror(errno));
    /* fopen succeeds on a directory on Linux; reading would fail with
     * EISDIR, so say it plainly up front. */
    struct stat st;
    if (fstat(fileno(fp), &st) != 0) {
        int e = errno;
        fclose(fp);
        return bpa_error_set(err, BPA_E_IO, path, 0, 0, NULL,
                             "cannot open: %s", strerror(e));
    }
    if (S_ISDIR(st.st_mode)) {
        fclose(fp);
        return bpa_error_set(err, BPA_E_IO, path, 0, 0, NULL,
                             "is a directory, expected a CSV file");
    }

    bpa_csv *c = csv_new(path);
    unsigned char *chunk = bpa_malloc(CSV_CHUNK);
    if (!c || !chunk) {
        fclose(fp);
        free(chunk);
        bpa_csv_free(c);
        return bpa_error_set(err, BPA_E_NOMEM, path, 0, 0, NULL,
                             "out of memory");
    }
    c->chunk = chunk;
    c->fp = fp;
    bpa_sha256_init(&c->sha);
    c->buf = c->chunk;
    *out = c;
    return BPA_OK;
}

bpa_status bpa_csv_open_mem(bpa_csv **out, const char *name, const char *data,
                            size_t len, bpa_error *err)
{
    *out = NULL;
    if (!name)
        name = "";
    bpa_csv *c = csv_new(name);
    if (!c)
        return bpa_error_set(err, BPA_E_NOMEM, name, 0, 0, NULL,
                             "out of memory");
    /* The whole input is one chunk that never refills. */
    c->buf = (const unsigned char *)data;
    c->len = data ? len : 0;
    c->eof = 1;
    skip_bom(c);
    *out = c;
    return BPA_OK;
}

bpa_status bpa_csv_next(bpa_csv *csv, size_t *nfields, char ***fields,
                        unsigned *line, bpa_error *err)
{
    *nfields = 0;
    *fields = NULL;
    *line = 0;
    /* After an error the state is unusable: repeat the error. */
    if (csv->failed == BPA_OK && !csv->done) {
        size_t n;
        if (parse_record(csv, &n) == 0) {
            if (n == 0) {
                csv->done = 1;
                return BPA_OK;
            }
            *nfields = n;
            *fields = csv->fields;
            *line = csv->rec_line;
            return BPA_OK;
        }
    }
    if (csv->failed != BPA_OK) {
        if (err)
            *err = csv->err;
        return csv->failed;
    }
    return BPA_OK; /* end of input, again */
}

void bpa_csv_detect_separator(bpa_csv *csv)
{
    csv->detect = 1;
}

void bpa_csv_sha256(bpa_csv *csv, char hex[65])
{
    if (!csv->fp) {
        bpa_sha256_hex(csv->buf, csv->len, hex);
        return;
    }
    bpa_sha256 copy = csv->sha; /* the reader's own stays usable */
    bpa_sha256_final_hex(&copy, hex);
}

void bpa_csv_bytewise(bpa_csv *csv)
{
    csv->bytewise = 1;
}

void bpa_csv_free(bpa_csv *csv)
{
    if (!csv)
        return;
    if (csv->fp)
        fclose(csv->fp);
    free(csv->chunk);
    free(csv->rec);
    free(csv->name);
    free(csv);
}

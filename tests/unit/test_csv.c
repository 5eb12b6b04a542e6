/* The streaming CSV reader: RFC 4180 records, blank lines, BOM, CRLF, every
 * error class with its position, and chunk boundaries of a real file. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/csv.h"
#include "testutil.h"

#define NAME "ts.csv"

static bpa_csv *open_buf(const char *data, size_t len)
{
    bpa_csv *c = NULL;
    bpa_error err;
    bpa_error_clear(&err);
    ck_assert_int_eq(bpa_csv_open_mem(&c, NAME, data, len, &err), BPA_OK);
    ck_assert_ptr_nonnull(c);
    return c;
}

static bpa_csv *open_str(const char *s)
{
    return open_buf(s, strlen(s));
}

/* The next record must start on `line` and hold exactly `n` fields. */
static void expect_rec(bpa_csv *c, unsigned line, size_t n,
                       const char *const *want)
{
    size_t nf = 99;
    char **f = NULL;
    unsigned ln = 0;
    bpa_error err;
    bpa_error_clear(&err);
    bpa_status s = bpa_csv_next(c, &nf, &f, &ln, &err);
    ck_assert_msg(s == BPA_OK, "status %d: %s", (int)s, err.message);
    ck_assert_uint_eq(nf, n);
    ck_assert_uint_eq(ln, line);
    for (size_t i = 0; i < n; i++)
        ck_assert_str_eq(f[i], want[i]);
}

static void expect_end(bpa_csv *c)
{
    size_t nf = 99;
    char **f = NULL;
    unsigned ln = 99;
    bpa_error err;
    bpa_error_clear(&err);
    bpa_status s = bpa_csv_next(c, &nf, &f, &ln, &err);
    ck_assert_msg(s == BPA_OK, "status %d at %u:%u: %s", (int)s, err.line,
                  err.column, err.message);
    ck_assert_uint_eq(nf, 0);
}

/* Reading `data` must fail with BPA_E_INPUT at line:col, after any number of
 * good records, with a message containing `what`; and keep failing. */
static void expect_error_buf(const char *data, size_t len, unsigned line,
                             unsigned col, const char *what)
{
    bpa_csv *c = open_buf(data, len);
    size_t nf;
    char **f;
    unsigned ln;
    bpa_error err;
    bpa_status s;
    int guard = 0;
    bpa_error_clear(&err);
    while ((s = bpa_csv_next(c, &nf, &f, &ln, &err)) == BPA_OK) {
        ck_assert_msg(nf > 0, "no error for expected '%s'", what);
        ck_assert_int_lt(++guard, 100);
    }
    ck_assert_int_eq(s, BPA_E_INPUT);
    ck_assert_str_eq(err.file, NAME);
    ck_assert_msg(err.line == line && err.column == col,
                  "'%s' at %u:%u, expected %u:%u", err.message, err.line,
                  err.column, line, col);
    ck_assert_msg(strstr(err.message, what) != NULL, "message '%s' lacks '%s'",
                  err.message, what);
    /* the reader stays failed */
    bpa_error again;
    bpa_error_clear(&again);
    ck_assert_int_eq(bpa_csv_next(c, &nf, &f, &ln, &again), BPA_E_INPUT);
    ck_assert_str_eq(again.message, err.message);
    ck_assert_uint_eq(again.line, line);
    bpa_csv_free(c);
}

static void expect_error(const char *data, unsigned line, unsigned col,
                         const char *what)
{
    expect_error_buf(data, strlen(data), line, col, what);
}

START_TEST(test_simple)
{
    bpa_csv *c = open_str("a,b,c\nd,e,f\n");
    expect_rec(c, 1, 3, (const char *const[]){"a", "b", "c"});
    expect_rec(c, 2, 3, (const char *const[]){"d", "e", "f"});
    expect_end(c);
    expect_end(c); /* the end is reported again */
    bpa_csv_free(c);
}
END_TEST

START_TEST(test_header_rows)
{
    bpa_csv *c = open_str("helper,date,start,end,kind\n"
                          "Anna,2025-01-02,08:00,16:00,work\n"
                          "Bo,2025-01-03,22:00,06:00,on_call\n");
    expect_rec(c, 1, 5,
               (const char *const[]){"helper", "date", "start", "end", "kind"});
    expect_rec(c, 2, 5,
               (const char *const[]){"Anna", "2025-01-02", "08:00", "16:00",
                                     "work"});
    expect_rec(c, 3, 5,
               (const char *const[]){"Bo", "2025-01-03", "22:00", "06:00",
                                     "on_call"});
    expect_end(c);
    bpa_csv_free(c);
}
END_TEST

START_TEST(test_empty_inputs)
{
    bpa_csv *c = open_buf(NULL, 0);
    expect_end(c);
    bpa_csv_free(c);
    c = open_str("\n\r\n\n");
    expect_end(c);
    bpa_csv_free(c);
    c = open_str("\xEF\xBB\xBF");
    expect_end(c);
    bpa_csv_free(c);
    c = open_str("\xEF\xBB\xBF\r\n");
    expect_end(c);
    bpa_csv_free(c);
}
END_TEST

START_TEST(test_bom)
{
    bpa_csv *c = open_str("\xEF\xBB\xBFhelper,date\nx,y\n");
    expect_rec(c, 1, 2, (const char *const[]){"helper", "date"});
    expect_rec(c, 2, 2, (const char *const[]){"x", "y"});
    expect_end(c);
    bpa_csv_free(c);
    /* only a leading BOM is skipped; elsewhere U+FEFF is data */
    c = open_str("a,\xEF\xBB\xBF\n");
    expect_rec(c, 1, 2, (const char *const[]){"a", "\xEF\xBB\xBF"});
    expect_end(c);
    bpa_csv_free(c);
    /* the BOM takes no column: the quote is the 2nd byte after it */
    expect_error("\xEF\xBB\xBF" "a\"b\n", 1, 2, "quote inside an unquoted");
}
END_TEST

START_TEST(test_crlf)
{
    bpa_csv *c = open_str("a,b\r\nc,d\r\n");
    expect_rec(c, 1, 2, (const char *const[]){"a", "b"});
    expect_rec(c, 2, 2, (const char *const[]){"c", "d"});
    expect_end(c);
    bpa_csv_free(c);
    /* mixed endings are fine */
    c = open_str("a\nb\r\nc");
    expect_rec(c, 1, 1, (const char *const[]){"a"});
    expect_rec(c, 2, 1, (const char *const[]){"b"});
    expect_rec(c, 3, 1, (const char *const[]){"c"});
    expect_end(c);
    bpa_csv_free(c);
}
END_TEST

START_TEST(test_quoted)
{
    bpa_csv *c = open_str("\"a,b\",c\n"
                          "\"say \"\"hi\"\"\",x\n"
                          "\"\",\"\"\n"
                          "\"\"\"\"\n"
                          "\" sp \",\"\xC3\xA6\xC3\xB8\xC3\xA5\"\r\n");
    expect_rec(c, 1, 2, (const char *const[]){"a,b", "c"});
    expect_rec(c, 2, 2, (const char *const[]){"say \"hi\"", "x"});
    expect_rec(c, 3, 2, (const char *const[]){"", ""});
    expect_rec(c, 4, 1, (const char *const[]){"\""});
    expect_rec(c, 5, 2, (const char *const[]){" sp ", "\xC3\xA6\xC3\xB8\xC3\xA5"});
    expect_end(c);
    bpa_csv_free(c);
}
END_TEST

START_TEST(test_quoted_newline)
{
    /* lines: 1 header, 2-3 the record with a line break, 4 the next one */
    bpa_csv *c = open_str("id,note\n1,\"line one\nline two\"\n2,x\n");
    expect_rec(c, 1, 2, (const char *const[]){"id", "note"});
    expect_rec(c, 2, 2, (const char *const[]){"1", "line one\nline two"});
    expect_rec(c, 4, 2, (const char *const[]){"2", "x"});
    expect_end(c);
    bpa_csv_free(c);
    /* CRLF inside quotes becomes LF; two breaks push the next record to 4 */
    c = open_str("1,\"a\r\nb\r\n\"\r\n2,y\r\n");
    expect_rec(c, 1, 2, (const char *const[]){"1", "a\nb\n"});
    expect_rec(c, 4, 2, (const char *const[]){"2", "y"});
    expect_end(c);
    bpa_csv_free(c);
    /* a quoted blank line is data, not a blank line */
    c = open_str("\"\n\n\"\nz\n");
    expect_rec(c, 1, 1, (const char *const[]){"\n\n"});
    expect_rec(c, 4, 1, (const char *const[]){"z"});
    expect_end(c);
    bpa_csv_free(c);
}
END_TEST

START_TEST(test_blank_lines)
{
    /* 1 empty, 2 "a,b", 3 empty, 4 CRLF, 5 "c", 6 and 7 empty */
    bpa_csv *c = open_str("\na,b\n\n\r\nc\n\n\n");
    expect_rec(c, 2, 2, (const char *const[]){"a", "b"});
    expect_rec(c, 5, 1, (const char *const[]){"c"});
    expect_end(c);
    bpa_csv_free(c);
    /* blank lines at the end, CRLF style, without a final newline */
    c = open_str("x\r\n\r\n\r\n");
    expect_rec(c, 1, 1, (const char *const[]){"x"});
    expect_end(c);
    bpa_csv_free(c);
    /* a line of spaces is not blank */
    c = open_str("  \n");
    expect_rec(c, 1, 1, (const char *const[]){"  "});
    expect_end(c);
    bpa_csv_free(c);
}
END_TEST

START_TEST(test_only_commas)
{
    bpa_csv *c = open_str(",,\n,\r\n\n,,");
    expect_rec(c, 1, 3, (const char *const[]){"", "", ""});
    expect_rec(c, 2, 2, (const char *const[]){"", ""});
    expect_rec(c, 4, 3, (const char *const[]){"", "", ""});
    expect_end(c);
    bpa_csv_free(c);
}
END_TEST

START_TEST(test_no_final_newline)
{
    bpa_csv *c = open_str("a,b\nc,d");
    expect_rec(c, 1, 2, (const char *const[]){"a", "b"});
    expect_rec(c, 2, 2, (const char *const[]){"c", "d"});
    expect_end(c);
    bpa_csv_free(c);
    c = open_str("a,\"q\"");
    expect_rec(c, 1, 2, (const char *const[]){"a", "q"});
    expect_end(c);
    bpa_csv_free(c);
    c = open_str("a,");
    expect_rec(c, 1, 2, (const char *const[]){"a", ""});
    expect_end(c);
    bpa_csv_free(c);
}
END_TEST

START_TEST(test_err_quote_in_unquoted)
{
    expect_error("ok\nab\"c,d\n", 2, 3, "quote inside an unquoted field");
    expect_error("x,y\"\n", 1, 4, "quote inside an unquoted field");
}
END_TEST

START_TEST(test_err_after_closing_quote)
{
    /* x=1 ,=2 "=3 a=4 b=5 "=6 c=7 */
    expect_error("x,\"ab\"c\n", 1, 7, "after a closing quote");
    expect_error("h\n\"a\" ,b", 2, 4, "after a closing quote");
    /* "a""" is the field a" (1-5); the x after it is at 6 */
    expect_error("\"a\"\"\"x\n", 1, 6, "after a closing quote");
}
END_TEST

START_TEST(test_err_unterminated)
{
    /* the field starts on line 2, column 3 */
    expect_error("h\n1,\"abc\ndef\n", 2, 3, "unterminated quoted field");
    expect_error("\"", 1, 1, "unterminated quoted field");
    expect_error("a,\"x\"\"", 1, 3, "unterminated quoted field");
}
END_TEST

START_TEST(test_err_stray_cr)
{
    expect_error("ab\rc\n", 1, 3, "stray carriage return");
    expect_error("ab\r", 1, 3, "stray carriage return");
    expect_error("a\n\rb\n", 2, 1, "stray carriage return");
    expect_error("a\n\r", 2, 1, "stray carriage return");
    expect_error("\"a\rb\"\n", 1, 3, "stray carriage return");
    expect_error("\"a\"\rb", 1, 4, "stray carriage return");
    expect_error("a\r\r\n", 1, 2, "stray carriage return");
}
END_TEST

START_TEST(test_err_nul)
{
    expect_error_buf("ab\0c\n", 5, 1, 3, "NUL byte");
    expect_error_buf("x\n\"a\0\"\n", 7, 2, 3, "NUL byte");
    expect_error_buf("\0", 1, 1, 1, "NUL byte");
}
END_TEST

START_TEST(test_utf8_valid)
{
    /* U+007F, U+0080, U+07FF, U+0800, U+D7FF, U+E000, U+FFFF, U+10000,
     * U+10FFFF: the edges of every range */
    const char *s = "\x7F,\xC2\x80,\xDF\xBF,\xE0\xA0\x80,\xED\x9F\xBF,"
                    "\xEE\x80\x80,\xEF\xBF\xBF,\xF0\x90\x80\x80,"
                    "\xF4\x8F\xBF\xBF\n";
    bpa_csv *c = open_str(s);
    expect_rec(c, 1, 9,
               (const char *const[]){"\x7F", "\xC2\x80", "\xDF\xBF",
                                     "\xE0\xA0\x80", "\xED\x9F\xBF",
                                     "\xEE\x80\x80", "\xEF\xBF\xBF",
                                     "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF"});
    expect_end(c);
    bpa_csv_free(c);
}
END_TEST

START_TEST(test_err_utf8)
{
    /* a=1 b=2 ,=3 C3=4 A6=5, the bad sequence starts at 6 */
    expect_error("ab,\xC3\xA6\xC0\xAF\n", 1, 6, "not UTF-8");  /* overlong / */
    expect_error("\xC1\xBF", 1, 1, "not UTF-8");              /* overlong */
    expect_error("x\n\xE0\x80\xAF", 2, 1, "not UTF-8");       /* overlong */
    expect_error("\xF0\x80\x80\x80", 1, 1, "not UTF-8");      /* overlong */
    expect_error("a\xED\xA0\x80", 1, 2, "not UTF-8");         /* U+D800 */
    expect_error("a\xED\xBF\xBF", 1, 2, "not UTF-8");         /* U+DFFF */
    expect_error("\xF4\x90\x80\x80", 1, 1, "not UTF-8");      /* U+110000 */
    expect_error("\xF5\x80\x80\x80", 1, 1, "not UTF-8");
    expect_error("ok,\xFF", 1, 4, "not UTF-8");
    expect_error("ok,\xC3", 1, 4, "truncated");               /* at EOF */
    expect_error("\xE2\x82,x", 1, 1, "truncated");            /* by a comma */
    expect_error("\"\xE2\x82\"", 1, 2, "truncated");          /* by a quote */
    expect_error("ab\xE2\x82\n", 1, 3, "truncated");          /* by LF */
    expect_error("ab\x80", 1, 3, "not UTF-8");                /* stray cont. */
    expect_error("\xC3\xA6\xBF", 1, 3, "not UTF-8");          /* one too many */
    expect_error("x\n\"a\nb\xC3\xA6\x80\"", 3, 4, "not UTF-8");
}
END_TEST

START_TEST(test_field_limit)
{
    /* "a," + field + "\n" */
    char *buf = malloc(BPA_CSV_FIELD_MAX + 16);
    ck_assert_ptr_nonnull(buf);
    memcpy(buf, "a,", 2);
    memset(buf + 2, 'x', BPA_CSV_FIELD_MAX);
    strcpy(buf + 2 + BPA_CSV_FIELD_MAX, "\n");
    bpa_csv *c = open_str(buf);
    size_t nf;
    char **f;
    unsigned ln;
    bpa_error err;
    ck_assert_int_eq(bpa_csv_next(c, &nf, &f, &ln, &err), BPA_OK);
    ck_assert_uint_eq(nf, 2);
    ck_assert_uint_eq(strlen(f[1]), BPA_CSV_FIELD_MAX);
    bpa_csv_free(c);

    /* one byte more: reported where the field starts (column 3) */
    memset(buf + 2, 'x', BPA_CSV_FIELD_MAX + 1);
    strcpy(buf + 3 + BPA_CSV_FIELD_MAX, "\n");
    expect_error(buf, 1, 3, "field longer than 4096 bytes");

    /* quoted: 4095 x and one doubled quote hold exactly 4096 bytes */
    buf[2] = '"';
    memset(buf + 3, 'x', BPA_CSV_FIELD_MAX - 1);
    strcpy(buf + 2 + BPA_CSV_FIELD_MAX, "\"\"\"\n");
    c = open_str(buf);
    ck_assert_int_eq(bpa_csv_next(c, &nf, &f, &ln, &err), BPA_OK);
    ck_assert_uint_eq(nf, 2);
    ck_assert_uint_eq(strlen(f[1]), BPA_CSV_FIELD_MAX);
    ck_assert_int_eq(f[1][BPA_CSV_FIELD_MAX - 1], '"');
    bpa_csv_free(c);
    /* and one more byte in it is too long */
    strcpy(buf + 2 + BPA_CSV_FIELD_MAX, "y\"\"\"\n");
    expect_error(buf, 1, 3, "field longer than");
    free(buf);
}
END_TEST

START_TEST(test_fields_limit)
{
    char buf[256];
    /* "x\n" then 63 commas: 64 empty fields */
    strcpy(buf, "x\n");
    memset(buf + 2, ',', BPA_CSV_FIELDS_MAX - 1);
    strcpy(buf + 2 + BPA_CSV_FIELDS_MAX - 1, "\n");
    bpa_csv *c = open_str(buf);
    size_t nf;
    char **f;
    unsigned ln;
    bpa_error err;
    expect_rec(c, 1, 1, (const char *const[]){"x"});
    ck_assert_int_eq(bpa_csv_next(c, &nf, &f, &ln, &err), BPA_OK);
    ck_assert_uint_eq(nf, BPA_CSV_FIELDS_MAX);
    ck_assert_uint_eq(ln, 2);
    ck_assert_str_eq(f[BPA_CSV_FIELDS_MAX - 1], "");
    expect_end(c);
    bpa_csv_free(c);
    /* 64 commas: the 65th field starts after the 64th comma, column 65 */
    memset(buf + 2, ',', BPA_CSV_FIELDS_MAX);
    strcpy(buf + 2 + BPA_CSV_FIELDS_MAX, "\n");
    expect_error(buf, 2, 65, "more than 64 fields");
}
END_TEST

START_TEST(test_fields_reused)
{
    /* a long record then a short one: the buffer is reused, fields reset */
    bpa_csv *c = open_str("aaaaaaaaaaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbbb\nc\n");
    expect_rec(c, 1, 2,
               (const char *const[]){"aaaaaaaaaaaaaaaaaaaaaaaa",
                                     "bbbbbbbbbbbbbbbbbbbb"});
    expect_rec(c, 2, 1, (const char *const[]){"c"});
    expect_end(c);
    bpa_csv_free(c);
}
END_TEST

/* A temp file; the caller unlinks it. */
static FILE *temp_file(char *path, size_t n)
{
    snprintf(path, n, "/tmp/bpa_test_csv_XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *fp = fdopen(fd, "wb");
    ck_assert_ptr_nonnull(fp);
    return fp;
}

START_TEST(test_large_file)
{
    /* BOM, a header, then 200000 rows each spanning two physical lines:
     * row i starts on line 2i and reads  i,"t""i""<LF>L2",e<CRLF>  (about
     * 6 MB, so records and CRLFs straddle many 64 KiB chunk boundaries). */
    enum { ROWS = 200000 };
    char path[64];
    FILE *fp = temp_file(path, sizeof path);
    fputs("\xEF\xBB\xBFn,text,end\r\n", fp);
    for (unsigned i = 1; i <= ROWS; i++)
        fprintf(fp, "%u,\"t\"\"%u\"\"\nL2\",e\r\n", i, i);
    ck_assert_int_eq(fclose(fp), 0);

    bpa_csv *c = NULL;
    bpa_error err;
    bpa_error_clear(&err);
    ck_assert_int_eq(bpa_csv_open_file(&c, path, &err), BPA_OK);
    expect_rec(c, 1, 3, (const char *const[]){"n", "text", "end"});
    size_t nf;
    char **f;
    unsigned ln;
    unsigned rows = 0, first_bad = 0, last_line = 0;
    char num[16], text[32], last0[16] = "", last1[32] = "";
    /* plain comparisons in the loop: a ck_assert per row is slow */
    while (bpa_csv_next(c, &nf, &f, &ln, &err) == BPA_OK && nf > 0) {
        rows++;
        snprintf(num, sizeof num, "%u", rows);
        snprintf(text, sizeof text, "t\"%u\"\nL2", rows);
        if (!first_bad &&
            (nf != 3 || ln != 2 * rows || strcmp(f[0], num) != 0 ||
             strcmp(f[1], text) != 0 || strcmp(f[2], "e") != 0))
            first_bad = rows;
        last_line = ln;
        snprintf(last0, sizeof last0, "%s", f[0]);
        snprintf(last1, sizeof last1, "%s", f[1]);
    }
    ck_assert_int_eq(err.status, BPA_OK);
    ck_assert_uint_eq(first_bad, 0);
    ck_assert_uint_eq(rows, ROWS);
    /* the last row, worked out by hand */
    ck_assert_uint_eq(last_line, 400000);
    ck_assert_str_eq(last0, "200000");
    ck_assert_str_eq(last1, "t\"200000\"\nL2");
    expect_end(c);
    bpa_csv_free(c);
    unlink(path);
}
END_TEST

#define CHUNK 65536

/* Write one-byte records "f" (plus one "ff" when needed) so that tail[k]
 * lands on file offset 65536, the first byte of the second chunk. Returns
 * the number of filler records; the tail starts on the line after them. */
static unsigned boundary_file(char *path, size_t n, const char *tail,
                              size_t k)
{
    size_t tail_len = strlen(tail);
    FILE *fp = temp_file(path, n);
    size_t pad = CHUNK - k;
    unsigned recs = 0;
    if (pad % 2) {
        fputs("ff\n", fp);
        pad -= 3;
        recs++;
    }
    for (; pad > 0; pad -= 2, recs++)
        fputs("f\n", fp);
    ck_assert_uint_eq(fwrite(tail, 1, tail_len, fp), tail_len);
    ck_assert_int_eq(fclose(fp), 0);
    return recs;
}

/* Open the file, skip the fillers; the caller reads the tail. */
static bpa_csv *open_after_fillers(const char *path, unsigned recs)
{
    bpa_csv *c = NULL;
    bpa_error err;
    size_t nf;
    char **f;
    unsigned ln;
    ck_assert_int_eq(bpa_csv_open_file(&c, path, &err), BPA_OK);
    unsigned good = 0;
    for (unsigned i = 0; i < recs; i++)
        if (bpa_csv_next(c, &nf, &f, &ln, &err) == BPA_OK && nf == 1 &&
            ln == i + 1 && f[0][0] == 'f')
            good++;
    ck_assert_uint_eq(good, recs);
    return c;
}

START_TEST(test_chunk_boundaries)
{
    char path[64];
    unsigned r;
    bpa_csv *c;

    /* CR is the last byte of chunk 1, LF the first of chunk 2 */
    r = boundary_file(path, sizeof path, "ab\r\nlast\n", 3);
    ck_assert_uint_eq(r, 32766); /* 65533 bytes = "ff\n" + 32765 * "f\n" */
    c = open_after_fillers(path, r);
    expect_rec(c, r + 1, 1, (const char *const[]){"ab"});
    expect_rec(c, r + 2, 1, (const char *const[]){"last"});
    expect_end(c);
    bpa_csv_free(c);
    unlink(path);

    /* a 3-byte character split 1 + 2 */
    r = boundary_file(path, sizeof path, "x\xE2\x82\xACy\n", 2);
    c = open_after_fillers(path, r);
    expect_rec(c, r + 1, 1, (const char *const[]){"x\xE2\x82\xACy"});
    expect_end(c);
    bpa_csv_free(c);
    unlink(path);

    /* a doubled quote split across the boundary */
    r = boundary_file(path, sizeof path, "\"a\"\"b\"\n", 3);
    c = open_after_fillers(path, r);
    expect_rec(c, r + 1, 1, (const char *const[]){"a\"b"});
    expect_end(c);
    bpa_csv_free(c);
    unlink(path);

    /* a closing quote ending chunk 1, the comma beginning chunk 2 */
    r = boundary_file(path, sizeof path, "\"a\",b\n", 3);
    c = open_after_fillers(path, r);
    expect_rec(c, r + 1, 2, (const char *const[]){"a", "b"});
    expect_end(c);
    bpa_csv_free(c);
    unlink(path);

    /* CRLF inside quotes split across the boundary */
    r = boundary_file(path, sizeof path, "\"a\r\nb\"\nz\n", 3);
    c = open_after_fillers(path, r);
    expect_rec(c, r + 1, 1, (const char *const[]){"a\nb"});
    expect_rec(c, r + 3, 1, (const char *const[]){"z"});
    expect_end(c);
    bpa_csv_free(c);
    unlink(path);

    /* a blank CRLF line split across the boundary */
    r = boundary_file(path, sizeof path, "\r\nq\n", 1);
    c = open_after_fillers(path, r);
    expect_rec(c, r + 2, 1, (const char *const[]){"q"});
    expect_end(c);
    bpa_csv_free(c);
    unlink(path);

    /* a stray CR at the end of chunk 1: reported at its own place */
    r = boundary_file(path, sizeof path, "ab\rc\n", 3);
    c = open_after_fillers(path, r);
    size_t nf;
    char **f;
    unsigned ln;
    bpa_error err;
    bpa_error_clear(&err);
    ck_assert_int_eq(bpa_csv_next(c, &nf, &f, &ln, &err), BPA_E_INPUT);
    ck_assert_str_eq(err.file, path);
    ck_assert_uint_eq(err.line, r + 1);
    ck_assert_uint_eq(err.column, 3);
    ck_assert_ptr_nonnull(strstr(err.message, "stray carriage return"));
    bpa_csv_free(c);
    unlink(path);
}
END_TEST

START_TEST(test_file_bom_small)
{
    /* a file shorter than a chunk, with a BOM, no final newline */
    char path[64];
    FILE *fp = temp_file(path, sizeof path);
    fputs("\xEF\xBB\xBF" "a,b\nc", fp);
    ck_assert_int_eq(fclose(fp), 0);
    bpa_csv *c = NULL;
    bpa_error err;
    ck_assert_int_eq(bpa_csv_open_file(&c, path, &err), BPA_OK);
    expect_rec(c, 1, 2, (const char *const[]){"a", "b"});
    expect_rec(c, 2, 1, (const char *const[]){"c"});
    expect_end(c);
    bpa_csv_free(c);
    /* an empty file */
    fp = fopen(path, "wb");
    ck_assert_ptr_nonnull(fp);
    ck_assert_int_eq(fclose(fp), 0);
    ck_assert_int_eq(bpa_csv_open_file(&c, path, &err), BPA_OK);
    expect_end(c);
    bpa_csv_free(c);
    unlink(path);
}
END_TEST

START_TEST(test_directory)
{
    bpa_csv *c = (bpa_csv *)1;
    bpa_error err;
    bpa_error_clear(&err);
    ck_assert_int_eq(bpa_csv_open_file(&c, "/tmp", &err), BPA_E_IO);
    ck_assert_ptr_null(c);
    ck_assert_int_eq(err.status, BPA_E_IO);
    ck_assert_str_eq(err.file, "/tmp");
    ck_assert_ptr_nonnull(strstr(err.message, "is a directory"));
}
END_TEST

START_TEST(test_missing_file)
{
    const char *p = "/nonexistent-bpa-dir/ts.csv";
    bpa_csv *c = (bpa_csv *)1;
    bpa_error err;
    bpa_error_clear(&err);
    ck_assert_int_eq(bpa_csv_open_file(&c, p, &err), BPA_E_IO);
    ck_assert_ptr_null(c);
    ck_assert_str_eq(err.file, p);
    ck_assert_str_eq(err.message, "cannot open: No such file or directory");
}
END_TEST

START_TEST(test_read_error)
{
    /* Linux: /proc/self/mem opens as a regular file, but reading offset 0
     * (unmapped) fails with EIO. Elsewhere there is nothing to test. */
    const char *p = "/proc/self/mem";
    if (access(p, R_OK) != 0)
        return;
    bpa_csv *c = NULL;
    bpa_error err;
    bpa_error_clear(&err);
    ck_assert_int_eq(bpa_csv_open_file(&c, p, &err), BPA_OK);
    size_t nf;
    char **f;
    unsigned ln;
    ck_assert_int_eq(bpa_csv_next(c, &nf, &f, &ln, &err), BPA_E_IO);
    ck_assert_str_eq(err.file, p);
    ck_assert_ptr_nonnull(strstr(err.message, "read error"));
    ck_assert_int_eq(bpa_csv_next(c, &nf, &f, &ln, &err), BPA_E_IO);
    bpa_csv_free(c);
}
END_TEST

/* ---- the fast path against the byte-wise parser ------------------------ */

/* Every record and the final status, position and message of one reader,
 * written out so that two readers can be compared as strings. */
static void transcript(const char *data, size_t len, int bytewise, int detect, char *out,
                       size_t cap)
{
    bpa_csv *c = open_buf(data, len);
    if (bytewise)
        bpa_csv_bytewise(c);
    if (detect)
        bpa_csv_detect_separator(c);
    size_t used = 0;
    out[0] = '\0';
    for (int rec = 0; rec < 10000; rec++) {
        size_t nf = 0;
        char **f = NULL;
        unsigned ln = 0;
        bpa_error err;
        bpa_error_clear(&err);
        bpa_status s = bpa_csv_next(c, &nf, &f, &ln, &err);
        if (s != BPA_OK) {
            snprintf(out + used, cap - used, "E%d %u:%u %s\n", (int)s, err.line, err.column,
                     err.message);
            break;
        }
        if (nf == 0) {
            snprintf(out + used, cap - used, "END\n");
            break;
        }
        used += (size_t)snprintf(out + used, cap - used, "L%u", ln);
        for (size_t i = 0; i < nf && used < cap; i++)
            used += (size_t)snprintf(out + used, cap - used, "|%s", f[i]);
        if (used < cap)
            used += (size_t)snprintf(out + used, cap - used, "\n");
        ck_assert_uint_lt(used, cap);
    }
    bpa_csv_free(c);
}

static uint32_t rnd_state;
static uint32_t rnd(uint32_t n)
{
    rnd_state = rnd_state * 1664525u + 1013904223u;
    return (rnd_state >> 8) % n;
}

/* Random inputs mostly of plain records with now and then a byte the fast
 * path leaves to get() (quote, CR, NUL, UTF-8 good and bad, semicolon), a
 * long field, a blank line or a missing last line end: both parsers must give
 * the same records, lines, and errors at the same line and column. */
START_TEST(test_fast_same_as_bytewise)
{
    static const char *const plain[] = {"a", "Anna", "2025-03-30", "08:00", "work", "11", "",
                                        " ", "\t", "x y", "!#$%&'()*+-./:<=>?@[]^_`{|}~",
                                        ",", ",", ",", ",", ",", "\n", "\n", "\r\n"};
    static const char *const special[] = {
        ";", "\r", "\"", "\"q,\"\"\"", "\"a\nb\"", "\xC3\xB8", "\xC3", "\xE2\x82\xAC",
        "\xED\xA0\x80", "\xF0\x9F\x98\x80", "\xFF", "\n\n", "\r\n\r\n"};
    size_t np = sizeof plain / sizeof *plain, ns = sizeof special / sizeof *special;
    static char data[20000], a[400000], b[400000];
    int clean = 0, records = 0;
    for (int round = 0; round < 3000; round++) {
        rnd_state = (uint32_t)round * 2654435761u + 7u;
        /* per mille of pieces that are special: none, few, some */
        uint32_t rate = (uint32_t[]){0, 2, 10, 40}[round % 4];
        size_t len = 0;
        size_t want = 20 + rnd(round % 10 == 0 ? 15000 : 1500);
        while (len < want) {
            uint32_t k = rnd(1000);
            if (k < rate / 4 + 1 && rnd(4) == 0) { /* a field near the length limit */
                size_t n = BPA_CSV_FIELD_MAX - 2 + rnd(5);
                for (size_t i = 0; i < n && len < sizeof data - 1; i++)
                    data[len++] = 'f';
                continue;
            }
            if (k < rate / 8 && len < sizeof data - 1) {
                data[len++] = '\0';
                continue;
            }
            if (k < rate / 4 + 1 && rnd(8) == 0) { /* too many fields */
                for (int i = 0; i < 62 + (int)rnd(5) && len < sizeof data - 1; i++)
                    data[len++] = ',';
                continue;
            }
            const char *pc = k < rate ? special[rnd((uint32_t)ns)] : plain[rnd((uint32_t)np)];
            size_t pl = strlen(pc);
            if (len + pl >= sizeof data)
                break;
            memcpy(data + len, pc, pl);
            len += pl;
        }
        int detect = round % 3 == 0;
        transcript(data, len, 1, detect, a, sizeof a);
        transcript(data, len, 0, detect, b, sizeof b);
        ck_assert_msg(strcmp(a, b) == 0, "round %d:\nbytewise:\n%.2000s\nfast:\n%.2000s", round,
                      a, b);
        clean += strstr(b, "END\n") != NULL;
        for (const char *q = b; (q = strstr(q, "\nL")) != NULL; q++)
            records++;
    }
    /* the inputs are mostly good records, and some end in an error */
    ck_assert_int_gt(clean, 500);
    ck_assert_int_lt(clean, 2900);
    ck_assert_int_gt(records, 50000);
}
END_TEST

static Suite *csv_suite(void)
{
    Suite *s = suite_create("csv");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, test_simple);
    tcase_add_test(tc, test_header_rows);
    tcase_add_test(tc, test_empty_inputs);
    tcase_add_test(tc, test_bom);
    tcase_add_test(tc, test_crlf);
    tcase_add_test(tc, test_quoted);
    tcase_add_test(tc, test_quoted_newline);
    tcase_add_test(tc, test_blank_lines);
    tcase_add_test(tc, test_only_commas);
    tcase_add_test(tc, test_no_final_newline);
    tcase_add_test(tc, test_fields_reused);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_test(tc, test_err_quote_in_unquoted);
    tcase_add_test(tc, test_err_after_closing_quote);
    tcase_add_test(tc, test_err_unterminated);
    tcase_add_test(tc, test_err_stray_cr);
    tcase_add_test(tc, test_err_nul);
    tcase_add_test(tc, test_utf8_valid);
    tcase_add_test(tc, test_err_utf8);
    tcase_add_test(tc, test_field_limit);
    tcase_add_test(tc, test_fields_limit);
    suite_add_tcase(s, tc);

    tc = tcase_create("files");
    /* the 6 MB file takes a while under valgrind */
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_large_file);
    tcase_add_test(tc, test_chunk_boundaries);
    tcase_add_test(tc, test_file_bom_small);
    tcase_add_test(tc, test_directory);
    tcase_add_test(tc, test_missing_file);
    tcase_add_test(tc, test_read_error);
    tcase_add_test(tc, test_fast_same_as_bytewise);
    suite_add_tcase(s, tc);
    return s;
}

BPA_TEST_MAIN(csv_suite)

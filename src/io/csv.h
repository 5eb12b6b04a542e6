/*
 * bpa/csv.h - a streaming CSV reader (RFC 4180) for timesheets and time
 * reports (RULES.md section 8.1, 12).
 *
 * UTF-8 only; a leading BOM is skipped; records end in LF or CRLF; fields
 * may be quoted ("a ""b"", c" is one field, a quoted field may hold line
 * breaks); blank lines are skipped; a line of only commas is a record of empty
 * fields. Memory is bounded by the longest record, never by the file: a field
 * longer than BPA_CSV_FIELD_MAX bytes or a record of more than
 * BPA_CSV_FIELDS_MAX fields is an error.
 *
 * Ownership: bpa_csv_open_* return a reader the caller frees with
 * bpa_csv_free (which also closes the file). Fields handed out by
 * bpa_csv_next belong to the reader and stay valid until the next call.
 */
#ifndef BPA_CSV_H
#define BPA_CSV_H

#include <stddef.h>

#include "bpa/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BPA_CSV_FIELD_MAX 4096
#define BPA_CSV_FIELDS_MAX 64

typedef struct bpa_csv bpa_csv;

/* Open a file for reading. A missing/unreadable file or a directory is
 * BPA_E_IO naming the file. */
bpa_status bpa_csv_open_file(bpa_csv **out, const char *path, bpa_error *err);
/* Read from memory (not copied: data must outlive the reader); name is used
 * in messages. */
bpa_status bpa_csv_open_mem(bpa_csv **out, const char *name, const char *data,
                            size_t len, bpa_error *err);

/* The next record. On BPA_OK either *nfields > 0, (*fields)[0..nfields-1] are
 * NUL-terminated valid UTF-8 strings and *line is the physical line (1-based)
 * where the record starts; or *nfields == 0 at the end of the input.
 * Errors (BPA_E_INPUT, file/line/column set): unterminated quoted field,
 * a character after a closing quote other than a comma or line end, a quote
 * inside an unquoted field, a stray carriage return, a NUL byte, bytes that
 * are not UTF-8, a field or record over the limits. BPA_E_IO on a read error,
 * BPA_E_NOMEM when memory runs out. */
bpa_status bpa_csv_next(bpa_csv *csv, size_t *nfields, char ***fields,
                        unsigned *line, bpa_error *err);

/* Let the next record (a header) choose the separator: a semicolon when it
 * holds a semicolon and no comma outside quotes (Excel's CSV in Danish and
 * Swedish locales, RULES.md 8.1), else a comma (its semicolons are text).
 * Call before the first bpa_csv_next. */
void bpa_csv_detect_separator(bpa_csv *csv);

/* The SHA-256 of every byte of a file input (BOM included), in lowercase hex:
 * the reader hashes each chunk as it reads it, so a timesheet is read once
 * for both parsing and its fingerprint. Only valid once bpa_csv_next has
 * reported the end of the input; for a memory input it hashes the data. */
void bpa_csv_sha256(bpa_csv *csv, char hex[65]);

/* Tests: parse every record byte by byte, without the fast path for plain
 * records, to check that both give the same records and errors. */
void bpa_csv_bytewise(bpa_csv *csv);

void bpa_csv_free(bpa_csv *csv);

#ifdef __cplusplus
}
#endif
#endif

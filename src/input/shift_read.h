/*
 * input/shift_read.h - the timesheet reader: rows into shifts (RULES.md 4,
 * 8.1 and 12).
 *
 * Two steps that any row source can use: bpa_shift_header maps a header's
 * names to the standard columns, and bpa_shift_build turns the texts of one
 * row, given per standard column, into a shift. bpa_shift_read_csv drives
 * both over a CSV file; another source (a worksheet's cells) feeds the same
 * two functions, so validation and messages stay the same.
 *
 * A shift runs in real time: its end not after its start means the next day,
 * so equal start and end is the same clock time next day (24 hours; 23 or 25
 * across a summer-time change). A start or end in the missing spring hour is
 * an error naming the line; a repeated October time is its first occurrence.
 *
 * Ownership: nothing here keeps memory between calls. A shift's helper text
 * belongs to the row and is valid only while the shift is handed on.
 */
#ifndef BPA_INPUT_SHIFT_READ_H
#define BPA_INPUT_SHIFT_READ_H

#include <stddef.h>
#include <stdint.h>

#include "bpa/status.h"
#include "bpa/types.h"
#include "bpa/usage.h"
#include "input/shift.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The standard columns; all but step are required. */
enum {
    BPA_SHIFT_COL_HELPER,
    BPA_SHIFT_COL_DATE,
    BPA_SHIFT_COL_START,
    BPA_SHIFT_COL_END,
    BPA_SHIFT_COL_KIND,
    BPA_SHIFT_COL_STEP,
    BPA_SHIFT_COLUMNS
};

/* How a row's texts are read. */
typedef struct bpa_shift_format {
    bpa_country country;  /* only this country's kinds are accepted */
    int default_step;     /* for an empty step; -1: an error (the grant has several) */
    const bpa_timesheet_map *map; /* an export's own names and formats; NULL: standard */
} bpa_shift_format;

/* Called for each shift in file order; a status other than BPA_OK stops the
 * reading and is returned by it. */
typedef bpa_status (*bpa_shift_fn)(void *ctx, const bpa_shift *shift, bpa_error *err);

/* col[k] = the position of standard column k among names[0..n-1] (by its
 * name in map, else its standard name), -1 for an absent step; names in
 * map->ignore are skipped. BPA_E_INPUT (file and line named) for an unknown
 * name, a name given twice or a required column missing. */
bpa_status bpa_shift_header(const char *const *names, size_t n, const bpa_timesheet_map *map,
                            int col[BPA_SHIFT_COLUMNS], const char *file, unsigned line,
                            bpa_error *err);

/* What consecutive rows of one source share, so that a row's date and clock
 * times cost a few comparisons instead of calendar arithmetic: the last date
 * text and its date, and the year whose summer-time instants are known.
 * Zero it ({0}) before the first row; one per row source. */
typedef struct bpa_shift_memo {
    char date_text[16];
    bpa_date date;
    bool year_known;
    bpa_date year_first, year_last;
    bpa_utc_minute summer_from, summer_to; /* real time of that year's summer time */
} bpa_shift_memo;

/* The shift of one row: text[k] is the row's text for standard column k
 * (NULL for an absent step column). BPA_E_INPUT naming file, the origin's
 * line and the column for a value that is not valid. out->helper points to
 * text[BPA_SHIFT_COL_HELPER]. memo (NULL: none) only saves work: the shift
 * and errors are the same with or without it. */
bpa_status bpa_shift_build(const bpa_shift_format *fmt, const char *const text[BPA_SHIFT_COLUMNS],
                           const char *file, bpa_shift_origin origin, bpa_shift_memo *memo,
                           bpa_shift *out, bpa_error *err);

/* Read a CSV timesheet, or a workbook when the path ends in ".xlsx" (its
 * first worksheet or fmt->map->sheet; messages at "Sheet!C7", a shift's
 * origin line its row number) (path as given; `file` is its name in messages and
 * file_index goes into every shift's origin), handing each shift to fn. An
 * empty file (no header) is an error; a header without rows is zero shifts.
 * BPA_E_IO when the file cannot be read, BPA_E_NOMEM, BPA_E_INPUT for bad
 * content, or fn's status. When sha256 is not NULL it receives the file's
 * SHA-256 (lowercase hex) once the whole file is read: a CSV file is hashed
 * as it is parsed, in one read. */
bpa_status bpa_shift_read_file(const char *path, const char *file, uint32_t file_index,
                               const bpa_shift_format *fmt, bpa_shift_fn fn, void *ctx,
                               char sha256[65], bpa_error *err);
/* The same from memory (not copied). */
bpa_status bpa_shift_read_mem(const char *file, const char *data, size_t length,
                              uint32_t file_index, const bpa_shift_format *fmt, bpa_shift_fn fn,
                              void *ctx, bpa_error *err);

#ifdef __cplusplus
}
#endif
#endif

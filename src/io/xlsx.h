/*
 * xlsx.h (internal) - a reader of .xlsx workbooks (Office Open XML
 * spreadsheets): the sheets in order, the defined names and every sheet's
 * cells in document order, with each value's text exactly as stored.
 *
 * Built on libzip (the archive) and expat (the XML). Memory is bounded by
 * the shared-string table, loaded once at open, and the longest single text;
 * a sheet is streamed one cell at a time, never held whole. The XML of any
 * part may not declare a DOCTYPE (no OOXML part has one; it is how entity
 * expansion attacks start).
 *
 * Errors name the file and the place: the part and its line:column for bad
 * XML ("xl/worksheets/sheet2.xml:3:45"), the part missing and who names it,
 * "Sheet!B7" for a cell. A damaged archive, missing part or bad XML is
 * BPA_E_INPUT; a file that cannot be opened or read is BPA_E_IO; memory is
 * BPA_E_NOMEM. err->file is the workbook's name.
 *
 * Numbers are not converted: a cell's value is the text stored in the file
 * ("0.1", "45658", "1.234567890123457E+17"), so a caller parses it exactly
 * (bpa_dec_parse) or recognises a date serial by its column. Strings are
 * the XML character data, entities decoded; the OOXML escape "_xHHHH_" for
 * control characters is left as stored (bpa_xlsx_unescape decodes it).
 *
 * Ownership: bpa_xlsx_open_* return a reader freed by bpa_xlsx_free; the
 * strings it hands out live as long as it. A sheet cursor (bpa_xlsx_sheet)
 * must be closed before the reader is freed; a cell handed out by
 * bpa_xlsx_sheet_next stays valid until the next call on that cursor.
 * Thread safety: one reader and its cursors belong to one thread at a time;
 * different readers may be used in different threads.
 */
#ifndef BPA_XLSX_H
#define BPA_XLSX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpa/status.h"

/* Longest text of one value or formula, in bytes (Excel's cell limit is
 * 32,767 characters; escaped control characters take 7 bytes each). */
#define BPA_XLSX_TEXT_MAX (256u << 10)
/* Largest shared-string table (its texts together), in bytes. */
#define BPA_XLSX_SHARED_MAX (64u << 20)

typedef struct bpa_xlsx bpa_xlsx;
typedef struct bpa_xlsx_sheet bpa_xlsx_sheet;

typedef enum bpa_xlsx_type {
    BPA_XLSX_BLANK,          /* no value: a formatted empty cell */
    BPA_XLSX_NUMBER,         /* no t, or t="n": value is the number's text */
    BPA_XLSX_SHARED_STRING,  /* t="s": value is the shared string's text */
    BPA_XLSX_INLINE_STRING,  /* t="inlineStr": the text of <is> */
    BPA_XLSX_STRING,         /* t="str": a formula's text result */
    BPA_XLSX_BOOLEAN,        /* t="b": "0" or "1" as stored */
    BPA_XLSX_ERROR           /* t="e": "#DIV/0!" and the like */
} bpa_xlsx_type;

typedef struct bpa_xlsx_cell {
    uint32_t row, col;   /* 0-based: A1 is 0, 0 */
    bpa_xlsx_type type;  /* of the value (a formula's cached value) */
    const char *value;   /* "" for a blank cell */
    size_t value_len;
    /* The formula without its '=', or NULL when the cell holds none. The
     * later cells of a shared formula (t="shared" with no text) have ""
     * here: their formula is the first cell's, shifted, not expanded. */
    const char *formula;
    unsigned style;      /* the s attribute: index into the cell formats */
} bpa_xlsx_cell;

/* A cell format (cellXfs entry) resolved through its number format, font,
 * fill and border, with the values as stored. Only what a reader of
 * timesheets or an auditor needs, and what bpa's workbooks set. */
typedef struct bpa_xlsx_style {
    unsigned num_format_id;  /* numFmtId */
    const char *num_format;  /* its format code ("0.00", "dd-mm-yyyy"); "" for a
                                built-in format the file does not list (0 is General) */
    bool bold, italic;
    const char *font_name;   /* "Calibri" */
    const char *font_size;   /* "10" */
    const char *font_color;  /* "FF595959", "theme:1", "indexed:8", "" */
    const char *fill;        /* pattern type: "none", "solid", "gray125" */
    const char *fill_color;  /* the pattern's foreground: "FFD9E1F2", "" */
    const char *border[4];   /* left, right, top, bottom: "thin", "double", "" */
    const char *horizontal;  /* "left", "right", "" */
    const char *vertical;    /* "top", "" */
    unsigned indent;
    bool wrap;
} bpa_xlsx_style;

typedef struct bpa_xlsx_name {
    const char *name;    /* "_xlnm.Print_Titles", a user's name */
    const char *text;    /* what it refers to, as stored: "Lines!$4:$4" */
    long sheet;          /* localSheetId (0-based sheet index), -1: global */
    bool hidden;
} bpa_xlsx_name;

/* Open a workbook: the archive, its relationships, the sheet list, the
 * defined names and the shared strings. */
bpa_status bpa_xlsx_open_file(bpa_xlsx **out, const char *path, bpa_error *err);
/* The same from memory (not copied: data must outlive the reader); name is
 * used in messages. */
bpa_status bpa_xlsx_open_mem(bpa_xlsx **out, const char *name, const void *data, size_t len,
                             bpa_error *err);
/* Like bpa_xlsx_open_file, with `name` in messages instead of the path
 * (for a temporary known by /proc/self/fd/N). */
bpa_status bpa_xlsx_open_named(bpa_xlsx **out, const char *path, const char *name,
                               bpa_error *err);
void bpa_xlsx_free(bpa_xlsx *x);

size_t bpa_xlsx_sheet_count(const bpa_xlsx *x);
const char *bpa_xlsx_sheet_name(const bpa_xlsx *x, size_t i);
/* The sheet's part in the archive ("xl/worksheets/sheet1.xml"). */
const char *bpa_xlsx_sheet_part(const bpa_xlsx *x, size_t i);

size_t bpa_xlsx_name_count(const bpa_xlsx *x);
const bpa_xlsx_name *bpa_xlsx_name_at(const bpa_xlsx *x, size_t i);

/* The format a cell's style index names, resolved; false when the index or
 * what it refers to is not in the styles part (a workbook without one has
 * only style 0, all empty). The strings live as long as the reader. */
bool bpa_xlsx_style_get(const bpa_xlsx *x, unsigned index, bpa_xlsx_style *out);

/* Check the whole package: every part reads back (its CRC matches) and
 * every XML part is well formed and has a content type; every part
 * [Content_Types].xml overrides and every internal relationship target
 * exists, with the content type its relationship calls for (a worksheet's
 * is a worksheet's); every part but those two kinds is some relationship's
 * target; docProps/app.xml counts as many titles of parts as its
 * heading pairs announce, the sheets' names first. */
bpa_status bpa_xlsx_check(bpa_xlsx *x, bpa_error *err);

/* Cells of sheet i in document order (rows, then columns, as stored). */
bpa_status bpa_xlsx_sheet_open(bpa_xlsx *x, size_t i, bpa_xlsx_sheet **out, bpa_error *err);
/* The next cell in *cell, or *cell NULL at the end of the sheet. */
bpa_status bpa_xlsx_sheet_next(bpa_xlsx_sheet *s, const bpa_xlsx_cell **cell, bpa_error *err);
void bpa_xlsx_sheet_close(bpa_xlsx_sheet *s);

/* "B7" for row 6, col 1 into buf (at least 12 bytes). */
void bpa_xlsx_cell_name(uint32_t row, uint32_t col, char buf[12]);

/* Decode the OOXML escapes "_xHHHH_" (a UTF-16 code unit; "_x005F_" is a
 * literal '_') of text in place; returns the new length. */
size_t bpa_xlsx_unescape(char *text, size_t len);

/* SHA-256 of a resolved style (every field above but num_format_id when
 * the code is given, since custom ids are numbered by the writer). */
void bpa_xlsx_style_digest(const bpa_xlsx_style *st, unsigned char digest[32]);
/* SHA-256 of what a cell holds: its place, the class of its value
 * (shared, inline and formula strings alike), the value text, the formula
 * and the digest of its style (NULL: none). A writer and a reader of the
 * same cell compute the same digest; it is how the workbook writer checks
 * the file it wrote (workbook_common.c). */
void bpa_xlsx_cell_digest(const bpa_xlsx_cell *c, const unsigned char style[32],
                          unsigned char digest[32]);
/* SHA-256 of a defined name (its name, sheet, hidden flag and text). */
void bpa_xlsx_name_digest(const bpa_xlsx_name *n, unsigned char digest[32]);

#endif

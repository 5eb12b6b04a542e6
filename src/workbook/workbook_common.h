/*
 * workbook_common.h (internal) - what the grant and the account workbooks
 * share: the workbook with its formats and properties, cell writers that
 * keep numbers exact, formula text helpers, print set-up, and the inputs and
 * trace sheets (RULES.md section 10).
 *
 * Errors are sticky: the first libxlsxwriter error or allocation failure is
 * remembered in the wb and reported by wb_close, so sheet writers need not
 * check every call.
 *
 * Read-back: libxlsxwriter can swallow a failed allocation and still write
 * a damaged file (docs/decisions.md, Robustness). So every cell written
 * through the wb_ functions below is recorded (its SHA-256, the digest
 * io/xlsx.h defines, over its place, value, formula and resolved format),
 * with the sheet names and the defined names that wb_sheet_finish makes
 * (print titles, filters); after workbook_close, wb_close checks the whole
 * package (bpa_xlsx_check) and commits the file only when it holds exactly
 * that. A sheet writer must therefore write cells and defined names only
 * through these functions, never with worksheet_write_* directly, and
 * formats use only the properties make_formats sets (style_digest compares
 * those).
 */
#ifndef BPA_WORKBOOK_COMMON_H
#define BPA_WORKBOOK_COMMON_H

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xlsxwriter.h>

#include "bpa/grant.h"
#include "bpa/workbook.h"
#include "io/outfile.h"
#include "core/strutil.h"

#define WB_COL(c) (1ul << (c)) /* a column in a wb_head mask */
#define WB_MAX_FORMATS 48         /* cell formats of one workbook (make_formats) */

typedef struct wb_formats {
    lxw_format *title, *subtitle, *section, *head, *head_num, *label, *text, *wrap, *mono;
    lxw_format *amount, *amount_total, *amount_big, *hours, *hours_total, *share, *rate,
        *rate_exact, *rate_input, *factor, *count, *integer, *date, *date_left, *month, *text_big;
    lxw_format *hours4;                   /* a line's hours: four decimals */
    lxw_format *hm;                       /* hours/24 shown as timmar:minuter ([h]:mm) */
    lxw_format *in_hours, *in_rate, *in_factor; /* input cells a reader may edit (yellow) */
} wb_formats;

/* Where the inputs sheet put the inputs that formulas elsewhere start
 * from (the grant fills `num` and reads the rows back; NULL: not wanted). */
typedef struct wb_inputs_at {
    mpq_srcptr *num;  /* in: per bpa_grant.used entry, its value as an input cell, or NULL */
    int *param_row;   /* out: per used entry, its row (the value in column WB_IN_VALUE) */
    int **line_row;   /* out: per decision, per line: the row of its hours */
    int *trip_row;    /* out: per trip: the row of its extra hours per day */
} wb_inputs_at;
#define WB_IN_VALUE 2 /* the inputs sheet's value column */

typedef struct wb {
    lxw_workbook *book;
    /* The witness: the same workbook made alongside, call for call, into a
     * temporary of its own; the two files must come out byte for byte the
     * same, which no failure libxlsxwriter swallows in one of them leaves. */
    lxw_workbook *witness;
    bpa_outfile wout;
    lxw_format *made[2][WB_MAX_FORMATS]; /* formats of each, in the order made */
    size_t nmade[2];
    wb_formats wf;                       /* the witness's, as f */
    bpa_lang lang;
    lxw_error lerr; /* first libxlsxwriter error */
    bool nomem;
    bpa_strpool pool; /* formula and scratch text */
    const char *case_id;
    wb_formats f;
    struct wb_sheet *sheets[16]; /* registered by wb_sheet_add, released by wb_close */
    int nsheets;
    unsigned char (*names)[32]; /* digests of the defined names written */
    size_t nnames, capnames;
    unsigned long ncells; /* cells recorded so far (for the test hook) */
    struct {
        const lxw_format *format;
        unsigned char digest[32]; /* of the format as styles.xml holds it */
    } styles[WB_MAX_FORMATS];
    size_t nstyles;
    unsigned char default_style[32]; /* a fresh format's: style 0 */
    wb_inputs_at *at; /* set by a writer that refers to input cells */
} wb;

/* A cell whose text wraps: its row is made tall enough once the column
 * widths are known (LibreOffice does not grow rows of a loaded xlsx). */
typedef struct wb_wrapped {
    int row, col;
    unsigned chars;
} wb_wrapped;

/* A cell as written: place, order of writing (a later write to the same
 * cell replaces it) and digest. */
typedef struct wb_cell_rec {
    uint32_t row, col, seq;
    unsigned char digest[32];
} wb_cell_rec;

typedef struct wb_sheet {
    wb *w;
    lxw_worksheet *ws;
    lxw_worksheet *wws; /* the witness's */
    const char *name;
    int index; /* in the workbook, from 0 */
    wb_cell_rec *cells;
    size_t ncells, capcells;
    unsigned *width; /* per column: widest content seen, in characters */
    unsigned *maxw;  /* per column: 0 for the default cap */
    int ncols;       /* columns the two arrays hold */
    wb_wrapped *wrapped;
    size_t nwrapped, capwrapped;
} wb_sheet;

/* Open a workbook on `file` (the temporary) with fixed properties. */
bpa_status wb_open(wb *w, const char *file, bpa_lang lang, const char *case_id,
                   const char *title_key, bpa_error *err);
/* Close it, read the file back and compare it with what was written (see
 * above), then commit `out` (whose tmp_path it was opened on); on any
 * failure or difference abort `out` and return BPA_E_OUTPUT (or
 * BPA_E_NOMEM) naming the final path. Releases the wb and `out` in every
 * case. */
bpa_status wb_close(wb *w, bpa_outfile *out, bpa_error *err);
/* Tests only (process-wide): n > 0 alters the record of the n-th cell of
 * every later workbook, as if the file had lost it, so the read-back must
 * fail the write; 0 turns it off. */
void wb_test_corrupt_cell(unsigned long n);
/* Tests only (process-wide): true makes every later witness differ from
 * its workbook by one cell, so the byte comparison must fail the write. */
void wb_test_skew_witness(bool on);
/* Engine version, policy and input SHA-256s as custom properties.
 * `extra`: further (name, sha256) pairs, NULL-terminated. */
void wb_fingerprints(wb *w, const bpa_case *c, const bpa_policy *p, const char *const *extra);

/* One custom property (name and value as given). */
void wb_property(wb *w, const char *name, const char *value);

const char *wb_label(const wb *w, const char *key);
/* A policy parameter by what it is, its id beside it:
 * "Administrationstilskud pr. time (admin.transferred.per_hour)". */
const char *wb_param_words(wb *w, const char *name);
const char *wb_fmt(wb *w, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

void wb_sheet_add(wb *w, wb_sheet *sh, const char *name_key);
/* Freeze below `head_row`, filter head_row..last_row over ncols (when
 * last_row > head_row), print set-up and column widths. head_row < 0: no
 * table on the sheet. */
void wb_sheet_finish(wb_sheet *sh, int head_row, int last_row, int ncols);
/* Cap a column's width (long text wraps there). */
void wb_sheet_wrap_col(wb_sheet *sh, int col, unsigned width);
/* At least `chars` wide (a header with a word longer than a header line). */
void wb_sheet_min_width(wb_sheet *sh, int col, unsigned chars);

/* ---- cells ---- */
void wb_text(wb_sheet *sh, int row, int col, const char *text, lxw_format *f);
/* Text that may run over the empty cells to its right: it sets no width. */
void wb_text_over(wb_sheet *sh, int row, int col, const char *text, lxw_format *f);
void wb_ltext(wb_sheet *sh, int row, int col, const char *key, lxw_format *f);
void wb_ltext_over(wb_sheet *sh, int row, int col, const char *key, lxw_format *f);
void wb_int(wb_sheet *sh, int row, int col, long v, lxw_format *f);
/* An input number: a plain number when its decimal text is exact, else the
 * formula =N/D of its exact value (so the sheet never loses exactness). */
void wb_input(wb_sheet *sh, int row, int col, const mpq_t q, lxw_format *f);
/* A formula whose stored value is q (shown at `decimals` decimals: 2 for
 * amounts that passed a rounding point). */
void wb_formula(wb_sheet *sh, int row, int col, lxw_format *f, const mpq_t q,
                const char *formula);
void wb_formula_text(wb_sheet *sh, int row, int col, lxw_format *f, const char *result,
                     const char *formula);
void wb_date(wb_sheet *sh, int row, int col, bpa_date d, lxw_format *f);
void wb_month(wb_sheet *sh, int row, int col, int year, int month);
/* Column headers from label keys (NULL: none); headers of the columns in
 * the `numeric` bit mask are right-aligned over their numbers. */
void wb_head(wb_sheet *sh, int row, const char *const *keys, int n, unsigned long numeric);
/* One header cell of free text. */
void wb_head_text(wb_sheet *sh, int row, int col, const char *text, bool numeric);

/* ---- formula text ---- */
/* "F5" */
const char *wb_cell(wb *w, int row, int col);
/* "'Takster'!F5" (the sheet quoted always) */
const char *wb_ref(wb *w, const wb_sheet *sh, int row, int col);
/* "SUM(F5:F7,F9)" over the given rows of a column (sorted ascending), or
 * "0" for none; sh NULL: the same sheet. */
const char *wb_sum_rows(wb *w, const wb_sheet *sh, const int *rows, size_t n, int col);
/* Rounding to 0.01 at a rounding point: ROUND(e,2) half away from zero;
 * half even with a tie test. */
const char *wb_round(wb *w, bpa_rounding mode, const char *expr);
/* A number as formula text: "37", "12.5", or "(75/7)" when not exact. */
const char *wb_qtext(wb *w, const mpq_t q);

/* ---- words ---- */
const char *wb_category(wb *w, const bpa_category *c);
const char *wb_kind(wb *w, bpa_kind k);
const char *wb_band(wb *w, bpa_band b);
/* Label keys (labels.c) of a scheme, an employer, a transfer. */
const char *wb_scheme_key(bpa_scheme s);
const char *wb_employer_key(bpa_employer e);
const char *wb_transferred_key(bpa_transferred_to t);

/* ---- shared sheets ---- */
/* The Indata sheet's case section from row r: case id, scheme (words and
 * id) and year; returns the next free row. */
int wb_inputs_case(wb_sheet *sh, int r, const bpa_case *c);
/* Policy values used (a table: its head and last row come back for
 * wb_sheet_finish; `extra`: values read besides the grant's, listed unless
 * the grant read the same entry), the case's decisions, trips and overrides; returns the
 * next free row. */
int wb_inputs_begin(wb_sheet *sh, const bpa_grant *g, const bpa_used_param *extra,
                    size_t nextra, int *head_row, int *last_row);
/* Its first part, for any scheme: title, edit notes (label keys
 * `note_key`1..3, when w->at is set) and the table of the `nused` policy
 * values read (rows into w->at->param_row) and the `extra` ones not among
 * them; returns the next free row. */
int wb_inputs_params(wb_sheet *sh, const bpa_policy *p, const bpa_used_param *used,
                     size_t nused, const bpa_used_param *extra, size_t nextra,
                     const char *note_key, int *head_row, int *last_row);
/* Engine, policy and input files with SHA-256 from `row`; returns the next
 * free row. */
int wb_inputs_files(wb_sheet *sh, int row, const bpa_grant *g, const char *const *extra);
int wb_inputs_files_of(wb_sheet *sh, int row, const bpa_case *c, const bpa_policy *p,
                       const char *const *extra);
/* The trace, each entry in the workbook's language. */
void wb_trace_sheet(wb_sheet *sh, const bpa_trace *t);
/* Head of a summary sheet: title (label key), policy title, then the case
 * section with case id, scheme and year; returns the next free row. */
int wb_summary_head(wb_sheet *sh, const char *title_key, const bpa_case *c,
                    const bpa_policy *p);
/* The warnings block on a summary sheet from `row` (nothing when there are
 * none); returns the next free row. workbook_warnings.c */
int wb_summary_warnings(wb_sheet *sh, int row, const bpa_warnings *ws);
/* Engine and fingerprints block on a summary sheet from `row`. */
int wb_summary_footer(wb_sheet *sh, int row, const bpa_grant *g);
int wb_summary_footer_of(wb_sheet *sh, int row, const bpa_case *c, const bpa_policy *p);

#endif

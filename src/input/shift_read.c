/*
 * The timesheet reader: CSV rows into shifts (see input/shift_read.h,
 * RULES.md 4, 8.1 and 12).
 */
#include "input/shift_read.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bpa/date.h"
#include "core/alloc.h"
#include "core/sha256.h"
#include "io/csv.h"
#include "io/xlsx.h"

#include <gmp.h>
#include <stdlib.h>

static const char *const column_names[BPA_SHIFT_COLUMNS] = {"helper", "date", "start",
                                                             "end",    "kind", "step"};

/* The header name of standard column k. */
static const char *header_name(const bpa_timesheet_map *map, int k)
{
    return map && map->columns[k] ? map->columns[k] : column_names[k];
}

/* "\"Dato\" (date)" for a mapped column, "\"date\"" otherwise: messages
 * name the file's own header (RULES.md 8.1 Maps). */
static const char *column_label(const bpa_timesheet_map *map, int k, char *buf, size_t n)
{
    if (map && map->columns[k])
        snprintf(buf, n, "\"%s\" (%s)", map->columns[k], column_names[k]);
    else
        snprintf(buf, n, "\"%s\"", column_names[k]);
    return buf;
}

static bool ignored(const bpa_timesheet_map *map, const char *name)
{
    for (size_t i = 0; map && i < map->nignore; i++)
        if (strcmp(map->ignore[i], name) == 0)
            return true;
    return false;
}

bpa_status bpa_shift_header(const char *const *names, size_t n, const bpa_timesheet_map *map,
                            int col[BPA_SHIFT_COLUMNS], const char *file, unsigned line,
                            bpa_error *err)
{
    for (int k = 0; k < BPA_SHIFT_COLUMNS; k++)
        col[k] = -1;
    for (size_t i = 0; i < n; i++) {
        int k = 0;
        while (k < BPA_SHIFT_COLUMNS && strcmp(names[i], header_name(map, k)) != 0)
            k++;
        if (k == BPA_SHIFT_COLUMNS && ignored(map, names[i]))
            continue;
        if (k == BPA_SHIFT_COLUMNS)
            return bpa_error_set(err, BPA_E_INPUT, file, line, 0, NULL,
                                 "unknown column \"%s\" in the header: the columns are helper, "
                                 "date, start, end, kind and optionally step; map an export's "
                                 "own name in the usage file's timesheets[] entry "
                                 "({\"file\": ..., \"columns\": {\"helper\": \"%s\"}}, keys "
                                 "helper, date, start, end, kind, step) or skip it "
                                 "(\"ignore_columns\": [\"%s\"])",
                                 names[i], names[i], names[i]);
        if (col[k] >= 0)
            return bpa_error_set(err, BPA_E_INPUT, file, line, 0, NULL,
                                 "column \"%s\" is named twice in the header", names[i]);
        col[k] = (int)i;
    }
    for (int k = 0; k < BPA_SHIFT_COL_STEP; k++)
        if (col[k] < 0) {
            char lb[160];
            return bpa_error_set(err, BPA_E_INPUT, file, line, 0, NULL,
                                 "the header lacks the required column %s",
                                 column_label(map, k, lb, sizeof lb));
        }
    return BPA_OK;
}

/* "0"-"9999", no sign, no leading zeros (RULES.md 12, like wage.hourly.11). */
static bool parse_step(const char *text, int *out)
{
    size_t n = strlen(text);
    if (n == 0 || n > 4 || (n > 1 && text[0] == '0'))
        return false;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        v = v * 10 + (text[i] - '0');
    }
    *out = v;
    return true;
}

/* A clock time H:MM or HH:MM (RULES.md 8.1); 24:00 only where allow_24
 * (an end: midnight ending the row's date), giving 1440. */
static bool parse_clock(const char *t, char sep, bool allow_24, int *out)
{
    int h = 0, i = 0;
    while (i < 2 && t[i] >= '0' && t[i] <= '9')
        h = h * 10 + (t[i++] - '0');
    if (i == 0 || t[i] != sep || t[i + 1] < '0' || t[i + 1] > '5' || t[i + 2] < '0' ||
        t[i + 2] > '9' || t[i + 3] != '\0')
        return false;
    int m = (t[i + 1] - '0') * 10 + (t[i + 2] - '0');
    if (h > 23 && !(allow_24 && h == 24 && m == 0))
        return false;
    *out = h * 60 + m;
    return true;
}

/* A date in the map's date_format (RULES.md 8.1 Maps). */
static bool parse_date(const char *t, bpa_ts_date_format f, bpa_date *out)
{
    if (f == BPA_TS_DATE_ISO)
        return bpa_date_parse(t, out);
    char sep = f == BPA_TS_DATE_DMY_DASH ? '-' : f == BPA_TS_DATE_DMY_DOT ? '.' : '/';
    int v[2] = {0, 0}, i = 0;
    for (int part = 0; part < 2; part++) {
        int j = 0;
        while (j < 2 && t[i] >= '0' && t[i] <= '9')
            v[part] = v[part] * 10 + (t[i++] - '0'), j++;
        if (j == 0 || t[i++] != sep)
            return false;
    }
    for (int j = 0; j < 4; j++)
        if (t[i + j] < '0' || t[i + j] > '9')
            return false;
    if (t[i + 4] != '\0')
        return false;
    char iso[11];
    snprintf(iso, sizeof iso, "%.4s-%02d-%02d", t + i, v[1], v[0]);
    return bpa_date_parse(iso, out);
}

static const char *const date_formats[] = {"YYYY-MM-DD", "DD-MM-YYYY", "DD.MM.YYYY",
                                           "DD/MM/YYYY"};

/* A row's date through the memo: the same text as the row before is the same
 * date (the format is the source's, fixed). */
static bool memo_date(bpa_shift_memo *m, const char *t, bpa_ts_date_format f, bpa_date *out)
{
    size_t n = m ? strnlen(t, sizeof m->date_text) : sizeof m->date_text;
    if (n < sizeof m->date_text && m->date_text[0] && memcmp(m->date_text, t, n + 1) == 0) {
        *out = m->date;
        return true;
    }
    if (!parse_date(t, f, out))
        return false;
    if (n < sizeof m->date_text) {
        memcpy(m->date_text, t, n + 1);
        m->date = *out;
    }
    return true;
}

/* bpa_local_to_utc with the year's summer-time instants kept in the memo:
 * the same rule (summer reading first; neither consistent: the spring gap),
 * and the date's own year decides, since summer time never touches a year
 * boundary. */
static bool memo_local_to_utc(bpa_shift_memo *m, bpa_date date, int minute, bpa_utc_minute *out)
{
    if (!m)
        return bpa_local_to_utc(date, minute, out);
    if (minute < 0 || minute > 1440)
        return false;
    if (!m->year_known || date < m->year_first || date > m->year_last) {
        int y = bpa_date_year(date);
        m->year_first = bpa_date_make(y, 1, 1);
        m->year_last = bpa_date_make(y, 12, 31);
        bpa_utc_offset_span((bpa_utc_minute)bpa_date_make(y, 7, 1) * 1440, &m->summer_from,
                            &m->summer_to);
        m->year_known = true;
    }
    bpa_utc_minute local = (bpa_utc_minute)date * 1440 + minute;
    bpa_utc_minute summer = local - 120, standard = local - 60;
    if (summer >= m->summer_from && summer < m->summer_to) {
        *out = summer;
        return true;
    }
    if (standard >= m->summer_from && standard < m->summer_to)
        return false;
    *out = standard;
    return true;
}

static bpa_status to_utc(const char *file, unsigned line, const char *what, bpa_date date,
                         int minute, bpa_shift_memo *memo, bpa_utc_minute *out, bpa_error *err)
{
    if (memo_local_to_utc(memo, date, minute, out))
        return BPA_OK;
    char ds[11], cs[6];
    bpa_date_format(date, ds);
    bpa_clock_format(minute, cs);
    return bpa_error_set(err, BPA_E_INPUT, file, line, 0, NULL,
                         "%s %s on %s does not exist (summer time begins)", what, cs, ds);
}

bpa_status bpa_shift_build(const bpa_shift_format *fmt, const char *const text[BPA_SHIFT_COLUMNS],
                           const char *file, bpa_shift_origin origin, bpa_shift_memo *memo,
                           bpa_shift *out, bpa_error *err)
{
    unsigned line = origin.line;
    bpa_shift s = {.origin = origin};
    const bpa_timesheet_map *map = fmt->map;
    char lb[160];
    s.helper = text[BPA_SHIFT_COL_HELPER];
    if (s.helper[0] == '\0')
        return bpa_error_set(err, BPA_E_INPUT, file, line, 0, NULL,
                             "column %s is empty: every shift names its helper",
                             column_label(map, BPA_SHIFT_COL_HELPER, lb, sizeof lb));
    const char *dt = text[BPA_SHIFT_COL_DATE];
    bpa_ts_date_format df = map ? map->date_format : BPA_TS_DATE_ISO;
    if (!memo_date(memo, dt, df, &s.date))
        return bpa_error_set(err, BPA_E_INPUT, file, line, 0, NULL,
                             "column %s: \"%s\" is not a date %s",
                             column_label(map, BPA_SHIFT_COL_DATE, lb, sizeof lb), dt,
                             date_formats[df]);
    int from, to;
    bool dot = map && map->time_format == BPA_TS_TIME_DOT;
    char sep = dot ? '.' : ':';
    const char *st_text = text[BPA_SHIFT_COL_START], *en_text = text[BPA_SHIFT_COL_END];
    if (!parse_clock(st_text, sep, false, &from))
        return bpa_error_set(err, BPA_E_INPUT, file, line, 0, NULL,
                             "column %s: \"%s\" is not a clock time %s or %s "
                             "(00%c00-23%c59; 24%c00 only ends a shift)",
                             column_label(map, BPA_SHIFT_COL_START, lb, sizeof lb), st_text,
                             dot ? "HH.MM" : "HH:MM", dot ? "H.MM" : "H:MM", sep, sep, sep);
    if (!parse_clock(en_text, sep, true, &to))
        return bpa_error_set(err, BPA_E_INPUT, file, line, 0, NULL,
                             "column %s: \"%s\" is not a clock time %s or %s "
                             "(00%c00-23%c59, or 24%c00 for midnight ending the date)",
                             column_label(map, BPA_SHIFT_COL_END, lb, sizeof lb), en_text,
                             dot ? "HH.MM" : "HH:MM", dot ? "H.MM" : "H:MM", sep, sep, sep);
    const char *kt = text[BPA_SHIFT_COL_KIND], *kv = kt;
    for (size_t i = 0; map && i < map->nkinds; i++)
        if (strcmp(map->kind_from[i], kt) == 0)
            kv = map->kind_to[i];
    bool se = fmt->country == BPA_COUNTRY_SE;
    if (!bpa_kind_parse(fmt->country, kv, &s.kind))
        return bpa_error_set(err, BPA_E_INPUT, file, line, 0, NULL,
                             kv != kt ? "column %s: \"%s\" (mapped by \"kinds\") is not a "
                                        "kind: expected %s"
                                      : "column %s: \"%s\" is not a kind: expected %s, or map "
                                        "the file's value in \"kinds\"",
                             column_label(map, BPA_SHIFT_COL_KIND, lb, sizeof lb), kt,
                             se ? "aktiv, vantetid or beredskap" : "work or on_call");
    const char *sp = text[BPA_SHIFT_COL_STEP] ? text[BPA_SHIFT_COL_STEP] : "";
    if (se && sp[0] != '\0')
        return bpa_error_set(err, BPA_E_INPUT, file, line, 0, NULL,
                             "column %s: \"%s\": a Swedish time report has no steps; leave "
                             "the column's cells empty or remove the column",
                             column_label(map, BPA_SHIFT_COL_STEP, lb, sizeof lb), sp);
    if (se) {
        s.step = BPA_SHIFT_NO_STEP;
    } else if (sp[0] == '\0') {
        if (fmt->default_step < 0)
            return bpa_error_set(err, BPA_E_INPUT, file, line, 0, NULL,
                                 "the grant has several steps; give the step column");
        s.step = fmt->default_step;
    } else if (!parse_step(sp, &s.step)) {
        return bpa_error_set(err, BPA_E_INPUT, file, line, 0, NULL,
                             "column \"step\": \"%s\" is not a step: expected a whole number "
                             "0-9999 without leading zeros",
                             sp);
    }
    bpa_status st = to_utc(file, line, "start", s.date, from, memo, &s.start, err);
    if (st != BPA_OK)
        return st;
    /* Not after the start: the next day, so equal times are a 24-hour shift
     * by the clock (real time, like every duration). */
    if (to == 1440) /* 24:00: midnight ending the row's date */
        st = to_utc(file, line, "end", s.date + 1, 0, memo, &s.end, err);
    else
        st = to_utc(file, line, "end", to > from ? s.date : s.date + 1, to, memo, &s.end, err);
    if (st != BPA_OK)
        return st;
    *out = s;
    return BPA_OK;
}

static bpa_status read_csv(bpa_csv *csv, const char *file, uint32_t file_index,
                           const bpa_shift_format *fmt, bpa_shift_fn fn, void *ctx,
                           bpa_error *err)
{
    int col[BPA_SHIFT_COLUMNS];
    size_t width = 0;
    bpa_shift_memo memo = {0};
    for (;;) {
        size_t nfields = 0;
        char **fields = NULL;
        unsigned line = 0;
        bpa_status st = bpa_csv_next(csv, &nfields, &fields, &line, err);
        if (st == BPA_E_INPUT && strncmp(err->message, "not UTF-8", 9) == 0) {
            size_t n = strlen(err->message);
            snprintf(err->message + n, sizeof err->message - n,
                     ": the timesheet must be UTF-8; save it as UTF-8 (in Excel: Save As, "
                     "\"CSV UTF-8\"); the engine never guesses an encoding");
        }
        if (st != BPA_OK)
            return st;
        if (nfields == 0) {
            if (width == 0)
                return bpa_error_set(err, BPA_E_INPUT, file, 1, 0, NULL,
                                     "the timesheet is empty: expected a header naming the "
                                     "columns helper, date, start, end, kind (and step)");
            return BPA_OK;
        }
        if (width == 0) {
            if ((st = bpa_shift_header((const char *const *)fields, nfields, fmt->map, col,
                                       file, line, err)) != BPA_OK)
                return st;
            width = nfields;
            continue;
        }
        if (nfields != width)
            return bpa_error_set(err, BPA_E_INPUT, file, line, 0, NULL,
                                 "the row has %zu field%s but the header has %zu", nfields,
                                 nfields == 1 ? "" : "s", width);
        const char *text[BPA_SHIFT_COLUMNS];
        for (int k = 0; k < BPA_SHIFT_COLUMNS; k++)
            text[k] = col[k] >= 0 ? fields[col[k]] : NULL;
        bpa_shift s;
        if ((st = bpa_shift_build(fmt, text, file, (bpa_shift_origin){file_index, line}, &memo,
                                  &s, err)) != BPA_OK ||
            (st = fn(ctx, &s, err)) != BPA_OK)
            return st;
    }
}

/* ---- .xlsx timesheets (RULES.md 8.1 Workbooks) -------------------------- */

/* The exact value of a number cell's stored text ("45658", "0.2916666666666667",
 * "4.1666666666666664E-2"), never through binary floating point. */
static bool stored_number(const char *t, mpq_t out)
{
    const char *p = t;
    bool neg = *p == '-', dot = false;
    if (neg)
        p++;
    char digits[64];
    size_t nd = 0;
    long frac = 0, e = 0;
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (nd + 1 >= sizeof digits)
                return false;
            digits[nd++] = *p;
            frac += dot;
        } else if (*p == '.' && !dot) {
            dot = true;
        } else {
            break;
        }
    }
    if (nd == 0)
        return false;
    if (*p == 'E' || *p == 'e') {
        p++;
        bool eneg = *p == '-';
        if (*p == '+' || *p == '-')
            p++;
        if (*p < '0' || *p > '9')
            return false;
        for (; *p >= '0' && *p <= '9'; p++)
            if ((e = e * 10 + (*p - '0')) > 400)
                return false;
        if (eneg)
            e = -e;
    }
    if (*p)
        return false;
    digits[nd] = '\0';
    mpz_t pow;
    mpz_init(pow);
    mpz_set_str(mpq_numref(out), digits, 10);
    mpz_set_ui(mpq_denref(out), 1);
    long sc = e - frac;
    mpz_ui_pow_ui(pow, 10, (unsigned long)(sc < 0 ? -sc : sc));
    if (sc >= 0)
        mpz_mul(mpq_numref(out), mpq_numref(out), pow);
    else
        mpz_set(mpq_denref(out), pow);
    mpq_canonicalize(out);
    if (neg)
        mpq_neg(out, out);
    mpz_clear(pow);
    return true;
}

/* A number cell of the date column as text in the map's date_format: a whole
 * Excel serial day (1900 system, serial 1 = 1900-01-01, serial 60 Excel's
 * non-existent 1900-02-29). NULL: the reason in *why. */
static bool serial_date(const mpq_t v, bpa_ts_date_format f, char out[32], const char **why)
{
    if (mpz_cmp_ui(mpq_denref(v), 1) != 0) {
        *why = "a date serial with a fraction of a day (a date and a time in one cell): give "
               "the date alone";
        return false;
    }
    if (mpz_sgn(mpq_numref(v)) <= 0 || mpz_cmp_ui(mpq_numref(v), 400000) > 0 ||
        mpz_cmp_ui(mpq_numref(v), 60) == 0) {
        *why = "not a date serial of 1900-01-01 to 2999-12-31 (and not Excel's 1900-02-29)";
        return false;
    }
    long n = mpz_get_si(mpq_numref(v));
    bpa_date d = bpa_date_make(1900, 1, 1) + (bpa_date)(n < 60 ? n - 1 : n - 2);
    int y, m, dd;
    bpa_date_split(d, &y, &m, &dd);
    if (y > BPA_YEAR_MAX) {
        *why = "not a date serial of 1900-01-01 to 2999-12-31";
        return false;
    }
    if (f == BPA_TS_DATE_ISO)
        snprintf(out, 32, "%04d-%02d-%02d", y, m, dd);
    else
        snprintf(out, 32, "%02d%c%02d%c%04d", dd,
                 f == BPA_TS_DATE_DMY_DASH ? '-' : f == BPA_TS_DATE_DMY_DOT ? '.' : '/', m,
                 f == BPA_TS_DATE_DMY_DASH ? '-' : f == BPA_TS_DATE_DMY_DOT ? '.' : '/', y);
    return true;
}

/* A number cell of start or end: a fraction of a day, value x 1440 to the
 * nearest minute, as "HH:MM" (or "HH.MM"); an error when more than one
 * second from a whole minute. */
static bool day_fraction(const mpq_t v, char sep, char out[32], const char **why)
{
    mpq_t m, d;
    mpq_inits(m, d, NULL);
    mpz_t r;
    mpz_init(r);
    mpq_set_ui(d, 1440, 1);
    mpq_mul(m, v, d);
    /* nearest: floor(m + 1/2) */
    mpq_set_ui(d, 1, 2);
    mpq_add(d, m, d);
    mpz_fdiv_q(r, mpq_numref(d), mpq_denref(d));
    mpq_set_z(d, r);
    mpq_sub(d, m, d);
    mpq_abs(d, d);
    mpq_t sec;
    mpq_init(sec);
    mpq_set_ui(sec, 1, 60);
    bool ok = false;
    if (mpq_cmp(d, sec) > 0)
        *why = "more than one second from a whole minute";
    else if (mpz_sgn(r) < 0 || mpz_cmp_ui(r, 1440) > 0)
        *why = "not a time of day (a fraction of a day from 0 to 1)";
    else {
        long t = mpz_get_si(r);
        snprintf(out, 32, "%02ld%c%02ld", t / 60, sep, t % 60);
        ok = true;
    }
    mpq_clears(m, d, sec, NULL);
    mpz_clear(r);
    return ok;
}

/* The texts of one worksheet row, by column (owned). */
typedef struct xl_row {
    uint32_t row;
    char *text[BPA_CSV_FIELDS_MAX];
    bool number[BPA_CSV_FIELDS_MAX];
    uint32_t ncols; /* 1 + the last non-empty column */
} xl_row;

static void row_clear(xl_row *r)
{
    for (size_t i = 0; i < BPA_CSV_FIELDS_MAX; i++) {
        free(r->text[i]);
        r->text[i] = NULL;
        r->number[i] = false;
    }
    r->ncols = 0;
}

/* Put a message of bpa_shift_build / bpa_shift_header at "Sheet!C7": the
 * column its text names, else the row's first cell. */
static bpa_status at_cell(bpa_error *err, const char *sheet, uint32_t row, const int *col,
                          const bpa_timesheet_map *map)
{
    uint32_t c = 0;
    for (int k = 0; col && k < BPA_SHIFT_COLUMNS; k++) {
        char lb[160], pre[170];
        snprintf(pre, sizeof pre, "column %s", column_label(map, k, lb, sizeof lb));
        if (col[k] >= 0 && strncmp(err->message, pre, strlen(pre)) == 0)
            c = (uint32_t)col[k];
    }
    char cell[12];
    bpa_xlsx_cell_name(row, c, cell);
    snprintf(err->path, sizeof err->path, "%s!%s", sheet, cell);
    err->line = 0;
    err->column = 0;
    return err->status;
}

static bpa_status xl_row_done(xl_row *r, const char *file, const char *sheet, uint32_t file_index,
                              const bpa_shift_format *fmt, int col[BPA_SHIFT_COLUMNS],
                              uint32_t *width, bpa_shift_fn fn, void *ctx, bpa_error *err)
{
    if (r->ncols == 0)
        return BPA_OK; /* an empty row */
    const char *f[BPA_CSV_FIELDS_MAX];
    for (uint32_t i = 0; i < BPA_CSV_FIELDS_MAX; i++)
        f[i] = r->text[i] ? r->text[i] : "";
    bpa_status st;
    if (*width == 0) {
        if ((st = bpa_shift_header(f, r->ncols, fmt->map, col, file, r->row + 1, err)) != BPA_OK)
            return at_cell(err, sheet, r->row, NULL, fmt->map);
        *width = r->ncols;
        return BPA_OK;
    }
    if (r->ncols > *width) {
        char cell[12];
        bpa_xlsx_cell_name(r->row, r->ncols - 1, cell);
        return bpa_error_set(err, BPA_E_INPUT, file, 0, 0, NULL,
                             "%s!%s: a value right of the header's last column", sheet, cell);
    }
    char conv[3][32];
    const char *text[BPA_SHIFT_COLUMNS];
    for (int k = 0; k < BPA_SHIFT_COLUMNS; k++)
        text[k] = col[k] >= 0 ? f[col[k]] : NULL;
    const bpa_timesheet_map *map = fmt->map;
    for (int k = BPA_SHIFT_COL_DATE; k <= BPA_SHIFT_COL_END; k++) {
        if (!r->number[col[k]])
            continue;
        mpq_t v;
        mpq_init(v);
        const char *why = "not a number";
        bool ok = stored_number(f[col[k]], v);
        if (ok)
            ok = k == BPA_SHIFT_COL_DATE
                     ? serial_date(v, map ? map->date_format : BPA_TS_DATE_ISO, conv[k - 1], &why)
                     : day_fraction(v, map && map->time_format == BPA_TS_TIME_DOT ? '.' : ':',
                                    conv[k - 1], &why);
        mpq_clear(v);
        if (!ok) {
            char cell[12], lb[160];
            bpa_xlsx_cell_name(r->row, (uint32_t)col[k], cell);
            return bpa_error_set(err, BPA_E_INPUT, file, 0, 0, NULL, "%s!%s: column %s: %s: %s",
                                 sheet, cell, column_label(map, k, lb, sizeof lb), f[col[k]],
                                 why);
        }
        text[k] = conv[k - 1];
    }
    bpa_shift s;
    if ((st = bpa_shift_build(fmt, text, file, (bpa_shift_origin){file_index, r->row + 1}, NULL,
                              &s, err)) != BPA_OK)
        return at_cell(err, sheet, r->row, col, map);
    return fn(ctx, &s, err);
}

static bpa_status read_xlsx(const char *path, const char *file, uint32_t file_index,
                            const bpa_shift_format *fmt, bpa_shift_fn fn, void *ctx,
                            bpa_error *err)
{
    bpa_xlsx *x = NULL;
    bpa_status st = bpa_xlsx_open_named(&x, path, file, err);
    if (st != BPA_OK)
        return st;
    size_t si = 0, n = bpa_xlsx_sheet_count(x);
    const char *want = fmt->map ? fmt->map->sheet : NULL;
    if (want) {
        while (si < n && strcmp(bpa_xlsx_sheet_name(x, si), want) != 0)
            si++;
    }
    if (si >= n) {
        st = bpa_error_set(err, BPA_E_INPUT, file, 0, 0, NULL,
                           want ? "the workbook has no sheet \"%s\" (give \"sheet\" as its tab "
                                  "is named)"
                                : "the workbook has no worksheet%s",
                           want ? want : "");
        bpa_xlsx_free(x);
        return st;
    }
    const char *sheet = bpa_xlsx_sheet_name(x, si);
    bpa_xlsx_sheet *sh = NULL;
    if ((st = bpa_xlsx_sheet_open(x, si, &sh, err)) != BPA_OK) {
        bpa_xlsx_free(x);
        return st;
    }
    xl_row r = {0};
    int col[BPA_SHIFT_COLUMNS];
    uint32_t width = 0;
    for (;;) {
        const bpa_xlsx_cell *c = NULL;
        if ((st = bpa_xlsx_sheet_next(sh, &c, err)) != BPA_OK)
            break;
        if (!c || c->row != r.row) {
            if ((st = xl_row_done(&r, file, sheet, file_index, fmt, col, &width, fn, ctx, err)) !=
                BPA_OK)
                break;
            row_clear(&r);
            if (!c)
                break;
            r.row = c->row;
        }
        if (c->type == BPA_XLSX_BLANK || c->value_len == 0)
            continue;
        char cell[12];
        bpa_xlsx_cell_name(c->row, c->col, cell);
        if (c->col >= BPA_CSV_FIELDS_MAX || c->type == BPA_XLSX_ERROR ||
            c->type == BPA_XLSX_BOOLEAN) {
            st = bpa_error_set(err, BPA_E_INPUT, file, 0, 0, NULL,
                               c->col >= BPA_CSV_FIELDS_MAX
                                   ? "%s!%s: more than %d columns"
                                   : "%s!%s: a value that is neither text nor a number (%d)",
                               sheet, cell,
                               c->col >= BPA_CSV_FIELDS_MAX ? BPA_CSV_FIELDS_MAX : (int)c->type);
            break;
        }
        char *t = bpa_malloc(c->value_len + 1);
        if (!t) {
            st = bpa_error_set(err, BPA_E_NOMEM, file, 0, 0, NULL, "out of memory");
            break;
        }
        memcpy(t, c->value, c->value_len);
        t[bpa_xlsx_unescape(t, c->value_len)] = '\0';
        free(r.text[c->col]);
        r.text[c->col] = t;
        r.number[c->col] = c->type == BPA_XLSX_NUMBER;
        if (c->col + 1 > r.ncols)
            r.ncols = c->col + 1;
    }
    row_clear(&r);
    if (st == BPA_OK && width == 0)
        st = bpa_error_set(err, BPA_E_INPUT, file, 0, 0, NULL,
                           "%s: the sheet is empty: expected a header row naming the columns "
                           "helper, date, start, end, kind (and step)",
                           sheet);
    bpa_xlsx_sheet_close(sh);
    bpa_xlsx_free(x);
    return st;
}

bpa_status bpa_shift_read_file(const char *path, const char *file, uint32_t file_index,
                               const bpa_shift_format *fmt, bpa_shift_fn fn, void *ctx,
                               char sha256[65], bpa_error *err)
{
    size_t n = strlen(path);
    if (n >= 5 && strcmp(path + n - 5, ".xlsx") == 0) {
        bpa_status st = read_xlsx(path, file, file_index, fmt, fn, ctx, err);
        if (st == BPA_OK && sha256)
            st = bpa_sha256_file(path, sha256, err);
        return st;
    }
    bpa_csv *csv = NULL;
    bpa_status st = bpa_csv_open_file(&csv, path, err);
    if (st != BPA_OK)
        return st;
    bpa_csv_detect_separator(csv);
    st = read_csv(csv, file, file_index, fmt, fn, ctx, err);
    if (st == BPA_OK && sha256)
        bpa_csv_sha256(csv, sha256); /* read_csv stops only at the end of the input */
    bpa_csv_free(csv);
    return st;
}

bpa_status bpa_shift_read_mem(const char *file, const char *data, size_t length,
                              uint32_t file_index, const bpa_shift_format *fmt, bpa_shift_fn fn,
                              void *ctx, bpa_error *err)
{
    bpa_csv *csv = NULL;
    bpa_status st = bpa_csv_open_mem(&csv, file, data, length, err);
    if (st != BPA_OK)
        return st;
    bpa_csv_detect_separator(csv);
    st = read_csv(csv, file, file_index, fmt, fn, ctx, err);
    bpa_csv_free(csv);
    return st;
}

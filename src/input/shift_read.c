/*
 * The timesheet reader: CSV rows into shifts (see input/shift_read.h,
 * RULES.md 4, 8.1 and 12).
 */
#include "input/shift_read.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bpa/date.h"
#include "io/csv.h"

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

static bpa_status to_utc(const char *file, unsigned line, const char *what, bpa_date date,
                         int minute, bpa_utc_minute *out, bpa_error *err)
{
    if (bpa_local_to_utc(date, minute, out))
        return BPA_OK;
    char ds[11], cs[6];
    bpa_date_format(date, ds);
    bpa_clock_format(minute, cs);
    return bpa_error_set(err, BPA_E_INPUT, file, line, 0, NULL,
                         "%s %s on %s does not exist (summer time begins)", what, cs, ds);
}

bpa_status bpa_shift_build(const bpa_shift_format *fmt, const char *const text[BPA_SHIFT_COLUMNS],
                           const char *file, bpa_shift_origin origin, bpa_shift *out,
                           bpa_error *err)
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
    if (!parse_date(dt, df, &s.date))
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
    if (!bpa_kind_parse(fmt->country, kv, &s.kind))
        return bpa_error_set(err, BPA_E_INPUT, file, line, 0, NULL,
                             kv != kt ? "column %s: \"%s\" (mapped by \"kinds\") is not a "
                                        "kind: expected work or on_call"
                                      : "column %s: \"%s\" is not a kind: expected work or "
                                        "on_call, or map the file's value in \"kinds\"",
                             column_label(map, BPA_SHIFT_COL_KIND, lb, sizeof lb), kt);
    const char *sp = text[BPA_SHIFT_COL_STEP] ? text[BPA_SHIFT_COL_STEP] : "";
    if (sp[0] == '\0') {
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
    bpa_status st = to_utc(file, line, "start", s.date, from, &s.start, err);
    if (st != BPA_OK)
        return st;
    /* Not after the start: the next day, so equal times are a 24-hour shift
     * by the clock (real time, like every duration). */
    if (to == 1440) /* 24:00: midnight ending the row's date */
        st = to_utc(file, line, "end", s.date + 1, 0, &s.end, err);
    else
        st = to_utc(file, line, "end", to > from ? s.date : s.date + 1, to, &s.end, err);
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
        if ((st = bpa_shift_build(fmt, text, file, (bpa_shift_origin){file_index, line}, &s,
                                  err)) != BPA_OK ||
            (st = fn(ctx, &s, err)) != BPA_OK)
            return st;
    }
}

bpa_status bpa_shift_read_file(const char *path, const char *file, uint32_t file_index,
                               const bpa_shift_format *fmt, bpa_shift_fn fn, void *ctx,
                               bpa_error *err)
{
    bpa_csv *csv = NULL;
    bpa_status st = bpa_csv_open_file(&csv, path, err);
    if (st != BPA_OK)
        return st;
    bpa_csv_detect_separator(csv);
    st = read_csv(csv, file, file_index, fmt, fn, ctx, err);
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

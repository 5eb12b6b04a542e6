/*
 * Timesheets: CSV shifts into used minutes by category, month and helper
 * (see include/bpa/timesheet.h, RULES.md 4, 5.1, 8.1 and 12).
 *
 * A shift is walked in chunks inside which every minute has the same local
 * date and band: a chunk ends at the shift's end, at the next full UTC hour
 * (summer time changes happen on the hour, so the UTC offset is constant
 * inside a chunk and local minutes advance with real ones), or at the next
 * local minute where a band could change (midnight, a window edge, the start
 * of a holidays.extra period). That makes the work per shift proportional to
 * its hours, not its minutes, and memory independent of the number of shifts.
 */
#include "core/alloc.h"
#include "input/timesheet.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"
#include "bpa/date.h"

#define MINUTES_PER_DAY 1440

static const char *const column_names[] = {"helper", "date", "start", "end", "kind", "step"};
enum { COL_HELPER, COL_DATE, COL_START, COL_END, COL_KIND, COL_STEP, COL_COUNT };

/* RULES.md 5.1 default, used only if the policy module gives no default. */
static const int default_precedence[5] = {BPA_BAND_SUNDAY_HOLIDAY, BPA_BAND_NIGHT,
                                          BPA_BAND_SATURDAY, BPA_BAND_EVENING, BPA_BAND_DAY};

/* What classification needs of one local date, looked up once per date. */
typedef struct day_ctx {
    bool valid;
    bpa_date date;
    int weekday;                /* 0 = Monday */
    bool public_holiday;
    int extra_from;             /* first minute of a holidays.extra period; 1440: none */
    const bpa_value *windows;   /* NULL: band.windows not in force (error when needed) */
    int precedence[5];
    bool on_call_supplements;
} day_ctx;

/* Direct-mapped by date: a shift touches two or three consecutive dates, and
 * interleaved helpers stay within a few days of each other. */
#define DAY_CACHE 8

typedef struct reader {
    bpa_ts_acc *acc;
    const char *file;           /* the name kept in acc->files */
    unsigned line;              /* record being processed, for messages */
    day_ctx days[DAY_CACHE];
} reader;

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

static bpa_status nomem(bpa_error *err, const char *file)
{
    return bpa_error_set(err, BPA_E_NOMEM, file, 0, 0, NULL, "out of memory");
}

/* ---- classification ---------------------------------------------------- */

static void day_ctx_fill(const bpa_policy *policy, bpa_country country, bpa_date date,
                         day_ctx *d)
{
    d->valid = true;
    d->date = date;
    d->weekday = bpa_date_weekday(date);
    d->public_holiday = bpa_holiday(country, date, NULL);
    d->extra_from = MINUTES_PER_DAY;
    int y, m, dd;
    bpa_date_split(date, &y, &m, &dd);
    const bpa_value *extra = bpa_policy_get(policy, "holidays.extra", date, NULL);
    for (size_t i = 0; extra && i < extra->nextras; i++) {
        const bpa_holiday_extra *x = &extra->extras[i];
        /* Several periods on one date: the earliest start decides, since
         * each runs to midnight. */
        if ((x->year == 0 || x->year == y) && x->month == m && x->day == dd &&
            x->from < d->extra_from)
            d->extra_from = x->from;
    }
    d->windows = bpa_policy_get(policy, "band.windows", date, NULL);
    const bpa_value *prec = bpa_policy_get(policy, "band.precedence", date, NULL);
    memcpy(d->precedence, prec ? prec->precedence : default_precedence, sizeof d->precedence);
    const bpa_value *sup = bpa_policy_get(policy, "on_call.supplements", date, NULL);
    d->on_call_supplements = sup && sup->flag;
}

static bool holiday_at(const day_ctx *d, int minute)
{
    return d->public_holiday || minute >= d->extra_from;
}

static bpa_band classify(const day_ctx *d, int minute)
{
    const bpa_value *w = d->windows;
    unsigned weekday_bit = 1u << d->weekday;
    bool holiday = holiday_at(d, minute);
    for (int i = 0; i < 5; i++) {
        int band = d->precedence[i];
        if (band == BPA_BAND_DAY) /* no windows: it is what is left */
            continue;
        for (size_t k = 0; k < w->nwindows[band]; k++) {
            const bpa_window *win = &w->windows[band][k];
            if (minute < win->from || minute >= win->to)
                continue;
            if ((win->days & weekday_bit) || ((win->days & BPA_DAY_HOLIDAY) && holiday))
                return (bpa_band)band;
        }
    }
    return BPA_BAND_DAY;
}

/* The first local minute after `minute` at which the band may change. */
static int next_boundary(const day_ctx *d, int minute)
{
    int next = MINUTES_PER_DAY;
    if (d->extra_from > minute && d->extra_from < next)
        next = d->extra_from;
    for (int band = BPA_BAND_EVENING; band <= BPA_BAND_SUNDAY_HOLIDAY; band++) {
        for (size_t k = 0; k < d->windows->nwindows[band]; k++) {
            const bpa_window *win = &d->windows->windows[band][k];
            if (win->from > minute && win->from < next)
                next = win->from;
            if (win->to > minute && win->to < next)
                next = win->to;
        }
    }
    return next;
}

/* band.windows is required when a minute is classified: report its absence
 * through bpa_policy_need so the message names the parameter and date. */
static bpa_status need_windows(const bpa_policy *policy, const day_ctx *d, bpa_error *err)
{
    if (d->windows)
        return BPA_OK;
    const bpa_value *v = NULL;
    return bpa_policy_need(policy, "band.windows", d->date, &v, NULL, err);
}

bpa_status bpa_band_classify(const bpa_policy *policy, bpa_date date, int minute,
                             bpa_band *band, bpa_error *err)
{
    if (minute < 0 || minute >= MINUTES_PER_DAY)
        return bpa_error_set(err, BPA_E_INPUT, NULL, 0, 0, NULL,
                             "minute of day %d is outside 0-1439", minute);
    day_ctx d;
    day_ctx_fill(policy, bpa_policy_country(policy), date, &d);
    bpa_status st = need_windows(policy, &d, err);
    if (st != BPA_OK)
        return st;
    *band = classify(&d, minute);
    return BPA_OK;
}

static const day_ctx *day_get(reader *r, bpa_date date)
{
    day_ctx *d = &r->days[(uint32_t)date % DAY_CACHE];
    if (!d->valid || d->date != date)
        day_ctx_fill(r->acc->policy, r->acc->country, date, d);
    return d;
}

/* ---- accumulator ------------------------------------------------------- */

void bpa_ts_acc_init(bpa_ts_acc *acc, const bpa_policy *policy, int year, int default_step)
{
    memset(acc, 0, sizeof *acc);
    acc->policy = policy;
    acc->year = year;
    acc->default_step = default_step;
    acc->country = policy ? bpa_policy_country(policy) : BPA_COUNTRY_DK;
}

void bpa_ts_acc_release(bpa_ts_acc *acc)
{
    if (!acc)
        return;
    for (size_t i = 0; i < acc->nhelpers; i++)
        free(acc->helpers[i].name);
    free(acc->helpers);
    free(acc->helper_index);
    free(acc->cells);
    for (size_t i = 0; i < acc->nfiles; i++)
        free(acc->files[i]);
    free(acc->files);
    memset(acc, 0, sizeof *acc);
}

/* Make room for one more element of size `size` in *items (count n, cap). */
static bool grow(void **items, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return true;
    size_t ncap = *cap ? *cap * 2 : 16;
    if (ncap < *cap || ncap > SIZE_MAX / size)
        return false;
    void *p = bpa_realloc(*items, ncap * size);
    if (!p)
        return false;
    *items = p;
    *cap = ncap;
    return true;
}

static bpa_status add_cell(reader *r, bpa_kind kind, bpa_band band, int step, int month,
                           int64_t minutes, bpa_error *err)
{
    bpa_ts_acc *acc = r->acc;
    /* Cells are few (categories x 12), but chunks are many: scanning from
     * the end finds the cell of the current shift's month at once. */
    for (size_t i = acc->ncells; i-- > 0;) {
        bpa_ts_cell *c = &acc->cells[i];
        if (c->month == month && c->category.kind == kind && c->category.band == band &&
            c->category.step == step) {
            c->minutes += minutes;
            return BPA_OK;
        }
    }
    if (!grow((void **)&acc->cells, acc->ncells, &acc->cap_cells, sizeof *acc->cells))
        return nomem(err, r->file);
    acc->cells[acc->ncells++] = (bpa_ts_cell){{kind, band, step}, month, minutes};
    return BPA_OK;
}

/* Helpers are found through a hash index on (name, kind), so that a
 * timesheet with thousands of helpers costs no more per shift than one with
 * ten. */
static size_t helper_hash(const char *name, bpa_kind kind)
{
    uint64_t h = 14695981039346656037u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    h = (h ^ (unsigned)kind) * 1099511628211u;
    return (size_t)h;
}

static size_t index_slot(const bpa_ts_acc *acc, const char *name, bpa_kind kind)
{
    size_t mask = acc->index_cap - 1;
    size_t i = helper_hash(name, kind) & mask;
    for (;;) {
        size_t e = acc->helper_index[i];
        if (e == 0)
            return i;
        const bpa_ts_helper *h = &acc->helpers[e - 1];
        if (h->kind == kind && strcmp(h->name, name) == 0)
            return i;
        i = (i + 1) & mask;
    }
}

/* Room in the index for one more entry (rebuilt at twice the size). */
static bool index_reserve(bpa_ts_acc *acc)
{
    if ((acc->nhelpers + 1) * 2 <= acc->index_cap)
        return true;
    size_t ncap = acc->index_cap ? acc->index_cap * 2 : 64;
    if (ncap > SIZE_MAX / sizeof *acc->helper_index)
        return false;
    size_t *idx = bpa_calloc(ncap, sizeof *idx);
    if (!idx)
        return false;
    free(acc->helper_index);
    acc->helper_index = idx;
    acc->index_cap = ncap;
    for (size_t e = 0; e < acc->nhelpers; e++)
        idx[index_slot(acc, acc->helpers[e].name, acc->helpers[e].kind)] = e + 1;
    return true;
}

/* The entries of one helper by kind (SIZE_MAX: none). */
static void find_helper(const bpa_ts_acc *acc, const char *name, size_t found[BPA_KIND_COUNT])
{
    for (int k = 0; k < BPA_KIND_COUNT; k++) {
        found[k] = SIZE_MAX;
        if (acc->index_cap) {
            size_t e = acc->helper_index[index_slot(acc, name, (bpa_kind)k)];
            if (e)
                found[k] = e - 1;
        }
    }
}

/* ---- one shift ---------------------------------------------------------- */

typedef struct shift {
    const char *helper;
    bpa_kind kind;
    int step;
    bpa_utc_minute start, end;
} shift;

static void format_local(bpa_utc_minute t, char out[17])
{
    bpa_date d;
    int m;
    bpa_utc_to_local(t, &d, &m);
    char ds[11], cs[6];
    bpa_date_format(d, ds);
    bpa_clock_format(m, cs);
    snprintf(out, 17, "%s %s", ds, cs);
}

/* The overlap and order check against the helper's latest shift (of either
 * kind: one person cannot work and be on call at once). */
static bpa_status check_order(reader *r, const shift *s, const size_t found[BPA_KIND_COUNT],
                              bpa_error *err)
{
    size_t i = found[BPA_KIND_WORK] != SIZE_MAX ? found[BPA_KIND_WORK] : found[BPA_KIND_ON_CALL];
    if (i == SIZE_MAX)
        return BPA_OK;
    const bpa_ts_helper *h = &r->acc->helpers[i];
    bool same_file = strcmp(h->last_file, r->file) == 0;
    if (s->start < h->last_start) {
        if (same_file)
            return bpa_error_set(err, BPA_E_INPUT, r->file, r->line, 0, NULL,
                                 "shifts of helper \"%s\" must be in time order: line %u "
                                 "starts before line %u",
                                 s->helper, r->line, h->last_line);
        return bpa_error_set(err, BPA_E_INPUT, r->file, r->line, 0, NULL,
                             "shifts of helper \"%s\" must be in time order: line %u starts "
                             "before the shift at %s:%u",
                             s->helper, r->line, h->last_file, h->last_line);
    }
    if (s->start < h->last_end) {
        char a[17], b[17], e[17];
        format_local(s->start, a);
        format_local(h->last_start, b);
        format_local(h->last_end, e);
        return bpa_error_set(err, BPA_E_INPUT, r->file, r->line, 0, NULL,
                             "the shift of helper \"%s\" on line %u (from %s) overlaps the "
                             "shift at %s:%u (%s to %s)",
                             s->helper, r->line, a, h->last_file, h->last_line, b, e);
    }
    return BPA_OK;
}

/* Record the shift as the helper's latest; found[s->kind] becomes its
 * (helper, kind) entry, created on first use. */
static bpa_status remember_shift(reader *r, const shift *s, size_t found[BPA_KIND_COUNT],
                                 bpa_error *err)
{
    bpa_ts_acc *acc = r->acc;
    if (found[s->kind] == SIZE_MAX) {
        char *name = bpa_strdup(s->helper);
        if (!name || !index_reserve(acc) ||
            !grow((void **)&acc->helpers, acc->nhelpers, &acc->cap_helpers, sizeof *acc->helpers)) {
            free(name);
            return nomem(err, r->file);
        }
        found[s->kind] = acc->nhelpers;
        acc->helpers[acc->nhelpers++] = (bpa_ts_helper){.name = name, .kind = s->kind};
        acc->helper_index[index_slot(acc, name, s->kind)] = acc->nhelpers;
    }
    /* Every entry of the helper carries the latest shift, whatever its kind. */
    for (int k = 0; k < BPA_KIND_COUNT; k++) {
        if (found[k] == SIZE_MAX)
            continue;
        bpa_ts_helper *e = &acc->helpers[found[k]];
        e->last_start = s->start;
        e->last_end = s->end;
        e->last_line = r->line;
        e->last_file = r->file;
    }
    return BPA_OK;
}

static bpa_status add_shift(reader *r, const shift *s, bpa_error *err)
{
    size_t found[BPA_KIND_COUNT];
    find_helper(r->acc, s->helper, found);
    bpa_status st = check_order(r, s, found, err);
    if (st != BPA_OK)
        return st;
    if ((st = remember_shift(r, s, found, err)) != BPA_OK)
        return st;
    bpa_ts_acc *acc = r->acc;
    bpa_ts_helper *h = &acc->helpers[found[s->kind]]; /* stable: only cells grow below */
    for (bpa_utc_minute t = s->start; t < s->end;) {
        bpa_date date;
        int minute;
        bpa_utc_to_local(t, &date, &minute);
        const day_ctx *d = day_get(r, date);
        bool inside = bpa_date_year(date) == acc->year;
        /* Minutes outside the year are only counted, so they need no
         * parameters (a policy may start on 1 January). */
        bool banded = inside && (s->kind == BPA_KIND_WORK || d->on_call_supplements);
        bpa_utc_minute t2 = (floor_div(t, 60) + 1) * 60;
        if (t2 > s->end)
            t2 = s->end;
        bpa_band band = BPA_BAND_ANY;
        int boundary = MINUTES_PER_DAY;
        if (banded) {
            if ((st = need_windows(acc->policy, d, err)) != BPA_OK) {
                size_t n = strlen(err->message);
                snprintf(err->message + n, sizeof err->message - n,
                         " (classifying the shift at %s:%u)", r->file, r->line);
                return st;
            }
            band = classify(d, minute);
            boundary = next_boundary(d, minute);
        }
        if (t + (boundary - minute) < t2)
            t2 = t + (boundary - minute);
        int64_t n = t2 - t;
        if (inside) {
            if ((st = add_cell(r, s->kind, band, s->step, bpa_date_month(date), n, err)) !=
                BPA_OK)
                return st;
            h->minutes += n;
        } else {
            acc->outside_minutes[s->kind] += n;
        }
        t = t2;
    }
    acc->total_minutes += s->end - s->start;
    acc->shifts++;
    return BPA_OK;
}

/* ---- CSV ---------------------------------------------------------------- */

static bpa_status read_header(reader *r, char **fields, size_t nfields, int col[COL_COUNT],
                              bpa_error *err)
{
    for (int k = 0; k < COL_COUNT; k++)
        col[k] = -1;
    for (size_t i = 0; i < nfields; i++) {
        int k = 0;
        while (k < COL_COUNT && strcmp(fields[i], column_names[k]) != 0)
            k++;
        if (k == COL_COUNT)
            return bpa_error_set(err, BPA_E_INPUT, r->file, r->line, 0, NULL,
                                 "unknown column \"%s\" in the header: expected helper, date, "
                                 "start, end, kind and optionally step",
                                 fields[i]);
        if (col[k] >= 0)
            return bpa_error_set(err, BPA_E_INPUT, r->file, r->line, 0, NULL,
                                 "column \"%s\" is named twice in the header", fields[i]);
        col[k] = (int)i;
    }
    for (int k = 0; k < COL_STEP; k++)
        if (col[k] < 0)
            return bpa_error_set(err, BPA_E_INPUT, r->file, r->line, 0, NULL,
                                 "the header lacks the required column \"%s\"", column_names[k]);
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

static bpa_status to_utc(reader *r, const char *what, bpa_date date, int minute,
                         bpa_utc_minute *out, bpa_error *err)
{
    if (bpa_local_to_utc(date, minute, out))
        return BPA_OK;
    char ds[11], cs[6];
    bpa_date_format(date, ds);
    bpa_clock_format(minute, cs);
    return bpa_error_set(err, BPA_E_INPUT, r->file, r->line, 0, NULL,
                         "%s %s on %s does not exist (summer time begins)", what, cs, ds);
}

static bpa_status read_row(reader *r, char **fields, const int col[COL_COUNT], bpa_error *err)
{
    shift s;
    s.helper = fields[col[COL_HELPER]];
    if (s.helper[0] == '\0')
        return bpa_error_set(err, BPA_E_INPUT, r->file, r->line, 0, NULL,
                             "column \"helper\" is empty: every shift names its helper");
    const char *dt = fields[col[COL_DATE]];
    bpa_date date;
    if (!bpa_date_parse(dt, &date))
        return bpa_error_set(err, BPA_E_INPUT, r->file, r->line, 0, NULL,
                             "column \"date\": \"%s\" is not a date YYYY-MM-DD", dt);
    int from, to;
    const char *st_text = fields[col[COL_START]], *en_text = fields[col[COL_END]];
    if (!bpa_clock_parse(st_text, false, &from))
        return bpa_error_set(err, BPA_E_INPUT, r->file, r->line, 0, NULL,
                             "column \"start\": \"%s\" is not a clock time HH:MM (00:00-23:59)",
                             st_text);
    if (!bpa_clock_parse(en_text, false, &to))
        return bpa_error_set(err, BPA_E_INPUT, r->file, r->line, 0, NULL,
                             "column \"end\": \"%s\" is not a clock time HH:MM (00:00-23:59)",
                             en_text);
    const char *kt = fields[col[COL_KIND]];
    if (!bpa_kind_parse(r->acc->country, kt, &s.kind))
        return bpa_error_set(err, BPA_E_INPUT, r->file, r->line, 0, NULL,
                             "column \"kind\": \"%s\" is not a kind: expected work or on_call",
                             kt);
    const char *sp = col[COL_STEP] >= 0 ? fields[col[COL_STEP]] : "";
    if (sp[0] == '\0') {
        if (r->acc->default_step < 0)
            return bpa_error_set(err, BPA_E_INPUT, r->file, r->line, 0, NULL,
                                 "the grant has several steps; give the step column");
        s.step = r->acc->default_step;
    } else if (!parse_step(sp, &s.step)) {
        return bpa_error_set(err, BPA_E_INPUT, r->file, r->line, 0, NULL,
                             "column \"step\": \"%s\" is not a step: expected a whole number "
                             "0-9999 without leading zeros",
                             sp);
    }
    bpa_status st = to_utc(r, "start", date, from, &s.start, err);
    if (st != BPA_OK)
        return st;
    /* Not after the start: the next day, so equal times are a 24-hour shift
     * by the clock (real time, like every duration). */
    if ((st = to_utc(r, "end", to > from ? date : date + 1, to, &s.end, err)) != BPA_OK)
        return st;
    return add_shift(r, &s, err);
}

static bpa_status read_csv(bpa_ts_acc *acc, bpa_csv *csv, const char *name, bpa_error *err)
{
    char *kept = bpa_strdup(name);
    if (!kept || !grow((void **)&acc->files, acc->nfiles, &acc->cap_files, sizeof *acc->files)) {
        free(kept);
        return nomem(err, name);
    }
    acc->files[acc->nfiles++] = kept;

    reader rd = {.acc = acc, .file = kept};
    reader *r = &rd;
    int col[COL_COUNT];
    size_t width = 0;
    bpa_status st = BPA_OK;
    for (;;) {
        size_t nfields = 0;
        char **fields = NULL;
        unsigned line = 0;
        if ((st = bpa_csv_next(csv, &nfields, &fields, &line, err)) != BPA_OK)
            break;
        if (nfields == 0) {
            if (width == 0)
                st = bpa_error_set(err, BPA_E_INPUT, kept, 1, 0, NULL,
                                   "the timesheet is empty: expected a header naming the "
                                   "columns helper, date, start, end, kind (and step)");
            break;
        }
        r->line = line;
        if (width == 0) {
            if ((st = read_header(r, fields, nfields, col, err)) != BPA_OK)
                break;
            width = nfields;
            continue;
        }
        if (nfields != width) {
            st = bpa_error_set(err, BPA_E_INPUT, kept, line, 0, NULL,
                               "the row has %zu field%s but the header has %zu", nfields,
                               nfields == 1 ? "" : "s", width);
            break;
        }
        if ((st = read_row(r, fields, col, err)) != BPA_OK)
            break;
    }
    return st;
}

bpa_status bpa_timesheet_read(bpa_ts_acc *acc, const char *path, const char *name,
                              bpa_error *err)
{
    bpa_csv *csv = NULL;
    bpa_status st = bpa_csv_open_file(&csv, path, err);
    if (st != BPA_OK)
        return st;
    st = read_csv(acc, csv, name ? name : path, err);
    bpa_csv_free(csv);
    return st;
}

bpa_status bpa_timesheet_read_mem(bpa_ts_acc *acc, const char *name, const char *data,
                                  size_t length, bpa_error *err)
{
    bpa_csv *csv = NULL;
    if (!name)
        name = "<memory>";
    bpa_status st = bpa_csv_open_mem(&csv, name, data, length, err);
    if (st != BPA_OK)
        return st;
    st = read_csv(acc, csv, name, err);
    bpa_csv_free(csv);
    return st;
}

/*
 * The Swedish time-report accumulator, the tidsredovisningar and the
 * working-time check (see se/reports.h, RULES.md 4, 8.1, 8.4).
 */
#include "core/alloc.h"
#include "se/reports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/sha256.h"
#include "input/shift_read.h"
#include "trace/trace_build.h"
#include "trace/warning_build.h"

#define MINUTES_PER_DAY 1440

static bpa_status nomem(bpa_error *err, const char *file)
{
    return bpa_error_set(err, BPA_E_NOMEM, file, 0, 0, NULL, "out of memory");
}

void bpa_se_reports_init(bpa_se_reports *r)
{
    memset(r, 0, sizeof *r);
    /* no bands: no parameters are read, the cut is at midnight and at the
     * summer-time changes only */
    bpa_splitter_init(&r->splitter, NULL);
}

static void index_release(bpa_se_rep_index *x)
{
    free(x->keys);
    free(x->vals);
    memset(x, 0, sizeof *x);
}

void bpa_se_reports_release(bpa_se_reports *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nhelpers; i++) {
        free(r->helpers[i].name);
        free(r->helpers[i].person.spans);
    }
    free(r->helpers);
    free(r->cells);
    free(r->months);
    free(r->days);
    for (size_t i = 0; i < r->nfiles; i++)
        free(r->files[i]);
    free(r->files);
    free(r->sha256);
    index_release(&r->helper_index);
    index_release(&r->cell_index);
    index_release(&r->month_index);
    memset(r, 0, sizeof *r);
}

/* ---- the index: 64-bit key -> entry --------------------------------------- */

static size_t slot_of(uint64_t key, size_t cap)
{
    uint64_t h = key * 0x9E3779B97F4A7C15u;
    return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

/* The entry of key, or SIZE_MAX; *slot where it is or would go. */
static size_t index_find(const bpa_se_rep_index *x, uint64_t key, size_t *slot)
{
    if (!x->cap)
        return SIZE_MAX;
    for (size_t i = slot_of(key, x->cap);; i = (i + 1) & (x->cap - 1)) {
        if (x->vals[i] == 0) {
            *slot = i;
            return SIZE_MAX;
        }
        if (x->keys[i] == key) {
            *slot = i;
            return x->vals[i] - 1;
        }
    }
}

/* Room for entry n + 1 (rebuilt at twice the size). */
static bool index_reserve(bpa_se_rep_index *x, size_t n)
{
    if ((n + 1) * 2 <= x->cap)
        return true;
    if (n >= UINT32_MAX - 1)
        return false;
    size_t ncap = x->cap ? x->cap * 2 : 64;
    uint64_t *keys = bpa_calloc(ncap, sizeof *keys);
    uint32_t *vals = bpa_calloc(ncap, sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return false;
    }
    for (size_t i = 0; i < x->cap; i++)
        if (x->vals[i]) {
            size_t j = slot_of(x->keys[i], ncap);
            while (vals[j])
                j = (j + 1) & (ncap - 1);
            keys[j] = x->keys[i];
            vals[j] = x->vals[i];
        }
    free(x->keys);
    free(x->vals);
    x->keys = keys;
    x->vals = vals;
    x->cap = ncap;
    return true;
}

/* The entry of key in x, created as entry *n (grown by the caller's
 * reserve of arr) when new; SIZE_MAX when memory runs out. */
static size_t index_get(bpa_se_rep_index *x, uint64_t key, void **arr, size_t *n, size_t size,
                        bool *created)
{
    size_t slot = 0, e = index_find(x, key, &slot);
    *created = false;
    if (e != SIZE_MAX)
        return e;
    if (!index_reserve(x, *n) || !bpa_array_reserve(arr, *n, size))
        return SIZE_MAX;
    index_find(x, key, &slot); /* the table may have been rebuilt */
    x->keys[slot] = key;
    x->vals[slot] = (uint32_t)(*n + 1);
    *created = true;
    return (*n)++;
}

static uint64_t name_hash(const char *name)
{
    uint64_t h = 14695981039346656037u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    return h;
}

/* The helper entry of name (names are compared in full: a hash collision
 * probes on). */
static size_t helper_get(bpa_se_reports *r, const char *name, bpa_error *err, const char *file)
{
    bpa_se_rep_index *x = &r->helper_index;
    uint64_t key = name_hash(name);
    if (x->cap)
        for (size_t i = slot_of(key, x->cap); x->vals[i]; i = (i + 1) & (x->cap - 1))
            if (x->keys[i] == key && strcmp(r->helpers[x->vals[i] - 1].name, name) == 0)
                return x->vals[i] - 1;
    char *kept = bpa_strdup(name);
    if (!kept || !index_reserve(x, r->nhelpers) ||
        !bpa_array_reserve((void **)&r->helpers, r->nhelpers, sizeof *r->helpers)) {
        free(kept);
        nomem(err, file);
        return SIZE_MAX;
    }
    size_t i = slot_of(key, x->cap);
    while (x->vals[i])
        i = (i + 1) & (x->cap - 1);
    x->keys[i] = key;
    x->vals[i] = (uint32_t)(r->nhelpers + 1);
    r->helpers[r->nhelpers] = (bpa_se_rep_helper){.name = kept, .person = {.name = kept}};
    return r->nhelpers++;
}

/* ---- one shift ------------------------------------------------------------- */

typedef struct shift_sink {
    bpa_se_reports *r;
    const bpa_shift *shift;
    uint32_t helper;
    size_t months[3];             /* the month entries the shift touched (25 h: two at most) */
    int nmonths;
} shift_sink;

static uint64_t cell_key(uint32_t helper, bpa_date date)
{
    return (uint64_t)helper << 32 | (uint32_t)date;
}

static uint64_t month_key(uint32_t helper, int year, int month)
{
    return (uint64_t)helper << 32 | (uint32_t)(year * 12 + month - 1);
}

static bpa_status add_piece(void *ctx, const bpa_piece *p, bpa_error *err)
{
    shift_sink *k = ctx;
    bpa_se_reports *r = k->r;
    const char *file = r->files[k->shift->origin.file];
    int kind = (int)k->shift->kind - BPA_KIND_AKTIV;
    bool created;
    size_t c = index_get(&r->cell_index, cell_key(k->helper, p->date), (void **)&r->cells,
                         &r->ncells, sizeof *r->cells, &created);
    if (c == SIZE_MAX)
        return nomem(err, file);
    if (created)
        r->cells[c] = (bpa_se_rep_cell){.helper = k->helper, .date = p->date};
    r->cells[c].minutes[kind] += p->minutes;
    int y, m, d;
    bpa_date_split(p->date, &y, &m, &d);
    size_t e = index_get(&r->month_index, month_key(k->helper, y, m), (void **)&r->months,
                         &r->nmonths, sizeof *r->months, &created);
    if (e == SIZE_MAX)
        return nomem(err, file);
    if (created)
        r->months[e] = (bpa_se_rep_month){.helper = k->helper, .year = y, .month = m};
    r->months[e].minutes[kind] += p->minutes;
    bool seen = false;
    for (int i = 0; i < k->nmonths; i++)
        seen |= k->months[i] == e;
    if (!seen && k->nmonths < 3)
        k->months[k->nmonths++] = e;
    return BPA_OK;
}

static bpa_status add_shift(void *ctx, const bpa_shift *s, bpa_error *err)
{
    bpa_se_reports *r = ctx;
    const char *file = r->files[s->origin.file];
    size_t h = helper_get(r, s->helper, err, file);
    if (h == SIZE_MAX)
        return BPA_E_NOMEM;
    bpa_ts_person *p = &r->helpers[h].person;
    if (!bpa_array_reserve((void **)&p->spans, p->nspans, sizeof *p->spans))
        return nomem(err, file);
    /* The reader gives 0 < end - start <= 1500 and file < 65536 (keep_name). */
    p->spans[p->nspans++] = (bpa_ts_span){s->start, (uint16_t)(s->end - s->start),
                                          (uint16_t)s->origin.file, s->origin.line};
    shift_sink sink = {.r = r, .shift = s, .helper = (uint32_t)h};
    bpa_split_opts opts = {BPA_SPLIT_NO_BANDS, 0, -1};
    bpa_status st = bpa_shift_split(&r->splitter, s->start, s->end, &opts, add_piece, &sink, err);
    if (st != BPA_OK)
        return st;
    for (int i = 0; i < sink.nmonths; i++)
        r->months[sink.months[i]].shifts++;
    r->total_minutes += s->end - s->start;
    r->shifts++;
    return BPA_OK;
}

/* ---- files ------------------------------------------------------------------ */

static bpa_status keep_name(bpa_se_reports *r, const char *name, uint32_t *index,
                            bpa_error *err)
{
    if (r->finished)
        return bpa_error_set(err, BPA_E_USAGE, name, 0, 0, NULL,
                             "time reports read after the accumulator was finished");
    if (r->nfiles > UINT16_MAX)
        return bpa_error_set(err, BPA_E_INPUT, name, 0, 0, NULL,
                             "too many time reports: at most %u files", UINT16_MAX + 1u);
    char *kept = bpa_strdup(name);
    if (!kept || !bpa_array_reserve((void **)&r->files, r->nfiles, sizeof *r->files)) {
        free(kept);
        return nomem(err, name);
    }
    *index = (uint32_t)r->nfiles;
    r->files[r->nfiles++] = kept;
    return BPA_OK;
}

bpa_status bpa_se_reports_read(bpa_se_reports *r, const char *path, const char *name,
                               const bpa_timesheet_map *map, char sha256[65], bpa_error *err)
{
    uint32_t i;
    bpa_status st = keep_name(r, name ? name : path, &i, err);
    if (st != BPA_OK)
        return st;
    bpa_shift_format fmt = {BPA_COUNTRY_SE, BPA_SHIFT_NO_STEP, map};
    return bpa_shift_read_file(path, r->files[i], i, &fmt, add_shift, r, sha256, err);
}

bpa_status bpa_se_reports_read_mem(bpa_se_reports *r, const char *name, const char *data,
                                   size_t length, const bpa_timesheet_map *map,
                                   bpa_error *err)
{
    uint32_t i;
    bpa_status st = keep_name(r, name ? name : "<memory>", &i, err);
    if (st != BPA_OK)
        return st;
    bpa_shift_format fmt = {BPA_COUNTRY_SE, BPA_SHIFT_NO_STEP, map};
    return bpa_shift_read_mem(r->files[i], data, length, i, &fmt, add_shift, r, err);
}

/* ---- the end: overlaps and a defined order ---------------------------------- */

static int helper_cmp(const void *a, const void *b)
{
    return strcmp((*(bpa_se_rep_helper *const *)a)->name,
                  (*(bpa_se_rep_helper *const *)b)->name);
}

static int cell_cmp(const void *a, const void *b)
{
    const bpa_se_rep_cell *x = a, *y = b;
    if (x->helper != y->helper)
        return x->helper < y->helper ? -1 : 1;
    return (x->date > y->date) - (x->date < y->date);
}

static int month_cmp(const void *a, const void *b)
{
    const bpa_se_rep_month *x = a, *y = b;
    if (x->helper != y->helper)
        return x->helper < y->helper ? -1 : 1;
    int p = x->year * 12 + x->month, q = y->year * 12 + y->month;
    return (p > q) - (p < q);
}

static int day_cmp(const void *a, const void *b)
{
    const bpa_se_rep_cell *x = a, *y = b;
    return (x->date > y->date) - (x->date < y->date);
}

bpa_status bpa_se_reports_finish(bpa_se_reports *r, bpa_error *err)
{
    if (r->finished)
        return BPA_OK;
    size_t nh = r->nhelpers, nc = r->ncells;
    bpa_ts_person *persons = bpa_calloc(nh ? nh : 1, sizeof *persons);
    bpa_se_rep_helper **byname = bpa_calloc(nh ? nh : 1, sizeof *byname);
    uint32_t *rank = bpa_calloc(nh ? nh : 1, sizeof *rank);
    bpa_se_rep_helper *sorted = bpa_calloc(nh ? nh : 1, sizeof *sorted);
    bpa_se_rep_cell *bydate = bpa_calloc(nc ? nc : 1, sizeof *bydate);
    bpa_status st = BPA_OK;
    if (!persons || !byname || !rank || !sorted || !bydate) {
        st = nomem(err, NULL);
        goto out;
    }
    /* the overlap check (the Danish one): the persons copied out and back */
    for (size_t i = 0; i < nh; i++)
        persons[i] = r->helpers[i].person;
    st = bpa_ts_overlaps(persons, nh, r->files, r->nfiles, err);
    for (size_t i = 0; i < nh; i++)
        r->helpers[i].person = persons[i]; /* spans freed, name kept */
    if (st != BPA_OK)
        goto out;
    /* helpers by name (bytewise); cells and months renumbered by rank */
    for (size_t i = 0; i < nh; i++)
        byname[i] = &r->helpers[i];
    if (nh)
        qsort(byname, nh, sizeof *byname, helper_cmp);
    for (size_t k = 0; k < nh; k++) {
        rank[byname[k] - r->helpers] = (uint32_t)k;
        sorted[k] = *byname[k];
    }
    for (size_t k = 0; k < nh; k++) {
        sorted[k].person.name = sorted[k].name;
        r->helpers[k] = sorted[k];
    }
    for (size_t i = 0; i < nc; i++)
        r->cells[i].helper = rank[r->cells[i].helper];
    for (size_t i = 0; i < r->nmonths; i++)
        r->months[i].helper = rank[r->months[i].helper];
    if (nc)
        qsort(r->cells, nc, sizeof *r->cells, cell_cmp);
    if (r->nmonths)
        qsort(r->months, r->nmonths, sizeof *r->months, month_cmp);
    /* the days over all helpers */
    memcpy(bydate, r->cells, nc * sizeof *bydate);
    if (nc)
        qsort(bydate, nc, sizeof *bydate, day_cmp);
    for (size_t i = 0; i < nc; i++) {
        if (!r->ndays || r->days[r->ndays - 1].date != bydate[i].date) {
            if (!bpa_array_reserve((void **)&r->days, r->ndays, sizeof *r->days)) {
                st = nomem(err, NULL);
                goto out;
            }
            r->days[r->ndays++] = (bpa_se_rep_day){.date = bydate[i].date};
        }
        for (int k = 0; k < BPA_SE_KINDS; k++)
            r->days[r->ndays - 1].minutes[k] += bydate[i].minutes[k];
    }
    /* the indexes point at entries by place: sorting ends their use */
    index_release(&r->helper_index);
    index_release(&r->cell_index);
    index_release(&r->month_index);
    r->finished = true;
out:
    free(persons);
    free(byname);
    free(rank);
    free(sorted);
    free(bydate);
    return st;
}

bpa_status bpa_se_reports_load(bpa_se_reports *r, const bpa_se_usage *u, bpa_error *err)
{
    if (u->ntimesheets) {
        free(r->sha256);
        if (!(r->sha256 = bpa_calloc(u->ntimesheets, sizeof *r->sha256)))
            return nomem(err, u->file);
    }
    for (size_t i = 0; i < u->ntimesheets; i++) {
        bpa_status st = bpa_se_reports_read(r, u->timesheets[i], u->timesheets[i],
                                            &u->timesheet_maps[i], r->sha256[i], err);
        if (st != BPA_OK)
            return st;
    }
    return bpa_se_reports_finish(r, err);
}

void bpa_se_reports_sum(const bpa_se_reports *r, bpa_date from, bpa_date to,
                        int64_t minutes[BPA_SE_KINDS])
{
    for (int k = 0; k < BPA_SE_KINDS; k++)
        minutes[k] = 0;
    /* the first day not before from, by bisection */
    size_t lo = 0, hi = r->ndays;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->days[mid].date < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < r->ndays && r->days[i].date <= to; i++)
        for (int k = 0; k < BPA_SE_KINDS; k++)
            minutes[k] += r->days[i].minutes[k];
}

/* ---- tidsredovisningar ---------------------------------------------------------- */

static void minutes_to_hours(mpq_t out, int64_t minutes)
{
    mpz_t m;
    mpz_init(m);
    mpz_set_si(m, (long)minutes);
    mpq_set_z(out, m);
    mpz_set_ui(m, 60);
    mpz_mul(mpq_denref(out), mpq_denref(out), m);
    mpq_canonicalize(out);
    mpz_clear(m);
}

void bpa_se_tidsredovisningar_free(bpa_se_tidsredovisning *t, size_t n)
{
    for (size_t i = 0; t && i < n; i++) {
        free(t[i].helper);
        for (int k = 0; k < BPA_SE_KINDS; k++)
            mpq_clear(t[i].hours[k]);
    }
    free(t);
}

bpa_status bpa_se_tidsredovisningar(const bpa_se_reports *r, bpa_se_tidsredovisning **out,
                                    size_t *n, bpa_error *err)
{
    *out = NULL;
    *n = 0;
    if (!r->finished)
        return bpa_error_set(err, BPA_E_USAGE, NULL, 0, 0, NULL,
                             "the time reports are not finished");
    if (!r->nmonths)
        return BPA_OK;
    bpa_se_tidsredovisning *t = bpa_calloc(r->nmonths, sizeof *t);
    if (!t)
        return nomem(err, NULL);
    for (size_t i = 0; i < r->nmonths; i++) {
        const bpa_se_rep_month *m = &r->months[i];
        for (int k = 0; k < BPA_SE_KINDS; k++) {
            mpq_init(t[i].hours[k]);
            minutes_to_hours(t[i].hours[k], m->minutes[k]);
        }
        t[i].year = m->year;
        t[i].month = m->month;
        t[i].shifts = m->shifts;
        if (!(t[i].helper = bpa_strdup(r->helpers[m->helper].name))) {
            bpa_se_tidsredovisningar_free(t, i + 1);
            return nomem(err, NULL);
        }
    }
    *out = t;
    *n = r->nmonths;
    return BPA_OK;
}

/* ---- working time (8.4) --------------------------------------------------------- */

static bpa_status record(const char *name, bpa_date day, const bpa_param_entry *entry,
                         const bpa_value *v, bpa_used_param **used, size_t *nused,
                         bpa_error *err)
{
    for (size_t i = 0; i < *nused; i++)
        if ((*used)[i].entry == entry && strcmp((*used)[i].name, name) == 0) {
            if (day < (*used)[i].first_read)
                (*used)[i].first_read = day;
            return BPA_OK;
        }
    if (!bpa_array_reserve((void **)used, *nused, sizeof **used))
        return nomem(err, NULL);
    bpa_used_param *u = &(*used)[*nused];
    memset(u, 0, sizeof *u);
    u->name = bpa_strdup(name);
    u->entry = entry;
    u->v = v;
    u->first_read = day;
    u->value = bpa_value_text(v);
    if (!u->name || !u->value) {
        free(u->name);
        free(u->value);
        return nomem(err, NULL);
    }
    (*nused)++;
    return BPA_OK;
}

/* An optional parameter on day (recorded when in force). */
static bpa_status opt(const bpa_policy *p, const char *name, bpa_date day, const bpa_value **v,
                      bpa_used_param **used, size_t *nused, bpa_error *err)
{
    const bpa_param_entry *e = NULL;
    *v = bpa_policy_get(p, name, day, &e);
    return *v ? record(name, day, e, *v, used, nused, err) : BPA_OK;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if (a % b != 0 && ((a < 0) != (b < 0)))
        q--;
    return q;
}

void bpa_se_worktime_free(bpa_se_worktime *wt, size_t n)
{
    for (size_t i = 0; wt && i < n; i++) {
        free(wt[i].helper);
        mpq_clears(wt[i].hours, wt[i].limit, wt[i].excess, NULL);
    }
    free(wt);
}

typedef struct wt_ctx {
    const bpa_se_reports *r;
    const bpa_policy *p;
    bpa_se_worktime **out;
    size_t *n;
    bpa_used_param **used;
    size_t *nused;
    bpa_warnings *w;
    bpa_error *err;
} wt_ctx;

/* One helper's period [from, to] with `minutes`: checked against the
 * maximum on its first day. */
static bpa_status wt_period(wt_ctx *x, uint32_t helper, bpa_date from, bpa_date to,
                            int64_t minutes)
{
    const bpa_value *max = NULL;
    bpa_status st = opt(x->p, "se.worktime.max_hours_per_week", from, &max, x->used, x->nused,
                        x->err);
    if (st != BPA_OK || !max)
        return st;
    mpq_t hours, limit;
    mpq_inits(hours, limit, NULL);
    minutes_to_hours(hours, minutes);
    /* limit = max x period_days / 7, exact */
    mpq_set_si(limit, (long)(to - from + 1), 7);
    mpq_canonicalize(limit);
    mpq_mul(limit, limit, max->q);
    if (mpq_cmp(hours, limit) > 0) {
        if (!bpa_array_reserve((void **)x->out, *x->n, sizeof **x->out)) {
            mpq_clears(hours, limit, NULL);
            return nomem(x->err, NULL);
        }
        bpa_se_worktime *wt = &(*x->out)[(*x->n)++];
        mpq_inits(wt->hours, wt->limit, wt->excess, NULL);
        mpq_set(wt->hours, hours);
        mpq_set(wt->limit, limit);
        mpq_sub(wt->excess, hours, limit);
        wt->from = from;
        wt->to = to;
        if (!(wt->helper = bpa_strdup(x->r->helpers[helper].name)))
            st = nomem(x->err, NULL);
        bpa_trace_entry *e = st == BPA_OK ? bpa_warning_begin(x->w, BPA_WARN_WORKTIME) : NULL;
        if (e) {
            bpa_trace_string(&x->w->ops, e, BPA_OP_TEXT, "helper", wt->helper);
            bpa_trace_period(&x->w->ops, e, "period", from, to);
            bpa_trace_q(&x->w->ops, e, BPA_OP_HOURS, "hours", wt->hours);
            bpa_trace_q(&x->w->ops, e, BPA_OP_HOURS, "limit", wt->limit);
            bpa_trace_q(&x->w->ops, e, BPA_OP_HOURS, "excess", wt->excess);
        }
        if (st == BPA_OK && x->w->ops.failed)
            st = nomem(x->err, NULL);
    }
    mpq_clears(hours, limit, NULL);
    return st;
}

bpa_status bpa_se_worktime_check(const bpa_se_reports *r, const bpa_policy *policy,
                                 bpa_se_worktime **out, size_t *n, bpa_used_param **used,
                                 size_t *nused, bpa_warnings *w, bpa_error *err)
{
    *out = NULL;
    *n = 0;
    if (!r->finished)
        return bpa_error_set(err, BPA_E_USAGE, NULL, 0, 0, NULL,
                             "the time reports are not finished");
    wt_ctx x = {r, policy, out, n, used, nused, w, err};
    bpa_status st = BPA_OK;
    /* cells by helper, then date: each helper's days in order */
    for (size_t i = 0; st == BPA_OK && i < r->ncells;) {
        uint32_t h = r->cells[i].helper;
        bool open = false;
        bpa_date pf = 0, pt = 0;
        int64_t sum = 0;
        for (; st == BPA_OK && i < r->ncells && r->cells[i].helper == h; i++) {
            const bpa_se_rep_cell *c = &r->cells[i];
            const bpa_value *start = NULL, *days = NULL;
            if ((st = opt(policy, "se.worktime.period_start", c->date, &start, used, nused,
                          err)) != BPA_OK ||
                (st = opt(policy, "se.worktime.period_days", c->date, &days, used, nused,
                          err)) != BPA_OK)
                break;
            if (start && days && days->i < 1) {
                const bpa_param_entry *e = NULL;
                bpa_policy_get(policy, "se.worktime.period_days", c->date, &e);
                st = bpa_error_set(err, BPA_E_POLICY, bpa_policy_file(policy),
                                   e ? e->line : 0, e ? e->column : 0,
                                   "se.worktime.period_days",
                                   "a working-time period of 0 days: give the period's "
                                   "length in days, at least 1 (e.g. 28)");
                break;
            }
            if (!start || !days)
                continue; /* no working-time rule on this day */
            int64_t pd = days->i;
            bpa_date f = (bpa_date)(start->i + floor_div((int64_t)c->date - start->i, pd) * pd);
            bpa_date t = (bpa_date)(f + pd - 1);
            if (open && (f != pf || t != pt)) {
                st = wt_period(&x, h, pf, pt, sum);
                open = false;
            }
            if (!open) {
                open = true;
                pf = f;
                pt = t;
                sum = 0;
            }
            for (int k = 0; k < BPA_SE_KINDS; k++)
                sum += c->minutes[k];
        }
        if (st == BPA_OK && open)
            st = wt_period(&x, h, pf, pt, sum);
        /* on an error, skip the helper's remaining days */
        while (st != BPA_OK && i < r->ncells && r->cells[i].helper == h)
            i++;
    }
    if (st != BPA_OK) {
        bpa_se_worktime_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return st;
}

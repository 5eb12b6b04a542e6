/* Differential test of the fast timesheet path (issue 14): the reader as the
 * engine runs it (CSV fast path, row memo, splitter, accumulator) against a
 * slow reference kept here, which reads records byte by byte
 * (bpa_csv_bytewise), interprets each row on its own (RULES.md 8.1: the end
 * not after the start is the next day, 24:00 ends the date, the spring hour
 * does not exist) with the library's plain bpa_local_to_utc, and classifies
 * every real minute by itself (bpa_utc_to_local, bpa_band_classify, the
 * on-call rule read on the minute's date). Both must accept the same files
 * and give the same minutes per helper, local date, kind and band, and per
 * category and month. Inputs: generated timesheets across both summer-time
 * changes, midnight, 24:00, overnight and 24-hour shifts, the year's ends,
 * Danish and Swedish, sorted and shuffled; and every timesheet of fixtures/
 * and tests/bad/ as seeds. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpa/calendar.h"
#include "bpa/date.h"
#include "bpa/policy.h"
#include "input/shift_read.h"
#include "input/timesheet.h"
#include "io/csv.h"
#include "testutil.h"

#define POLICY_HEAD                                                                         \
    "{\"format\": \"bpa-policy/1\", \"id\": \"t\", \"title\": \"test\", \"country\": \"DK\"," \
    " \"schemes\": [\"dk-sel-96\"], \"references\": {\"ex\": \"example\"}, \"params\": {"

/* Windows with edges inside the hour (17:30, 05:45), a holidays.extra from
 * noon on 5 June, and on-call supplements only from 1 July 2025: the rule is
 * read on each minute's date. Windows from 2024, so the days of 2024 and 2026
 * around the year classify too (they are counted apart anyway). */
static const char policy_json[] =
    POLICY_HEAD
    "\"band.windows\": [{\"from\": \"2024-01-01\", \"ref\": \"ex\", \"value\": {"
    " \"evening\": [{\"days\": [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"],"
    "   \"from\": \"17:30\", \"to\": \"23:00\"}],"
    " \"night\": [{\"days\": [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\","
    "   \"holiday\"], \"from\": \"00:00\", \"to\": \"05:45\"},"
    "  {\"days\": [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\", \"holiday\"],"
    "   \"from\": \"23:00\", \"to\": \"24:00\"}],"
    " \"saturday\": [{\"days\": [\"sat\"], \"from\": \"06:00\", \"to\": \"24:00\"}],"
    " \"sunday_holiday\": [{\"days\": [\"sun\", \"holiday\"], \"from\": \"00:00\","
    "   \"to\": \"24:00\"}]}}],"
    "\"holidays.extra\": [{\"from\": \"2024-01-01\", \"ref\": \"ex\", \"value\": ["
    " {\"date\": \"06-05\", \"from\": \"12:00\", \"name\": \"grundlovsdag\"}]}],"
    "\"on_call.supplements\": [{\"from\": \"2025-01-01\", \"value\": false, \"ref\": \"ex\"},"
    " {\"from\": \"2025-07-01\", \"value\": true, \"ref\": \"ex\"}]}}";

#define YEAR 2025
#define STEP 11

static bpa_policy *policy;

static void setup(void)
{
    bpa_error err;
    bpa_error_clear(&err);
    bpa_status st = bpa_policy_load_mem(&policy, "policy.json", policy_json,
                                        strlen(policy_json), &err);
    ck_assert_msg(st == BPA_OK, "policy: %s", err.message);
}

static void teardown(void)
{
    bpa_policy_free(policy);
    policy = NULL;
}

/* ---- minutes by (helper, date, kind, band) ------------------------------ */

#define MAX_NAMES 256

typedef struct rec {
    int helper;      /* index into the names of one run */
    bpa_date date;   /* local */
    int kind, band, step;
    int64_t minutes;
} rec;

typedef struct tally {
    char *names[MAX_NAMES];
    int nnames;
    rec *recs;
    size_t n, cap;
    int64_t outside[BPA_KIND_COUNT];
} tally;

static int name_index(tally *t, const char *name)
{
    for (int i = 0; i < t->nnames; i++)
        if (strcmp(t->names[i], name) == 0)
            return i;
    ck_assert_int_lt(t->nnames, MAX_NAMES);
    t->names[t->nnames] = strdup(name);
    return t->nnames++;
}

static void add(tally *t, int helper, bpa_date date, int kind, int band, int step,
                int64_t minutes)
{
    if (t->n) { /* runs of one minute join the last record */
        rec *l = &t->recs[t->n - 1];
        if (l->helper == helper && l->date == date && l->kind == kind && l->band == band &&
            l->step == step) {
            l->minutes += minutes;
            return;
        }
    }
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 1024;
        t->recs = realloc(t->recs, t->cap * sizeof *t->recs);
        ck_assert_ptr_nonnull(t->recs);
    }
    t->recs[t->n++] = (rec){helper, date, kind, band, step, minutes};
}

static int rec_cmp(const void *a, const void *b)
{
    const rec *x = a, *y = b;
    if (x->helper != y->helper)
        return x->helper - y->helper;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind - y->kind;
    if (x->band != y->band)
        return x->band - y->band;
    return x->step - y->step;
}

/* Sorted, equal keys summed; names renumbered by name so that two tallies of
 * one file compare whatever order they met the helpers in. */
static void normalise(tally *t)
{
    int rank[MAX_NAMES];
    for (int i = 0; i < t->nnames; i++) {
        rank[i] = 0;
        for (int j = 0; j < t->nnames; j++)
            rank[i] += strcmp(t->names[j], t->names[i]) < 0;
    }
    for (size_t i = 0; i < t->n; i++)
        t->recs[i].helper = rank[t->recs[i].helper];
    if (t->n)
        qsort(t->recs, t->n, sizeof *t->recs, rec_cmp);
    size_t m = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (m && rec_cmp(&t->recs[m - 1], &t->recs[i]) == 0)
            t->recs[m - 1].minutes += t->recs[i].minutes;
        else
            t->recs[m++] = t->recs[i];
    }
    t->n = m;
}

static void tally_free(tally *t)
{
    for (int i = 0; i < t->nnames; i++)
        free(t->names[i]);
    free(t->recs);
    memset(t, 0, sizeof *t);
}

static void expect_same(tally *fast, tally *ref, const char *what)
{
    normalise(fast);
    normalise(ref);
    ck_assert_msg(fast->n == ref->n, "%s: %zu records fast, %zu reference", what, fast->n,
                  ref->n);
    for (size_t i = 0; i < fast->n; i++) {
        const rec *a = &fast->recs[i], *b = &ref->recs[i];
        ck_assert_msg(rec_cmp(a, b) == 0 && a->minutes == b->minutes,
                      "%s: record %zu: fast (h%d %d k%d b%d s%d) %lld, reference (h%d %d k%d "
                      "b%d s%d) %lld",
                      what, i, a->helper, (int)a->date, a->kind, a->band, a->step,
                      (long long)a->minutes, b->helper, (int)b->date, b->kind, b->band,
                      b->step, (long long)b->minutes);
    }
}

/* ---- the reference ----------------------------------------------------- */

static bool ref_clock(const char *t, bool end, int *out)
{
    size_t n = strlen(t);
    if (n != 4 && n != 5)
        return false;
    size_t h = n - 3;
    for (size_t i = 0; i < n; i++)
        if (i == h ? t[i] != ':' : (t[i] < '0' || t[i] > '9'))
            return false;
    int hh = atoi(t), mm = atoi(t + h + 1);
    if (mm > 59 || hh > 24 || (hh == 24 && (!end || mm != 0)))
        return false;
    *out = hh * 60 + mm;
    return true;
}

static bool ref_step(const char *t, bool se, int *out)
{
    if (t[0] == '\0') {
        *out = se ? -1 : STEP;
        return true;
    }
    size_t n = strlen(t);
    if (se || n > 4 || (n > 1 && t[0] == '0'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (t[i] < '0' || t[i] > '9')
            return false;
    *out = atoi(t);
    return true;
}

typedef struct ref_span {
    int helper;
    bpa_utc_minute start, end;
} ref_span;

static int span_cmp(const void *a, const void *b)
{
    const ref_span *x = a, *y = b;
    if (x->helper != y->helper)
        return x->helper - y->helper;
    return (x->start > y->start) - (x->start < y->start);
}

/* Every minute of [start, end) on its own. */
static void ref_minutes(tally *t, bpa_country country, int helper, bpa_kind kind, int step,
                        bpa_utc_minute start, bpa_utc_minute end)
{
    bpa_date first = bpa_date_make(YEAR, 1, 1), last = bpa_date_make(YEAR, 12, 31);
    for (bpa_utc_minute u = start; u < end; u++) {
        bpa_date d;
        int m;
        bpa_utc_to_local(u, &d, &m);
        int band = BPA_BAND_ANY;
        bool in_year = d >= first && d <= last;
        if (country == BPA_COUNTRY_DK && in_year) {
            const bpa_value *sup = bpa_policy_get(policy, "on_call.supplements", d, NULL);
            if (kind == BPA_KIND_WORK || (sup && sup->flag)) {
                bpa_band b;
                bpa_error err;
                ck_assert_int_eq(bpa_band_classify(policy, d, m, &b, &err), BPA_OK);
                band = (int)b;
            }
        }
        if (country == BPA_COUNTRY_DK && !in_year)
            t->outside[kind]++;
        add(t, helper, d, (int)kind, band, step, 1);
    }
}

/* The reference reading of one CSV: false when it rejects the file. */
static bool ref_read(const char *data, size_t len, bpa_country country, tally *t)
{
    static const char *const cols[] = {"helper", "date", "start", "end", "kind", "step"};
    bool se = country == BPA_COUNTRY_SE;
    bpa_csv *csv = NULL;
    bpa_error err;
    ck_assert_int_eq(bpa_csv_open_mem(&csv, "ref.csv", data, len, &err), BPA_OK);
    bpa_csv_bytewise(csv);
    bpa_csv_detect_separator(csv);
    int col[6] = {-1, -1, -1, -1, -1, -1};
    size_t width = 0;
    ref_span *spans = NULL;
    size_t nspans = 0, cap = 0;
    bool ok = true;
    for (;;) {
        size_t nf;
        char **f;
        unsigned line;
        if (bpa_csv_next(csv, &nf, &f, &line, &err) != BPA_OK) {
            ok = false;
            break;
        }
        if (nf == 0) {
            ok = width > 0;
            break;
        }
        if (width == 0) {
            for (size_t i = 0; i < nf && ok; i++) {
                int k = 0;
                while (k < 6 && strcmp(f[i], cols[k]) != 0)
                    k++;
                ok = k < 6 && col[k] < 0;
                if (ok)
                    col[k] = (int)i;
            }
            for (int k = 0; k < 5 && ok; k++)
                ok = col[k] >= 0;
            if (!ok)
                break;
            width = nf;
            continue;
        }
        bpa_date date;
        int from, to, step;
        bpa_kind kind;
        bpa_utc_minute start, end;
        if (nf != width || f[col[0]][0] == '\0' || !bpa_date_parse(f[col[1]], &date) ||
            !ref_clock(f[col[2]], false, &from) || from == 1440 ||
            !ref_clock(f[col[3]], true, &to) || !bpa_kind_parse(country, f[col[4]], &kind) ||
            !ref_step(col[5] >= 0 ? f[col[5]] : "", se, &step) ||
            !bpa_local_to_utc(date, from, &start) ||
            !(to == 1440 ? bpa_local_to_utc(date + 1, 0, &end)
                         : bpa_local_to_utc(to > from ? date : date + 1, to, &end))) {
            ok = false;
            break;
        }
        int h = name_index(t, f[col[0]]);
        if (nspans == cap) {
            cap = cap ? cap * 2 : 256;
            spans = realloc(spans, cap * sizeof *spans);
            ck_assert_ptr_nonnull(spans);
        }
        spans[nspans++] = (ref_span){h, start, end};
        ref_minutes(t, country, h, kind, se ? -1 : step, start, end);
    }
    bpa_csv_free(csv);
    if (ok && nspans) { /* overlaps within one helper: touching is fine */
        qsort(spans, nspans, sizeof *spans, span_cmp);
        for (size_t i = 1; i < nspans && ok; i++)
            ok = spans[i].helper != spans[i - 1].helper || spans[i].start >= spans[i - 1].end;
    }
    free(spans);
    return ok;
}

/* ---- the fast path ----------------------------------------------------- */

typedef struct fast_ctx {
    tally *t;
    bpa_splitter sp;
    bpa_country country;
    const bpa_shift *s;
    int helper;
} fast_ctx;

static bpa_status fast_piece(void *ctx, const bpa_piece *p, bpa_error *err)
{
    (void)err;
    fast_ctx *c = ctx;
    add(c->t, c->helper, p->date, (int)c->s->kind, (int)p->band, c->s->step, p->minutes);
    return BPA_OK;
}

/* A shift as the Danish accumulator splits it (work banded, on call where
 * supplements hold, the year only), a Swedish one unbanded. */
static bpa_status fast_shift(void *ctx, const bpa_shift *s, bpa_error *err)
{
    fast_ctx *c = ctx;
    c->s = s;
    c->helper = name_index(c->t, s->helper);
    bpa_split_opts o = {c->country == BPA_COUNTRY_SE ? BPA_SPLIT_NO_BANDS
                        : s->kind == BPA_KIND_WORK   ? BPA_SPLIT_BANDS
                                                     : BPA_SPLIT_BANDS_IF_SUPPLEMENTS,
                        bpa_date_make(YEAR, 1, 1), bpa_date_make(YEAR, 12, 31)};
    return bpa_shift_split(&c->sp, s->start, s->end, &o, fast_piece, c, err);
}

/* One file both ways; returns whether they accepted it. */
static bool compare(const char *what, const char *data, size_t len, bpa_country country)
{
    tally ref = {0}, fast = {0};
    bool ref_ok = ref_read(data, len, country, &ref);

    /* the pieces, by date, from the reader as the engine drives it */
    fast_ctx c = {.t = &fast, .country = country};
    bpa_splitter_init(&c.sp, policy);
    bpa_shift_format fmt = {country, country == BPA_COUNTRY_SE ? BPA_SHIFT_NO_STEP : STEP, NULL};
    bpa_error err;
    bpa_error_clear(&err);
    bpa_status st = bpa_shift_read_mem(what, data, len, 0, &fmt, fast_shift, &c, &err);
    bool fast_ok = st == BPA_OK;

    /* the Danish accumulator itself: its overlap check, cells and helpers */
    bpa_ts_acc acc;
    bool acc_ok = true;
    if (country == BPA_COUNTRY_DK) {
        bpa_ts_acc_init(&acc, policy, YEAR, STEP);
        acc_ok = bpa_timesheet_read_mem(&acc, what, data, len, NULL, &err) == BPA_OK &&
                 bpa_ts_acc_finish(&acc, &err) == BPA_OK;
    } else {
        /* the Swedish overlap check is se/reports.c's: the reference's stands */
        acc_ok = fast_ok && ref_ok;
    }
    ck_assert_msg(ref_ok == (fast_ok && acc_ok), "%s: reference %s, fast path %s (%s:%u %s)",
                  what, ref_ok ? "accepts" : "rejects", fast_ok && acc_ok ? "accepts" : "rejects",
                  err.file, err.line, err.message);
    if (ref_ok) {
        expect_same(&fast, &ref, what);
        if (country == BPA_COUNTRY_DK) {
            /* cells (kind, band, step, month) and helpers from the reference's records */
            int64_t cells[BPA_DK_KIND_COUNT][BPA_BAND_COUNT][2][13] = {{{{0}}}};
            int64_t total = 0;
            for (size_t i = 0; i < ref.n; i++) {
                const rec *r = &ref.recs[i];
                total += r->minutes;
                int y, m;
                bpa_date_split(r->date, &y, &m, NULL);
                if (y == YEAR)
                    cells[r->kind][r->band][r->step == STEP ? 0 : 1][m] += r->minutes;
            }
            int64_t got[BPA_DK_KIND_COUNT][BPA_BAND_COUNT][2][13] = {{{{0}}}};
            for (size_t i = 0; i < acc.ncells; i++) {
                const bpa_ts_cell *cl = &acc.cells[i];
                ck_assert(cl->category.step == STEP || cl->category.step == 18);
                got[cl->category.kind][cl->category.band][cl->category.step == STEP ? 0 : 1]
                   [cl->month] += cl->minutes;
            }
            ck_assert_msg(memcmp(cells, got, sizeof cells) == 0, "%s: cells differ", what);
            int64_t outside = 0;
            for (int k = 0; k < BPA_KIND_COUNT; k++) {
                ck_assert_int_eq(acc.outside_minutes[k], ref.outside[k]);
                outside += acc.outside_minutes[k];
            }
            ck_assert_int_eq(acc.total_minutes, total);
            int64_t helpers = 0;
            for (size_t i = 0; i < acc.nhelpers; i++)
                helpers += acc.helpers[i].minutes;
            ck_assert_int_eq(helpers + outside, total);
        }
    }
    if (country == BPA_COUNTRY_DK)
        bpa_ts_acc_release(&acc);
    tally_free(&ref);
    tally_free(&fast);
    return ref_ok;
}

/* ---- generated timesheets ---------------------------------------------- */

static uint32_t lcg_state;
static uint32_t lcg(uint32_t n)
{
    lcg_state = lcg_state * 1103515245u + 12345u;
    return (lcg_state >> 8) % n;
}

/* Where a helper's shifts begin: the days before both changes, the year's
 * ends, grundlovsdag, 1 July (on-call supplements begin), or anywhere. */
static bpa_date timeline_start(void)
{
    static const char *const days[] = {"2025-03-28", "2025-10-24", "2024-12-30",
                                       "2025-12-29", "2025-06-04", "2025-06-29",
                                       "2025-03-29", "2025-10-25"};
    uint32_t k = lcg(10);
    bpa_date d;
    if (k < 8)
        bpa_date_parse(days[k], &d);
    else
        d = bpa_date_make(YEAR, 1, 1) + (bpa_date)lcg(365);
    return d;
}

static const char *kind_text(bpa_country c)
{
    static const char *const dk[] = {"work", "work", "on_call"};
    static const char *const se[] = {"aktiv", "vantetid", "beredskap"};
    return c == BPA_COUNTRY_SE ? se[lcg(3)] : dk[lcg(3)];
}

/* A timesheet of a few helpers, each a run of shifts in local clock order
 * (local time to real time keeps order, so they never overlap; they may
 * touch). Lengths by the clock from a minute to 24 hours; an end at midnight
 * is written 24:00 or 00:00. With `bad`, now and then a time in the missing
 * spring hour, which both must reject. Returns the length. */
static size_t gen(char *out, size_t cap, bpa_country country, bool crlf, bool bad, bool shuffle)
{
    char *rows[4096];
    size_t nrows = 0;
    int helpers = 1 + (int)lcg(8);
    for (int h = 0; h < helpers; h++) {
        int64_t t = (int64_t)timeline_start() * 1440 + lcg(1440);
        int shifts = 1 + (int)lcg(24);
        for (int i = 0; i < shifts && nrows < 4096; i++) {
            uint32_t k = lcg(10);
            int len = k < 3 ? 1 + (int)lcg(30) : k < 8 ? 30 + (int)lcg(600) : 600 + (int)lcg(841);
            int64_t end = t + len;
            bpa_date sd = (bpa_date)(t / 1440), ed = (bpa_date)(end / 1440);
            int sm = (int)(t % 1440), em = (int)(end % 1440);
            bool gap = !bpa_local_to_utc(sd, sm, NULL) || !bpa_local_to_utc(ed, em, NULL);
            if (gap && !(bad && lcg(4) == 0)) {
                t += 60; /* out of the missing hour */
                i--;
                continue;
            }
            char ds[11];
            bpa_date_format(sd, ds);
            char st[8], en[8];
            snprintf(st, sizeof st, lcg(4) ? "%02d:%02d" : "%d:%02d", sm / 60, sm % 60);
            if (em == 0 && ed == sd + 1 && lcg(2))
                snprintf(en, sizeof en, "24:00");
            else
                snprintf(en, sizeof en, "%02d:%02d", em / 60, em % 60);
            char step[8] = "";
            if (country == BPA_COUNTRY_DK && lcg(3) == 0)
                snprintf(step, sizeof step, "%s", lcg(2) ? "11" : "18");
            char row[128];
            snprintf(row, sizeof row, "H%d,%s,%s,%s,%s,%s%s", h, ds, st, en, kind_text(country),
                     step, crlf ? "\r\n" : "\n");
            rows[nrows++] = strdup(row);
            t = end + (lcg(3) ? lcg(300) : 0);
        }
    }
    if (shuffle)
        for (size_t i = nrows; i > 1; i--) {
            size_t j = lcg((uint32_t)i);
            char *x = rows[i - 1];
            rows[i - 1] = rows[j];
            rows[j] = x;
        }
    size_t n = (size_t)snprintf(out, cap, "helper,date,start,end,kind,step%s", crlf ? "\r\n" : "\n");
    for (size_t i = 0; i < nrows; i++) {
        size_t l = strlen(rows[i]);
        ck_assert_uint_lt(n + l, cap);
        memcpy(out + n, rows[i], l);
        n += l;
        free(rows[i]);
    }
    return n;
}

START_TEST(test_generated)
{
    static char buf[1 << 20];
    int accepted = 0, rejected = 0;
    /* valgrind runs fewer rounds (make valgrind: TS_DIFF_ROUNDS=20); at least 10 meet a bad one */
    const char *env = getenv("TS_DIFF_ROUNDS");
    int rounds = env && atoi(env) >= 10 ? atoi(env) : 120;
    for (int round = 0; round < rounds; round++) {
        lcg_state = 977u * (uint32_t)round + 1u;
        bpa_country c = round % 3 == 2 ? BPA_COUNTRY_SE : BPA_COUNTRY_DK;
        bool bad = round % 10 == 9;
        size_t n = gen(buf, sizeof buf, c, round % 4 == 1, bad, round % 5 == 3);
        char what[32];
        snprintf(what, sizeof what, "generated %d", round);
        if (compare(what, buf, n, c))
            accepted++;
        else
            rejected++;
    }
    ck_assert_int_ge(accepted, rounds * 5 / 6); /* the comparison of minutes did happen */
    ck_assert_int_ge(rejected, 1);   /* and the missing hour was met */
}
END_TEST

/* ---- seeds: the fixtures' and tests/bad's timesheets -------------------- */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *data = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            data = realloc(data, cap);
            ck_assert_ptr_nonnull(data);
        }
        size_t r = fread(data + n, 1, cap - n, f);
        if (r == 0)
            break;
        n += r;
    }
    fclose(f);
    *len = n;
    return data;
}

static int seeds_in(const char *dir, int depth, int *accepted)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int files = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t l = strlen(e->d_name);
        if (l > 4 && strcmp(e->d_name + l - 4, ".csv") == 0) {
            size_t len;
            char *data = slurp(path, &len);
            if (!data)
                continue; /* unreadable on purpose (tests/bad/133) */
            bpa_country c = strstr(path, "/se") || strstr(path, "tid") ? BPA_COUNTRY_SE
                                                                      : BPA_COUNTRY_DK;
            *accepted += compare(path, data, len, c);
            free(data);
            files++;
        } else if (depth > 0) {
            files += seeds_in(path, depth - 1, accepted);
        }
    }
    closedir(d);
    return files;
}

START_TEST(test_seeds)
{
    int accepted = 0;
    int files = seeds_in("fixtures/timesheets", 0, &accepted);
    files += seeds_in("tests/bad", 1, &accepted);
    files += seeds_in("fuzz/regressions", 2, &accepted);
    ck_assert_int_ge(files, 30);
    ck_assert_int_ge(accepted, 3);
}
END_TEST

static Suite *ts_diff_suite(void)
{
    Suite *s = suite_create("ts_diff");
    TCase *tc = tcase_create("diff");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_generated);
    tcase_add_test(tc, test_seeds);
    suite_add_tcase(s, tc);
    return s;
}

BPA_TEST_MAIN(ts_diff_suite)

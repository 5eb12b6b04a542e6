/*
 * The Danish accumulator: shifts from the reader, split into pieces, added
 * up by category and month, per (helper, kind) and outside the year (see
 * input/timesheet.h, RULES.md 4, 5.1, 8.1 and 12).
 */
#include "core/alloc.h"
#include "input/timesheet.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpa/date.h"
#include "input/shift_read.h"

static bpa_status nomem(bpa_error *err, const char *file)
{
    return bpa_error_set(err, BPA_E_NOMEM, file, 0, 0, NULL, "out of memory");
}

/* ---- accumulator ------------------------------------------------------- */

void bpa_ts_acc_init(bpa_ts_acc *acc, const bpa_policy *policy, int year, int default_step)
{
    memset(acc, 0, sizeof *acc);
    acc->policy = policy;
    acc->year = year;
    acc->default_step = default_step;
    acc->country = policy ? bpa_policy_country(policy) : BPA_COUNTRY_DK;
    bpa_splitter_init(&acc->splitter, policy);
}

void bpa_ts_acc_release(bpa_ts_acc *acc)
{
    if (!acc)
        return;
    for (size_t i = 0; i < acc->nhelpers; i++)
        free(acc->helpers[i].name);
    free(acc->helpers);
    for (size_t i = 0; i < acc->npersons; i++)
        free(acc->persons[i].spans);
    free(acc->persons);
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

/* Cells are few (categories x 12), but pieces are many: scanning from the
 * end finds the cell of the current shift's month at once. */
static bool add_cell(bpa_ts_acc *acc, bpa_kind kind, bpa_band band, int step, int month,
                     int64_t minutes)
{
    for (size_t i = acc->ncells; i-- > 0;) {
        bpa_ts_cell *c = &acc->cells[i];
        if (c->month == month && c->category.kind == kind && c->category.band == band &&
            c->category.step == step) {
            c->minutes += minutes;
            return true;
        }
    }
    if (!grow((void **)&acc->cells, acc->ncells, &acc->cap_cells, sizeof *acc->cells))
        return false;
    acc->cells[acc->ncells++] = (bpa_ts_cell){{kind, band, step}, month, minutes};
    return true;
}

/* Helpers are found through a hash index on (name, kind), so that a
 * timesheet with thousands of helpers costs no more per shift than one with
 * ten. The name is hashed once for all kinds. */
static uint64_t name_hash(const char *name)
{
    uint64_t h = 14695981039346656037u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    return h;
}

/* The key of (name, kind): the name's hash mixed with the kind so that all
 * bits count (the slot is its low bits). */
static uint64_t index_key(uint64_t hash, bpa_kind kind)
{
    uint64_t k = (hash ^ (uint64_t)kind) * 0x9E3779B97F4A7C15u;
    return k ^ (k >> 29);
}

/* The slot of (name, kind): its entry's, or the free one where it goes. A
 * slot of another key is passed without comparing names. */
static size_t index_slot(const bpa_ts_acc *acc, uint64_t key, const char *name, bpa_kind kind)
{
    size_t mask = acc->index_cap - 1;
    size_t i = (size_t)key & mask;
    for (;;) {
        const bpa_ts_slot *sl = &acc->helper_index[i];
        if (sl->entry == 0)
            return i;
        if (sl->key == key) {
            const bpa_ts_helper *h = &acc->helpers[sl->entry - 1];
            if (h->kind == kind && strcmp(h->name, name) == 0)
                return i;
        }
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
    bpa_ts_slot *idx = bpa_calloc(ncap, sizeof *idx);
    if (!idx)
        return false;
    free(acc->helper_index);
    acc->helper_index = idx;
    acc->index_cap = ncap;
    for (size_t e = 0; e < acc->nhelpers; e++) {
        const bpa_ts_helper *h = &acc->helpers[e];
        uint64_t key = index_key(name_hash(h->name), h->kind);
        idx[index_slot(acc, key, h->name, h->kind)] = (bpa_ts_slot){key, e + 1};
    }
    return true;
}

/* The entry of (name, kind), SIZE_MAX: none. */
static size_t find_entry(const bpa_ts_acc *acc, const char *name, uint64_t hash, bpa_kind kind)
{
    if (!acc->index_cap)
        return SIZE_MAX;
    size_t e = acc->helper_index[index_slot(acc, index_key(hash, kind), name, kind)].entry;
    return e ? e - 1 : SIZE_MAX;
}

/* The entries of one helper by kind (SIZE_MAX: none). */
static void find_helper(const bpa_ts_acc *acc, const char *name, uint64_t hash,
                        size_t found[BPA_KIND_COUNT])
{
    for (int k = 0; k < BPA_KIND_COUNT; k++)
        found[k] = find_entry(acc, name, hash, (bpa_kind)k);
}

/* ---- one shift ---------------------------------------------------------- */

/* The (helper, kind) entry of the shift, created on first use with the
 * helper's person (shared by its kinds); found[s->kind] becomes it. */
static bpa_status entry_for(bpa_ts_acc *acc, const bpa_shift *s, uint64_t hash,
                            size_t found[BPA_KIND_COUNT], bpa_error *err)
{
    if (found[s->kind] != SIZE_MAX)
        return BPA_OK;
    const char *file = acc->files[s->origin.file];
    size_t person = SIZE_MAX;
    for (int k = 0; k < BPA_KIND_COUNT && person == SIZE_MAX; k++)
        if (found[k] != SIZE_MAX)
            person = acc->helpers[found[k]].person;
    char *name = bpa_strdup(s->helper);
    if (!name || !index_reserve(acc) ||
        !grow((void **)&acc->helpers, acc->nhelpers, &acc->cap_helpers, sizeof *acc->helpers) ||
        (person == SIZE_MAX && !grow((void **)&acc->persons, acc->npersons, &acc->cap_persons,
                                     sizeof *acc->persons))) {
        free(name);
        return nomem(err, file);
    }
    if (person == SIZE_MAX) {
        person = acc->npersons++;
        acc->persons[person] = (bpa_ts_person){.name = name};
    }
    found[s->kind] = acc->nhelpers;
    acc->helpers[acc->nhelpers++] =
        (bpa_ts_helper){.name = name, .kind = s->kind, .person = person};
    uint64_t key = index_key(hash, s->kind);
    acc->helper_index[index_slot(acc, key, name, s->kind)] = (bpa_ts_slot){key, acc->nhelpers};
    return BPA_OK;
}

/* Keep the shift's span for the overlap check at the end. */
static bpa_status keep_span(bpa_ts_acc *acc, const bpa_shift *s, size_t person,
                            bpa_error *err)
{
    bpa_ts_person *p = &acc->persons[person];
    if (!grow((void **)&p->spans, p->nspans, &p->cap_spans, sizeof *p->spans))
        return nomem(err, acc->files[s->origin.file]);
    /* The reader gives 0 < end - start <= 1500 and file < 65536 (keep_name). */
    p->spans[p->nspans++] = (bpa_ts_span){s->start, (uint16_t)(s->end - s->start),
                                          (uint16_t)s->origin.file, s->origin.line};
    return BPA_OK;
}

/* What the reader's callback needs besides the accumulator. */
typedef struct acc_reader {
    bpa_ts_acc *acc;
    bpa_date first, last;       /* the settlement year */
    bpa_date month_from, month_to; /* the month of the last piece, [from, to] */
    int month;
} acc_reader;

/* The month of a date in the year, from the last piece's month when it lies
 * there (consecutive pieces rarely change month). */
static int month_of(acc_reader *rd, bpa_date date)
{
    if (date < rd->month_from || date > rd->month_to) {
        int y;
        bpa_date_split(date, &y, &rd->month, NULL);
        rd->month_from = bpa_date_make(y, rd->month, 1);
        rd->month_to = rd->month_from + bpa_days_in_month(y, rd->month) - 1;
    }
    return rd->month;
}

/* Where the pieces of one shift go. */
typedef struct shift_sink {
    acc_reader *rd;
    const bpa_shift *shift;
    bpa_ts_helper *helper;      /* stable: only cells grow while a shift is split */
} shift_sink;

static bpa_status add_piece(void *ctx, const bpa_piece *p, bpa_error *err)
{
    shift_sink *k = ctx;
    bpa_ts_acc *acc = k->rd->acc;
    const bpa_shift *s = k->shift;
    if (p->date < k->rd->first || p->date > k->rd->last) {
        acc->outside_minutes[s->kind] += p->minutes;
        return BPA_OK;
    }
    if (!add_cell(acc, s->kind, p->band, s->step, month_of(k->rd, p->date), p->minutes))
        return nomem(err, acc->files[s->origin.file]);
    k->helper->minutes += p->minutes;
    return BPA_OK;
}

/* The reader's callback: one shift into the accumulator. */
static bpa_status add_shift(void *ctx, const bpa_shift *s, bpa_error *err)
{
    acc_reader *rd = ctx;
    bpa_ts_acc *acc = rd->acc;
    uint64_t hash = name_hash(s->helper);
    size_t e = find_entry(acc, s->helper, hash, s->kind);
    bpa_status st;
    if (e == SIZE_MAX) { /* a new (helper, kind): its person may exist by another kind */
        size_t found[BPA_KIND_COUNT];
        find_helper(acc, s->helper, hash, found);
        if ((st = entry_for(acc, s, hash, found, err)) != BPA_OK)
            return st;
        e = found[s->kind];
    }
    if ((st = keep_span(acc, s, acc->helpers[e].person, err)) != BPA_OK)
        return st;
    shift_sink sink = {rd, s, &acc->helpers[e]};
    /* Minutes outside the year are only counted, so they need no
     * parameters (a policy may start on 1 January); on-call minutes carry a
     * band only where on_call.supplements holds (RULES.md 12). */
    bpa_split_opts opts = {s->kind == BPA_KIND_WORK ? BPA_SPLIT_BANDS
                                                    : BPA_SPLIT_BANDS_IF_SUPPLEMENTS,
                           rd->first, rd->last};
    st = bpa_shift_split(&acc->splitter, s->start, s->end, &opts, add_piece, &sink, err);
    if (st == BPA_E_POLICY) {
        size_t n = strlen(err->message);
        snprintf(err->message + n, sizeof err->message - n, " (classifying the shift at %s:%u)",
                 acc->files[s->origin.file], s->origin.line);
    }
    if (st != BPA_OK)
        return st;
    acc->total_minutes += s->end - s->start;
    acc->shifts++;
    return BPA_OK;
}

/* ---- files -------------------------------------------------------------- */

/* Keep a file's name for messages about its shifts; *index is its place. */
static bpa_status keep_name(bpa_ts_acc *acc, const char *name, uint32_t *index, bpa_error *err)
{
    if (acc->nfiles > UINT16_MAX)
        return bpa_error_set(err, BPA_E_INPUT, name, 0, 0, NULL,
                             "too many timesheets: at most %u files", UINT16_MAX + 1u);
    char *kept = bpa_strdup(name);
    if (!kept ||
        !grow((void **)&acc->files, acc->nfiles, &acc->cap_files, sizeof *acc->files)) {
        free(kept);
        return nomem(err, name);
    }
    *index = (uint32_t)acc->nfiles;
    acc->files[acc->nfiles++] = kept;
    return BPA_OK;
}

bpa_status bpa_timesheet_read(bpa_ts_acc *acc, const char *path, const char *name,
                              const bpa_timesheet_map *map, char sha256[65], bpa_error *err)
{
    uint32_t i;
    bpa_status st = keep_name(acc, name ? name : path, &i, err);
    if (st != BPA_OK)
        return st;
    bpa_shift_format fmt = {acc->country, acc->default_step, map};
    acc_reader rd = {acc, bpa_date_make(acc->year, 1, 1), bpa_date_make(acc->year, 12, 31), 1, 0,
                     0};
    return bpa_shift_read_file(path, acc->files[i], i, &fmt, add_shift, &rd, sha256, err);
}

bpa_status bpa_timesheet_read_mem(bpa_ts_acc *acc, const char *name, const char *data,
                                  size_t length, const bpa_timesheet_map *map, bpa_error *err)
{
    uint32_t i;
    bpa_status st = keep_name(acc, name ? name : "<memory>", &i, err);
    if (st != BPA_OK)
        return st;
    bpa_shift_format fmt = {acc->country, acc->default_step, map};
    acc_reader rd = {acc, bpa_date_make(acc->year, 1, 1), bpa_date_make(acc->year, 12, 31), 1, 0,
                     0};
    return bpa_shift_read_mem(acc->files[i], data, length, i, &fmt, add_shift, &rd, err);
}

/* ---- the end: overlaps and a defined order ------------------------------ */

static int span_cmp(const void *a, const void *b)
{
    const bpa_ts_span *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return (x->minutes > y->minutes) - (x->minutes < y->minutes);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(**(char *const *const *)a, **(char *const *const *)b);
}

static int helper_cmp(const void *a, const void *b)
{
    const bpa_ts_helper *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (int)x->kind - (int)y->kind;
}

static int cell_cmp(const void *a, const void *b)
{
    const bpa_ts_cell *x = a, *y = b;
    int c = bpa_category_cmp(&x->category, &y->category);
    return c ? c : x->month - y->month;
}

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

static bool spans_sorted(const bpa_ts_person *p)
{
    for (size_t i = 1; i < p->nspans; i++)
        if (span_cmp(&p->spans[i - 1], &p->spans[i]) > 0)
            return false;
    return true;
}

/* Spans of one person sorted; the first neighbours that overlap (if two
 * shifts overlap, so do the earlier one and its successor), SIZE_MAX: none. */
static size_t first_overlap(const bpa_ts_person *p)
{
    for (size_t i = 1; i < p->nspans; i++)
        if (p->spans[i].start < p->spans[i - 1].start + p->spans[i - 1].minutes)
            return i;
    return SIZE_MAX;
}

bpa_status bpa_ts_overlaps(bpa_ts_person *persons, size_t npersons, char *const *files,
                           size_t nfiles, bpa_error *err)
{
    /* Files by name, so that the order of timesheets[] does not choose the
     * pair reported: spans carry the rank while sorting. */
    size_t nf = nfiles;
    char *const **byname = bpa_calloc(nf ? nf : 1, sizeof *byname);
    uint16_t *rank = bpa_calloc(nf ? nf : 1, sizeof *rank);
    if (!byname || !rank) {
        free(byname);
        free(rank);
        return nomem(err, NULL);
    }
    for (size_t i = 0; i < nf; i++)
        byname[i] = &files[i];
    qsort(byname, nf, sizeof *byname, name_cmp);
    for (size_t r = 0; r < nf; r++)
        rank[byname[r] - files] = (uint16_t)r;
    const bpa_ts_person *bp = NULL;
    size_t bi = 0;
    for (size_t i = 0; i < npersons; i++) {
        bpa_ts_person *p = &persons[i];
        for (size_t j = 0; j < p->nspans; j++)
            p->spans[j].file = rank[p->spans[j].file];
        /* timesheets mostly list a helper's shifts in time order already */
        if (!spans_sorted(p))
            qsort(p->spans, p->nspans, sizeof *p->spans, span_cmp);
        size_t k = first_overlap(p);
        if (k == SIZE_MAX)
            continue;
        int c = bp ? span_cmp(&p->spans[k - 1], &bp->spans[bi - 1]) : -1;
        if (c < 0 || (c == 0 && strcmp(p->name, bp->name) < 0)) {
            bp = p;
            bi = k;
        }
    }
    bpa_status st = BPA_OK;
    if (bp) {
        const bpa_ts_span *e = &bp->spans[bi - 1], *l = &bp->spans[bi];
        const char *ef = *byname[e->file], *lf = *byname[l->file];
        char a[17], b[17], c[17];
        format_local(l->start, a);
        format_local(e->start, b);
        format_local(e->start + e->minutes, c);
        st = bpa_error_set(err, BPA_E_INPUT, lf, l->line, 0, NULL,
                           "the shift of helper \"%s\" on line %u (from %s) overlaps the "
                           "shift at %s:%u (%s to %s)",
                           bp->name, (unsigned)l->line, a, ef, (unsigned)e->line, b, c);
    }
    free(byname);
    free(rank);
    for (size_t i = 0; i < npersons; i++) {
        free(persons[i].spans);
        persons[i] = (bpa_ts_person){.name = persons[i].name};
    }
    return st;
}

bpa_status bpa_ts_acc_finish(bpa_ts_acc *acc, bpa_error *err)
{
    bpa_status st = bpa_ts_overlaps(acc->persons, acc->npersons, acc->files, acc->nfiles, err);
    if (st != BPA_OK)
        return st;
    /* The index points at entries by place: sorting ends its use. */
    if (acc->nhelpers) /* qsort's base may not be NULL, even for no elements */
        qsort(acc->helpers, acc->nhelpers, sizeof *acc->helpers, helper_cmp);
    free(acc->helper_index);
    acc->helper_index = NULL;
    acc->index_cap = 0;
    if (acc->ncells)
        qsort(acc->cells, acc->ncells, sizeof *acc->cells, cell_cmp);
    return BPA_OK;
}

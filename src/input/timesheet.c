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

static size_t index_slot(const bpa_ts_acc *acc, uint64_t hash, const char *name, bpa_kind kind)
{
    size_t mask = acc->index_cap - 1;
    size_t i = (size_t)((hash ^ (unsigned)kind) * 1099511628211u) & mask;
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
    for (size_t e = 0; e < acc->nhelpers; e++) {
        const bpa_ts_helper *h = &acc->helpers[e];
        idx[index_slot(acc, name_hash(h->name), h->name, h->kind)] = e + 1;
    }
    return true;
}

/* The entries of one helper by kind (SIZE_MAX: none). */
static void find_helper(const bpa_ts_acc *acc, const char *name, uint64_t hash,
                        size_t found[BPA_KIND_COUNT])
{
    for (int k = 0; k < BPA_KIND_COUNT; k++) {
        found[k] = SIZE_MAX;
        if (acc->index_cap) {
            size_t e = acc->helper_index[index_slot(acc, hash, name, (bpa_kind)k)];
            if (e)
                found[k] = e - 1;
        }
    }
}

/* ---- one shift ---------------------------------------------------------- */

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

/* The overlap and order check against the helper's latest shift (of any
 * kind: one person cannot work and be on call at once). */
static bpa_status check_order(const bpa_ts_acc *acc, const bpa_shift *s,
                              const size_t found[BPA_KIND_COUNT], bpa_error *err)
{
    size_t i = SIZE_MAX;
    for (int k = 0; k < BPA_KIND_COUNT && i == SIZE_MAX; k++)
        i = found[k];
    if (i == SIZE_MAX)
        return BPA_OK;
    const bpa_ts_helper *h = &acc->helpers[i];
    const char *file = acc->files[s->origin.file];
    unsigned line = s->origin.line;
    bool same_file = strcmp(h->last_file, file) == 0;
    if (s->start < h->last_start) {
        if (same_file)
            return bpa_error_set(err, BPA_E_INPUT, file, line, 0, NULL,
                                 "shifts of helper \"%s\" must be in time order: line %u "
                                 "starts before line %u",
                                 s->helper, line, h->last_line);
        return bpa_error_set(err, BPA_E_INPUT, file, line, 0, NULL,
                             "shifts of helper \"%s\" must be in time order: line %u starts "
                             "before the shift at %s:%u",
                             s->helper, line, h->last_file, h->last_line);
    }
    if (s->start < h->last_end) {
        char a[17], b[17], e[17];
        format_local(s->start, a);
        format_local(h->last_start, b);
        format_local(h->last_end, e);
        return bpa_error_set(err, BPA_E_INPUT, file, line, 0, NULL,
                             "the shift of helper \"%s\" on line %u (from %s) overlaps the "
                             "shift at %s:%u (%s to %s)",
                             s->helper, line, a, h->last_file, h->last_line, b, e);
    }
    return BPA_OK;
}

/* Record the shift as the helper's latest; found[s->kind] becomes its
 * (helper, kind) entry, created on first use. */
static bpa_status remember_shift(bpa_ts_acc *acc, const bpa_shift *s, uint64_t hash,
                                 size_t found[BPA_KIND_COUNT], bpa_error *err)
{
    const char *file = acc->files[s->origin.file];
    if (found[s->kind] == SIZE_MAX) {
        char *name = bpa_strdup(s->helper);
        if (!name || !index_reserve(acc) ||
            !grow((void **)&acc->helpers, acc->nhelpers, &acc->cap_helpers, sizeof *acc->helpers)) {
            free(name);
            return nomem(err, file);
        }
        found[s->kind] = acc->nhelpers;
        acc->helpers[acc->nhelpers++] = (bpa_ts_helper){.name = name, .kind = s->kind};
        acc->helper_index[index_slot(acc, hash, name, s->kind)] = acc->nhelpers;
    }
    /* Every entry of the helper carries the latest shift, whatever its kind. */
    for (int k = 0; k < BPA_KIND_COUNT; k++) {
        if (found[k] == SIZE_MAX)
            continue;
        bpa_ts_helper *e = &acc->helpers[found[k]];
        e->last_start = s->start;
        e->last_end = s->end;
        e->last_line = s->origin.line;
        e->last_file = file;
    }
    return BPA_OK;
}

/* What the reader's callback needs besides the accumulator. */
typedef struct acc_reader {
    bpa_ts_acc *acc;
    bpa_date first, last;       /* the settlement year */
} acc_reader;

/* Where the pieces of one shift go. */
typedef struct shift_sink {
    const acc_reader *rd;
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
    if (!add_cell(acc, s->kind, p->band, s->step, bpa_date_month(p->date), p->minutes))
        return nomem(err, acc->files[s->origin.file]);
    k->helper->minutes += p->minutes;
    return BPA_OK;
}

/* The reader's callback: one shift into the accumulator. */
static bpa_status add_shift(void *ctx, const bpa_shift *s, bpa_error *err)
{
    const acc_reader *rd = ctx;
    bpa_ts_acc *acc = rd->acc;
    uint64_t hash = name_hash(s->helper);
    size_t found[BPA_KIND_COUNT];
    find_helper(acc, s->helper, hash, found);
    bpa_status st = check_order(acc, s, found, err);
    if (st != BPA_OK || (st = remember_shift(acc, s, hash, found, err)) != BPA_OK)
        return st;
    shift_sink sink = {rd, s, &acc->helpers[found[s->kind]]};
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
    char *kept = bpa_strdup(name);
    if (!kept || acc->nfiles >= UINT32_MAX ||
        !grow((void **)&acc->files, acc->nfiles, &acc->cap_files, sizeof *acc->files)) {
        free(kept);
        return nomem(err, name);
    }
    *index = (uint32_t)acc->nfiles;
    acc->files[acc->nfiles++] = kept;
    return BPA_OK;
}

bpa_status bpa_timesheet_read(bpa_ts_acc *acc, const char *path, const char *name,
                              bpa_error *err)
{
    uint32_t i;
    bpa_status st = keep_name(acc, name ? name : path, &i, err);
    if (st != BPA_OK)
        return st;
    bpa_shift_format fmt = {acc->country, acc->default_step};
    acc_reader rd = {acc, bpa_date_make(acc->year, 1, 1), bpa_date_make(acc->year, 12, 31)};
    return bpa_shift_read_file(path, acc->files[i], i, &fmt, add_shift, &rd, err);
}

bpa_status bpa_timesheet_read_mem(bpa_ts_acc *acc, const char *name, const char *data,
                                  size_t length, bpa_error *err)
{
    uint32_t i;
    bpa_status st = keep_name(acc, name ? name : "<memory>", &i, err);
    if (st != BPA_OK)
        return st;
    bpa_shift_format fmt = {acc->country, acc->default_step};
    acc_reader rd = {acc, bpa_date_make(acc->year, 1, 1), bpa_date_make(acc->year, 12, 31)};
    return bpa_shift_read_mem(acc->files[i], data, length, i, &fmt, add_shift, &rd, err);
}

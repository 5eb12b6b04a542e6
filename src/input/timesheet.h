/*
 * input/timesheet.h - the Danish accumulator: timesheet shifts into used
 * minutes by category, month and helper (RULES.md sections 4 and 8.1).
 *
 * Built on the reader (input/shift_read.h: rows into shifts in real time)
 * and the splitter (input/shift.h: a shift into pieces of one local date and
 * band). Each minute is classified by `band.windows`, `band.precedence`, the
 * country's public holidays and `holidays.extra` (all read on the minute's
 * local date); on-call minutes carry a band only while `on_call.supplements`
 * is true, else "any". Minutes whose local date lies outside the settlement
 * year are counted apart and need no parameters.
 *
 * Rows may come in any order, within and across files (RULES.md 8.1 Order):
 * the sums are order-free, and for the overlap check each shift is kept as
 * one 16-byte span (start, length, file, line) in its helper's array; nothing
 * else grows with the number of shifts. bpa_ts_acc_finish, after the last
 * file, sorts the spans, checks neighbours (two shifts of one helper that
 * overlap in real time, touching is fine, are an error naming both lines and
 * files; the pair reported does not depend on the order) and puts cells and
 * helpers in a defined order.
 *
 * Ownership: the caller owns the accumulator (init/release); it is not to be
 * shared between threads.
 */
#ifndef BPA_TIMESHEET_H
#define BPA_TIMESHEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpa/calendar.h"
#include "bpa/policy.h"
#include "bpa/status.h"
#include "bpa/types.h"
#include "bpa/usage.h"
#include "input/shift.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bpa_ts_cell {
    bpa_category category;
    int month;        /* 1-12 of the settlement year */
    int64_t minutes;
} bpa_ts_cell;

/* One entry per (helper, kind) seen in any shift; an entry whose shifts all
 * lie outside the settlement year has minutes 0 (callers listing helpers of
 * the year skip it). After bpa_ts_acc_finish the entries are in order of
 * name (bytewise), then kind. */
typedef struct bpa_ts_helper {
    char *name;
    bpa_kind kind;
    int64_t minutes;  /* inside the settlement year */
    size_t person;    /* index into persons: the same for all kinds of one name */
} bpa_ts_helper;

/* One shift as the overlap check keeps it. A shift lasts at most 25 hours
 * (1500 minutes, a day across the autumn change), so its length fits 16
 * bits; at most 65535 files. */
typedef struct bpa_ts_span {
    bpa_utc_minute start;
    uint16_t minutes;
    uint16_t file;    /* index into files; a rank by name while finishing */
    uint32_t line;
} bpa_ts_span;
_Static_assert(sizeof(bpa_ts_span) <= 16, "a shift keeps at most 16 bytes (RULES.md 8.1)");

/* The shifts of one helper (all kinds: one person cannot work and be on
 * call at once). */
typedef struct bpa_ts_person {
    const char *name; /* borrowed from a helper entry */
    bpa_ts_span *spans;
    size_t nspans, cap_spans;
} bpa_ts_person;

/* One slot of the helper index: the (name, kind) key's hash, compared
 * before the name, and the entry + 1 (0: free). */
typedef struct bpa_ts_slot {
    uint64_t key;
    size_t entry;
} bpa_ts_slot;

typedef struct bpa_ts_acc {
    int year;
    bpa_country country;
    const bpa_policy *policy;
    int default_step;  /* step for an empty `step` cell; -1: none (the grant has several) */
    bpa_ts_cell *cells;
    size_t ncells, cap_cells;
    bpa_ts_helper *helpers;
    size_t nhelpers, cap_helpers;
    bpa_ts_person *persons;
    size_t npersons, cap_persons;
    struct bpa_ts_slot *helper_index; /* open addressing on (name, kind) */
    size_t index_cap;     /* a power of two, at least twice nhelpers */
    int64_t outside_minutes[BPA_KIND_COUNT]; /* local date outside the year */
    int64_t total_minutes;                   /* all shifts' real durations */
    size_t shifts;
    char **files;      /* names kept for messages (owned), by shift origin */
    size_t nfiles, cap_files;
    bpa_splitter splitter;
} bpa_ts_acc;

void bpa_ts_acc_init(bpa_ts_acc *acc, const bpa_policy *policy, int year, int default_step);
void bpa_ts_acc_release(bpa_ts_acc *acc);

/* Read one timesheet file (path as given; `name` is used in messages) into
 * acc. BPA_E_INPUT for bad content (file and line named), BPA_E_IO when it
 * cannot be read, BPA_E_POLICY when a parameter needed to classify is
 * missing (band.windows on a minute's date; on-call minutes without
 * supplements need none), BPA_E_NOMEM. After an error acc holds part of the
 * file and is only good for bpa_ts_acc_release. An empty file (no header) is
 * an error; a header without rows is zero shifts. map (NULL: none) gives an
 * export's own column names, kinds and formats (RULES.md 8.1 Maps). sha256
 * (NULL: not wanted) receives the file's SHA-256, from the same read. */
bpa_status bpa_timesheet_read(bpa_ts_acc *acc, const char *path, const char *name,
                              const bpa_timesheet_map *map, char sha256[65], bpa_error *err);
/* The same from memory (tests, fuzzing). */
bpa_status bpa_timesheet_read_mem(bpa_ts_acc *acc, const char *name, const char *data,
                                  size_t length, const bpa_timesheet_map *map, bpa_error *err);

/* After the last file: the overlap check (BPA_E_INPUT naming the later
 * shift's file and line and the other shift's; of all overlapping pairs the
 * one whose earlier shift starts first, then by helper name, file name and
 * line), then cells sorted by category and month and helpers by name and
 * kind. The spans are freed; no file may be read after it. */
bpa_status bpa_ts_acc_finish(bpa_ts_acc *acc, bpa_error *err);

/* The overlap check of bpa_ts_acc_finish on its own, for another
 * accumulator (the Swedish one, se/reports.h): persons' spans, with span.file
 * an index into files[nfiles] (names for messages), are sorted and checked;
 * BPA_E_INPUT as above. Every person's spans are then freed (name kept). */
bpa_status bpa_ts_overlaps(bpa_ts_person *persons, size_t npersons, char *const *files,
                           size_t nfiles, bpa_error *err);

/* bpa_band_classify (input/shift.h) gives the band of one local minute. */

#ifdef __cplusplus
}
#endif
#endif

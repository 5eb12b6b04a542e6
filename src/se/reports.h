/*
 * se/reports.h (internal) - the Swedish time-report accumulator (RULES.md 4,
 * 8.1, 8.3, 8.4): the time reports (tidrapporter) of a Swedish usage file
 * into minutes per assistant, local date and kind.
 *
 * Built on the reader (input/shift_read.h) and the splitter (input/shift.h)
 * without band classification: a shift is cut only at local midnight and at
 * the summer-time changes (Europe/Stockholm under the EU rule), so 00:00-04:00
 * on the October night is 5 real hours and a time in the missing March hour
 * is an error naming its line. Rows may come in any order within and across
 * files; the sums do not depend on it. Memory grows with assistants x days
 * (one cell per assistant and local date, one entry per assistant and month)
 * plus one 16-byte span per shift for the overlap check (as the Danish path:
 * input/timesheet.h), freed by bpa_se_reports_finish.
 *
 * What the avräkning reads after bpa_se_reports_finish:
 *   days[]     minutes per local date and kind over all assistants, by date
 *              (months, periods, ISO weeks: bpa_se_reports_sum);
 *   cells[]    minutes per assistant and local date, by assistant then date
 *              (the working-time check);
 *   months[]   minutes per assistant and month with the shifts having
 *              minutes in it, by assistant then month (tidsredovisningar);
 *   helpers[]  the assistants' names, bytewise order (index = rank);
 *   shifts, files, sha256[] (one per file read through bpa_se_reports_load).
 *
 * Ownership: the caller owns the accumulator (init/release); not to be
 * shared between threads. Results filled from it (tidsredovisningar,
 * worktime) own their strings.
 */
#ifndef BPA_SE_REPORTS_H
#define BPA_SE_REPORTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpa/grant.h"
#include "bpa/policy.h"
#include "bpa/se.h"
#include "bpa/status.h"
#include "bpa/warning.h"
#include "input/shift.h"
#include "input/timesheet.h"

typedef struct bpa_se_rep_helper {
    char *name;
    bpa_ts_person person;         /* spans for the overlap check (name borrowed) */
} bpa_se_rep_helper;

/* One assistant on one local date. */
typedef struct bpa_se_rep_cell {
    uint32_t helper;              /* index into helpers */
    bpa_date date;
    int32_t minutes[BPA_SE_KINDS];
} bpa_se_rep_cell;

/* All assistants on one local date (after finish). */
typedef struct bpa_se_rep_day {
    bpa_date date;
    int64_t minutes[BPA_SE_KINDS];
} bpa_se_rep_day;

/* One assistant in one month. */
typedef struct bpa_se_rep_month {
    uint32_t helper;
    int year, month;
    int64_t minutes[BPA_SE_KINDS];
    long shifts;                  /* shifts with minutes in the month */
} bpa_se_rep_month;

/* An open-addressing index from a 64-bit key to an entry (private). */
typedef struct bpa_se_rep_index {
    uint64_t *keys;
    uint32_t *vals;               /* entry + 1; 0: free */
    size_t cap;                   /* a power of two, at least twice the entries */
} bpa_se_rep_index;

typedef struct bpa_se_reports {
    bpa_se_rep_helper *helpers;
    size_t nhelpers;
    bpa_se_rep_cell *cells;
    size_t ncells;
    bpa_se_rep_month *months;
    size_t nmonths;
    bpa_se_rep_day *days;         /* after finish */
    size_t ndays;
    int64_t total_minutes;        /* all shifts' real durations */
    long shifts;
    char **files;                 /* names kept for messages, by shift origin */
    size_t nfiles;
    char (*sha256)[65];           /* bpa_se_reports_load: one per usage timesheet */
    bool finished;
    bpa_se_rep_index helper_index, cell_index, month_index; /* private */
    bpa_splitter splitter;        /* private */
} bpa_se_reports;

void bpa_se_reports_init(bpa_se_reports *r);
void bpa_se_reports_release(bpa_se_reports *r);

/* One time report (CSV or .xlsx; path as given, name in messages, map NULL
 * for none; sha256, NULL: not wanted, gets the file's SHA-256 from the same
 * read). BPA_E_INPUT for bad content (file and line or cell named),
 * BPA_E_IO, BPA_E_NOMEM. After an error r is only good for release. */
bpa_status bpa_se_reports_read(bpa_se_reports *r, const char *path, const char *name,
                               const bpa_timesheet_map *map, char sha256[65], bpa_error *err);
bpa_status bpa_se_reports_read_mem(bpa_se_reports *r, const char *name, const char *data,
                                   size_t length, const bpa_timesheet_map *map,
                                   bpa_error *err);

/* After the last file: the overlap check of one assistant's shifts
 * (BPA_E_INPUT naming both lines and files, see input/timesheet.h), then
 * the order described above. No file may be read after it. */
bpa_status bpa_se_reports_finish(bpa_se_reports *r, bpa_error *err);

/* Every timesheet of u read with its map, its SHA-256 kept in r->sha256[i],
 * then finished. */
bpa_status bpa_se_reports_load(bpa_se_reports *r, const bpa_se_usage *u, bpa_error *err);

/* Minutes per kind on the local dates [from, to] over all assistants. */
void bpa_se_reports_sum(const bpa_se_reports *r, bpa_date from, bpa_date to,
                        int64_t minutes[BPA_SE_KINDS]);

/* The tidsredovisningar (FK 3059), one per assistant and month with minutes,
 * by assistant then month: hours of each kind = minutes / 60 exactly.
 * *out allocated (NULL when none); release with bpa_se_tidsredovisningar_free. */
bpa_status bpa_se_tidsredovisningar(const bpa_se_reports *r, bpa_se_tidsredovisning **out,
                                    size_t *n, bpa_error *err);
void bpa_se_tidsredovisningar_free(bpa_se_tidsredovisning *t, size_t n);

/* The working-time check (RULES.md 8.4; docs/decisions.md "Swedish
 * schemes"). Each local date with minutes belongs, by the
 * se.worktime.period_start and se.worktime.period_days in force on it, to the
 * period of period_days days from period_start (forwards and backwards) that
 * contains it; se.worktime.max_hours_per_week is read on the period's first
 * day. A date without those two parameters, or a period without the
 * maximum, is not checked. A period whose hours (all kinds) exceed
 * max x period_days / 7 gives a bpa_se_worktime (by assistant, then from)
 * and a `worktime` warning in w. Every parameter read is appended to
 * *used / *nused (once per entry, as the grant records them). */
bpa_status bpa_se_worktime_check(const bpa_se_reports *r, const bpa_policy *policy,
                                 bpa_se_worktime **out, size_t *n, bpa_used_param **used,
                                 size_t *nused, bpa_warnings *w, bpa_error *err);
void bpa_se_worktime_free(bpa_se_worktime *wt, size_t n);

#endif

/*
 * input/shift.h - shifts and the splitter: one shift in real time into pieces
 * of one local date and one band (RULES.md sections 4, 5.1 and 12).
 *
 * A shift is what a timesheet row says once read (input/shift_read.h): who,
 * which kind and step, and its start and end in real time. The splitter knows
 * nothing of months, categories or helpers: it cuts [start, end) into pieces
 * at local midnight, at summer-time changes and where the band changes (a
 * window edge, the start of a holidays.extra period), walking from boundary
 * to boundary. Callers add the pieces up their own way (the Danish
 * accumulator by category and month, a Swedish one by helper and date).
 *
 * Ownership and threads: a bpa_splitter borrows its policy and caches
 * per-date lookups, so it is not to be shared between threads; one per
 * reader is cheap (no allocation, no release).
 */
#ifndef BPA_INPUT_SHIFT_H
#define BPA_INPUT_SHIFT_H

#include <stdbool.h>
#include <stdint.h>

#include "bpa/calendar.h"
#include "bpa/date.h"
#include "bpa/policy.h"
#include "bpa/status.h"
#include "bpa/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BPA_SHIFT_NO_STEP (-1)

/* Where a shift comes from: the reader's index of its file and the line
 * (for a worksheet, the row) where its record starts. */
typedef struct bpa_shift_origin {
    uint32_t file;
    uint32_t line;
} bpa_shift_origin;

typedef struct bpa_shift {
    const char *helper;          /* borrowed from the row: valid while it is handed on */
    bpa_kind kind;
    int step;                    /* BPA_SHIFT_NO_STEP: none */
    bpa_utc_minute start, end;   /* real time, start < end */
    bpa_date date;               /* the row's (local) date */
    bpa_shift_origin origin;
} bpa_shift;

/* One piece: minutes of one local date and band in which the local clock
 * runs with real time, so it covers the clock times [minute, minute +
 * minutes) of date. Consecutive pieces of a shift differ in date, band, or
 * lie on either side of a summer-time change. */
typedef struct bpa_piece {
    bpa_date date;    /* local date */
    int minute;       /* local clock at its start, 0-1439 */
    bpa_band band;    /* BPA_BAND_ANY where the piece is not classified */
    int minutes;      /* real minutes, at least 1 */
} bpa_piece;

/* Which pieces are classified into bands. */
typedef enum bpa_split_bands {
    BPA_SPLIT_NO_BANDS,     /* none: cut at midnight and summer-time changes only */
    BPA_SPLIT_BANDS,        /* all */
    /* those of dates on which on_call.supplements is true (RULES.md 12: the
     * on-call rule, read on each minute's local date) */
    BPA_SPLIT_BANDS_IF_SUPPLEMENTS
} bpa_split_bands;

typedef struct bpa_split_opts {
    bpa_split_bands bands;
    /* Only pieces whose local date lies in [from, to] are classified; the
     * others need no parameters (minutes outside the settlement year). */
    bpa_date from, to;
} bpa_split_opts;

/* Called for each piece in time order; a status other than BPA_OK stops the
 * split and is returned by it. */
typedef bpa_status (*bpa_piece_fn)(void *ctx, const bpa_piece *piece, bpa_error *err);

/* What classification needs of one local date, looked up once per date
 * (private to shift.c). */
typedef struct bpa_split_day {
    bool valid;
    bpa_date date;
    int weekday;                /* 0 = Monday */
    bool public_holiday;
    int extra_from;             /* first minute of a holidays.extra period; 1440: none */
    const bpa_value *windows;   /* NULL: band.windows not in force (error when needed) */
    int precedence[5];
    bool on_call_supplements;
} bpa_split_day;

/* Direct-mapped by date: a shift touches two or three consecutive dates, and
 * interleaved helpers stay within a few days of each other. */
#define BPA_SPLIT_DAYS 8

typedef struct bpa_splitter {
    const bpa_policy *policy;
    bpa_country country;
    /* private: the real-time span [span_from, span_to) with one UTC offset */
    bpa_utc_minute span_from, span_to;
    int64_t span_offset;
    bpa_split_day days[BPA_SPLIT_DAYS];
} bpa_splitter;

void bpa_splitter_init(bpa_splitter *sp, const bpa_policy *policy);

/* Split [start, end) (start < end, real time) into pieces handed to fn.
 * BPA_E_POLICY when a piece to classify lies on a date without band.windows
 * (the message names the parameter and the date; the caller adds the shift's
 * place); otherwise the first status of fn that is not BPA_OK. The pieces'
 * minutes add up to end - start. */
bpa_status bpa_shift_split(bpa_splitter *sp, bpa_utc_minute start, bpa_utc_minute end,
                           const bpa_split_opts *opts, bpa_piece_fn fn, void *ctx,
                           bpa_error *err);

/* The band of a local minute (date, minute of day 0-1439) by the policy's
 * windows, precedence, public holidays and holidays.extra on that date: one
 * of the five real bands, never BPA_BAND_ANY (the on-call rule is the
 * caller's). BPA_E_POLICY when band.windows is not in force on date. */
bpa_status bpa_band_classify(const bpa_policy *policy, bpa_date date, int minute,
                             bpa_band *band, bpa_error *err);

#ifdef __cplusplus
}
#endif
#endif

/*
 * The splitter: a shift in real time into pieces of one local date and band
 * (see input/shift.h, RULES.md 4 and 5.1).
 *
 * The walk goes from boundary to boundary: the UTC offset is constant
 * between two summer-time changes (bpa_utc_offset_span), so there local
 * minutes advance with real ones and the next place where a piece may end is
 * the nearest of the shift's end, the summer-time change and the next local
 * minute where the band may change (midnight, a window edge, the start of a
 * holidays.extra period). The work per shift is proportional to the band
 * changes it crosses, not to its minutes or hours.
 */
#include "input/shift.h"

#include <string.h>

#define MINUTES_PER_DAY 1440

/* RULES.md 5.1 default, used only if the policy module gives no default. */
static const int default_precedence[5] = {BPA_BAND_SUNDAY_HOLIDAY, BPA_BAND_NIGHT,
                                          BPA_BAND_SATURDAY, BPA_BAND_EVENING, BPA_BAND_DAY};

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

/* ---- classification ---------------------------------------------------- */

static void day_fill(const bpa_policy *policy, bpa_country country, bpa_date date,
                     bpa_split_day *d)
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

static bpa_band classify(const bpa_split_day *d, int minute)
{
    const bpa_value *w = d->windows;
    unsigned weekday_bit = 1u << d->weekday;
    bool holiday = d->public_holiday || minute >= d->extra_from;
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
static int next_boundary(const bpa_split_day *d, int minute)
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
static bpa_status need_windows(const bpa_policy *policy, const bpa_split_day *d, bpa_error *err)
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
    bpa_split_day d;
    day_fill(policy, bpa_policy_country(policy), date, &d);
    bpa_status st = need_windows(policy, &d, err);
    if (st != BPA_OK)
        return st;
    *band = classify(&d, minute);
    return BPA_OK;
}

/* ---- the walk ------------------------------------------------------------ */

void bpa_splitter_init(bpa_splitter *sp, const bpa_policy *policy)
{
    memset(sp, 0, sizeof *sp);
    sp->policy = policy;
    sp->country = policy ? bpa_policy_country(policy) : BPA_COUNTRY_DK;
    /* the span starts empty (0, 0): filled on first use */
}

static const bpa_split_day *day_get(bpa_splitter *sp, bpa_date date)
{
    bpa_split_day *d = &sp->days[(uint32_t)date % BPA_SPLIT_DAYS];
    if (!d->valid || d->date != date)
        day_fill(sp->policy, sp->country, date, d);
    return d;
}

/* Local wall-clock minutes since 1970-01-01 00:00 at real time t; they keep
 * pace with t until sp->span_to, the next summer-time change. */
static int64_t local_of(bpa_splitter *sp, bpa_utc_minute t)
{
    if (t < sp->span_from || t >= sp->span_to) {
        bpa_utc_offset_span(t, &sp->span_from, &sp->span_to);
        bpa_date date;
        int minute;
        bpa_utc_to_local(t, &date, &minute);
        sp->span_offset = (int64_t)date * MINUTES_PER_DAY + minute - t;
    }
    return t + sp->span_offset;
}

/* Pieces are handed on once they cannot grow: the next run of minutes
 * extends the pending piece when it continues its date, band and clock. */
typedef struct pending {
    bpa_piece piece;
    bool held;
    bpa_piece_fn fn;
    void *ctx;
} pending;

static bpa_status piece_add(pending *p, bpa_date date, int minute, bpa_band band, int minutes,
                            bpa_error *err)
{
    bpa_piece *q = &p->piece;
    if (p->held && q->date == date && q->band == band && q->minute + q->minutes == minute) {
        q->minutes += minutes;
        return BPA_OK;
    }
    if (p->held) {
        bpa_status st = p->fn(p->ctx, q, err);
        if (st != BPA_OK)
            return st;
    }
    *q = (bpa_piece){date, minute, band, minutes};
    p->held = true;
    return BPA_OK;
}

bpa_status bpa_shift_split(bpa_splitter *sp, bpa_utc_minute start, bpa_utc_minute end,
                           const bpa_split_opts *opts, bpa_piece_fn fn, void *ctx,
                           bpa_error *err)
{
    pending p = {.fn = fn, .ctx = ctx};
    bpa_status st;
    for (bpa_utc_minute t = start; t < end;) {
        int64_t local = local_of(sp, t);
        bpa_utc_minute limit = sp->span_to < end ? sp->span_to : end;
        bpa_date date = (bpa_date)floor_div(local, MINUTES_PER_DAY);
        int minute = (int)(local - (int64_t)date * MINUTES_PER_DAY);
        /* Inside [t, limit) local time keeps pace with real time. */
        while (t < limit) {
            bpa_band band = BPA_BAND_ANY;
            int boundary = MINUTES_PER_DAY;
            bool in_range = date >= opts->from && date <= opts->to;
            if (opts->bands != BPA_SPLIT_NO_BANDS && in_range) {
                const bpa_split_day *d = day_get(sp, date);
                if (opts->bands == BPA_SPLIT_BANDS || d->on_call_supplements) {
                    if ((st = need_windows(sp->policy, d, err)) != BPA_OK)
                        return st;
                    band = classify(d, minute);
                    boundary = next_boundary(d, minute);
                }
            }
            bpa_utc_minute t2 = t + (boundary - minute);
            if (t2 > limit)
                t2 = limit;
            int n = (int)(t2 - t);
            if ((st = piece_add(&p, date, minute, band, n, err)) != BPA_OK)
                return st;
            t = t2;
            minute += n;
            if (minute == MINUTES_PER_DAY) {
                date++;
                minute = 0;
            }
        }
    }
    return p.held ? fn(ctx, &p.piece, err) : BPA_OK;
}

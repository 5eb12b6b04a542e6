/* The timesheet reader, splitter and accumulator on arbitrary bytes, under
 * the Albertslund policy (settlement year 2025, the grant's only step 11).
 * Beyond crashes, a read that succeeds must add up: the cells and the
 * outside-year minutes to the shifts' durations, the helpers to the cells,
 * and each shift's pieces (split again on their own) to its duration. The
 * reader also runs under a Danish export's map (RULES.md 8.1 Maps). */
#include "input/shift_read.h"
#include "input/timesheet.h"
#include "fuzz_common.h"

static bpa_status piece_sum(void *ctx, const bpa_piece *p, bpa_error *err)
{
    (void)err;
    if (p->minutes <= 0 || p->minute < 0 || p->minute + p->minutes > 1440)
        abort();
    *(int64_t *)ctx += p->minutes;
    return BPA_OK;
}

typedef struct alone {
    bpa_splitter sp;
    bpa_split_opts opts;
} alone;

static bpa_status split_alone(void *ctx, const bpa_shift *s, bpa_error *err)
{
    alone *a = ctx;
    int64_t sum = 0;
    bpa_status st = bpa_shift_split(&a->sp, s->start, s->end, &a->opts, piece_sum, &sum, err);
    if (st == BPA_OK && sum != s->end - s->start)
        abort();
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bpa_ts_acc acc;
    bpa_error err;
    bpa_ts_acc_init(&acc, fuzz_policy(), 2025, 11);
    if (bpa_timesheet_read_mem(&acc, "fuzz.csv", (const char *)data, size, NULL, &err) == BPA_OK &&
        bpa_ts_acc_finish(&acc, &err) == BPA_OK) {
        int64_t cells = 0, helpers = 0, outside = 0;
        for (size_t i = 0; i < acc.ncells; i++)
            cells += acc.cells[i].minutes;
        for (size_t i = 0; i < acc.nhelpers; i++)
            helpers += acc.helpers[i].minutes;
        for (int k = 0; k < BPA_KIND_COUNT; k++)
            outside += acc.outside_minutes[k];
        if (cells + outside != acc.total_minutes || helpers != cells)
            abort();
    }
    bpa_ts_acc_release(&acc);

    alone a = {.opts = {BPA_SPLIT_BANDS, bpa_date_make(2025, 1, 1), bpa_date_make(2025, 12, 31)}};
    bpa_splitter_init(&a.sp, fuzz_policy());
    bpa_shift_format fmt = {BPA_COUNTRY_DK, 11, NULL};
    bpa_shift_read_mem("fuzz.csv", (const char *)data, size, 0, &fmt, split_alone, &a, &err);

    char *from[2] = {(char *)"Arbejde", (char *)"R\xc3\xa5" "dighed"};
    char *to[2] = {(char *)"work", (char *)"on_call"};
    char *ign[1] = {(char *)"Timer"};
    bpa_timesheet_map dk = {{(char *)"Medarbejder", (char *)"Dato", (char *)"Fra", (char *)"Til",
                             (char *)"Type", NULL},
                            from, to, 2, BPA_TS_DATE_DMY_DASH, BPA_TS_TIME_DOT, ign, 1, NULL};
    fmt.map = &dk;
    bpa_shift_read_mem("fuzz.csv", (const char *)data, size, 0, &fmt, split_alone, &a, &err);
    return 0;
}

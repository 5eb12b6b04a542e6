/* The grant-result reader of `bpa diff` from bytes: bpa_grant_record_load_mem,
 * then, when it loads, the record against itself (every change must be 0)
 * and against a shipped grant of its country in both directions, each diff
 * rendered as JSON and as a summary in every language. Every row must split
 * exactly: change = hours_effect + rate_effect + residue. */
#include "bpa/case.h"
#include "bpa/diff.h"
#include "bpa/grant.h"
#include "bpa/se.h"
#include "fuzz_common.h"

static bpa_diff_side fixture_side(bpa_country country)
{
    static bpa_case *dkc, *sec;
    static bpa_grant *dk;
    static bpa_se_grant *se;
    bpa_error err;
    if (country == BPA_COUNTRY_SE) {
        if (!se && (bpa_case_load(&sec, BPA_SOURCE_DIR "/fixtures/cases/se-jag-2025-forskott.json",
                                  &err) != BPA_OK ||
                    bpa_se_grant_compute(&se, sec, fuzz_se_policy(sec->scheme), &err) != BPA_OK))
            abort(); /* the fixture itself is broken: not a finding */
        return (bpa_diff_side){.se_grant = se};
    }
    if (!dk && (bpa_case_load(&dkc, BPA_SOURCE_DIR "/fixtures/cases/alb-2025-full-year.json",
                              &err) != BPA_OK ||
                bpa_grant_compute(&dk, dkc, fuzz_policy(), &err) != BPA_OK))
        abort();
    return (bpa_diff_side){.grant = dk};
}

static void check_rows(const bpa_diff *d, bool self)
{
    mpq_t sum;
    mpq_init(sum);
    for (size_t i = 0; i < d->nchanges; i++) {
        const bpa_diff_change *c = &d->changes[i];
        mpq_add(sum, c->hours_effect, c->rate_effect);
        mpq_add(sum, sum, c->residue);
        if (!mpq_equal(sum, c->change))
            abort(); /* the split does not add up */
        if (self && (mpq_sgn(c->change) || mpq_sgn(c->hours_effect) || mpq_sgn(c->rate_effect) ||
                     mpq_sgn(c->residue)))
            abort(); /* a side against itself changed */
    }
    for (size_t i = 0; self && i < d->nother; i++)
        if (mpq_sgn(d->other[i].change))
            abort();
    if (self && (mpq_sgn(d->total_change) || mpq_sgn(d->sum_change)))
        abort();
    mpq_clear(sum);
}

static void run(bpa_diff_side a, bpa_diff_side b, bool self)
{
    bpa_diff *d = NULL;
    bpa_error err;
    if (bpa_diff_compute(&d, a, b, &err) != BPA_OK)
        return;
    check_rows(d, self);
    char *text = NULL;
    if (bpa_diff_to_json(d, &text, &err) == BPA_OK)
        free(text);
    for (int lang = 0; lang < BPA_LANG_COUNT; lang++) {
        text = NULL;
        if (bpa_diff_summary(d, (bpa_lang)lang, &text, &err) == BPA_OK)
            free(text);
    }
    bpa_diff_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bpa_grant_record *r = NULL;
    bpa_error err;
    if (bpa_grant_record_load_mem(&r, "fuzz.grant.json", (const char *)data, size, &err) !=
        BPA_OK)
        return 0;
    bpa_diff_side side = {.record = r};
    run(side, side, true);
    bpa_diff_side fixture = fixture_side(r->country);
    run(side, fixture, false);
    run(fixture, side, false);
    bpa_grant_record_free(r);
    return 0;
}

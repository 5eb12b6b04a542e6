/* The comparison of two grants as text for people (bpa/diff.h), in Danish,
 * Swedish or English. Every figure is one bpa_diff_compute recorded; the
 * words follow the signs of those figures ("more hours", "a lower rate"). */
#include "bpa/diff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strutil.h"
#include "trace/format.h"
#include "trace/labels.h"

typedef struct diff_txt {
    const char *title, *old_grant, *new_grant, *policy, *total_old, *total_new, *change, *pct,
        *no_pct, *by_category, *more_hours, *fewer_hours, *higher_rate, *lower_rate, *rounding,
        *only_new, *only_old, *hours_unit, *step, *split_head, *hours_effect, *rate_effect,
        *residue, *other_lines, *outside_total, *by_month, *currency, *head[8];
} diff_txt;

static const diff_txt TXT_DA = {
    "Sammenligning af to udmålinger",
    "Før",
    "Efter",
    "politik",
    "Tilskud før",
    "Tilskud efter",
    "Ændring",
    "ændring i procent",
    "ændring i procent: kan ikke beregnes (tilskuddet før er 0)",
    "Pr. kategori",
    "flere timer",
    "færre timer",
    "højere timesats",
    "lavere timesats",
    "afrunding",
    "ny kategori (kun efter)",
    "bortfaldet (kun før)",
    "t",
    "trin",
    "Ændringen i timelinjerne fordelt",
    "timer (ændrede timer × gammel sats)",
    "sats (nye timer × ændret sats)",
    "afrunding til hele øre",
    "Andre linjer (i tilskuddet)",
    "Uden for tilskuddet",
    "Pr. måned og kategori",
    "kr.",
    {"Måned", "Kategori", "Før", "Efter", "Ændring", "Timer", "Sats", "Afrunding"},
};

static const diff_txt TXT_SV = {
    "Jämförelse av två beräkningar",
    "Före",
    "Efter",
    "regelverk",
    "Belopp före",
    "Belopp efter",
    "Förändring",
    "förändring i procent",
    "förändring i procent: kan inte beräknas (beloppet före är 0)",
    "Per slag av tid",
    "fler timmar",
    "färre timmar",
    "högre timbelopp",
    "lägre timbelopp",
    "avrundning",
    "nytt (bara efter)",
    "bortfallet (bara före)",
    "tim",
    "steg",
    "Förändringen fördelad",
    "timmar (ändrade timmar × gammalt timbelopp)",
    "timbelopp (nya timmar × ändrat timbelopp)",
    "avrundning till hela ören",
    "Andra rader (i beloppet)",
    "Utanför beloppet",
    "Per månad och slag av tid",
    "kr",
    {"Månad", "Slag av tid", "Före", "Efter", "Förändring", "Timmar", "Timbelopp", "Avrundning"},
};

static const diff_txt TXT_EN = {
    "Comparison of two grants",
    "Old",
    "New",
    "policy",
    "Grant before",
    "Grant after",
    "Change",
    "change in percent",
    "change in percent: none (the grant before is 0)",
    "By category",
    "more hours",
    "fewer hours",
    "higher rate",
    "lower rate",
    "rounding",
    "new category (only after)",
    "dropped (only before)",
    "h",
    "step",
    "The change in the hour lines, split",
    "hours (hours changed × old rate)",
    "rate (new hours × rate changed)",
    "rounding to whole øre",
    "Other lines (in the grant)",
    "Outside the grant",
    "By month and category",
    "",
    {"Month", "Category", "Old", "New", "Change", "Hours", "Rate", "Rounding"},
};

static const diff_txt *txt_of(bpa_lang lang)
{
    return lang == BPA_LANG_DA ? &TXT_DA : lang == BPA_LANG_SV ? &TXT_SV : &TXT_EN;
}

static const char *rule_words(bpa_lang lang, const char *rule, char *key, size_t n)
{
    snprintf(key, n, "diff.rule.%s", rule);
    return bpa_label(key, lang);
}

/* "+1.234,56" for a change (the sign always shown) */
static void signed_amount(bpa_strbuf *sb, bpa_lang lang, const mpq_t q)
{
    if (mpq_sgn(q) > 0)
        bpa_strbuf_add(sb, "+");
    bpa_lang_add_amount(sb, lang, q);
}

static void signed_hours(bpa_strbuf *sb, bpa_lang lang, const mpq_t q)
{
    if (mpq_sgn(q) > 0)
        bpa_strbuf_add(sb, "+");
    bpa_lang_add_fixed(sb, lang, q, 2);
}

static void category_words(bpa_strbuf *sb, const diff_txt *t, bpa_lang lang,
                           const bpa_category *c, bpa_country country)
{
    char key[64];
    snprintf(key, sizeof key, "kind.%s", bpa_kind_name(c->kind));
    bpa_strbuf_add(sb, bpa_label(key, lang));
    if (country == BPA_COUNTRY_SE)
        return;
    if (c->band != BPA_BAND_ANY) {
        snprintf(key, sizeof key, "band.%s", bpa_band_name(c->band));
        bpa_strbuf_addf(sb, ", %s", bpa_label(key, lang));
    }
    bpa_strbuf_addf(sb, ", %s %d", t->step, c->step);
}

/* text padded (by characters) to width, right- or left-aligned */
static void padded(bpa_strbuf *sb, const char *s, int width, bool right)
{
    int chars = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        chars += (*p & 0xC0) != 0x80;
    if (!right)
        bpa_strbuf_add(sb, s);
    for (int i = chars; i < width; i++)
        bpa_strbuf_add(sb, " ");
    if (right)
        bpa_strbuf_add(sb, s);
}

typedef void (*fmt_fn)(bpa_strbuf *, bpa_lang, const mpq_t);

static void cell(bpa_strbuf *sb, bpa_lang lang, fmt_fn f, const mpq_t q, int width)
{
    bpa_strbuf t;
    bpa_strbuf_init(&t);
    f(&t, lang, q);
    char *s = bpa_strbuf_detach(&t);
    if (!s) {
        sb->failed = true;
        return;
    }
    padded(sb, s, width, true);
    free(s);
}

static void side(bpa_strbuf *sb, const diff_txt *t, const char *label, const bpa_grant_record *r)
{
    bpa_strbuf_addf(sb, "%s: %s (%s, %d), %s %s\n", label, r->case_id,
                    bpa_scheme_name(r->scheme), r->year, t->policy, r->policy_title);
}

static void line_amount(bpa_strbuf *sb, bpa_lang lang, const diff_txt *t, const char *label,
                        const mpq_t q, bool sign)
{
    bpa_strbuf_addf(sb, "  %s: ", label);
    if (sign)
        signed_amount(sb, lang, q);
    else
        bpa_lang_add_amount(sb, lang, q);
    if (*t->currency)
        bpa_strbuf_addf(sb, " %s", t->currency);
    bpa_strbuf_add(sb, "\n");
}

static void by_category(bpa_strbuf *sb, const bpa_diff *d, bpa_lang lang, const diff_txt *t)
{
    bpa_strbuf_addf(sb, "\n%s:\n", t->by_category);
    for (size_t i = 0; i < d->ncategories; i++) {
        const bpa_diff_category *k = &d->categories[i];
        bpa_strbuf_add(sb, "- ");
        category_words(sb, t, lang, &k->category, d->country);
        bpa_strbuf_add(sb, ": ");
        bpa_lang_add_amount(sb, lang, k->old_amount);
        bpa_strbuf_add(sb, " → ");
        bpa_lang_add_amount(sb, lang, k->new_amount);
        bpa_strbuf_add(sb, " (");
        signed_amount(sb, lang, k->change);
        bpa_strbuf_add(sb, ")");
        if (!k->in_old)
            bpa_strbuf_addf(sb, ", %s", t->only_new);
        else if (!k->in_new)
            bpa_strbuf_addf(sb, ", %s", t->only_old);
        bpa_strbuf_add(sb, "\n");
        if (mpq_sgn(k->hours_change) != 0 || mpq_sgn(k->hours_effect) != 0) {
            bpa_strbuf_addf(sb, "    %s (",
                            mpq_sgn(k->hours_change) >= 0 ? t->more_hours : t->fewer_hours);
            signed_hours(sb, lang, k->hours_change);
            bpa_strbuf_addf(sb, " %s): ", t->hours_unit);
            signed_amount(sb, lang, k->hours_effect);
            bpa_strbuf_add(sb, "\n");
        }
        if (mpq_sgn(k->rate_effect) != 0) {
            bpa_strbuf_addf(sb, "    %s: ",
                            mpq_sgn(k->rate_effect) > 0 ? t->higher_rate : t->lower_rate);
            signed_amount(sb, lang, k->rate_effect);
            bpa_strbuf_add(sb, "\n");
        }
        if (mpq_sgn(k->residue) != 0) {
            bpa_strbuf_addf(sb, "    %s: ", t->rounding);
            signed_amount(sb, lang, k->residue);
            bpa_strbuf_add(sb, "\n");
        }
    }
}

static void by_month(bpa_strbuf *sb, const bpa_diff *d, bpa_lang lang, const diff_txt *t)
{
    static const int width[8] = {15, 30, 12, 13, 13, 12, 12, 11};
    bpa_strbuf_addf(sb, "\n%s:\n", t->by_month);
    for (int i = 0; i < 8; i++)
        padded(sb, t->head[i], width[i], i >= 2);
    bpa_strbuf_add(sb, "\n");
    for (size_t i = 0; i < d->nchanges; i++) {
        const bpa_diff_change *c = &d->changes[i];
        bpa_strbuf m, k;
        bpa_strbuf_init(&m);
        bpa_strbuf_init(&k);
        bpa_lang_add_month(&m, lang, c->year, c->month);
        category_words(&k, t, lang, &c->category, d->country);
        char *ms = bpa_strbuf_detach(&m), *ks = bpa_strbuf_detach(&k);
        if (!ms || !ks) {
            sb->failed = true;
            free(ms);
            free(ks);
            return;
        }
        padded(sb, ms, width[0], false);
        padded(sb, ks, width[1], false);
        free(ms);
        free(ks);
        cell(sb, lang, bpa_lang_add_amount, c->old_amount, width[2]);
        cell(sb, lang, bpa_lang_add_amount, c->new_amount, width[3]);
        cell(sb, lang, signed_amount, c->change, width[4]);
        cell(sb, lang, signed_amount, c->hours_effect, width[5]);
        cell(sb, lang, signed_amount, c->rate_effect, width[6]);
        cell(sb, lang, signed_amount, c->residue, width[7]);
        bpa_strbuf_add(sb, "\n");
    }
}

static void others(bpa_strbuf *sb, const bpa_diff *d, bpa_lang lang, const diff_txt *t,
                   bool in_total)
{
    bool any = false;
    for (size_t i = 0; i < d->nother; i++) {
        const bpa_diff_other *o = &d->other[i];
        if (o->in_total != in_total)
            continue;
        if (!any)
            bpa_strbuf_addf(sb, "\n%s:\n", in_total ? t->other_lines : t->outside_total);
        any = true;
        bpa_strbuf m;
        bpa_strbuf_init(&m);
        bpa_lang_add_month(&m, lang, o->year, o->month);
        char *ms = bpa_strbuf_detach(&m);
        if (!ms) {
            sb->failed = true;
            return;
        }
        bpa_strbuf_add(sb, "  ");
        padded(sb, ms, 15, false);
        free(ms);
        char key[64];
        padded(sb, rule_words(lang, o->rule, key, sizeof key), 30, false);
        cell(sb, lang, bpa_lang_add_amount, o->old_amount, 13);
        cell(sb, lang, bpa_lang_add_amount, o->new_amount, 13);
        cell(sb, lang, signed_amount, o->change, 13);
        bpa_strbuf_add(sb, "\n");
    }
}

bpa_status bpa_diff_summary(const bpa_diff *d, bpa_lang lang, char **text, bpa_error *err)
{
    const diff_txt *t = txt_of(lang);
    bpa_strbuf sb;
    bpa_strbuf_init(&sb);
    bpa_strbuf_addf(&sb, "%s\n\n", t->title);
    side(&sb, t, t->old_grant, d->old_rec);
    side(&sb, t, t->new_grant, d->new_rec);
    bpa_strbuf_add(&sb, "\n");
    line_amount(&sb, lang, t, t->total_old, d->total_old, false);
    line_amount(&sb, lang, t, t->total_new, d->total_new, false);
    line_amount(&sb, lang, t, t->change, d->total_change, true);
    if (d->has_pct) {
        bpa_strbuf_addf(&sb, "  %s: ", t->pct);
        signed_amount(&sb, lang, d->pct);
        bpa_strbuf_add(&sb, " %\n");
    } else {
        bpa_strbuf_addf(&sb, "  %s\n", t->no_pct);
    }
    bpa_strbuf_addf(&sb, "\n%s:\n", t->split_head);
    line_amount(&sb, lang, t, t->hours_effect, d->sum_hours_effect, true);
    line_amount(&sb, lang, t, t->rate_effect, d->sum_rate_effect, true);
    line_amount(&sb, lang, t, t->residue, d->sum_residue, true);
    line_amount(&sb, lang, t, t->other_lines, d->other_change, true);
    by_category(&sb, d, lang, t);
    by_month(&sb, d, lang, t);
    others(&sb, d, lang, t, true);
    others(&sb, d, lang, t, false);
    *text = bpa_strbuf_detach(&sb);
    if (!*text)
        return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    return BPA_OK;
}

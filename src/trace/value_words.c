/* Policy parameters and their values in words (value_words.h). */
#include "trace/value_words.h"

#include <stdio.h>
#include <string.h>

#include "bpa/date.h"
#include "bpa/types.h"
#include "trace/format.h"
#include "trace/labels.h"

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

bool bpa_param_words_add(bpa_strbuf *sb, bpa_lang lang, const char *name)
{
    char key[96];
    snprintf(key, sizeof key, "param.%s", name);
    if (bpa_label_known(key)) {
        bpa_strbuf_add(sb, bpa_label(key, lang));
        return true;
    }
    static const char wage[] = "wage.hourly.", supp[] = "supplement.";
    bpa_band band;
    if (strncmp(name, wage, sizeof wage - 1) == 0 && all_digits(name + sizeof wage - 1)) {
        bpa_strbuf_addf(sb, "%s, %s %s", bpa_label("param.wage.hourly", lang),
                        bpa_label("word.step", lang), name + sizeof wage - 1);
        return true;
    }
    if (strncmp(name, supp, sizeof supp - 1) == 0 && bpa_band_parse(name + sizeof supp - 1, &band)) {
        snprintf(key, sizeof key, "band.%s", bpa_band_name(band));
        bpa_strbuf_addf(sb, "%s, %s", bpa_label("param.supplement", lang), bpa_label(key, lang));
        return true;
    }
    return false;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && strcmp(s + n - t, tail) == 0;
}

static void add_kr(bpa_strbuf *sb, bpa_lang lang, const mpq_t q, const char *unit_key)
{
    bpa_lang_add_number(sb, lang, q);
    bpa_strbuf_addf(sb, " %s", bpa_label(unit_key, lang));
}

/* "5. juni", "5 June", "5 juni" */
static void add_day_of_month(bpa_strbuf *sb, bpa_lang lang, int month, int day)
{
    bpa_strbuf_addf(sb, lang == BPA_LANG_DA ? "%d. %s" : "%d %s", day,
                    bpa_lang_month_name(lang, month));
}

static void add_band(bpa_strbuf *sb, bpa_lang lang, int band)
{
    char key[48];
    snprintf(key, sizeof key, "band.%s", bpa_band_name((bpa_band)band));
    bpa_strbuf_add(sb, bpa_label(key, lang));
}

void bpa_value_words_add(bpa_strbuf *sb, bpa_lang lang, const char *name, const bpa_value *v)
{
    char key[128];
    switch (v->shape) {
    case BPA_SHAPE_DECIMAL:
    case BPA_SHAPE_FACTOR:
        bpa_lang_add_number(sb, lang, v->q);
        /* the unit the name says (RULES.md 5.1) */
        if (ends_with(name, "_pct"))
            bpa_strbuf_add(sb, " %");
        else if (strncmp(name, "allowance.monthly_cap.", 22) == 0)
            bpa_strbuf_addf(sb, " %s", bpa_label("unit.kr_per_month", lang));
        break;
    case BPA_SHAPE_WAGE:
        add_kr(sb, lang, v->q, "unit.kr_per_hour");
        break;
    case BPA_SHAPE_CAP:
        if (v->flag)
            bpa_strbuf_add(sb, bpa_label("word.no_cap", lang));
        else
            add_kr(sb, lang, v->q, "unit.kr_per_hour");
        break;
    case BPA_SHAPE_SUPPLEMENT:
        if (v->flag) {
            bpa_lang_add_number(sb, lang, v->q);
            bpa_strbuf_addf(sb, " %s", bpa_label("unit.pct_wage", lang));
        } else {
            add_kr(sb, lang, v->q, "unit.kr_per_hour");
        }
        break;
    case BPA_SHAPE_ENUM:
        snprintf(key, sizeof key, "choice.%s.%s", name, v->name ? v->name : "?");
        bpa_strbuf_add(sb, bpa_label_known(key) ? bpa_label(key, lang) : v->name ? v->name : "?");
        break;
    case BPA_SHAPE_COUNT:
        bpa_strbuf_addf(sb, "%ld", v->i);
        break;
    case BPA_SHAPE_BOOL:
        bpa_strbuf_add(sb, bpa_label(v->flag ? "word.yes" : "word.no", lang));
        break;
    case BPA_SHAPE_LEVELED:
        bpa_lang_add_amount(sb, lang, v->q);
        bpa_strbuf_addf(sb, " %s (%ld%s)", bpa_label("unit.kr", lang), v->i,
                        bpa_label("unit.level_suffix", lang));
        break;
    case BPA_SHAPE_INDEX:
        for (size_t i = 0; i < v->nseries; i++) {
            bpa_strbuf_addf(sb, "%s%d: ", i ? "; " : "", v->series[i].year);
            bpa_lang_add_number(sb, lang, v->series[i].value);
        }
        break;
    case BPA_SHAPE_ADDONS:
        if (!v->naddons)
            bpa_strbuf_add(sb, bpa_label("word.none", lang));
        for (size_t i = 0; i < v->naddons; i++) {
            const bpa_addon *a = &v->addons[i];
            bpa_strbuf_addf(sb, "%s%s ", i ? "; " : "", a->name);
            bpa_lang_add_number(sb, lang, a->value);
            bpa_strbuf_addf(sb, " %s",
                            bpa_label(a->type == BPA_ADDON_PCT
                                          ? (a->on_wage_and_supplement ? "unit.pct_wage_supp"
                                                                       : "unit.pct_wage")
                                      : a->type == BPA_ADDON_KR_PER_HOUR ? "unit.kr_per_hour"
                                                                         : "unit.kr_per_helper_year",
                                      lang));
        }
        break;
    case BPA_SHAPE_WINDOWS: {
        bool any = false;
        for (int band = 0; band < BPA_BAND_COUNT; band++)
            for (size_t i = 0; i < v->nwindows[band]; i++) {
                char f[6], t[6];
                bpa_clock_format(v->windows[band][i].from, f);
                bpa_clock_format(v->windows[band][i].to, t);
                bpa_strbuf_add(sb, any ? "; " : "");
                add_band(sb, lang, band);
                bpa_strbuf_addf(sb, " %s-%s", f, t);
                any = true;
            }
        break;
    }
    case BPA_SHAPE_PRECEDENCE:
        for (int i = 0; i < 5; i++) {
            bpa_strbuf_add(sb, i ? ", " : "");
            add_band(sb, lang, v->precedence[i]);
        }
        break;
    case BPA_SHAPE_HOLIDAYS:
        for (size_t i = 0; i < v->nextras; i++) {
            const bpa_holiday_extra *h = &v->extras[i];
            char f[6];
            bpa_clock_format(h->from, f);
            bpa_strbuf_add(sb, i ? "; " : "");
            add_day_of_month(sb, lang, h->month, h->day);
            if (h->year)
                bpa_strbuf_addf(sb, " %04d", h->year);
            if (h->from)
                bpa_strbuf_addf(sb, " %s %s", bpa_label("unit.from_clock", lang), f);
        }
        break;
    case BPA_SHAPE_MONTHDAY:
        add_day_of_month(sb, lang, (int)(v->i / 100), (int)(v->i % 100));
        break;
    }
}

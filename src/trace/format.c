/* Numbers and dates per language (see format.h). */
#include "trace/format.h"

#include <stdlib.h>
#include <string.h>

#include "bpa/num.h"

static const char *const month_names[BPA_LANG_COUNT][12] = {
    {"januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
     "oktober", "november", "december"},
    {"January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"},
    {"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
     "oktober", "november", "december"},
};

const char *bpa_lang_month_name(bpa_lang lang, int month)
{
    if ((unsigned)lang >= BPA_LANG_COUNT || month < 1 || month > 12)
        return "?";
    return month_names[lang][month - 1];
}

/* Re-punctuate "-1234567.89" for the language. */
static void add_localized(bpa_strbuf *sb, bpa_lang lang, const char *plain)
{
    const char *thousands = lang == BPA_LANG_DA ? "." : lang == BPA_LANG_SV ? " " : ",";
    char decimal = lang == BPA_LANG_EN ? '.' : ',';
    const char *p = plain;
    if (*p == '-') {
        bpa_strbuf_add(sb, "-");
        p++;
    }
    const char *dot = strchr(p, '.');
    size_t whole = dot ? (size_t)(dot - p) : strlen(p);
    for (size_t i = 0; i < whole; i++) {
        if (i > 0 && (whole - i) % 3 == 0)
            bpa_strbuf_add(sb, thousands);
        bpa_strbuf_addn(sb, p + i, 1);
    }
    if (dot) {
        bpa_strbuf_addn(sb, &decimal, 1);
        bpa_strbuf_add(sb, dot + 1);
    }
}

void bpa_lang_add_fixed(bpa_strbuf *sb, bpa_lang lang, const mpq_t q, unsigned decimals)
{
    char *s = bpa_fmt_fixed(q, decimals);
    if (!s) {
        sb->failed = true;
        return;
    }
    add_localized(sb, lang, s);
    free(s);
}

void bpa_lang_add_amount(bpa_strbuf *sb, bpa_lang lang, const mpq_t q)
{
    bpa_lang_add_fixed(sb, lang, q, 2);
}

void bpa_lang_add_number(bpa_strbuf *sb, bpa_lang lang, const mpq_t q)
{
    if (bpa_is_exact_at(q, 2)) {
        bpa_lang_add_fixed(sb, lang, q, 2);
        return;
    }
    char *s = bpa_fmt_fixed(q, 6);
    if (!s) {
        sb->failed = true;
        return;
    }
    bool exact = bpa_is_exact_at(q, 6);
    if (exact) { /* drop trailing zeros beyond two decimals */
        size_t len = strlen(s);
        size_t keep = (size_t)(strchr(s, '.') - s) + 3;
        while (len > keep && s[len - 1] == '0')
            s[--len] = '\0';
    }
    add_localized(sb, lang, s);
    free(s);
    if (!exact) {
        char *e = bpa_fmt_exact(q);
        if (!e) {
            sb->failed = true;
            return;
        }
        bpa_strbuf_addf(sb, " (%s)", e);
        free(e);
    }
}

void bpa_lang_add_date(bpa_strbuf *sb, bpa_lang lang, bpa_date d)
{
    int y, m, day;
    bpa_date_split(d, &y, &m, &day);
    if (lang == BPA_LANG_DA)
        bpa_strbuf_addf(sb, "%02d.%02d.%04d", day, m, y);
    else
        bpa_strbuf_addf(sb, "%04d-%02d-%02d", y, m, day);
}

void bpa_lang_add_period(bpa_strbuf *sb, bpa_lang lang, bpa_date from, bpa_date to)
{
    bpa_lang_add_date(sb, lang, from);
    bpa_strbuf_add(sb, lang == BPA_LANG_EN ? " to " : lang == BPA_LANG_DA ? " til " : " till ");
    bpa_lang_add_date(sb, lang, to);
}

void bpa_lang_add_month(bpa_strbuf *sb, bpa_lang lang, int year, int month)
{
    bpa_strbuf_addf(sb, "%s %04d", bpa_lang_month_name(lang, month), year);
}

/* The words of bpa verify's summary and difference workbook (da, en, sv). */
#include "audit/verify_int.h"

#include <string.h>

static const struct {
    const char *key;
    const char *text[BPA_LANG_COUNT]; /* da, en, sv */
} words[] = {
    {"title", {"Kontrol af regnskab", "Verification of an account", "Granskning av avräkning"}},
    {"case", {"Sag", "Case", "Ärende"}},
    {"year", {"År", "Year", "År"}},
    {"account", {"Regnskabet", "Account", "Avräkningen"}},
    {"kind.result", {"resultat-JSON fra bpa", "bpa result JSON", "resultat-JSON från bpa"}},
    {"kind.workbook", {"regneark fra bpa", "bpa workbook", "arbetsbok från bpa"}},
    {"kind.claim", {"tal indtastet fra et regnskab, bpa-claim/1",
                    "figures typed in from an account, bpa-claim/1",
                    "uppgifter inskrivna från en avräkning, bpa-claim/1"}},
    {"agree", {"Alle %ld kontrollerede tal stemmer.", "All %ld figures agree.",
               "Alla %ld granskade uppgifter stämmer."}},
    {"differ", {"%zu afvigelser blandt %ld kontrollerede tal:",
                "%zu differences among %ld figures checked:",
                "%zu avvikelser bland %ld granskade uppgifter:"}},
    {"differ1", {"1 afvigelse blandt %ld kontrollerede tal:",
                 "1 difference among %ld figures checked:",
                 "1 avvikelse bland %ld granskade uppgifter:"}},
    {"recomputed", {"genberegnet", "recomputed", "omräknat"}},
    {"found", {"fundet", "found", "funnet"}},
    {"where", {"hvor", "where", "var"}},
    {"field", {"Felt", "Field", "Fält"}},
    {"what", {"Art", "Kind", "Slag"}},
    {"none", {"(intet)", "(none)", "(inget)"}},
    {"diff.figure", {"tal afviger", "figure differs", "uppgiften avviker"}},
    {"diff.input", {"inddata afviger fra sags- og forbrugsfilen",
                    "input differs from the case and usage files",
                    "indata avviker från ärende- och användningsfilen"}},
    {"diff.formula", {"formel erstattet af en værdi", "formula replaced by a value",
                      "formel ersatt med ett värde"}},
    {"diff.formula_edited", {"formel ændret", "formula changed", "formel ändrad"}},
    {"diff.missing", {"findes kun på den ene side", "present on one side only",
                      "finns bara på ena sidan"}},
    {"stamps", {"Stempler", "Stamps", "Stämplar"}},
    {"stamp.recomputed", {"Genberegnet med", "Recomputed with", "Omräknat med"}},
    {"stamp.account", {"Regnskabet lavet med", "Account made with", "Avräkningen gjord med"}},
    {"stamp.agree", {"Stemplerne er ens (samme program og samme inddatafiler).",
                     "The stamps agree (same engine, same input files).",
                     "Stämplarna är lika (samma program, samma indatafiler)."}},
    {"stamp.differ", {"Stemplerne afviger (andet program eller andre inddatafiler); det er "
                      "ikke en afvigelse i tallene.",
                      "The stamps differ (another engine or other input files); that is not "
                      "a difference in the figures.",
                      "Stämplarna skiljer sig (annat program eller andra indatafiler); det är "
                      "ingen avvikelse i uppgifterna."}},
    {"stamp.none", {"intet stempel", "no stamp", "ingen stämpel"}},
    {"file", {"Fil", "File", "Fil"}},
    {"sheet", {"Afvigelser", "Differences", "Avvikelser"}},
    {"result", {"Resultat", "Result", "Resultat"}},
    {"result.agree", {"stemmer", "agrees", "stämmer"}},
    {"result.differ", {"afviger", "differs", "avviker"}},
    {"checked", {"Kontrollerede tal", "Figures checked", "Granskade uppgifter"}},
    {"count", {"Afvigelser", "Differences", "Avvikelser"}},
    {"no", {"Nr.", "No.", "Nr"}},
};

const char *vf_word(const char *key, bpa_lang lang)
{
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(words[i].key, key) == 0)
            return words[i].text[lang < BPA_LANG_COUNT ? lang : BPA_LANG_EN];
    return key;
}

const char *vf_kind_words(const bpa_difference *d, bpa_lang lang)
{
    switch (d->kind) {
    case BPA_DIFF_FIGURE: return vf_word("diff.figure", lang);
    case BPA_DIFF_INPUT: return vf_word("diff.input", lang);
    case BPA_DIFF_FORMULA:
        return vf_word(d->found && d->found[0] == '=' ? "diff.formula_edited" : "diff.formula",
                       lang);
    case BPA_DIFF_MISSING: return vf_word("diff.missing", lang);
    }
    return "";
}

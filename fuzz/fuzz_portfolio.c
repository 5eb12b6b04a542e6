/* The portfolio rows of `bpa batch` from bytes. The whole input is a worker's
 * line: bpa_portfolio_case_from_line, and when it reads, to_line, from_line
 * and to_line again must give the same line (a row survives the trip between
 * processes); the row then goes through a portfolio and its JSON. The input
 * is also taken as result texts for bpa_portfolio_case_from_results: a grant
 * result, or a grant result, a 0x1E byte and a settlement result. */
#include "bpa/portfolio.h"
#include "fuzz_common.h"

static void through_portfolio(bpa_portfolio_case *c)
{
    bpa_portfolio *p = NULL;
    bpa_error err;
    char *json = NULL;
    if (bpa_portfolio_new(&p, &err) != BPA_OK) {
        bpa_portfolio_case_free(c);
        return;
    }
    if (bpa_portfolio_add(p, c, &err) == BPA_OK && bpa_portfolio_finish(p, &err) == BPA_OK &&
        bpa_portfolio_to_json(p, &json, &err) == BPA_OK)
        free(json);
    bpa_portfolio_free(p);
}

static void round_trip(const char *text)
{
    bpa_portfolio_case *c1 = NULL, *c2 = NULL;
    bpa_error err;
    char *l1 = NULL, *l2 = NULL;
    if (bpa_portfolio_case_from_line(&c1, text, &err) != BPA_OK)
        return;
    if (bpa_portfolio_case_to_line(c1, &l1, &err) != BPA_OK)
        abort(); /* a row read back cannot be written */
    if (bpa_portfolio_case_from_line(&c2, l1, &err) != BPA_OK)
        abort(); /* a written line does not read back */
    if (bpa_portfolio_case_to_line(c2, &l2, &err) != BPA_OK || strcmp(l1, l2) != 0)
        abort(); /* the trip changed the row */
    /* what was read is what is written: a line does not round an amount */
    if (c1->has_grant != c2->has_grant || !mpq_equal(c1->grant, c2->grant) ||
        c1->has_settlement != c2->has_settlement || !mpq_equal(c1->balance, c2->balance))
        abort();
    free(l1);
    free(l2);
    bpa_portfolio_case_free(c1);
    through_portfolio(c2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    round_trip(text);

    bpa_portfolio_case *c = NULL;
    bpa_error err;
    char *sep = strchr(text, '\x1e');
    if (sep)
        *sep = '\0';
    if (bpa_portfolio_case_from_results(&c, "fuzz", "fuzz.json", text, sep ? sep + 1 : NULL,
                                        &err) == BPA_OK) {
        char *line = NULL;
        if (bpa_portfolio_case_to_line(c, &line, &err) == BPA_OK) {
            round_trip(line);
            free(line);
        }
        bpa_portfolio_case_free(c);
    }
    free(text);
    return 0;
}

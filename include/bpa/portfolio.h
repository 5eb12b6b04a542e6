/*
 * bpa/portfolio.h - the portfolio of a caseload (RULES.md section 14): one
 * row per case of a batch with what its results recorded (scheme, policy,
 * grant total, settlement balance, direction and due date, warnings) or its
 * error, and the exact totals per scheme and direction.
 *
 * A row is read from the result JSON texts a case wrote (bpa_grant_to_json
 * and friends), so a case computed now and one a resumed batch finds on disk
 * give the same row. Rows travel between processes as one-line JSON
 * (bpa_portfolio_case_to_line / _from_line).
 *
 * Ownership: a bpa_portfolio_case is owned by whoever made it until
 * bpa_portfolio_add takes it; a bpa_portfolio owns its rows and totals and
 * is released with bpa_portfolio_free. Strings returned through char ** are
 * the caller's (free).
 *
 * Thread safety: no shared state; one portfolio is used by one thread.
 */
#ifndef BPA_PORTFOLIO_H
#define BPA_PORTFOLIO_H

#include "bpa/export.h"

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>

#include "bpa/date.h"
#include "bpa/lang.h"
#include "bpa/settle.h" /* bpa_direction */
#include "bpa/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bpa_portfolio_case {
    char *id;           /* the case's name in the batch (its output directory) */
    char *case_id;      /* $.case of its results; NULL when unknown (it failed) */
    char *scheme;       /* "dk-sel-96", "se-sfb-51"; NULL when unknown */
    char *policy;       /* the policy's id; NULL when unknown */
    bool has_grant;
    mpq_t grant;        /* totals.grant (Danish) or totals.amount (Swedish budget) */
    bool has_settlement;
    mpq_t balance;      /* the settlement's balance as recorded */
    bpa_direction direction;
    bool has_due;
    bpa_date due;       /* due_date; Swedish: the last period's slutavräkning */
    char **warnings;    /* warning codes, in the order recorded */
    size_t nwarnings;
    char *error;        /* NULL when the case succeeded, else its message */
    int exit_status;    /* the case's exit status (RULES.md 11); 0 when it succeeded */
} bpa_portfolio_case;

/* The row of a case from the text of its grant result JSON and, when it had
 * a usage file, its settlement result JSON (else NULL). Warnings are the
 * settlement's when there is one (it repeats the grant's), else the grant's.
 * BPA_E_INPUT naming `name` and the JSON path when a text is not such a
 * result; BPA_E_NOMEM. */
BPA_API bpa_status bpa_portfolio_case_from_results(bpa_portfolio_case **out, const char *id,
                                                   const char *name, const char *grant_json,
                                                   const char *settlement_json, bpa_error *err);
/* The row of a failed case: its message and exit status. BPA_E_NOMEM. */
BPA_API bpa_status bpa_portfolio_case_failed(bpa_portfolio_case **out, const char *id,
                                             const char *message, int exit_status,
                                             bpa_error *err);
/* One line of JSON (no newline) holding the whole row, and back. */
BPA_API bpa_status bpa_portfolio_case_to_line(const bpa_portfolio_case *c, char **line,
                                              bpa_error *err);
BPA_API bpa_status bpa_portfolio_case_from_line(bpa_portfolio_case **out, const char *line,
                                                bpa_error *err);
BPA_API void bpa_portfolio_case_free(bpa_portfolio_case *c);

/* The sums of the succeeded cases of one scheme and one direction
 * (has_direction false: cases without a settlement). Amounts of different
 * schemes are never added: Danish ones are kroner, Swedish ones kronor. */
typedef struct bpa_portfolio_total {
    char *scheme;
    bool has_direction;
    bpa_direction direction;
    size_t cases;
    mpq_t grant;        /* sum of the cases' grant totals */
    mpq_t balance;      /* sum of their balances (0 without a settlement) */
} bpa_portfolio_total;

typedef struct bpa_portfolio {
    bpa_portfolio_case **cases; /* sorted by id after bpa_portfolio_finish */
    size_t ncases, capcases;
    size_t nfailed;
    bpa_portfolio_total *totals; /* by scheme, then none, settled, repay, pay_out */
    size_t ntotals;
} bpa_portfolio;

BPA_API bpa_status bpa_portfolio_new(bpa_portfolio **out, bpa_error *err);
/* Takes c (also on failure, when it frees it). BPA_E_NOMEM. */
BPA_API bpa_status bpa_portfolio_add(bpa_portfolio *p, bpa_portfolio_case *c, bpa_error *err);
/* Sort the rows by id and sum the totals; call once, after the last add. */
BPA_API bpa_status bpa_portfolio_finish(bpa_portfolio *p, bpa_error *err);
BPA_API void bpa_portfolio_free(bpa_portfolio *p);

/* The bpa-portfolio-result/1 JSON of a finished portfolio. */
BPA_API bpa_status bpa_portfolio_to_json(const bpa_portfolio *p, char **json, bpa_error *err);
/* The portfolio workbook (rows, and totals as SUMIFS/COUNTIFS formulas over
 * them), atomically as the other workbooks (bpa/workbook.h). */
BPA_API bpa_status bpa_portfolio_workbook_write(const bpa_portfolio *p, const char *path,
                                                bpa_lang lang, bpa_error *err);

#ifdef __cplusplus
}
#endif
#endif

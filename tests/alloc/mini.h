/* The small CLI test case (tests/cli/data/mini-*.json) computed untouched
 * into a grant and a settlement, for the tests that then fail allocations
 * while its workbooks are written. */
#ifndef BPA_TEST_MINI_H
#define BPA_TEST_MINI_H

#include <string.h>

#include "bpa/case.h"
#include "bpa/grant.h"
#include "bpa/policy.h"
#include "bpa/settle.h"
#include "bpa/usage.h"
#include "testutil.h"

typedef struct mini {
    bpa_case *c;
    bpa_policy *p;
    bpa_grant *g;
    bpa_usage *u;
    bpa_settlement *s;
} mini;

static void mini_compute(mini *m)
{
    memset(m, 0, sizeof *m);
    bpa_error err;
    ck_assert_int_eq(bpa_case_load(&m->c, BPA_SOURCE_DIR "/tests/cli/data/mini-case.json", &err), BPA_OK);
    ck_assert_int_eq(bpa_policy_load(&m->p, BPA_SOURCE_DIR "/tests/cli/data/mini-policy.json", &err), BPA_OK);
    ck_assert_int_eq(bpa_grant_compute(&m->g, m->c, m->p, &err), BPA_OK);
    static const char usage[] =
        "{\"format\":\"bpa-usage/1\",\"case\":\"MINI-1\",\"year\":2025,"
        "\"used\":[{\"month\":\"2025-03\",\"kind\":\"work\",\"band\":\"day\",\"step\":11,\"hours\":\"1500\"}],"
        "\"payments\":[{\"date\":\"2025-01-31\",\"amount\":\"1000.00\",\"for\":\"grant\"}]}";
    ck_assert_int_eq(bpa_usage_load_mem(&m->u, "u.json", usage, strlen(usage), &err), BPA_OK);
    ck_assert_int_eq(bpa_settle_compute(&m->s, m->g, m->u, &err), BPA_OK);
}

static void mini_free(mini *m)
{
    bpa_settle_free(m->s);
    bpa_usage_free(m->u);
    bpa_grant_free(m->g);
    bpa_policy_free(m->p);
    bpa_case_free(m->c);
}

#endif

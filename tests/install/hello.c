/* A program outside the source tree, built with `pkg-config --cflags --libs
 * bpa` against an installed libbpa (tests/install/run.sh): the grant of a
 * case, its total on stdout. Usage: hello CASE.json POLICY_DIR */
#include <stdio.h>
#include <stdlib.h>

#include <bpa/case.h>
#include <bpa/grant.h>
#include <bpa/num.h>
#include <bpa/policy.h>
#include <bpa/status.h>
#include <bpa/version.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: hello CASE.json POLICY_DIR\n");
        return 2;
    }
    bpa_error err;
    bpa_case *c = NULL;
    bpa_policy *p = NULL;
    bpa_grant *g = NULL;
    bpa_status st = bpa_case_load(&c, argv[1], &err);
    if (st == BPA_OK)
        st = bpa_case_policy_load(c, argv[2], &p, &err);
    if (st == BPA_OK)
        st = bpa_grant_compute(&g, c, p, &err);
    char *total = st == BPA_OK ? bpa_fmt_amount(g->total_grant) : NULL;
    if (total)
        printf("bpa %s: grant %s %s\n", bpa_version(), c->id, total);
    else if (st == BPA_OK)
        fprintf(stderr, "hello: out of memory\n");
    else {
        char buf[2048];
        fprintf(stderr, "hello: %s\n", bpa_error_format(&err, buf, sizeof buf));
    }
    free(total);
    bpa_grant_free(g);
    bpa_policy_free(p);
    bpa_case_free(c);
    return total ? 0 : 1;
}

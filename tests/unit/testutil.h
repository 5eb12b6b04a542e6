/* Shared by the Check unit tests: one executable per file, run by make. */
#ifndef BPA_TESTUTIL_H
#define BPA_TESTUTIL_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

/* Define main() running one suite; fails the process when any test fails. */
#define BPA_TEST_MAIN(suite_fn)                                                \
    int main(void)                                                             \
    {                                                                          \
        SRunner *runner = srunner_create(suite_fn());                          \
        srunner_run_all(runner, CK_NORMAL);                                    \
        int failed = srunner_ntests_failed(runner);                            \
        int tests_run = srunner_ntests_run(runner);                             \
        srunner_free(runner);                                                  \
        if (tests_run == 0) /* CK_RUN_CASE or CK_RUN_SUITE named nothing */ \
            fprintf(stderr, "no test ran\n");                                  \
        return failed == 0 && tests_run > 0 ? EXIT_SUCCESS : EXIT_FAILURE;     \
    }

#endif

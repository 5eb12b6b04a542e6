/*
 * cli.h - what the commands of the bpa CLI share (cli/common.c): the command
 * table's entry, option parsing, error reports, where policies are found and
 * the case-policy-grant start of every command. Public headers only: the CLI
 * uses libbpa as any program would.
 */
#ifndef BPA_CLI_H
#define BPA_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "bpa/case.h"
#include "bpa/grant.h"
#include "bpa/lang.h"
#include "bpa/policy.h"
#include "bpa/se.h"
#include "bpa/status.h"
#include "bpa/usage.h"
#include "bpa/verify.h"

/* A command gets its own argv (argv[0] its name) and returns the exit
 * status (RULES.md section 11). */
typedef struct cli_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help; /* one line for `bpa --help` */
} cli_command;

int cmd_grant(int argc, char **argv);
int cmd_settle(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_serve(int argc, char **argv);

/* Show the manual page PAGE ("bpa-grant.1") with man -l when standard
 * output is a terminal and the page is installed or built beside the binary
 * (cli/man.c). Returns 0 when shown, -1 otherwise (the caller prints the
 * command's --help instead). */
int cli_man_show(const char *page);

int cmd_batch(int argc, char **argv);

/* The options of grant and settle. */
typedef struct cli_options {
    const char *json;       /* --json FILE; "-": standard output, instead of the summary */
    const char *xlsx;       /* -o, --output FILE.xlsx */
    bool lang_given;
    bpa_lang lang;          /* --lang */
    const char *policy_dir; /* --policy-dir */
    char **files;           /* the positional arguments */
    int nfiles;
} cli_options;

/* Parse a command's argv (getopt_long) expecting `nfiles` positional files
 * (`expected` says which, for the message). Returns -1 when the command
 * should go on, else the exit status: 0 after -h/--help (the usage on
 * stdout), 2 after a usage error (the message and usage on stderr). */
int cli_parse(int argc, char **argv, const char *usage, int nfiles, const char *expected,
              cli_options *o);

/* "bpa: MESSAGE" and the usage on stderr; returns 2. */
int cli_usage_error(const char *usage, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* "bpa: input error: file:line:col: path: message" on stderr; returns the
 * status's exit code. */
int cli_report(const bpa_error *err);
/* Each warning on standard error: "bpa: warning: <message> (<where>)", in
 * English like the JSON's. */
bpa_status cli_warnings(const bpa_warnings *w, bpa_error *err);

/* --json -: the JSON goes to stdout, instead of the summary. */
bool cli_json_to_stdout(const cli_options *o);

/* The language of summary and workbook: --lang, else the scheme's. */
bpa_lang cli_lang(const cli_options *o, const bpa_case *c);

/* Where policies named by id are found: `given` (--policy-dir), else
 * $BPA_POLICY_DIR, the installed share/bpa/policies (into buf), the source
 * tree's fixtures. */
const char *cli_policy_dir(const char *given, char *buf, size_t n);

/* Case, policy and grant (a Danish case) or budget (a Swedish one: exactly
 * one of grant and se_grant is set): the common start of every command. */
typedef struct cli_session {
    char dir[4096]; /* the policy directory, when found next to the binary */
    bpa_case *kase;
    bpa_policy *policy;
    bpa_grant *grant;
    bpa_se_grant *se_grant; /* a Swedish case's budget (RULES.md 7.7) instead of grant */
} cli_session;

bpa_status cli_session_open(cli_session *se, const cli_options *o, bpa_error *err);
void cli_session_close(cli_session *se);

/* The outputs of a command, after any workbook: the JSON to --json FILE
 * (atomically), then on stdout the JSON for --json -, else the summary. */
bpa_status cli_emit(const cli_options *o, const char *json, const char *summary,
                    bpa_error *err);

/* The body of bpa grant / bpa settle over an opened session (cli/run.c):
 * JSON to o->json, workbook to o->xlsx, and, unless `quiet` (a batch), the
 * summary or JSON on stdout and the warnings on stderr. With json_keep, the
 * result JSON's text is handed there (the caller frees it). */
bpa_status cli_grant_outputs(const cli_options *o, const cli_session *se, bool quiet,
                             char **json_keep, bpa_error *err);
bpa_status cli_settle_outputs(const cli_options *o, const cli_session *se,
                              const char *usage_path, bool quiet, char **json_keep,
                              bpa_error *err);

/* The recomputation and comparison of bpa verify (cli/run.c), shared with
 * bpa serve's POST /api/verify: the settlement of the loaded usage (Danish u
 * with g, or Swedish su with sg) compared with the account file at path
 * `account`; *out as bpa_verify_settlement gives it. */
bpa_status cli_verify_run(const bpa_grant *g, const bpa_se_grant *sg, const bpa_usage *u,
                          const bpa_se_usage *su, const char *account,
                          bpa_verify_result **out, bpa_error *err);

#endif

/* bpa - the command line: a thin layer over libbpa. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "bpa/case.h"
#include "bpa/grant.h"
#include "bpa/policy.h"
#include "bpa/settle.h"
#include "bpa/usage.h"
#include "bpa/workbook.h"
#include "bpa/status.h"
#include "bpa/memory.h"
#include "io/outfile.h"

static const char usage_main[] =
    "usage: bpa <command> [options]\n"
    "\n"
    "Exact grant calculation and annual settlement for personal assistance\n"
    "(Danish BPA, Serviceloven sections 94-96).\n"
    "\n"
    "commands:\n"
    "  grant CASE.json          compute the grant (bpa-grant-result/1 JSON)\n"
    "  settle CASE.json USAGE.json\n"
    "                           the annual account (bpa-settlement-result/1 JSON)\n"
    "\n"
    "options:\n"
    "  -h, --help               show this help (bpa <command> --help for a command)\n"
    "  --version                show the engine version\n"
    "\n"
    "exit status: 0 success, 1 input or policy error, 2 usage error,\n"
    "3 output could not be written\n";

static const char usage_grant[] =
    "usage: bpa grant CASE.json [--json FILE] [-o FILE.xlsx] [--lang da|en] [--policy-dir DIR]\n"
    "\n"
    "Compute the grant of a case file (RULES.md section 7) and print the\n"
    "bpa-grant-result/1 JSON to standard output.\n"
    "\n"
    "  --json FILE        write the JSON to FILE instead (atomically)\n"
    "  -o FILE.xlsx       write the grant workbook (live formulas) to FILE.xlsx;\n"
    "                     the JSON still goes to stdout unless --json is given\n"
    "  --lang da|en       workbook language (default: Danish for DK schemes)\n"
    "  --policy-dir DIR   where policies named by id are found; default:\n"
    "                     $BPA_POLICY_DIR, else the installed share/bpa/policies,\n"
    "                     else fixtures/policies of the source tree\n";

static const char usage_settle[] =
    "usage: bpa settle CASE.json USAGE.json [--json FILE] [-o FILE.xlsx] [--lang da|en]\n"
    "                  [--policy-dir DIR]\n"
    "\n"
    "The 1 March account (RULES.md section 8.2): granted vs used hours (from\n"
    "`used` rows and timesheets), carry-in and carry-over, the five balance\n"
    "lines and the repayment or back-payment, as bpa-settlement-result/1 JSON\n"
    "on standard output.\n"
    "\n"
    "  --json FILE        write the JSON to FILE instead (atomically)\n"
    "  -o FILE.xlsx       write the account workbook to FILE.xlsx\n"
    "  --lang da|en       workbook language (default: Danish for DK schemes)\n"
    "  --policy-dir DIR   as for bpa grant\n";

static int report(const bpa_error *err)
{
    char buf[2048];
    fprintf(stderr, "bpa: %s: %s\n", bpa_status_str(err->status),
            bpa_error_format(err, buf, sizeof buf));
    return bpa_status_exit_code(err->status);
}

static int usage_error(const char *usage, const char *fmt, const char *arg)
{
    fprintf(stderr, "bpa: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n\n%s", usage);
    return bpa_status_exit_code(BPA_E_USAGE);
}

static bool is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* --policy-dir, $BPA_POLICY_DIR, <prefix>/share/bpa/policies next to the
 * installed binary, the source tree's fixtures. Returns a malloc'd path. */
static char *policy_dir(const char *given)
{
    if (given)
        return bpa_strdup(given);
    const char *env = getenv("BPA_POLICY_DIR");
    if (env && *env)
        return bpa_strdup(env);
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 64);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            strcpy(slash, "/../share/bpa/policies");
            if (is_dir(exe))
                return bpa_strdup(exe);
        }
    }
    return bpa_strdup(BPA_SOURCE_DIR "/fixtures/policies");
}

/* Load the case's policy and check it is the one the case names. */
static bpa_status load_policy(const bpa_case *c, const char *dir, bpa_policy **out,
                              bpa_error *err)
{
    char *path = bpa_case_policy_path(c, dir);
    if (!path)
        return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    bpa_status st = bpa_policy_load(out, path, err);
    if (st == BPA_E_IO) /* a policy that cannot be read is a policy error */
        err->status = st = BPA_E_POLICY;
    free(path);
    if (st != BPA_OK)
        return st;
    bool by_path = strchr(c->policy, '/') || strstr(c->policy, ".json");
    if (!by_path && strcmp(bpa_policy_id(*out), c->policy) != 0) {
        st = bpa_error_set(err, BPA_E_POLICY, bpa_policy_file(*out), 0, 0, "$.id",
                           "the file's id \"%s\" does not match the case's policy \"%s\"",
                           bpa_policy_id(*out), c->policy);
        bpa_policy_free(*out);
        *out = NULL;
    }
    return st;
}

static bpa_status write_output(const char *path, const char *text, bpa_error *err)
{
    if (!path) {
        if (fputs(text, stdout) == EOF || fflush(stdout) != 0)
            return bpa_error_set(err, BPA_E_OUTPUT, "<stdout>", 0, 0, NULL, "write failed: %s",
                                 strerror(errno));
        return BPA_OK;
    }
    bpa_outfile out;
    bpa_status st = bpa_outfile_open(&out, path, err);
    if (st != BPA_OK)
        return st;
    if (fputs(text, out.fp) == EOF) {
        bpa_outfile_abort(&out);
        return bpa_error_set(err, BPA_E_OUTPUT, path, 0, 0, NULL, "write failed: %s",
                             strerror(errno));
    }
    return bpa_outfile_commit(&out, err);
}

typedef struct options {
    const char *json;
    const char *xlsx;
    bpa_lang lang;
    const char *policy_dir;
    const char *positional[4];
    int npositional;
} options;

/* Returns -1 when parsing succeeded, otherwise the exit status. */
static int parse_options(int argc, char **argv, const char *usage, int want, options *o)
{
    memset(o, 0, sizeof *o);
    o->lang = BPA_LANG_DA;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (strcmp(a, "--json") == 0 || strcmp(a, "--policy-dir") == 0 ||
                   strcmp(a, "-o") == 0 || strcmp(a, "--lang") == 0) {
            if (i + 1 >= argc)
                return usage_error(usage, "%s needs a value", a);
            const char *v = argv[++i];
            if (strcmp(a, "--lang") == 0) {
                if (strcmp(v, "da") == 0)
                    o->lang = BPA_LANG_DA;
                else if (strcmp(v, "en") == 0)
                    o->lang = BPA_LANG_EN;
                else
                    return usage_error(usage, "--lang is da or en, not %s", v);
            } else {
                *(a[1] == 'o' ? &o->xlsx : a[2] == 'j' ? &o->json : &o->policy_dir) = v;
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage_error(usage, "unknown option %s", a);
        } else {
            if (o->npositional >= want)
                return usage_error(usage, "unexpected argument %s", a);
            o->positional[o->npositional++] = a;
        }
    }
    if (o->npositional != want)
        return usage_error(usage, "%s",
                           want == 1 ? "expected one case file" : "expected a case file and a usage file");
    return -1;
}

/* Case, policy and grant: the common start of every command. */
typedef struct session {
    char *dir;
    bpa_case *kase;
    bpa_policy *policy;
    bpa_grant *grant;
} session;

static bpa_status session_open(session *se, const options *o, bpa_error *err)
{
    memset(se, 0, sizeof *se);
    se->dir = policy_dir(o->policy_dir);
    if (!se->dir)
        return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    bpa_status st = bpa_case_load(&se->kase, o->positional[0], err);
    if (st == BPA_OK)
        st = load_policy(se->kase, se->dir, &se->policy, err);
    if (st == BPA_OK)
        st = bpa_grant_compute(&se->grant, se->kase, se->policy, err);
    return st;
}

static void session_close(session *se)
{
    bpa_grant_free(se->grant);
    bpa_policy_free(se->policy);
    bpa_case_free(se->kase);
    free(se->dir);
}

static int cmd_grant(int argc, char **argv)
{
    options o;
    int rc = parse_options(argc, argv, usage_grant, 1, &o);
    if (rc >= 0)
        return rc;
    bpa_error err;
    bpa_error_clear(&err);
    session se;
    char *json = NULL;
    bpa_status st = session_open(&se, &o, &err);
    if (st == BPA_OK)
        st = bpa_grant_to_json(se.grant, &json, &err);
    /* the workbook first: a failed workbook leaves no JSON file either */
    if (st == BPA_OK && o.xlsx)
        st = bpa_grant_workbook_write(se.grant, o.xlsx, o.lang, &err);
    if (st == BPA_OK)
        st = write_output(o.json, json, &err);
    free(json);
    session_close(&se);
    return st == BPA_OK ? 0 : report(&err);
}

static int cmd_settle(int argc, char **argv)
{
    options o;
    int rc = parse_options(argc, argv, usage_settle, 2, &o);
    if (rc >= 0)
        return rc;
    bpa_error err;
    bpa_error_clear(&err);
    session se;
    bpa_usage *u = NULL;
    bpa_settlement *s = NULL;
    char *json = NULL;
    bpa_status st = session_open(&se, &o, &err);
    if (st == BPA_OK)
        st = bpa_usage_load(&u, o.positional[1], &err);
    if (st == BPA_OK)
        st = bpa_settle_compute(&s, se.grant, u, &err);
    if (st == BPA_OK)
        st = bpa_settle_to_json(s, &json, &err);
    if (st == BPA_OK && o.xlsx)
        st = bpa_settle_workbook_write(s, o.xlsx, o.lang, &err);
    if (st == BPA_OK)
        st = write_output(o.json, json, &err);
    free(json);
    bpa_settle_free(s);
    bpa_usage_free(u);
    session_close(&se);
    return st == BPA_OK ? 0 : report(&err);
}

/* GMP cannot return a failed allocation: stop here, cleanly. */
static void out_of_memory(void)
{
    fputs("bpa: out of memory\n", stderr);
    exit(bpa_status_exit_code(BPA_E_NOMEM));
}

int main(int argc, char **argv)
{
    bpa_memory_hooks_install(out_of_memory);
    if (argc < 2)
        return usage_error(usage_main, "%s", "missing command");
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_main, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("bpa %s\n", BPA_VERSION);
        return 0;
    }
    if (strcmp(cmd, "grant") == 0)
        return cmd_grant(argc - 2, argv + 2);
    if (strcmp(cmd, "settle") == 0)
        return cmd_settle(argc - 2, argv + 2);
    return usage_error(usage_main, "unknown command %s", cmd);
}

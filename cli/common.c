/* What the commands share (see cli.h). */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpa/output.h"

int cli_usage_error(const char *usage, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("bpa: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n\n%s", usage);
    return bpa_status_exit_code(BPA_E_USAGE);
}

int cli_report(const bpa_error *err)
{
    char buf[2048];
    fprintf(stderr, "bpa: %s: %s\n", bpa_status_str(err->status),
            bpa_error_format(err, buf, sizeof buf));
    return bpa_status_exit_code(err->status);
}

/* The option getopt_long stopped at, as the user wrote it ("--json",
 * "-o"), without any "=value". */
static const char *option_text(char **argv, char *buf, size_t n)
{
    if (optopt) { /* a short option, or a long one with a short twin */
        const char *prev = argv[optind - 1];
        if (strncmp(prev, "--", 2) != 0) {
            snprintf(buf, n, "-%c", optopt);
            return buf;
        }
    }
    snprintf(buf, n, "%s", argv[optind - 1]);
    char *eq = strchr(buf, '=');
    if (eq)
        *eq = '\0';
    return buf;
}

int cli_parse(int argc, char **argv, const char *usage, int nfiles, const char *expected,
              cli_options *o)
{
    static const struct option options[] = {
        {"json", required_argument, NULL, 'j'},
        {"output", required_argument, NULL, 'o'},
        {"lang", required_argument, NULL, 'l'},
        {"policy-dir", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    opterr = 0;  /* our messages, with the usage */
    optind = 0;  /* a fresh scan (glibc and musl) */
    char name[64];
    int c, li = -1;
    while ((c = getopt_long(argc, argv, ":ho:", options, &li)) != -1) {
        switch (c) {
        case 'h':
            fputs(usage, stdout);
            return fflush(stdout) == 0 ? 0 : bpa_status_exit_code(BPA_E_OUTPUT);
        case ':':
            return cli_usage_error(usage, "%s needs a value", option_text(argv, name, sizeof name));
        case '?':
            return cli_usage_error(usage, "unknown option %s", option_text(argv, name, sizeof name));
        }
        /* the option of this value as given: long (li set) or short */
        if (li >= 0)
            snprintf(name, sizeof name, "--%s", options[li].name);
        else
            snprintf(name, sizeof name, "-%c", c);
        if (!optarg[0]) /* --json= or --json "" */
            return cli_usage_error(usage, "%s needs a value", name);
        switch (c) {
        case 'j':
            o->json = optarg;
            break;
        case 'o':
            if (strcmp(optarg, "-") == 0)
                return cli_usage_error(usage, "%s needs a file name: a workbook is not written "
                                              "to standard output",
                                       name);
            o->xlsx = optarg;
            break;
        case 'l':
            if (!bpa_lang_parse(optarg, &o->lang))
                return cli_usage_error(usage, "--lang is da, en or sv, not %s", optarg);
            o->lang_given = true;
            break;
        case 'p':
            o->policy_dir = optarg;
            break;
        }
        li = -1;
    }
    o->files = argv + optind;
    o->nfiles = argc - optind;
    if (o->nfiles > nfiles)
        return cli_usage_error(usage, "unexpected argument %s", o->files[nfiles]);
    if (o->nfiles < nfiles)
        return cli_usage_error(usage, "expected %s", expected);
    return -1;
}

bool cli_json_to_stdout(const cli_options *o) { return o->json && strcmp(o->json, "-") == 0; }

bpa_lang cli_lang(const cli_options *o, const bpa_case *c)
{
    return o->lang_given ? o->lang : bpa_lang_of_scheme(c->scheme);
}

static bool is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* --policy-dir, $BPA_POLICY_DIR, <prefix>/share/bpa/policies beside an
 * installed <prefix>/bin/bpa, the source tree's fixtures. */
static const char *policy_dir(const char *given, char *buf, size_t n)
{
    if (given)
        return given;
    const char *env = getenv("BPA_POLICY_DIR");
    if (env && *env)
        return env;
    static const char installed[] = "/../share/bpa/policies";
    ssize_t len = readlink("/proc/self/exe", buf, n);
    if (len > 0 && (size_t)len < n) {
        buf[len] = '\0';
        char *slash = strrchr(buf, '/');
        if (slash && (size_t)(slash - buf) + sizeof installed <= n) {
            memcpy(slash, installed, sizeof installed);
            if (is_dir(buf))
                return buf;
        }
    }
    return BPA_SOURCE_DIR "/fixtures/policies";
}

const char *cli_policy_dir(const cli_options *o, char *buf, size_t n)
{
    return policy_dir(o->policy_dir, buf, n);
}

bpa_status cli_session_open(cli_session *se, const cli_options *o, bpa_error *err)
{
    memset(se, 0, sizeof *se);
    const char *dir = policy_dir(o->policy_dir, se->dir, sizeof se->dir);
    bpa_status st = bpa_case_load(&se->kase, o->files[0], err);
    if (st == BPA_OK && se->kase->se && o->lang_given && o->lang == BPA_LANG_DA)
        st = bpa_error_set(err, BPA_E_USAGE, NULL, 0, 0, NULL,
                           "--lang da: %s is a Swedish scheme, written in Swedish (--lang sv, "
                           "the default) or English (--lang en)",
                           bpa_scheme_name(se->kase->scheme));
    if (st == BPA_OK)
        st = bpa_case_policy_load(se->kase, dir, &se->policy, err);
    if (st == BPA_OK && se->kase->se)
        st = bpa_se_grant_compute(&se->se_grant, se->kase, se->policy, err);
    else if (st == BPA_OK)
        st = bpa_grant_compute(&se->grant, se->kase, se->policy, err);
    return st;
}

void cli_session_close(cli_session *se)
{
    bpa_se_grant_free(se->se_grant);
    bpa_grant_free(se->grant);
    bpa_policy_free(se->policy);
    bpa_case_free(se->kase);
    memset(se, 0, sizeof *se);
}

static bpa_status write_stdout(const char *text, bpa_error *err)
{
    if (fputs(text, stdout) == EOF || fflush(stdout) != 0)
        return bpa_error_set(err, BPA_E_OUTPUT, "<stdout>", 0, 0, NULL, "write failed: %s",
                             strerror(errno));
    return BPA_OK;
}

bpa_status cli_emit(const cli_options *o, const char *json, const char *summary, bpa_error *err)
{
    bool json_out = cli_json_to_stdout(o);
    if (o->json && !json_out) {
        bpa_status st = bpa_file_write(o->json, json, strlen(json), err);
        if (st != BPA_OK)
            return st;
    }
    return write_stdout(json_out ? json : summary, err);
}

bpa_status cli_warnings(const bpa_warnings *w, bpa_error *err)
{
    for (size_t i = 0; i < w->n; i++) {
        char *message, *where;
        bpa_status st = bpa_warning_render(w, i, BPA_LANG_EN, &message, &where, err);
        if (st != BPA_OK)
            return st;
        fprintf(stderr, "bpa: warning: %s (%s)\n", message, where);
        free(message);
        free(where);
    }
    return BPA_OK;
}

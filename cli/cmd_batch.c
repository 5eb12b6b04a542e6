/* bpa batch: a caseload at once (RULES.md section 14). Each case runs in a
 * worker process of its own (fork), so that one case's failure, GMP's
 * out-of-memory abort or a crash included, cannot touch another; the worker
 * writes the case's files itself (atomically, through the same functions as
 * bpa grant and bpa settle) and sends its portfolio row to the parent as one
 * line of JSON over a pipe. The parent holds only the rows. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <cJSON.h>

#include "cli.h"

#include "bpa/case.h"
#include "bpa/hash.h"
#include "bpa/memory.h"
#include "bpa/output.h"
#include "bpa/portfolio.h"
#include "bpa/se.h"
#include "bpa/usage.h"
#include "bpa/version.h"

static const char usage[] =
    "usage: bpa batch DIR -d OUT [--workbooks] [--jobs N] [--resume] [--lang da|en|sv]\n"
    "                 [--policy-dir DIR]\n"
    "       bpa batch --manifest FILE.csv -d OUT [options]\n"
    "\n"
    "Grants, and settlements where a usage file is given, of a whole caseload\n"
    "(RULES.md section 14): DIR holds one case per sub-directory (case.json and\n"
    "optionally usage.json); a manifest is a CSV with the columns case,usage[,id]\n"
    "(paths relative to the manifest; usage may be empty). Per case OUT/ID/ gets\n"
    "grant.json (and settlement.json), byte for byte what bpa grant and bpa settle\n"
    "write for it alone; OUT/portfolio.json (bpa-portfolio-result/1) and\n"
    "OUT/portfolio.xlsx list every case with its totals or its error and the\n"
    "totals per scheme and direction. A failing case does not stop the others;\n"
    "the exit status is 1 when any failed. SIGINT or SIGTERM stops the batch:\n"
    "finished cases keep their files, no portfolio is written, exit status 130.\n"
    "\n"
    "  -d, --output-dir OUT    where the results go (created when missing)\n"
    "  --manifest FILE.csv     the cases from a manifest instead of DIR\n"
    "  --workbooks             also each case's workbooks (grant.xlsx,\n"
    "                          settlement.xlsx), as bpa grant -o writes them\n"
    "  -j, --jobs N            cases computed at once (worker processes);\n"
    "                          default: the number of online processors\n"
    "  --resume                skip a case whose results exist and were made by\n"
    "                          this engine from the files as they are now (the\n"
    "                          SHA-256s of inputs[]); its row is read from them\n"
    "  --lang da|en|sv         language of the portfolio workbook; default: the\n"
    "                          cases' (Danish or Swedish when all are), else English.\n"
    "                          Each case's workbooks are in its scheme's language\n"
    "  --policy-dir DIR        as for bpa grant\n"
    "  -h, --help              show this help\n";

/* ---- the caseload ---- */

typedef struct bcase {
    char *id;
    char *kase;   /* path of the case file */
    char *usage;  /* path of the usage file, or NULL */
    char *problem; /* set when the case cannot even be started (no case.json) */
} bcase;

typedef struct caseload {
    bcase *v;
    size_t n, cap;
} caseload;

static void caseload_free(caseload *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].id);
        free(l->v[i].kase);
        free(l->v[i].usage);
        free(l->v[i].problem);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* The CLI's own bookkeeping cannot go on without memory (RULES.md 11: 3). */
static void oom_exit(void)
{
    fputs("bpa: out of memory\n", stderr);
    exit(bpa_status_exit_code(BPA_E_NOMEM));
}

static char *xstrdup(const char *s)
{
    char *d = s ? strdup(s) : NULL;
    if (s && !d)
        oom_exit();
    return d;
}

static char *path_join(const char *dir, const char *name)
{
    if (name[0] == '/' || !dir[0])
        return xstrdup(name);
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (!p)
        oom_exit();
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static bcase *caseload_push(caseload *l)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        bcase *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            oom_exit();
        l->v = v;
        l->cap = cap;
    }
    bcase *c = &l->v[l->n++];
    memset(c, 0, sizeof *c);
    return c;
}

static bool file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* An id names a directory under OUT: letters, digits, '.', '_', '-', not
 * starting with '.'. */
static bool id_ok(const char *id)
{
    if (!id[0] || id[0] == '.' || strlen(id) > 200)
        return false;
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '_' || *p == '-'))
            return false;
    return true;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One case per sub-directory of dir, in name order (hidden ones skipped). */
static bpa_status load_dir(caseload *l, const char *dir, bpa_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return bpa_error_set(err, BPA_E_IO, dir, 0, 0, NULL,
                             "cannot read the case directory: %s", strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *full = path_join(dir, e->d_name);
        struct stat sb;
        bool isdir = stat(full, &sb) == 0 && S_ISDIR(sb.st_mode);
        free(full);
        if (!isdir)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn)
                oom_exit();
            names = nn;
        }
        names[n++] = xstrdup(e->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, name_cmp);
    bpa_status st = BPA_OK;
    for (size_t i = 0; i < n; i++) {
        if (st == BPA_OK && !id_ok(names[i]))
            st = bpa_error_set(err, BPA_E_INPUT, dir, 0, 0, NULL,
                               "sub-directory \"%s\": a case's directory name is its id and may "
                               "hold only letters, digits, '.', '_' and '-'; rename it",
                               names[i]);
        if (st == BPA_OK) {
            bcase *c = caseload_push(l);
            char *sub = path_join(dir, names[i]);
            c->id = xstrdup(names[i]);
            c->kase = path_join(sub, "case.json");
            char *u = path_join(sub, "usage.json");
            if (file_exists(u))
                c->usage = u;
            else
                free(u);
            if (!file_exists(c->kase)) {
                size_t m = strlen(sub) + 64;
                c->problem = malloc(m);
                if (!c->problem)
                    oom_exit();
                snprintf(c->problem, m, "%s: no case.json in this case directory", sub);
            }
            free(sub);
        }
        free(names[i]);
    }
    free(names);
    if (st == BPA_OK && l->n == 0)
        st = bpa_error_set(err, BPA_E_INPUT, dir, 0, 0, NULL,
                           "no case directories: put each case in a sub-directory of its own "
                           "(case.json, optionally usage.json)");
    return st;
}

/* The fields of one CSV line (commas; a field may be quoted with "", a
 * doubled quote inside). Returns the count, or -1 for a malformed quote. */
static int csv_split(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;
    for (;;) {
        if (n == max)
            return max + 1;
        char *out = p;
        f[n++] = p;
        if (*p == '"') {
            p++;
            for (;;) {
                if (!*p)
                    return -1;
                if (*p == '"' && p[1] == '"') {
                    *out++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else
                    *out++ = *p++;
            }
            if (*p && *p != ',')
                return -1;
        } else
            while (*p && *p != ',')
                *out++ = *p++;
        char sep = *p;
        *out = '\0';
        if (!sep)
            return n;
        p++;
    }
}

static char *base_id(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    char *id = xstrdup(b);
    size_t n = strlen(id);
    if (n > 5 && strcmp(id + n - 5, ".json") == 0)
        id[n - 5] = '\0';
    return id;
}

static bpa_status load_manifest(caseload *l, const char *path, bpa_error *err)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return bpa_error_set(err, BPA_E_IO, path, 0, 0, NULL, "cannot read the manifest: %s",
                             strerror(errno));
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        dir[0] = '\0';
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned lineno = 0;
    int ncols = 0;
    bpa_status st = BPA_OK;
    while (st == BPA_OK && (len = getline(&line, &cap, fp)) != -1) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (lineno == 1 && (unsigned char)line[0] == 0xEF && (unsigned char)line[1] == 0xBB &&
            (unsigned char)line[2] == 0xBF)
            memmove(line, line + 3, (size_t)len - 2);
        if (!line[0])
            continue;
        char *f[4];
        int n = csv_split(line, f, 3);
        if (n < 0) {
            st = bpa_error_set(err, BPA_E_INPUT, path, lineno, 0, NULL,
                               "a quoted field is not closed or has text after its quote");
            break;
        }
        if (lineno == 1) {
            if (!((n == 2 || n == 3) && strcmp(f[0], "case") == 0 && strcmp(f[1], "usage") == 0 &&
                  (n == 2 || strcmp(f[2], "id") == 0)))
                st = bpa_error_set(err, BPA_E_INPUT, path, 1, 0, NULL,
                                   "the header must be case,usage or case,usage,id");
            ncols = n;
            continue;
        }
        if (n != ncols) {
            st = bpa_error_set(err, BPA_E_INPUT, path, lineno, 0, NULL,
                               "%d fields where the header has %d", n > 3 ? 4 : n, ncols);
            break;
        }
        if (!f[0][0]) {
            st = bpa_error_set(err, BPA_E_INPUT, path, lineno, 1, NULL,
                               "the case column is empty: give the case file's path");
            break;
        }
        char *id = ncols == 3 && f[2][0] ? xstrdup(f[2]) : base_id(f[0]);
        if (!id_ok(id)) {
            st = bpa_error_set(err, BPA_E_INPUT, path, lineno, 0, NULL,
                               "id \"%s\": an id names the case's output directory and may "
                               "hold only letters, digits, '.', '_' and '-' (give one in the "
                               "id column)",
                               id);
            free(id);
            break;
        }
        bcase *c = caseload_push(l);
        c->id = id;
        c->kase = path_join(dir, f[0]);
        c->usage = f[1][0] ? path_join(dir, f[1]) : NULL;
    }
    if (st == BPA_OK && ferror(fp))
        st = bpa_error_set(err, BPA_E_IO, path, 0, 0, NULL, "cannot read the manifest: %s",
                           strerror(errno));
    if (st == BPA_OK && lineno == 0)
        st = bpa_error_set(err, BPA_E_INPUT, path, 0, 0, NULL,
                           "empty manifest: a header case,usage[,id] and one line per case");
    if (st == BPA_OK && l->n == 0)
        st = bpa_error_set(err, BPA_E_INPUT, path, 0, 0, NULL, "the manifest lists no cases");
    free(line);
    free(dir);
    fclose(fp);
    return st;
}

static int bcase_cmp(const void *a, const void *b)
{
    return strcmp(((const bcase *)a)->id, ((const bcase *)b)->id);
}

/* Ids name output directories: no two alike. */
static bpa_status check_ids(caseload *l, const char *source, bpa_error *err)
{
    if (l->n)
        qsort(l->v, l->n, sizeof *l->v, bcase_cmp);
    for (size_t i = 1; i < l->n; i++)
        if (strcmp(l->v[i - 1].id, l->v[i].id) == 0)
            return bpa_error_set(err, BPA_E_INPUT, source, 0, 0, NULL,
                                 "two cases have the id \"%s\" (%s and %s): give each its own "
                                 "in the id column",
                                 l->v[i].id, l->v[i - 1].kase, l->v[i].kase);
    return BPA_OK;
}

/* ---- one case, in its worker ---- */

typedef struct batch_opts {
    const char *out;
    const char *policy_dir;
    bool workbooks, resume;
    bool lang_given;
    bpa_lang lang;
    long jobs;
} batch_opts;

typedef struct outputs {
    char *dir, *grant_json, *settle_json, *grant_xlsx, *settle_xlsx;
} outputs;

static void outputs_make(outputs *o, const char *out, const char *id)
{
    o->dir = path_join(out, id);
    o->grant_json = path_join(o->dir, "grant.json");
    o->settle_json = path_join(o->dir, "settlement.json");
    o->grant_xlsx = path_join(o->dir, "grant.xlsx");
    o->settle_xlsx = path_join(o->dir, "settlement.xlsx");
}

static void outputs_free(outputs *o)
{
    free(o->dir);
    free(o->grant_json);
    free(o->settle_json);
    free(o->grant_xlsx);
    free(o->settle_xlsx);
}

/* A failed case keeps no results: a stale one would pass for its own. */
static void outputs_remove(const outputs *o)
{
    unlink(o->grant_json);
    unlink(o->settle_json);
    unlink(o->grant_xlsx);
    unlink(o->settle_xlsx);
    rmdir(o->dir); /* only when empty */
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (cap - n < 65536) {
            cap = cap ? 2 * cap : 65536;
            char *nb = realloc(buf, cap + 1);
            if (!nb) {
                free(buf);
                fclose(fp);
                return NULL;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (got == 0)
            break;
    }
    bool bad = ferror(fp);
    fclose(fp);
    if (bad) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

/* The inputs[] a result made now would stamp: (name, sha256) pairs. */
typedef struct stamp {
    const char *name[64];
    char sha[64][65];
    size_t n;
    bool overflow;
} stamp;

static void stamp_add(stamp *s, const char *path, const char *sha)
{
    if (s->n == 64) {
        s->overflow = true;
        return;
    }
    s->name[s->n] = base_name(path);
    memcpy(s->sha[s->n], sha, 65);
    s->n++;
}

static bool stamp_matches(const stamp *s, size_t n, const char *json)
{
    cJSON *root = cJSON_Parse(json);
    bool ok = root != NULL && !s->overflow;
    const cJSON *eng = cJSON_GetObjectItemCaseSensitive(root, "engine");
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(eng, "version");
    ok = ok && cJSON_IsString(ver) && strcmp(ver->valuestring, bpa_version()) == 0;
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(root, "inputs");
    ok = ok && cJSON_IsArray(in) && (size_t)cJSON_GetArraySize(in) == n;
    for (size_t i = 0; ok && i < n; i++) {
        const cJSON *e = cJSON_GetArrayItem(in, (int)i);
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(e, "name");
        const cJSON *sha = cJSON_GetObjectItemCaseSensitive(e, "sha256");
        ok = cJSON_IsString(name) && cJSON_IsString(sha) &&
             strcmp(name->valuestring, s->name[i]) == 0 &&
             strcmp(sha->valuestring, s->sha[i]) == 0;
    }
    cJSON_Delete(root);
    return ok;
}

/* --resume: the results on disk, when they were made by this engine from
 * the files as they are now; else NULL (the case is computed). */
static bpa_portfolio_case *resume_row(const bcase *bc, const batch_opts *bo, const outputs *out)
{
    if (!file_exists(out->grant_json) || (bc->usage && !file_exists(out->settle_json)))
        return NULL;
    if (bo->workbooks &&
        (!file_exists(out->grant_xlsx) || (bc->usage && !file_exists(out->settle_xlsx))))
        return NULL;
    bpa_error err;
    bpa_error_clear(&err);
    bpa_case *kase = NULL;
    bpa_policy *policy = NULL;
    bpa_usage *u = NULL;
    bpa_se_usage *su = NULL;
    char *gj = NULL, *sj = NULL;
    bpa_portfolio_case *row = NULL;
    char dirbuf[4096];
    cli_options o;
    memset(&o, 0, sizeof o);
    o.policy_dir = bo->policy_dir;
    stamp *s = calloc(1, sizeof *s);
    bool ok = s && bpa_case_load(&kase, bc->kase, &err) == BPA_OK &&
              bpa_case_policy_load(kase, cli_policy_dir(o.policy_dir, dirbuf, sizeof dirbuf), &policy,
                                   &err) == BPA_OK;
    if (ok) {
        stamp_add(s, bc->kase, kase->sha256);
        stamp_add(s, bpa_policy_file(policy), bpa_policy_sha256(policy));
    }
    size_t ngrant = s ? s->n : 0;
    if (ok && bc->usage) {
        char *const *ts = NULL;
        size_t nts = 0;
        const char *usha = NULL;
        if (kase->se) {
            ok = bpa_se_usage_load(&su, bc->usage, &err) == BPA_OK;
            if (ok) {
                ts = su->timesheets;
                nts = su->ntimesheets;
                usha = su->sha256;
            }
        } else {
            ok = bpa_usage_load(&u, bc->usage, &err) == BPA_OK;
            if (ok) {
                ts = u->timesheets;
                nts = u->ntimesheets;
                usha = u->sha256;
            }
        }
        if (ok)
            stamp_add(s, bc->usage, usha);
        for (size_t i = 0; ok && i < nts; i++) {
            char hex[65];
            ok = bpa_file_sha256(ts[i], hex, &err) == BPA_OK;
            if (ok)
                stamp_add(s, ts[i], hex);
        }
    }
    if (ok) {
        gj = slurp(out->grant_json);
        sj = bc->usage ? slurp(out->settle_json) : NULL;
        ok = gj && (!bc->usage || sj);
    }
    ok = ok && stamp_matches(s, ngrant, gj) && (!bc->usage || stamp_matches(s, s->n, sj));
    if (ok && bpa_portfolio_case_from_results(&row, bc->id, out->grant_json, gj, sj, &err) !=
                  BPA_OK)
        row = NULL;
    free(gj);
    free(sj);
    free(s);
    bpa_se_usage_free(su);
    bpa_usage_free(u);
    bpa_policy_free(policy);
    bpa_case_free(kase);
    return row;
}

/* The worker's pipe and its out-of-memory row, made before the case starts
 * (GMP cannot return a failed allocation: the hook must not allocate). */
static int g_fd = -1;
static char *g_oom_line;

static void write_all(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

static void worker_oom(void)
{
    if (g_oom_line) {
        write_all(g_fd, g_oom_line, strlen(g_oom_line));
        write_all(g_fd, "\n", 1);
    }
    _exit(bpa_status_exit_code(BPA_E_NOMEM));
}

static void send_row(int fd, const bpa_portfolio_case *row)
{
    char *line = NULL;
    bpa_error err;
    if (bpa_portfolio_case_to_line(row, &line, &err) == BPA_OK) {
        write_all(fd, line, strlen(line));
        write_all(fd, "\n", 1);
    }
    free(line);
}

static int worker_fail(int fd, const char *id, const outputs *out, const bpa_error *e)
{
    char where[2048], msg[2200];
    snprintf(msg, sizeof msg, "%s: %s", bpa_status_str(e->status),
             bpa_error_format(e, where, sizeof where));
    outputs_remove(out);
    bpa_portfolio_case *row = NULL;
    bpa_error err;
    int code = bpa_status_exit_code(e->status);
    if (bpa_portfolio_case_failed(&row, id, msg, code, &err) == BPA_OK)
        send_row(fd, row);
    bpa_portfolio_case_free(row);
    return code;
}

/* Compute one case, write its files, send its row; the exit status. */
static int worker(const bcase *bc, const batch_opts *bo, int fd)
{
    bpa_error err;
    bpa_error_clear(&err);
    outputs out;
    outputs_make(&out, bo->out, bc->id);
    {
        bpa_portfolio_case *oom = NULL;
        if (bpa_portfolio_case_failed(&oom, bc->id, "out of memory", 3, &err) == BPA_OK)
            bpa_portfolio_case_to_line(oom, &g_oom_line, &err);
        bpa_portfolio_case_free(oom);
    }
    g_fd = fd;
    /* the same allocators as main installed: only the callback changes */
    bpa_memory_hooks_install(worker_oom);
    int rc = 0;
    if (bc->problem) {
        bpa_error_set(&err, BPA_E_INPUT, NULL, 0, 0, NULL, "%s", bc->problem);
        rc = worker_fail(fd, bc->id, &out, &err);
        goto done;
    }
    bpa_portfolio_case *row = bo->resume ? resume_row(bc, bo, &out) : NULL;
    if (row) {
        send_row(fd, row);
        bpa_portfolio_case_free(row);
        goto done;
    }
    if (mkdir(out.dir, 0777) != 0 && errno != EEXIST) {
        bpa_error_set(&err, BPA_E_OUTPUT, out.dir, 0, 0, NULL, "cannot create: %s",
                      strerror(errno));
        rc = worker_fail(fd, bc->id, &out, &err);
        goto done;
    }
    char *files[1] = {bc->kase};
    cli_options o;
    memset(&o, 0, sizeof o);
    o.files = files;
    o.nfiles = 1;
    o.policy_dir = bo->policy_dir;
    o.json = out.grant_json;
    o.xlsx = bo->workbooks ? out.grant_xlsx : NULL;
    cli_session se;
    char *gj = NULL, *sj = NULL;
    bpa_status st = cli_session_open(&se, &o, &err);
    if (st == BPA_OK)
        st = cli_grant_outputs(&o, &se, true, &gj, &err);
    if (st == BPA_OK && bc->usage) {
        o.json = out.settle_json;
        o.xlsx = bo->workbooks ? out.settle_xlsx : NULL;
        st = cli_settle_outputs(&o, &se, bc->usage, true, &sj, &err);
    }
    cli_session_close(&se);
    if (st == BPA_OK)
        st = bpa_portfolio_case_from_results(&row, bc->id, out.grant_json, gj, sj, &err);
    if (st == BPA_OK) {
        /* files of an earlier run that this one did not make would be stale */
        if (!bc->usage) {
            unlink(out.settle_json);
            unlink(out.settle_xlsx);
        }
        if (!bo->workbooks) {
            unlink(out.grant_xlsx);
            unlink(out.settle_xlsx);
        }
        send_row(fd, row);
        bpa_portfolio_case_free(row);
    } else
        rc = worker_fail(fd, bc->id, &out, &err);
    free(gj);
    free(sj);
done:
    free(g_oom_line);
    g_oom_line = NULL;
    outputs_free(&out);
    return rc;
}

/* ---- the parent: dispatch, progress, signals ---- */

static volatile sig_atomic_t g_stop;
static int g_wake[2] = {-1, -1}; /* the handler's byte wakes the poll (self-pipe) */
static void on_stop(int sig)
{
    (void)sig;
    g_stop = 1;
    int e = errno;
    if (g_wake[1] >= 0 && write(g_wake[1], "", 1) < 0) {
        /* full: a wake-up is pending anyway */
    }
    errno = e;
}

typedef struct slot {
    pid_t pid;
    int fd;
    size_t index;  /* into the caseload */
    char *buf;     /* what the worker sent so far */
    size_t len, cap;
    bool eof;
} slot;

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* "12/200 cases, 1 failed, 35.2/s, 0:05 left" (integer arithmetic: tenths). */
static void progress(size_t done, size_t failed, size_t total, long start_ms, bool last)
{
    long ms = now_ms() - start_ms;
    if (ms < 1)
        ms = 1;
    long tenths = (long)done * 10000 / ms; /* cases per second, in tenths */
    long left = done ? (long)((total - done) * (size_t)ms / done / 1000) : 0;
    int width = 24, fill = total ? (int)(done * (size_t)width / total) : width;
    char bar[32];
    for (int i = 0; i < width; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[width] = '\0';
    fprintf(stderr, "\r[%s] %zu/%zu cases, %zu failed, %ld.%ld/s, %ld:%02ld left ", bar, done,
            total, failed, tenths / 10, tenths % 10, left / 60, left % 60);
    if (last)
        fputc('\n', stderr);
}

static bpa_portfolio_case *row_of(const slot *s, const bcase *bc, int status, bpa_error *err)
{
    bpa_portfolio_case *row = NULL;
    char msg[256];
    char *nl = s->buf ? memchr(s->buf, '\n', s->len) : NULL;
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        snprintf(msg, sizeof msg, "the worker of this case was killed by signal %d (%s)", sig,
                 strsignal(sig));
        bpa_portfolio_case_failed(&row, bc->id, msg, 128 + sig, err);
        return row;
    }
    if (nl) {
        *nl = '\0';
        /* a worker that exits other than as its row says (a checker such
         * as valgrind failing it) has failed */
        int code = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
        if (bpa_portfolio_case_from_line(&row, s->buf, err) == BPA_OK &&
            strcmp(row->id, bc->id) == 0 && code == row->exit_status)
            return row;
        bpa_portfolio_case_free(row);
        row = NULL;
    }
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
    snprintf(msg, sizeof msg, "the worker of this case exited with status %d without a result",
             code);
    bpa_portfolio_case_failed(&row, bc->id, msg, code ? code : 1, err);
    return row;
}

/* The parent's heap, reachable from here, so that a worker, which inherits
 * it and exits without freeing it, leaks nothing a checker such as valgrind
 * counts as lost: freeing it in every worker made a batch's CPU grow with
 * the square of its cases. */
static struct {
    caseload *l;
    bpa_portfolio *p;
    char *pjson, *pxlsx;
    slot *slots;
    struct pollfd *pfd;
    long *map;
    long nslots;
} g_parent;

static void worker_start(slot *s, const caseload *l, size_t index, const batch_opts *bo,
                         slot *slots, long nslots)
{
    int p[2];
    memset(s, 0, sizeof *s);
    s->index = index;
    s->fd = -1;
    if (pipe(p) != 0) {
        s->pid = -1;
        return;
    }
    fflush(stderr);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
#ifdef __linux__
        /* a batch killed outright takes its workers with it; their files
         * in progress have no name yet (bpa/output.h) */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
        if (getppid() != parent)
            _exit(1);
        close(p[0]);
        for (long i = 0; i < nslots; i++)
            if (slots[i].pid > 0 && slots[i].fd >= 0)
                close(slots[i].fd);
        if (g_wake[0] >= 0) {
            close(g_wake[0]);
            close(g_wake[1]);
            g_wake[0] = g_wake[1] = -1;
        }
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        int rc = worker(&l->v[index], bo, p[1]);
        close(p[1]);
        _exit(rc);
    }
    close(p[1]);
    if (pid < 0) {
        close(p[0]);
        s->pid = -1;
        return;
    }
    s->pid = pid;
    s->fd = p[0];
}

static bool slot_read(slot *s)
{
    if (s->cap - s->len < 4096) {
        size_t cap = s->cap ? 2 * s->cap : 8192;
        char *nb = realloc(s->buf, cap);
        if (!nb)
            return false;
        s->buf = nb;
        s->cap = cap;
    }
    ssize_t n = read(s->fd, s->buf + s->len, s->cap - s->len - 1);
    if (n < 0 && errno == EINTR)
        return true;
    if (n <= 0) {
        s->eof = true;
        return true;
    }
    s->len += (size_t)n;
    s->buf[s->len] = '\0';
    return true;
}

static void slot_release(slot *s)
{
    if (s->fd >= 0)
        close(s->fd);
    free(s->buf);
    memset(s, 0, sizeof *s);
    s->fd = -1;
}

/* A row the portfolio cannot hold would be a case missing from it: stop. */
static void add_row(bpa_portfolio *p, bpa_portfolio_case *row, bpa_error *err)
{
    if (!row || bpa_portfolio_add(p, row, err) != BPA_OK) {
        fputs("bpa: out of memory\n", stderr);
        exit(bpa_status_exit_code(BPA_E_NOMEM));
    }
}

/* Run every case; the rows go into p. Returns false when interrupted. */
static bool run_all(const caseload *l, const batch_opts *bo, bpa_portfolio *p, bpa_error *err)
{
    long nslots = bo->jobs;
    if ((size_t)nslots > l->n)
        nslots = (long)l->n;
    slot *slots = calloc((size_t)nslots, sizeof *slots);
    struct pollfd *pfd = calloc((size_t)nslots + 1, sizeof *pfd);
    long *map = calloc((size_t)nslots, sizeof *map);
    if (!slots || !pfd || !map) {
        fputs("bpa: out of memory\n", stderr);
        exit(bpa_status_exit_code(BPA_E_NOMEM));
    }
    g_parent.slots = slots;
    g_parent.pfd = pfd;
    g_parent.map = map;
    g_parent.nslots = nslots;
    bool tty = isatty(STDERR_FILENO);
    long start = now_ms(), last_draw = 0;
    size_t next = 0, done = 0, inflight = 0;
    while (done < l->n) {
        while (!g_stop && next < l->n && inflight < (size_t)nslots) {
            long k = 0;
            while (slots[k].pid > 0)
                k++;
            worker_start(&slots[k], l, next, bo, slots, nslots);
            if (slots[k].pid < 0) {
                /* no process for it: a failed case, the others go on */
                bpa_portfolio_case *row = NULL;
                char msg[160];
                snprintf(msg, sizeof msg, "cannot start a worker process: %s", strerror(errno));
                bpa_portfolio_case_failed(&row, l->v[next].id, msg, 3, err);
                add_row(p, row, err);
                slot_release(&slots[k]);
                done++;
            } else
                inflight++;
            next++;
        }
        if (g_stop || inflight == 0)
            break;
        long np = 0;
        for (long i = 0; i < nslots; i++)
            if (slots[i].pid > 0) {
                pfd[np].fd = slots[i].fd;
                pfd[np].events = POLLIN;
                pfd[np].revents = 0;
                map[np++] = i;
            }
        if (g_wake[0] >= 0) {
            pfd[np].fd = g_wake[0];
            pfd[np].events = POLLIN;
            pfd[np].revents = 0;
        }
        int r = poll(pfd, (nfds_t)np + (g_wake[0] >= 0), tty ? 200 : -1);
        if (r < 0 && errno != EINTR)
            break;
        for (long j = 0; r > 0 && j < np; j++) {
            if (!pfd[j].revents)
                continue;
            slot *s = &slots[map[j]];
            if (!slot_read(s))
                s->eof = true;
            if (!s->eof)
                continue;
            int status = 0;
            while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
                ;
            add_row(p, row_of(s, &l->v[s->index], status, err), err);
            slot_release(s);
            inflight--;
            done++;
        }
        if (tty && now_ms() - last_draw >= 200) {
            progress(done, p->nfailed, l->n, start, false);
            last_draw = now_ms();
        }
    }
    bool stopped = done < l->n;
    if (stopped) {
        /* stop the cases in flight: their files are never half-written
         * (bpa_file_write), so what is on disk is whole */
        for (long i = 0; i < nslots; i++)
            if (slots[i].pid > 0)
                kill(slots[i].pid, SIGTERM);
        for (long i = 0; i < nslots; i++)
            if (slots[i].pid > 0) {
                int status;
                while (waitpid(slots[i].pid, &status, 0) < 0 && errno == EINTR)
                    ;
                slot_release(&slots[i]);
            }
    }
    if (tty)
        progress(done, p->nfailed, l->n, start, true);
    free(slots);
    free(pfd);
    free(map);
    g_parent.slots = NULL;
    g_parent.pfd = NULL;
    g_parent.map = NULL;
    g_parent.nslots = 0;
    return !stopped;
}

/* The portfolio workbook's language: --lang, else the cases' own when they
 * share one, else English. */
static bpa_lang portfolio_lang(const batch_opts *bo, const bpa_portfolio *p)
{
    if (bo->lang_given)
        return bo->lang;
    bool any = false, mixed = false;
    bpa_lang lang = BPA_LANG_EN;
    for (size_t i = 0; i < p->ncases; i++) {
        bpa_scheme s;
        if (!p->cases[i]->scheme || !bpa_scheme_parse(p->cases[i]->scheme, &s))
            continue;
        bpa_lang l = bpa_lang_of_scheme(s);
        if (any && l != lang)
            mixed = true;
        lang = l;
        any = true;
    }
    return any && !mixed ? lang : BPA_LANG_EN;
}

int cmd_batch(int argc, char **argv)
{
    static const struct option options[] = {
        {"output-dir", required_argument, NULL, 'd'},
        {"manifest", required_argument, NULL, 'm'},
        {"workbooks", no_argument, NULL, 'w'},
        {"jobs", required_argument, NULL, 'j'},
        {"resume", no_argument, NULL, 'r'},
        {"lang", required_argument, NULL, 'l'},
        {"policy-dir", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    batch_opts bo;
    memset(&bo, 0, sizeof bo);
    const char *manifest = NULL;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    bo.jobs = cores > 0 ? cores : 1;
    opterr = 0;
    optind = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":hd:j:", options, NULL)) != -1) {
        switch (c) {
        case 'h':
            fputs(usage, stdout);
            return fflush(stdout) == 0 ? 0 : bpa_status_exit_code(BPA_E_OUTPUT);
        case ':':
            return cli_usage_error(usage, "%s needs a value", argv[optind - 1]);
        case '?':
            return cli_usage_error(usage, "unknown option %s", argv[optind - 1]);
        case 'd':
            bo.out = optarg;
            break;
        case 'm':
            manifest = optarg;
            break;
        case 'w':
            bo.workbooks = true;
            break;
        case 'r':
            bo.resume = true;
            break;
        case 'p':
            bo.policy_dir = optarg;
            break;
        case 'l':
            if (!bpa_lang_parse(optarg, &bo.lang))
                return cli_usage_error(usage, "--lang is da, en or sv, not %s", optarg);
            bo.lang_given = true;
            break;
        case 'j': {
            char *end;
            errno = 0;
            long n = strtol(optarg, &end, 10);
            if (errno || *end || end == optarg || n < 1 || n > 1024)
                return cli_usage_error(usage, "--jobs is a whole number from 1 to 1024, not %s",
                                       optarg);
            bo.jobs = n;
            break;
        }
        }
    }
    int rest = argc - optind;
    if (manifest && rest > 0)
        return cli_usage_error(usage, "unexpected argument %s: give a directory or --manifest, "
                                      "not both",
                               argv[optind]);
    if (!manifest && rest != 1)
        return cli_usage_error(usage, rest ? "unexpected argument %s" : "expected %s",
                               rest ? argv[optind + 1] : "a case directory or --manifest FILE");
    if (!bo.out || !bo.out[0])
        return cli_usage_error(usage, "-d OUT is needed: the directory the results go to");

    bpa_error err;
    bpa_error_clear(&err);
    caseload l;
    memset(&l, 0, sizeof l);
    const char *source = manifest ? manifest : argv[optind];
    bpa_status st = manifest ? load_manifest(&l, manifest, &err) : load_dir(&l, source, &err);
    if (st == BPA_OK)
        st = check_ids(&l, source, &err);
    if (st == BPA_OK && mkdir(bo.out, 0777) != 0 && errno != EEXIST)
        st = bpa_error_set(&err, BPA_E_OUTPUT, bo.out, 0, 0, NULL, "cannot create: %s",
                           strerror(errno));
    char *pjson = NULL, *pxlsx = NULL;
    if (st == BPA_OK) {
        pjson = path_join(bo.out, "portfolio.json");
        pxlsx = path_join(bo.out, "portfolio.xlsx");
        /* a portfolio left from an earlier run must not stand for this one */
        unlink(pjson);
        unlink(pxlsx);
    }
    bpa_portfolio *p = NULL;
    if (st == BPA_OK)
        st = bpa_portfolio_new(&p, &err);
    bool complete = false;
    if (st == BPA_OK) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_stop;
        sigemptyset(&sa.sa_mask);
        if (pipe(g_wake) == 0) {
            fcntl(g_wake[0], F_SETFL, O_NONBLOCK);
            fcntl(g_wake[1], F_SETFL, O_NONBLOCK);
        } else
            g_wake[0] = g_wake[1] = -1;
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        g_parent.l = &l;
        g_parent.p = p;
        g_parent.pjson = pjson;
        g_parent.pxlsx = pxlsx;
        complete = run_all(&l, &bo, p, &err);
        memset(&g_parent, 0, sizeof g_parent);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        if (g_wake[0] >= 0) {
            close(g_wake[0]);
            close(g_wake[1]);
        }
    }
    int rc = 0;
    if (st == BPA_OK && !complete) {
        fprintf(stderr, "bpa: batch interrupted: %zu of %zu cases finished, no portfolio "
                        "written (bpa batch --resume completes it)\n",
                p->ncases, l.n);
        rc = 130;
    }
    if (st == BPA_OK && complete)
        st = bpa_portfolio_finish(p, &err);
    char *json = NULL;
    if (st == BPA_OK && complete)
        st = bpa_portfolio_to_json(p, &json, &err);
    if (st == BPA_OK && complete)
        st = bpa_portfolio_workbook_write(p, pxlsx, portfolio_lang(&bo, p), &err);
    if (st == BPA_OK && complete)
        st = bpa_file_write(pjson, json, strlen(json), &err);
    if (st == BPA_OK && complete) {
        for (size_t i = 0; i < p->ncases; i++)
            if (p->cases[i]->error)
                fprintf(stderr, "bpa: case %s: %s\n", p->cases[i]->id, p->cases[i]->error);
        if (p->nfailed) {
            fprintf(stderr, "bpa: %zu of %zu cases failed (see %s)\n", p->nfailed, p->ncases,
                    pjson);
            rc = 1;
        }
    }
    free(json);
    free(pjson);
    free(pxlsx);
    bpa_portfolio_free(p);
    caseload_free(&l);
    if (st != BPA_OK)
        return cli_report(&err);
    return rc;
}

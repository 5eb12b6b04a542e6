/* The JSON API of `bpa serve` (docs/web.md): the same libbpa calls as
 * `bpa grant` and `bpa settle`, their outputs handed back instead of
 * printed. Nothing here computes or looks up a figure. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "serve.h"

#include "bpa/case.h"
#include "bpa/grant.h"
#include "bpa/lang.h"
#include "bpa/policy.h"
#include "bpa/se.h"
#include "bpa/settle.h"
#include "bpa/summary.h"
#include "bpa/usage.h"
#include "bpa/verify.h"
#include "bpa/warning.h"
#include "bpa/workbook.h"

/* ---- a growing buffer ---------------------------------------------------------- */

void serve_buf_put(serve_buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (b->len + n + 1 > cap)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void serve_buf_puts(serve_buf *b, const char *s) { serve_buf_put(b, s, strlen(s)); }

void serve_buf_printf(serve_buf *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp)
        b->failed = true;
    else
        serve_buf_put(b, tmp, (size_t)n);
}

void serve_buf_json_str(serve_buf *b, const char *s)
{
    serve_buf_put(b, "\"", 1);
    if (!s)
        s = "";
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        char esc[8];
        switch (*c) {
        case '"': serve_buf_put(b, "\\\"", 2); break;
        case '\\': serve_buf_put(b, "\\\\", 2); break;
        case '\n': serve_buf_put(b, "\\n", 2); break;
        case '\r': serve_buf_put(b, "\\r", 2); break;
        case '\t': serve_buf_put(b, "\\t", 2); break;
        default:
            /* '<' too, so that the JSON is inert even if sniffed as HTML */
            if (*c < 0x20 || *c == '<' || *c == '>' || *c == '&') {
                snprintf(esc, sizeof esc, "\\u%04x", *c);
                serve_buf_put(b, esc, 6);
            } else {
                serve_buf_put(b, (const char *)c, 1);
            }
        }
    }
    serve_buf_put(b, "\"", 1);
}

static void reply_buf(serve_reply *r, unsigned status, const char *type, serve_buf *b)
{
    if (b->failed) {
        free(b->p);
        r->status = 500;
        r->type = "text/plain; charset=utf-8";
        r->body = NULL;
        r->len = 0;
        return;
    }
    r->status = status;
    r->type = type;
    r->body = b->p;
    r->len = b->len;
}

void serve_reply_error(serve_reply *r, unsigned status, const char *message)
{
    serve_buf b = {0};
    serve_buf_puts(&b, "{\"error\": {\"status\": ");
    serve_buf_json_str(&b, status == 413   ? "request too large"
                           : status == 408 ? "request timeout"
                           : status == 403 ? "forbidden"
                           : status == 404 ? "not found"
                           : status == 405 ? "method not allowed"
                           : status >= 500 ? "server error"
                                           : "bad request");
    serve_buf_puts(&b, ", \"message\": ");
    serve_buf_json_str(&b, message);
    serve_buf_puts(&b, "}}\n");
    reply_buf(r, status, "application/json; charset=utf-8", &b);
}

/* An engine error: 422 for what is wrong in the input or policy (with the
 * place, so the page puts it beside its field), else 400 or 500. `strip`
 * (the request's temporary directory) is cut out of file and message. */
static void reply_engine_error(serve_reply *r, bpa_error *err, const char *strip)
{
    if (strip) {
        size_t sl = strlen(strip);
        char *fields[] = {err->file, err->message};
        for (int f = 0; f < 2; f++)
            for (char *p; (p = strstr(fields[f], strip)) != NULL;)
                memmove(p, p + sl, strlen(p + sl) + 1);
    }
    unsigned status = err->status == BPA_E_USAGE                                  ? 400
                      : err->status == BPA_E_NOMEM || err->status == BPA_E_OUTPUT ? 500
                                                                                  : 422;
    char text[2048];
    bpa_error_format(err, text, sizeof text);
    serve_buf b = {0};
    serve_buf_puts(&b, "{\"error\": {\"status\": ");
    serve_buf_json_str(&b, bpa_status_str(err->status));
    serve_buf_printf(&b, ", \"exit_code\": %d, \"file\": ", bpa_status_exit_code(err->status));
    serve_buf_json_str(&b, err->file);
    serve_buf_printf(&b, ", \"line\": %u, \"column\": %u, \"path\": ", err->line, err->column);
    serve_buf_json_str(&b, err->path);
    serve_buf_puts(&b, ", \"message\": ");
    serve_buf_json_str(&b, err->message);
    serve_buf_puts(&b, ", \"text\": ");
    serve_buf_json_str(&b, text);
    serve_buf_puts(&b, "}}\n");
    reply_buf(r, status, "application/json; charset=utf-8", &b);
}

/* ---- policies ------------------------------------------------------------------ */

static char *policy_dir;
static char *policies_json;
static size_t policies_len;
/* bpa/output.h: temporary names are process-wide, so one workbook at a time */
static pthread_mutex_t workbook_lock = PTHREAD_MUTEX_INITIALIZER;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void put_date(serve_buf *b, const char *key, bpa_date d, bool have)
{
    char text[11];
    serve_buf_printf(b, ", \"%s\": ", key);
    if (!have) {
        serve_buf_puts(b, "null");
        return;
    }
    bpa_date_format(d, text);
    serve_buf_json_str(b, text);
}

/* One policy: id, title, country, schemes, the dates its values cover and
 * its parameter names (the form offers steps and tiers from them). */
static void policy_put(serve_buf *b, const bpa_policy *p, bool first)
{
    serve_buf_puts(b, first ? "\n    {\"id\": " : ",\n    {\"id\": ");
    serve_buf_json_str(b, bpa_policy_id(p));
    serve_buf_puts(b, ", \"title\": ");
    serve_buf_json_str(b, bpa_policy_title(p));
    serve_buf_puts(b, ", \"country\": ");
    serve_buf_json_str(b, bpa_policy_country(p) == BPA_COUNTRY_SE ? "se" : "dk");
    serve_buf_puts(b, ", \"schemes\": [");
    bool any = false;
    for (int s = 0; s < BPA_SCHEME_COUNT; s++)
        if (bpa_policy_has_scheme(p, (bpa_scheme)s)) {
            if (any)
                serve_buf_puts(b, ", ");
            serve_buf_json_str(b, bpa_scheme_name((bpa_scheme)s));
            any = true;
        }
    serve_buf_puts(b, "]");
    /* first: the earliest entry; complete_from: the day from which every
     * parameter has an entry; last_change: the latest entry */
    bpa_date first_d = 0, complete = 0, last = 0;
    bool have = false;
    size_t n = bpa_policy_param_count(p);
    for (size_t i = 0; i < n; i++) {
        const bpa_param_entry *e;
        size_t ne = bpa_policy_param_entries(p, i, &e);
        if (ne == 0)
            continue;
        if (!have || e[0].from < first_d)
            first_d = e[0].from;
        if (!have || e[0].from > complete)
            complete = e[0].from;
        if (!have || e[ne - 1].from > last)
            last = e[ne - 1].from;
        have = true;
    }
    put_date(b, "first", first_d, have);
    put_date(b, "complete_from", complete, have);
    put_date(b, "last_change", last, have);
    serve_buf_puts(b, ", \"parameters\": [");
    for (size_t i = 0; i < n; i++) {
        if (i)
            serve_buf_puts(b, ", ");
        serve_buf_json_str(b, bpa_policy_param_name(p, i));
    }
    serve_buf_puts(b, "]}");
}

bool serve_api_init(const char *dir, char *msg, size_t msgn)
{
    policy_dir = strdup(dir);
    DIR *d = opendir(dir);
    if (!policy_dir || !d) {
        snprintf(msg, msgn, "cannot read the policy directory %s: %s", dir, strerror(errno));
        if (d)
            closedir(d);
        return false;
    }
    char **names = NULL;
    size_t nnames = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        size_t l = strlen(e->d_name);
        if (l <= 5 || e->d_name[0] == '.' || strcmp(e->d_name + l - 5, ".json") != 0)
            continue;
        char **nn = realloc(names, (nnames + 1) * sizeof *names);
        if (!nn || !(nn[nnames] = strdup(e->d_name))) {
            free(nn ? nn : names);
            closedir(d);
            snprintf(msg, msgn, "out of memory");
            return false;
        }
        names = nn;
        nnames++;
    }
    closedir(d);
    if (nnames)
        qsort(names, nnames, sizeof *names, cmp_str);
    serve_buf b = {0};
    serve_buf_puts(&b, "{\"format\": \"bpa-serve-policies/1\", \"policies\": [");
    bool first = true;
    for (size_t i = 0; i < nnames; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        bpa_policy *p = NULL;
        bpa_error err;
        bpa_error_clear(&err);
        if (bpa_policy_load(&p, path, &err) == BPA_OK) {
            policy_put(&b, p, first);
            first = false;
        } else {
            char text[2048];
            fprintf(stderr, "bpa serve: warning: policy %s left out: %s\n", path,
                    bpa_error_format(&err, text, sizeof text));
        }
        bpa_policy_free(p);
        free(names[i]);
    }
    free(names);
    serve_buf_puts(&b, "\n  ]}\n");
    if (b.failed) {
        free(b.p);
        snprintf(msg, msgn, "out of memory");
        return false;
    }
    policies_json = b.p;
    policies_len = b.len;
    return true;
}

void serve_api_done(void)
{
    free(policies_json);
    free(policy_dir);
    policies_json = policy_dir = NULL;
}

void serve_api_policies(serve_reply *r)
{
    r->status = 200;
    r->type = "application/json; charset=utf-8";
    r->body = malloc(policies_len + 1);
    if (!r->body) {
        serve_reply_error(r, 500, "out of memory");
        return;
    }
    memcpy(r->body, policies_json, policies_len + 1);
    r->len = policies_len;
}

/* ---- names a request sends ----------------------------------------------------- */

/* A file name as a request may give it: a plain name (letters, digits and
 * . _ - space +), not starting with a dot, no directory part. Nothing a
 * request sends becomes a path: this is checked, never repaired. */
static bool plain_name(const char *s)
{
    if (!s[0] || s[0] == '.' || strlen(s) > 128)
        return false;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '.' || *c == '_' || *c == '-' || *c == ' ' || *c == '+' || *c >= 0x80))
            return false;
    return true;
}

/* A download name from a case id: its plain characters. */
static void download_name(char *out, size_t n, const char *id, const char *suffix)
{
    size_t k = 0;
    for (const char *c = id ? id : ""; *c && k + 1 < n && k < 80; c++)
        out[k++] = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                           (*c >= '0' && *c <= '9') || *c == '-' || *c == '_'
                       ? *c
                       : '_';
    if (k == 0)
        out[k++] = 'x';
    snprintf(out + k, n - k, "%s", suffix);
}

/* The case names its policy by id: a path (RULES.md 6: relative to the case
 * file) would be a path a request chose. */
static bpa_status policy_by_id(const bpa_case *c, bpa_error *err)
{
    size_t l = strlen(c->policy);
    if (strchr(c->policy, '/') || strchr(c->policy, '\\') ||
        (l > 5 && strcmp(c->policy + l - 5, ".json") == 0) || strcmp(c->policy, "..") == 0)
        return bpa_error_set(err, BPA_E_INPUT, c->file, c->policy_src.line, c->policy_src.column,
                             c->policy_src.path[0] ? c->policy_src.path : "$.policy",
                             "policy \"%s\" is a path: the server uses the policies of its policy "
                             "directory, named by id (one of GET /api/policies)",
                             c->policy);
    return BPA_OK;
}

static bool lang_of(const serve_query *q, const bpa_case *c, bpa_lang *lang, bpa_error *err)
{
    if (q->lang && q->lang[0]) {
        if (!bpa_lang_parse(q->lang, lang)) {
            bpa_error_set(err, BPA_E_USAGE, NULL, 0, 0, "lang", "lang is da, en or sv, not %s",
                          q->lang);
            return false;
        }
        if (c->se && *lang == BPA_LANG_DA) {
            bpa_error_set(err, BPA_E_USAGE, NULL, 0, 0, "lang",
                          "lang da: %s is a Swedish scheme, written in Swedish (sv) or English "
                          "(en)",
                          bpa_scheme_name(c->scheme));
            return false;
        }
        return true;
    }
    *lang = bpa_lang_of_scheme(c->scheme);
    return true;
}

/* ---- results ------------------------------------------------------------------- */

/* {"format": ..., "lang": ..., "result": <the CLI's JSON, verbatim>,
 *  "summary": ..., "warnings": [{code, message, where}]} */
static void reply_envelope(serve_reply *r, const char *format, bpa_lang lang, const char *json,
                           const char *summary, const bpa_warnings *w)
{
    serve_buf b = {0};
    serve_buf_puts(&b, "{\"format\": ");
    serve_buf_json_str(&b, format);
    serve_buf_puts(&b, ", \"lang\": ");
    serve_buf_json_str(&b, bpa_lang_name(lang));
    serve_buf_puts(&b, ",\n\"result\": ");
    serve_buf_puts(&b, json);
    serve_buf_puts(&b, ",\n\"summary\": ");
    serve_buf_json_str(&b, summary);
    serve_buf_puts(&b, ",\n\"warnings\": [");
    for (size_t i = 0; i < w->n; i++) {
        char *message = NULL, *where = NULL;
        bpa_error err;
        if (bpa_warning_render(w, i, lang, &message, &where, &err) != BPA_OK) {
            b.failed = true;
            break;
        }
        serve_buf_puts(&b, i ? ",\n  {\"code\": " : "\n  {\"code\": ");
        serve_buf_json_str(&b, bpa_warning_code_name(w->codes[i]));
        serve_buf_puts(&b, ", \"message\": ");
        serve_buf_json_str(&b, message);
        serve_buf_puts(&b, ", \"where\": ");
        serve_buf_json_str(&b, where);
        serve_buf_puts(&b, "}");
        free(message);
        free(where);
    }
    serve_buf_puts(&b, "]}\n");
    reply_buf(r, 200, "application/json; charset=utf-8", &b);
}

static void reply_json(serve_reply *r, char *json, const char *filename)
{
    r->status = 200;
    r->type = "application/json; charset=utf-8";
    r->body = json;
    r->len = strlen(json);
    snprintf(r->filename, sizeof r->filename, "%s", filename);
}

/* A private directory for one request (mkdtemp: mode 0700). */
static bool temp_dir(char *dir, size_t n)
{
    const char *t = getenv("TMPDIR");
    snprintf(dir, n, "%s/bpa-serve-XXXXXX", t && t[0] == '/' ? t : "/tmp");
    return mkdtemp(dir) != NULL;
}

static bool read_all(const char *path, char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    serve_buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        serve_buf_put(&b, chunk, n);
    bool ok = !ferror(f) && !b.failed;
    fclose(f);
    if (!ok) {
        free(b.p);
        return false;
    }
    *data = b.p ? b.p : calloc(1, 1);
    *len = b.len;
    return *data != NULL;
}

typedef bpa_status (*workbook_fn)(const void *result, const char *path, bpa_lang lang,
                                  bpa_error *err);
static bpa_status wb_grant(const void *g, const char *path, bpa_lang lang, bpa_error *err)
{
    return bpa_grant_workbook_write(g, path, lang, err);
}
static bpa_status wb_se_grant(const void *g, const char *path, bpa_lang lang, bpa_error *err)
{
    return bpa_se_grant_workbook_write(g, path, lang, err);
}
static bpa_status wb_settle(const void *s, const char *path, bpa_lang lang, bpa_error *err)
{
    return bpa_settle_workbook_write(s, path, lang, err);
}
static bpa_status wb_se_settle(const void *s, const char *path, bpa_lang lang, bpa_error *err)
{
    return bpa_se_settle_workbook_write(s, path, lang, err);
}

/* The workbook written to a private directory, read back, removed. */
static void reply_workbook(serve_reply *r, workbook_fn write, const void *result, bpa_lang lang,
                           const char *filename, bpa_error *err)
{
    char dir[4096], path[4200];
    if (!temp_dir(dir, sizeof dir)) {
        serve_reply_error(r, 500, "cannot make a temporary directory");
        return;
    }
    snprintf(path, sizeof path, "%s/%s", dir, "workbook.xlsx");
    pthread_mutex_lock(&workbook_lock);
    bpa_status st = write(result, path, lang, err);
    pthread_mutex_unlock(&workbook_lock);
    char *data = NULL;
    size_t len = 0;
    bool ok = st == BPA_OK && read_all(path, &data, &len);
    unlink(path);
    rmdir(dir);
    if (st != BPA_OK) {
        reply_engine_error(r, err, dir);
        return;
    }
    if (!ok) {
        serve_reply_error(r, 500, "the workbook could not be read back");
        return;
    }
    r->status = 200;
    r->type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    r->body = data;
    r->len = len;
    snprintf(r->filename, sizeof r->filename, "%s", filename);
}

/* ---- POST /api/grant ----------------------------------------------------------- */

void serve_api_grant(const char *body, size_t len, const serve_query *q, serve_out out,
                     serve_reply *r)
{
    const char *name = q->name && q->name[0] ? q->name : "case.json";
    if (!plain_name(name)) {
        serve_reply_error(r, 400, "name: a plain file name (letters, digits, . _ -), no path");
        return;
    }
    bpa_error err;
    bpa_error_clear(&err);
    bpa_case *c = NULL;
    bpa_policy *p = NULL;
    bpa_grant *g = NULL;
    bpa_se_grant *sg = NULL;
    char *json = NULL, *summary = NULL;
    bpa_lang lang = BPA_LANG_DA;
    bpa_status st = bpa_case_load_mem(&c, name, body, len, &err);
    if (st == BPA_OK)
        st = policy_by_id(c, &err);
    if (st == BPA_OK && !lang_of(q, c, &lang, &err))
        st = err.status;
    if (st == BPA_OK)
        st = bpa_case_policy_load(c, policy_dir, &p, &err);
    if (st == BPA_OK)
        st = c->se ? bpa_se_grant_compute(&sg, c, p, &err) : bpa_grant_compute(&g, c, p, &err);
    if (st == BPA_OK && out != SERVE_OUT_XLSX)
        st = sg ? bpa_se_grant_to_json(sg, &json, &err) : bpa_grant_to_json(g, &json, &err);
    if (st == BPA_OK && out == SERVE_OUT_ENVELOPE)
        st = sg ? bpa_se_grant_summary(sg, lang, &summary, &err)
                : bpa_grant_summary(g, lang, &summary, &err);
    char fname[128];
    if (st != BPA_OK) {
        reply_engine_error(r, &err, NULL);
    } else if (out == SERVE_OUT_XLSX) {
        download_name(fname, sizeof fname, c->id, ".grant.xlsx");
        reply_workbook(r, sg ? wb_se_grant : wb_grant, sg ? (const void *)sg : (const void *)g,
                       lang, fname, &err);
    } else if (out == SERVE_OUT_JSON) {
        download_name(fname, sizeof fname, c->id, ".grant.json");
        reply_json(r, json, fname);
        json = NULL;
    } else {
        reply_envelope(r, "bpa-serve-grant/1", lang, json, summary,
                       sg ? &sg->warnings : &g->warnings);
    }
    free(json);
    free(summary);
    bpa_se_grant_free(sg);
    bpa_grant_free(g);
    bpa_policy_free(p);
    bpa_case_free(c);
}

/* ---- POST /api/settle ---------------------------------------------------------- */

typedef struct settle_req {
    const serve_part *kase, *usage, *account; /* account: verify only */
    bool verify;
    const serve_part *ts[SERVE_MAX_PARTS];
    size_t nts;
    char dir[4096];
    bool have_dir;
    size_t nwritten;
} settle_req;

/* Each timesheet the usage names, by its base name, is one of the uploaded
 * files in the request's directory: the usage's path is replaced by that
 * file's (the usage owns its strings, malloc'd, bpa/usage.h). */
static bpa_status timesheets_resolve(settle_req *x, char **paths, size_t n, const char *usage_name,
                                     bpa_error *err)
{
    for (size_t i = 0; i < n; i++) {
        const char *base = strrchr(paths[i], '/');
        base = base ? base + 1 : paths[i];
        const serve_part *found = NULL;
        for (size_t k = 0; k < x->nts; k++)
            if (strcmp(x->ts[k]->filename, base) == 0)
                found = x->ts[k];
        char where[64];
        snprintf(where, sizeof where, "$.timesheets[%zu]", i);
        if (!found)
            return bpa_error_set(err, BPA_E_INPUT, usage_name, 0, 0, where,
                                 "timesheet %s was not uploaded: add the file %s to the "
                                 "timesheets (the usage file's timesheets are matched by name)",
                                 base, base);
        size_t l = strlen(x->dir) + strlen(base) + 2;
        char *full = malloc(l);
        if (!full)
            return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
        snprintf(full, l, "%s/%s", x->dir, base);
        free(paths[i]);
        paths[i] = full;
    }
    return BPA_OK;
}

static bool write_file(const char *dir, const serve_part *p)
{
    char path[4500];
    snprintf(path, sizeof path, "%s/%s", dir, p->filename);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
    if (fd < 0)
        return false;
    size_t off = 0;
    while (off < p->len) {
        ssize_t w = write(fd, p->data + off, p->len - off);
        if (w <= 0) {
            close(fd);
            return false;
        }
        off += (size_t)w;
    }
    return close(fd) == 0;
}

static void settle_cleanup(settle_req *x)
{
    for (size_t i = 0; i < x->nwritten && i < x->nts; i++) {
        char path[4500];
        snprintf(path, sizeof path, "%s/%s", x->dir, x->ts[i]->filename);
        unlink(path);
    }
    if (x->account && x->nwritten > x->nts) {
        char path[4500];
        snprintf(path, sizeof path, "%s/%s", x->dir, x->account->filename);
        unlink(path);
    }
    if (x->have_dir)
        rmdir(x->dir);
}

/* The fields: case (one file), usage (one file), timesheets (any number of
 * CSV or .xlsx files), lang (optional). */
static bool settle_fields(settle_req *x, const serve_part *parts, size_t nparts, serve_reply *r)
{
    char msg[512];
    for (size_t i = 0; i < nparts; i++) {
        const serve_part *p = &parts[i];
        bool is_file = strcmp(p->name, "case") == 0 || strcmp(p->name, "usage") == 0 ||
                       strcmp(p->name, "timesheets") == 0 ||
                       (x->verify && strcmp(p->name, "account") == 0);
        if (strcmp(p->name, "lang") == 0)
            continue;
        if (!is_file) {
            snprintf(msg, sizeof msg,
                     "unknown form field \"%.64s\": the fields are case, usage, timesheets%s "
                     "and lang",
                     p->name, x->verify ? ", account" : "");
            serve_reply_error(r, 400, msg);
            return false;
        }
        /* no file name is refused even for an empty part: libmicrohttpd
         * reports a file name whose quote a line break cut off as none */
        if (!p->has_filename || !plain_name(p->filename)) {
            snprintf(msg, sizeof msg,
                     "%s: the file name \"%.128s\" is not a plain file name (letters, digits, "
                     ". _ - and spaces, not starting with a dot, no / or \\): rename the file",
                     p->name, p->has_filename ? p->filename : "");
            serve_reply_error(r, 400, msg);
            return false;
        }
        if (strcmp(p->name, "timesheets") == 0) {
            for (size_t k = 0; k < x->nts; k++)
                if (strcmp(x->ts[k]->filename, p->filename) == 0) {
                    snprintf(msg, sizeof msg, "timesheets: %.128s is uploaded twice",
                             p->filename);
                    serve_reply_error(r, 400, msg);
                    return false;
                }
            x->ts[x->nts++] = p;
        } else {
            const serve_part **slot = p->name[0] == 'c'   ? &x->kase
                                      : p->name[0] == 'a' ? &x->account
                                                          : &x->usage;
            if (*slot) {
                snprintf(msg, sizeof msg, "%s: one file only", p->name);
                serve_reply_error(r, 400, msg);
                return false;
            }
            *slot = p;
        }
    }
    if (!x->kase || !x->usage) {
        serve_reply_error(r, 400, !x->kase ? "case: the case file is missing"
                                           : "usage: the usage file is missing");
        return false;
    }
    if (x->verify && !x->account) {
        serve_reply_error(r, 400,
                          "account: the account to verify is missing (a settlement result JSON, "
                          "an account workbook or a bpa-claim/1 file)");
        return false;
    }
    for (size_t k = 0; x->account && k < x->nts; k++)
        if (strcmp(x->ts[k]->filename, x->account->filename) == 0) {
            snprintf(msg, sizeof msg,
                     "account: %.128s is also a timesheet's name: rename one of them",
                     x->account->filename);
            serve_reply_error(r, 400, msg);
            return false;
        }
    return true;
}

/* The fields checked, lang taken from its field, the uploaded files
 * (timesheets, then a verify's account) stored in the request's private
 * directory. */
static bool upload_begin(settle_req *x, const serve_part *parts, size_t nparts,
                         const serve_query *q, serve_query *qq, char *lang_field, size_t lang_n,
                         serve_reply *r)
{
    if (!settle_fields(x, parts, nparts, r))
        return false;
    *qq = *q;
    for (size_t i = 0; i < nparts; i++)
        if (strcmp(parts[i].name, "lang") == 0 && parts[i].len < lang_n) {
            memcpy(lang_field, parts[i].data, parts[i].len);
            lang_field[parts[i].len] = '\0';
            qq->lang = lang_field;
        }
    if (!temp_dir(x->dir, sizeof x->dir)) {
        serve_reply_error(r, 500, "cannot make a temporary directory");
        return false;
    }
    x->have_dir = true;
    for (; x->nwritten < x->nts + (x->account ? 1 : 0); x->nwritten++)
        if (!write_file(x->dir, x->nwritten < x->nts ? x->ts[x->nwritten] : x->account)) {
            settle_cleanup(x);
            serve_reply_error(r, 500, "cannot store an uploaded file");
            return false;
        }
    return true;
}

void serve_api_settle(const serve_part *parts, size_t nparts, const serve_query *q,
                      serve_out out, serve_reply *r)
{
    settle_req x;
    memset(&x, 0, sizeof x);
    serve_query qq;
    char lang_field[8] = "";
    if (!upload_begin(&x, parts, nparts, q, &qq, lang_field, sizeof lang_field, r))
        return;
    bpa_error err;
    bpa_error_clear(&err);
    bpa_case *c = NULL;
    bpa_policy *p = NULL;
    bpa_grant *g = NULL;
    bpa_se_grant *sg = NULL;
    bpa_usage *u = NULL;
    bpa_se_usage *su = NULL;
    bpa_settlement *s = NULL;
    bpa_se_settlement *ss = NULL;
    char *json = NULL, *summary = NULL;
    bpa_lang lang = BPA_LANG_DA;
    bpa_status st =
        bpa_case_load_mem(&c, x.kase->filename, x.kase->data, x.kase->len, &err);
    if (st == BPA_OK)
        st = policy_by_id(c, &err);
    if (st == BPA_OK && !lang_of(&qq, c, &lang, &err))
        st = err.status;
    if (st == BPA_OK)
        st = bpa_case_policy_load(c, policy_dir, &p, &err);
    if (st == BPA_OK)
        st = c->se ? bpa_se_grant_compute(&sg, c, p, &err) : bpa_grant_compute(&g, c, p, &err);
    if (st == BPA_OK && sg) {
        st = bpa_se_usage_load_mem(&su, x.usage->filename, x.usage->data, x.usage->len, &err);
        if (st == BPA_OK)
            st = timesheets_resolve(&x, su->timesheets, su->ntimesheets, x.usage->filename, &err);
        if (st == BPA_OK)
            st = bpa_se_settle(&ss, sg, su, &err);
        if (st == BPA_OK && out != SERVE_OUT_XLSX)
            st = bpa_se_settle_to_json(ss, &json, &err);
        if (st == BPA_OK && out == SERVE_OUT_ENVELOPE)
            st = bpa_se_settle_summary(ss, lang, &summary, &err);
    } else if (st == BPA_OK) {
        st = bpa_usage_load_mem(&u, x.usage->filename, x.usage->data, x.usage->len, &err);
        if (st == BPA_OK)
            st = timesheets_resolve(&x, u->timesheets, u->ntimesheets, x.usage->filename, &err);
        if (st == BPA_OK)
            st = bpa_settle_compute(&s, g, u, &err);
        if (st == BPA_OK && out != SERVE_OUT_XLSX)
            st = bpa_settle_to_json(s, &json, &err);
        if (st == BPA_OK && out == SERVE_OUT_ENVELOPE)
            st = bpa_settle_summary(s, lang, &summary, &err);
    }
    char strip[4200];
    snprintf(strip, sizeof strip, "%s/", x.dir);
    char fname[128];
    if (st != BPA_OK) {
        reply_engine_error(r, &err, strip);
    } else if (out == SERVE_OUT_XLSX) {
        download_name(fname, sizeof fname, c->id, ".account.xlsx");
        reply_workbook(r, ss ? wb_se_settle : wb_settle, ss ? (const void *)ss : (const void *)s,
                       lang, fname, &err);
    } else if (out == SERVE_OUT_JSON) {
        download_name(fname, sizeof fname, c->id, ".account.json");
        reply_json(r, json, fname);
        json = NULL;
    } else {
        reply_envelope(r, "bpa-serve-settle/1", lang, json, summary,
                       ss ? &ss->warnings : &s->warnings);
    }
    free(json);
    free(summary);
    bpa_se_settle_free(ss);
    bpa_settle_free(s);
    bpa_se_usage_free(su);
    bpa_usage_free(u);
    bpa_se_grant_free(sg);
    bpa_grant_free(g);
    bpa_policy_free(p);
    bpa_case_free(c);
    settle_cleanup(&x);
}

/* ---- POST /api/verify ---------------------------------------------------------- */

/* {"format": "bpa-serve-verify/1", "lang": ..., "agree": ..., "result":
 *  <bpa verify --json -, verbatim>, "summary": <the list, in lang>} */
static void reply_verify(serve_reply *r, bpa_lang lang, const bpa_verify_result *v,
                         const char *json, const char *summary)
{
    serve_buf b = {0};
    serve_buf_puts(&b, "{\"format\": \"bpa-serve-verify/1\", \"lang\": ");
    serve_buf_json_str(&b, bpa_lang_name(lang));
    serve_buf_puts(&b, v->agree ? ", \"agree\": true" : ", \"agree\": false");
    serve_buf_puts(&b, ",\n\"result\": ");
    serve_buf_puts(&b, json);
    serve_buf_puts(&b, ",\n\"summary\": ");
    serve_buf_json_str(&b, summary);
    serve_buf_puts(&b, "}\n");
    reply_buf(r, 200, "application/json; charset=utf-8", &b);
}

static bpa_status wb_verify(const void *v, const char *path, bpa_lang lang, bpa_error *err)
{
    return bpa_verify_workbook_write(v, path, lang, err);
}

void serve_api_verify(const serve_part *parts, size_t nparts, const serve_query *q,
                      serve_out out, serve_reply *r)
{
    settle_req x;
    memset(&x, 0, sizeof x);
    x.verify = true;
    serve_query qq;
    char lang_field[8] = "";
    if (!upload_begin(&x, parts, nparts, q, &qq, lang_field, sizeof lang_field, r))
        return;
    char account[4500];
    snprintf(account, sizeof account, "%s/%s", x.dir, x.account->filename);
    bpa_error err;
    bpa_error_clear(&err);
    bpa_case *c = NULL;
    bpa_policy *p = NULL;
    bpa_grant *g = NULL;
    bpa_se_grant *sg = NULL;
    bpa_usage *u = NULL;
    bpa_se_usage *su = NULL;
    bpa_verify_result *v = NULL;
    char *json = NULL, *summary = NULL;
    bpa_lang lang = BPA_LANG_DA;
    bpa_status st =
        bpa_case_load_mem(&c, x.kase->filename, x.kase->data, x.kase->len, &err);
    if (st == BPA_OK)
        st = policy_by_id(c, &err);
    if (st == BPA_OK && !lang_of(&qq, c, &lang, &err))
        st = err.status;
    if (st == BPA_OK)
        st = bpa_case_policy_load(c, policy_dir, &p, &err);
    if (st == BPA_OK)
        st = c->se ? bpa_se_grant_compute(&sg, c, p, &err) : bpa_grant_compute(&g, c, p, &err);
    if (st == BPA_OK && sg) {
        st = bpa_se_usage_load_mem(&su, x.usage->filename, x.usage->data, x.usage->len, &err);
        if (st == BPA_OK)
            st = timesheets_resolve(&x, su->timesheets, su->ntimesheets, x.usage->filename, &err);
    } else if (st == BPA_OK) {
        st = bpa_usage_load_mem(&u, x.usage->filename, x.usage->data, x.usage->len, &err);
        if (st == BPA_OK)
            st = timesheets_resolve(&x, u->timesheets, u->ntimesheets, x.usage->filename, &err);
    }
    /* the same recomputation and comparison as bpa verify */
    if (st == BPA_OK)
        st = cli_verify_run(g, sg, u, su, account, &v, &err);
    if (st == BPA_OK && out != SERVE_OUT_XLSX)
        st = bpa_verify_to_json(v, &json, &err);
    if (st == BPA_OK && out == SERVE_OUT_ENVELOPE)
        st = bpa_verify_summary(v, lang, &summary, &err);
    char strip[4200];
    snprintf(strip, sizeof strip, "%s/", x.dir);
    char fname[128];
    if (st != BPA_OK) {
        reply_engine_error(r, &err, strip);
    } else if (out == SERVE_OUT_XLSX) {
        download_name(fname, sizeof fname, c->id, ".verify.xlsx");
        reply_workbook(r, wb_verify, v, lang, fname, &err);
    } else if (out == SERVE_OUT_JSON) {
        download_name(fname, sizeof fname, c->id, ".verify.json");
        reply_json(r, json, fname);
        json = NULL;
    } else {
        reply_verify(r, lang, v, json, summary);
    }
    free(json);
    free(summary);
    bpa_verify_free(v);
    bpa_se_usage_free(su);
    bpa_usage_free(u);
    bpa_se_grant_free(sg);
    bpa_grant_free(g);
    bpa_policy_free(p);
    bpa_case_free(c);
    settle_cleanup(&x);
}

/* A reader of .xlsx workbooks on libzip and expat (see xlsx.h). */
#include "io/xlsx.h"

#include <expat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <zip.h>

#include "core/alloc.h"
#include "core/sha256.h"
#include "core/strutil.h"

#define CHUNK 16384
#define NS_SEP ' ' /* expat joins "namespace local"; a space is in neither */
#define ROW_MAX 1048576u
#define COL_MAX 16384u

typedef struct sheet_info {
    char *name;
    char *part;
} sheet_info;

typedef struct rel {
    char *id;
    char *type; /* the last segment of the type URI: "worksheet" */
    char *target; /* resolved part name, NULL when external */
} rel;

/* styles.xml, as stored: ids refer into these tables */
typedef struct numfmt_rec {
    unsigned id;
    char *code;
} numfmt_rec;

typedef struct font_rec {
    bool bold, italic;
    char *size, *color, *name;
} font_rec;

typedef struct fill_rec {
    char *pattern, *color;
} fill_rec;

typedef struct border_rec {
    char *side[4]; /* left, right, top, bottom */
} border_rec;

typedef struct xf_rec {
    unsigned numfmt, font, fill, border;
    char *horizontal, *vertical;
    unsigned indent;
    bool wrap;
} xf_rec;

struct bpa_xlsx {
    char *name;
    zip_t *zip;
    char *workbook; /* the workbook part, "xl/workbook.xml" */
    sheet_info *sheets;
    size_t nsheets, capsheets;
    bpa_xlsx_name *names;
    size_t nnames, capnames;
    rel *rels; /* the workbook's relationships, while opening */
    size_t nrels, caprels;
    char *sst;          /* shared strings, each NUL-terminated */
    size_t sst_len, sst_cap;
    size_t *sst_off;
    size_t nsst, capsst;
    numfmt_rec *numfmts;
    size_t nnumfmts, capnumfmts;
    font_rec *fonts;
    size_t nfonts, capfonts;
    fill_rec *fills;
    size_t nfills, capfills;
    border_rec *borders;
    size_t nborders, capborders;
    xf_rec *xfs;
    size_t nxfs, capxfs;
};

/* ---- errors -------------------------------------------------------------------- */

static bpa_status nomem(const bpa_xlsx *x, bpa_error *err)
{
    return bpa_error_set(err, BPA_E_NOMEM, x->name, 0, 0, NULL, "out of memory reading the workbook");
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static bpa_status bad(const bpa_xlsx *x, bpa_error *err, const char *fmt, ...)
{
    char msg[BPA_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return bpa_error_set(err, BPA_E_INPUT, x->name, 0, 0, NULL, "%s", msg);
}

/* A libzip error code as a status and message. */
static bpa_status zip_failed(const bpa_xlsx *x, bpa_error *err, int code, const char *part,
                             const char *what)
{
    if (code == ZIP_ER_MEMORY)
        return nomem(x, err);
    zip_error_t ze;
    zip_error_init_with_code(&ze, code);
    bpa_status st = bad(x, err, "%s %s: %s (the file is damaged: write or save it again)", what,
                        part, zip_error_strerror(&ze));
    zip_error_fini(&ze);
    return st;
}

/* ---- small helpers --------------------------------------------------------------- */

static const char *local_name(const char *name)
{
    const char *s = strrchr(name, NS_SEP);
    return s ? s + 1 : name;
}

/* An attribute without namespace (OOXML's plain attributes). */
static const char *attr(const char **atts, const char *name)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (!strchr(atts[i], NS_SEP) && strcmp(atts[i], name) == 0)
            return atts[i + 1];
    return NULL;
}

/* r:id: "id" in the relationships namespace (transitional or strict). */
static const char *attr_rel_id(const char **atts)
{
    for (size_t i = 0; atts[i]; i += 2) {
        const char *sep = strchr(atts[i], NS_SEP);
        if (sep && strcmp(sep + 1, "id") == 0 && strstr(atts[i], "relationships"))
            return atts[i + 1];
    }
    return NULL;
}

static bool grow(void **items, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return true;
    size_t nc = *cap ? 2 * *cap : 8;
    void *p = bpa_realloc(*items, nc * elem);
    if (!p)
        return false;
    *items = p;
    *cap = nc;
    return true;
}

/* Part name of `target` seen from part `source` ("" for the package
 * root): "worksheets/sheet1.xml" from "xl/workbook.xml" is
 * "xl/worksheets/sheet1.xml"; "/x" is absolute; "." and ".." resolve.
 * NULL when out of memory, or with *invalid set when ".." climbs above
 * the root. */
static char *resolve(const char *source, const char *target, bool *invalid)
{
    *invalid = false;
    size_t dir = 0;
    if (target[0] == '/')
        target++;
    else if (strrchr(source, '/'))
        dir = (size_t)(strrchr(source, '/') - source) + 1;
    size_t n = dir + strlen(target);
    char *joined = bpa_malloc(n + 1);
    if (!joined)
        return NULL;
    memcpy(joined, source, dir);
    strcpy(joined + dir, target);
    /* normalise segment by segment into the same buffer */
    size_t out = 0;
    for (size_t i = 0; i <= n;) {
        size_t j = i;
        while (j < n && joined[j] != '/')
            j++;
        size_t len = j - i;
        if (len == 0 || (len == 1 && joined[i] == '.')) {
            /* skip */
        } else if (len == 2 && joined[i] == '.' && joined[i + 1] == '.') {
            if (out == 0) {
                free(joined);
                *invalid = true;
                return NULL;
            }
            out--; /* the '/' before the last segment */
            while (out > 0 && joined[out - 1] != '/')
                out--;
        } else {
            memmove(joined + out, joined + i, len);
            out += len;
            if (j < n)
                joined[out++] = '/';
        }
        i = j + 1;
    }
    if (out > 0 && joined[out - 1] == '/')
        out--;
    joined[out] = '\0';
    return joined;
}

static char *dup_or_null(const char *s, bool *failed)
{
    if (!s)
        return NULL;
    char *d = bpa_strdup(s);
    if (!d)
        *failed = true;
    return d;
}

static void text_reset(bpa_strbuf *b)
{
    b->len = 0;
    if (b->buf)
        b->buf[0] = '\0';
}

static const char *text_of(const bpa_strbuf *b) { return b->buf ? b->buf : ""; }

/* ---- parts and XML ------------------------------------------------------------ */

/* expat reports some failed allocations as XML errors ("unbound prefix" when binding a
 * namespace fails): a parse during which one failed is out of memory, whatever its code. */
static _Thread_local bool xml_alloc_failed;

static void *xml_malloc(size_t n)
{
    void *p = bpa_malloc(n);
    if (!p)
        xml_alloc_failed = true;
    return p;
}

static void *xml_realloc(void *q, size_t n)
{
    void *p = bpa_realloc(q, n);
    if (!p)
        xml_alloc_failed = true;
    return p;
}

static const XML_Memory_Handling_Suite memsuite = {xml_malloc, xml_realloc, free};

/* One XML part being parsed; handlers get it as user data (first member of
 * each parse's own state). */
typedef struct job {
    bpa_xlsx *x;
    const char *part;
    XML_Parser p;
    bpa_error *err;
    bpa_status st; /* set by a handler that stopped the parser */
} job;

/* Stop the parse with an error from a handler. */
static void job_fail(job *j, bpa_status st)
{
    if (j->st == BPA_OK)
        j->st = st;
    XML_StopParser(j->p, XML_FALSE);
}

static void job_nomem(job *j) { job_fail(j, nomem(j->x, j->err)); }

static void XMLCALL no_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int internal)
{
    (void)name, (void)sysid, (void)pubid, (void)internal;
    job *j = ud;
    job_fail(j, bad(j->x, j->err, "%s:%lu: a DOCTYPE is not allowed in an .xlsx part", j->part,
                    (unsigned long)XML_GetCurrentLineNumber(j->p)));
}

static bpa_status job_start(job *j, bpa_xlsx *x, const char *part, void *ud, bpa_error *err)
{
    j->x = x;
    j->part = part;
    j->err = err;
    j->st = BPA_OK;
    xml_alloc_failed = false;
    j->p = XML_ParserCreate_MM(NULL, &memsuite, (const XML_Char[]){NS_SEP, '\0'});
    if (!j->p)
        return nomem(x, err);
    XML_SetUserData(j->p, ud);
    XML_SetStartDoctypeDeclHandler(j->p, no_doctype);
    return BPA_OK;
}

/* The status after XML_Parse or XML_ResumeParser returned an error. */
static bpa_status job_error(job *j)
{
    if (j->st != BPA_OK)
        return j->st;
    enum XML_Error code = XML_GetErrorCode(j->p);
    if (code == XML_ERROR_NO_MEMORY || xml_alloc_failed)
        return nomem(j->x, j->err);
    return bad(j->x, j->err, "%s:%lu:%lu: bad XML: %s", j->part,
               (unsigned long)XML_GetCurrentLineNumber(j->p),
               (unsigned long)XML_GetCurrentColumnNumber(j->p) + 1, XML_ErrorString(code));
}

static bpa_status part_open(bpa_xlsx *x, const char *part, const char *named_by, zip_file_t **zf,
                            bpa_error *err)
{
    *zf = NULL;
    zip_int64_t idx = zip_name_locate(x->zip, part, ZIP_FL_NOCASE);
    if (idx < 0)
        return bad(x, err, "the workbook has no part %s (%s): it is damaged or not an .xlsx file",
                   part, named_by);
    *zf = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0);
    if (!*zf)
        return zip_failed(x, err, zip_error_code_zip(zip_get_error(x->zip)), part, "cannot read");
    return BPA_OK;
}

/* Read the next chunk of an open part (0 at its end; CRC checked there). */
static bpa_status part_read(bpa_xlsx *x, zip_file_t *zf, const char *part, char *buf, size_t cap,
                            size_t *n, bpa_error *err)
{
    zip_int64_t got = zip_fread(zf, buf, cap);
    if (got < 0) {
        *n = 0;
        return zip_failed(x, err, zip_error_code_zip(zip_file_get_error(zf)), part, "cannot read");
    }
    *n = (size_t)got;
    return BPA_OK;
}

/* Parse a whole part with the handlers already set on j->p. */
static bpa_status parse_all(job *j, const char *named_by)
{
    zip_file_t *zf;
    bpa_status st = part_open(j->x, j->part, named_by, &zf, j->err);
    char *buf = st == BPA_OK ? bpa_malloc(CHUNK) : NULL;
    if (st == BPA_OK && !buf)
        st = nomem(j->x, j->err);
    while (st == BPA_OK) {
        size_t n;
        st = part_read(j->x, zf, j->part, buf, CHUNK, &n, j->err);
        if (st != BPA_OK)
            break;
        if (XML_Parse(j->p, buf, (int)n, n == 0) == XML_STATUS_ERROR)
            st = job_error(j);
        if (n == 0)
            break;
    }
    free(buf);
    if (zf)
        zip_fclose(zf);
    return st;
}

static void job_end(job *j)
{
    if (j->p)
        XML_ParserFree(j->p);
    j->p = NULL;
}

/* ---- relationships ------------------------------------------------------------------ */

typedef struct rels_job {
    job j;
    const char *source; /* the part the relationships belong to */
    bool package;       /* _rels/.rels: only the office document counts */
} rels_job;

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    rels_job *r = ud;
    bpa_xlsx *x = r->j.x;
    if (r->j.st != BPA_OK || strcmp(local_name(name), "Relationship") != 0)
        return;
    const char *id = attr(atts, "Id"), *type = attr(atts, "Type"), *target = attr(atts, "Target");
    const char *mode = attr(atts, "TargetMode");
    if (!type || !target)
        return;
    const char *kind = strrchr(type, '/');
    kind = kind ? kind + 1 : type;
    bool external = mode && strcmp(mode, "External") == 0;
    if (r->package) {
        if (strcmp(kind, "officeDocument") == 0 && !external && !x->workbook) {
            bool invalid;
            x->workbook = resolve("", target, &invalid);
            if (invalid)
                job_fail(&r->j, bad(x, r->j.err, "%s: the office document's target \"%s\" is "
                                    "not a part name", r->j.part, target));
            else if (!x->workbook)
                job_nomem(&r->j);
        }
        return;
    }
    if (!id)
        return;
    if (!grow((void **)&x->rels, &x->caprels, x->nrels, sizeof *x->rels)) {
        job_nomem(&r->j);
        return;
    }
    bool failed = false, invalid = false;
    rel *e = &x->rels[x->nrels];
    e->id = dup_or_null(id, &failed);
    e->type = dup_or_null(kind, &failed);
    e->target = external ? NULL : resolve(r->source, target, &invalid);
    x->nrels++;
    if (failed || (!external && !e->target && !invalid))
        job_nomem(&r->j);
    /* an invalid target stays NULL: a sheet naming it is an error */
}

/* "xl/_rels/workbook.xml.rels" for "xl/workbook.xml"; "_rels/.rels" for "". */
static char *rels_part(const char *source)
{
    const char *slash = strrchr(source, '/');
    size_t dir = slash ? (size_t)(slash - source) + 1 : 0;
    char *p = bpa_malloc(strlen(source) + 12);
    if (!p)
        return NULL;
    memcpy(p, source, dir);
    sprintf(p + dir, "_rels/%s.rels", source + dir);
    return p;
}

static bpa_status read_rels(bpa_xlsx *x, const char *source, bool package, bpa_error *err)
{
    char *part = rels_part(source);
    if (!part)
        return nomem(x, err);
    rels_job r = {.source = source, .package = package};
    bpa_status st = job_start(&r.j, x, part, &r, err);
    if (st == BPA_OK) {
        XML_SetStartElementHandler(r.j.p, rels_start);
        st = parse_all(&r.j, package ? "every .xlsx file has it" : "the workbook's relationships");
    }
    job_end(&r.j);
    free(part);
    return st;
}

static const rel *find_rel(const bpa_xlsx *x, const char *id)
{
    for (size_t i = 0; i < x->nrels; i++)
        if (x->rels[i].id && strcmp(x->rels[i].id, id) == 0)
            return &x->rels[i];
    return NULL;
}

static void free_rels(bpa_xlsx *x)
{
    for (size_t i = 0; i < x->nrels; i++) {
        free(x->rels[i].id);
        free(x->rels[i].type);
        free(x->rels[i].target);
    }
    free(x->rels);
    x->rels = NULL;
    x->nrels = x->caprels = 0;
}

/* ---- workbook.xml: sheets and defined names --------------------------------------- */

typedef struct book_job {
    job j;
    bool in_name;   /* inside <definedName> */
    bpa_strbuf text;
} book_job;

static void XMLCALL book_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    book_job *b = ud;
    bpa_xlsx *x = b->j.x;
    if (b->j.st != BPA_OK)
        return;
    const char *ln = local_name(name);
    if (strcmp(ln, "sheet") == 0) {
        const char *sname = attr(atts, "name"), *id = attr_rel_id(atts);
        if (!sname || !id) {
            job_fail(&b->j, bad(x, b->j.err, "%s:%lu: a sheet without %s", b->j.part,
                                (unsigned long)XML_GetCurrentLineNumber(b->j.p),
                                sname ? "r:id" : "name"));
            return;
        }
        const rel *r = find_rel(x, id);
        if (!r || !r->target) {
            job_fail(&b->j, bad(x, b->j.err, "%s: sheet \"%s\" names relationship %s, which "
                                "the workbook's relationships do not hold",
                                b->j.part, sname, id));
            return;
        }
        if (!grow((void **)&x->sheets, &x->capsheets, x->nsheets, sizeof *x->sheets)) {
            job_nomem(&b->j);
            return;
        }
        bool failed = false;
        x->sheets[x->nsheets].name = dup_or_null(sname, &failed);
        x->sheets[x->nsheets].part = dup_or_null(r->target, &failed);
        x->nsheets++;
        if (failed)
            job_nomem(&b->j);
    } else if (strcmp(ln, "definedName") == 0 && !b->in_name) { /* nested: not a name */
        const char *nname = attr(atts, "name"), *sheet = attr(atts, "localSheetId");
        const char *hidden = attr(atts, "hidden");
        if (!nname)
            return;
        if (!grow((void **)&x->names, &x->capnames, x->nnames, sizeof *x->names)) {
            job_nomem(&b->j);
            return;
        }
        bool failed = false;
        bpa_xlsx_name *n = &x->names[x->nnames++];
        n->name = dup_or_null(nname, &failed);
        n->text = NULL;
        n->sheet = sheet ? strtol(sheet, NULL, 10) : -1;
        n->hidden = hidden && (strcmp(hidden, "1") == 0 || strcmp(hidden, "true") == 0);
        if (failed)
            job_nomem(&b->j);
        b->in_name = true;
        text_reset(&b->text);
    }
}

static void XMLCALL book_end(void *ud, const XML_Char *name)
{
    book_job *b = ud;
    if (b->j.st != BPA_OK || !b->in_name || strcmp(local_name(name), "definedName") != 0)
        return;
    b->in_name = false;
    bool failed = b->text.failed;
    b->j.x->names[b->j.x->nnames - 1].text = dup_or_null(text_of(&b->text), &failed);
    if (failed)
        job_nomem(&b->j);
}

static void XMLCALL book_chars(void *ud, const XML_Char *s, int len)
{
    book_job *b = ud;
    if (b->j.st != BPA_OK || !b->in_name)
        return;
    if (b->text.len + (size_t)len > BPA_XLSX_TEXT_MAX)
        job_fail(&b->j, bad(b->j.x, b->j.err, "%s: a defined name longer than %u bytes",
                            b->j.part, BPA_XLSX_TEXT_MAX));
    else
        bpa_strbuf_addn(&b->text, s, (size_t)len);
    if (b->text.failed) /* else the name would read as cut short */
        job_nomem(&b->j);
}

static bpa_status read_book(bpa_xlsx *x, bpa_error *err)
{
    book_job b;
    memset(&b, 0, sizeof b);
    bpa_strbuf_init(&b.text);
    bpa_status st = job_start(&b.j, x, x->workbook, &b, err);
    if (st == BPA_OK) {
        XML_SetElementHandler(b.j.p, book_start, book_end);
        XML_SetCharacterDataHandler(b.j.p, book_chars);
        st = parse_all(&b.j, "_rels/.rels names it");
    }
    job_end(&b.j);
    bpa_strbuf_release(&b.text);
    return st;
}

/* ---- shared strings -------------------------------------------------------------------- */

typedef struct sst_job {
    job j;
    bool in_si, in_t;
    int rph;        /* depth inside <rPh> (phonetic runs are not the text) */
    size_t start;   /* offset of the string being read */
} sst_job;

static bool sst_add(bpa_xlsx *x, const char *s, size_t n)
{
    if (x->sst_len + n + 1 > x->sst_cap) {
        size_t nc = x->sst_cap ? x->sst_cap : 4096;
        while (nc < x->sst_len + n + 1)
            nc *= 2;
        char *p = bpa_realloc(x->sst, nc);
        if (!p)
            return false;
        x->sst = p;
        x->sst_cap = nc;
    }
    memcpy(x->sst + x->sst_len, s, n);
    x->sst_len += n;
    return true;
}

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    (void)atts;
    sst_job *s = ud;
    const char *ln = local_name(name);
    if (strcmp(ln, "si") == 0) {
        s->in_si = true;
        s->start = s->j.x->sst_len;
    } else if (strcmp(ln, "rPh") == 0) {
        s->rph++;
    } else if (strcmp(ln, "t") == 0 && s->in_si && !s->rph) {
        s->in_t = true;
    }
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
    sst_job *s = ud;
    bpa_xlsx *x = s->j.x;
    const char *ln = local_name(name);
    if (s->j.st != BPA_OK)
        return;
    if (strcmp(ln, "t") == 0) {
        s->in_t = false;
    } else if (strcmp(ln, "rPh") == 0) {
        s->rph--;
    } else if (strcmp(ln, "si") == 0 && s->in_si) {
        s->in_si = false;
        if (!sst_add(x, "", 0) || !grow((void **)&x->sst_off, &x->capsst, x->nsst,
                                        sizeof *x->sst_off)) {
            job_nomem(&s->j);
            return;
        }
        x->sst[x->sst_len++] = '\0';
        x->sst_off[x->nsst++] = s->start;
    }
}

static void XMLCALL sst_chars(void *ud, const XML_Char *text, int len)
{
    sst_job *s = ud;
    bpa_xlsx *x = s->j.x;
    if (s->j.st != BPA_OK || !s->in_t)
        return;
    if (x->sst_len - s->start + (size_t)len > BPA_XLSX_TEXT_MAX) {
        job_fail(&s->j, bad(x, s->j.err, "%s: shared string %zu is longer than %u bytes",
                            s->j.part, x->nsst + 1, BPA_XLSX_TEXT_MAX));
        return;
    }
    if (x->sst_len + (size_t)len > BPA_XLSX_SHARED_MAX) {
        job_fail(&s->j, bad(x, s->j.err, "%s: the shared strings exceed %u MiB", s->j.part,
                            BPA_XLSX_SHARED_MAX >> 20));
        return;
    }
    if (!sst_add(x, text, (size_t)len))
        job_nomem(&s->j);
}

static bpa_status read_sst(bpa_xlsx *x, const char *part, bpa_error *err)
{
    sst_job s;
    memset(&s, 0, sizeof s);
    bpa_status st = job_start(&s.j, x, part, &s, err);
    if (st == BPA_OK) {
        XML_SetElementHandler(s.j.p, sst_start, sst_end);
        XML_SetCharacterDataHandler(s.j.p, sst_chars);
        st = parse_all(&s.j, "the workbook's relationships name it");
    }
    job_end(&s.j);
    return st;
}

/* ---- styles ------------------------------------------------------------------------- */

enum { SEC_NONE, SEC_NUMFMTS, SEC_FONTS, SEC_FILLS, SEC_BORDERS, SEC_XFS, SEC_OTHER };

typedef struct styles_job {
    job j;
    int depth;   /* 1: <styleSheet>, 2: its sections */
    int section; /* of the depth-2 element being read */
    bool failed;
} styles_job;

static char *attr_dup(const char **atts, const char *name, bool *failed)
{
    const char *v = attr(atts, name);
    return dup_or_null(v ? v : "", failed);
}

/* A color as text: "FF595959", "theme:1", "indexed:64", "auto", "". */
static char *color_text(const char **atts, bool *failed)
{
    const char *v;
    char buf[64] = "";
    if ((v = attr(atts, "rgb")))
        snprintf(buf, sizeof buf, "%s", v);
    else if ((v = attr(atts, "theme")))
        snprintf(buf, sizeof buf, "theme:%s", v);
    else if ((v = attr(atts, "indexed")))
        snprintf(buf, sizeof buf, "indexed:%s", v);
    else if (attr(atts, "auto"))
        snprintf(buf, sizeof buf, "auto");
    return dup_or_null(buf, failed);
}

static bool flag(const char **atts, const char *name, bool absent)
{
    const char *v = attr(atts, name);
    if (!v)
        return absent;
    return strcmp(v, "1") == 0 || strcmp(v, "true") == 0;
}

static unsigned uattr(const char **atts, const char *name)
{
    const char *v = attr(atts, name);
    return v ? (unsigned)strtoul(v, NULL, 10) : 0;
}

static void XMLCALL styles_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    styles_job *y = ud;
    bpa_xlsx *x = y->j.x;
    if (y->j.st != BPA_OK)
        return;
    const char *ln = local_name(name);
    bool *f = &y->failed;
    if (++y->depth <= 2) {
        y->section = y->depth == 1                   ? SEC_NONE
                     : strcmp(ln, "numFmts") == 0    ? SEC_NUMFMTS
                     : strcmp(ln, "fonts") == 0      ? SEC_FONTS
                     : strcmp(ln, "fills") == 0      ? SEC_FILLS
                     : strcmp(ln, "borders") == 0    ? SEC_BORDERS
                     : strcmp(ln, "cellXfs") == 0    ? SEC_XFS
                                                     : SEC_OTHER;
        return;
    }
    if (y->section == SEC_NUMFMTS && strcmp(ln, "numFmt") == 0) {
        if (!grow((void **)&x->numfmts, &x->capnumfmts, x->nnumfmts, sizeof *x->numfmts))
            goto nomem;
        numfmt_rec *r = &x->numfmts[x->nnumfmts++];
        r->id = uattr(atts, "numFmtId");
        r->code = attr_dup(atts, "formatCode", f);
    } else if (y->section == SEC_FONTS) {
        if (strcmp(ln, "font") == 0) {
            if (!grow((void **)&x->fonts, &x->capfonts, x->nfonts, sizeof *x->fonts))
                goto nomem;
            memset(&x->fonts[x->nfonts++], 0, sizeof *x->fonts);
            return;
        }
        if (!x->nfonts)
            return;
        font_rec *r = &x->fonts[x->nfonts - 1];
        if (strcmp(ln, "b") == 0)
            r->bold = flag(atts, "val", true);
        else if (strcmp(ln, "i") == 0)
            r->italic = flag(atts, "val", true);
        else if (strcmp(ln, "sz") == 0 && !r->size)
            r->size = attr_dup(atts, "val", f);
        else if (strcmp(ln, "color") == 0 && !r->color)
            r->color = color_text(atts, f);
        else if ((strcmp(ln, "name") == 0 || strcmp(ln, "rFont") == 0) && !r->name)
            r->name = attr_dup(atts, "val", f);
    } else if (y->section == SEC_FILLS) {
        if (strcmp(ln, "fill") == 0) {
            if (!grow((void **)&x->fills, &x->capfills, x->nfills, sizeof *x->fills))
                goto nomem;
            memset(&x->fills[x->nfills++], 0, sizeof *x->fills);
            return;
        }
        if (!x->nfills)
            return;
        fill_rec *r = &x->fills[x->nfills - 1];
        if (strcmp(ln, "patternFill") == 0 && !r->pattern) {
            const char *t = attr(atts, "patternType");
            r->pattern = dup_or_null(t ? t : "none", f);
        } else if (strcmp(ln, "fgColor") == 0 && !r->color) {
            r->color = color_text(atts, f);
        }
    } else if (y->section == SEC_BORDERS) {
        static const char *const sides[4][2] = {{"left", "start"}, {"right", "end"},
                                                {"top", "top"}, {"bottom", "bottom"}};
        if (strcmp(ln, "border") == 0) {
            if (!grow((void **)&x->borders, &x->capborders, x->nborders, sizeof *x->borders))
                goto nomem;
            memset(&x->borders[x->nborders++], 0, sizeof *x->borders);
            return;
        }
        for (int k = 0; k < 4 && x->nborders; k++)
            if ((strcmp(ln, sides[k][0]) == 0 || strcmp(ln, sides[k][1]) == 0) &&
                !x->borders[x->nborders - 1].side[k])
                x->borders[x->nborders - 1].side[k] = attr_dup(atts, "style", f);
    } else if (y->section == SEC_XFS) {
        if (strcmp(ln, "xf") == 0) {
            if (!grow((void **)&x->xfs, &x->capxfs, x->nxfs, sizeof *x->xfs))
                goto nomem;
            xf_rec *r = &x->xfs[x->nxfs++];
            memset(r, 0, sizeof *r);
            r->numfmt = uattr(atts, "numFmtId");
            r->font = uattr(atts, "fontId");
            r->fill = uattr(atts, "fillId");
            r->border = uattr(atts, "borderId");
        } else if (strcmp(ln, "alignment") == 0 && x->nxfs) {
            xf_rec *r = &x->xfs[x->nxfs - 1];
            if (!r->horizontal && !r->vertical) {
                r->horizontal = attr_dup(atts, "horizontal", f);
                r->vertical = attr_dup(atts, "vertical", f);
                r->indent = uattr(atts, "indent");
                r->wrap = flag(atts, "wrapText", false);
            }
        }
    }
    if (*f)
        job_nomem(&y->j);
    return;
nomem:
    job_nomem(&y->j);
}

static void XMLCALL styles_end(void *ud, const XML_Char *name)
{
    (void)name;
    styles_job *y = ud;
    if (y->depth-- == 2)
        y->section = SEC_NONE;
}

static bpa_status read_styles(bpa_xlsx *x, const char *part, bpa_error *err)
{
    styles_job y;
    memset(&y, 0, sizeof y);
    bpa_status st = job_start(&y.j, x, part, &y, err);
    if (st == BPA_OK) {
        XML_SetElementHandler(y.j.p, styles_start, styles_end);
        st = parse_all(&y.j, "the workbook's relationships name it");
    }
    job_end(&y.j);
    return st;
}

static const char *or_empty(const char *s) { return s ? s : ""; }

bool bpa_xlsx_style_get(const bpa_xlsx *x, unsigned index, bpa_xlsx_style *out)
{
    static const font_rec no_font;
    static const fill_rec no_fill;
    static const border_rec no_border;
    memset(out, 0, sizeof *out);
    out->num_format = out->font_name = out->font_size = out->font_color = "";
    out->fill = "none";
    out->fill_color = out->horizontal = out->vertical = "";
    for (int k = 0; k < 4; k++)
        out->border[k] = "";
    if (x->nxfs == 0)
        return index == 0;
    if (index >= x->nxfs)
        return false;
    const xf_rec *r = &x->xfs[index];
    if ((x->nfonts && r->font >= x->nfonts) || (x->nfills && r->fill >= x->nfills) ||
        (x->nborders && r->border >= x->nborders))
        return false;
    const font_rec *fo = x->nfonts ? &x->fonts[r->font] : &no_font;
    const fill_rec *fi = x->nfills ? &x->fills[r->fill] : &no_fill;
    const border_rec *bo = x->nborders ? &x->borders[r->border] : &no_border;
    out->num_format_id = r->numfmt;
    for (size_t i = 0; i < x->nnumfmts; i++)
        if (x->numfmts[i].id == r->numfmt)
            out->num_format = or_empty(x->numfmts[i].code);
    out->bold = fo->bold;
    out->italic = fo->italic;
    out->font_name = or_empty(fo->name);
    out->font_size = or_empty(fo->size);
    out->font_color = or_empty(fo->color);
    out->fill = fi->pattern ? fi->pattern : "none";
    out->fill_color = or_empty(fi->color);
    for (int k = 0; k < 4; k++)
        out->border[k] = or_empty(bo->side[k]);
    out->horizontal = or_empty(r->horizontal);
    out->vertical = or_empty(r->vertical);
    out->indent = r->indent;
    out->wrap = r->wrap;
    return true;
}

static void free_styles(bpa_xlsx *x)
{
    for (size_t i = 0; i < x->nnumfmts; i++)
        free(x->numfmts[i].code);
    for (size_t i = 0; i < x->nfonts; i++) {
        free(x->fonts[i].size);
        free(x->fonts[i].color);
        free(x->fonts[i].name);
    }
    for (size_t i = 0; i < x->nfills; i++) {
        free(x->fills[i].pattern);
        free(x->fills[i].color);
    }
    for (size_t i = 0; i < x->nborders; i++)
        for (int k = 0; k < 4; k++)
            free(x->borders[i].side[k]);
    for (size_t i = 0; i < x->nxfs; i++) {
        free(x->xfs[i].horizontal);
        free(x->xfs[i].vertical);
    }
    free(x->numfmts);
    free(x->fonts);
    free(x->fills);
    free(x->borders);
    free(x->xfs);
}

/* ---- open and free ------------------------------------------------------------------- */

static bpa_status open_zip(bpa_xlsx **out, const char *name, const char *path, const void *data,
                           size_t len, bpa_error *err)
{
    *out = NULL;
    bpa_xlsx *x = bpa_calloc(1, sizeof *x);
    if (!x)
        return bpa_error_set(err, BPA_E_NOMEM, name, 0, 0, NULL, "out of memory");
    x->name = bpa_strdup(name);
    if (!x->name) {
        free(x);
        return bpa_error_set(err, BPA_E_NOMEM, name, 0, 0, NULL, "out of memory");
    }
    int code = 0;
    struct stat sb;
    if (path && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        bpa_status st = bpa_error_set(err, BPA_E_IO, name, 0, 0, NULL,
                                      "cannot read the file: it is a directory");
        bpa_xlsx_free(x);
        return st;
    }
    if (path) {
        x->zip = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &code);
    } else {
        zip_error_t ze;
        zip_error_init(&ze);
        zip_source_t *src = zip_source_buffer_create(len ? data : "", len, 0, &ze);
        if (src) {
            x->zip = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
            if (!x->zip)
                zip_source_free(src);
        }
        code = zip_error_code_zip(&ze);
        zip_error_fini(&ze);
    }
    if (!x->zip) {
        bpa_status st;
        zip_error_t ze;
        zip_error_init_with_code(&ze, code);
        if (code == ZIP_ER_MEMORY)
            st = nomem(x, err);
        else if (code == ZIP_ER_NOENT || code == ZIP_ER_OPEN || code == ZIP_ER_READ ||
                 code == ZIP_ER_SEEK)
            st = bpa_error_set(err, BPA_E_IO, x->name, 0, 0, NULL, "cannot read the file: %s",
                               zip_error_strerror(&ze));
        else
            st = bad(x, err, "not a complete .xlsx file (a zip archive): %s; is it cut short "
                     "or of another kind?", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        bpa_xlsx_free(x);
        return st;
    }
    *out = x;
    return BPA_OK;
}

static bpa_status load(bpa_xlsx *x, bpa_error *err)
{
    bpa_status st = read_rels(x, "", true, err);
    if (st != BPA_OK)
        return st;
    if (!x->workbook)
        return bad(x, err, "_rels/.rels names no office document: not an .xlsx workbook");
    if ((st = read_rels(x, x->workbook, false, err)) != BPA_OK)
        return st;
    if ((st = read_book(x, err)) != BPA_OK)
        return st;
    for (size_t i = 0; i < x->nrels && st == BPA_OK; i++)
        if (x->rels[i].target && strcmp(x->rels[i].type, "sharedStrings") == 0)
            st = read_sst(x, x->rels[i].target, err);
        else if (x->rels[i].target && strcmp(x->rels[i].type, "styles") == 0 && !x->nxfs)
            st = read_styles(x, x->rels[i].target, err);
    free_rels(x);
    return st;
}

static bpa_status open_any(bpa_xlsx **out, const char *name, const char *path, const void *data,
                           size_t len, bpa_error *err)
{
    bpa_status st = open_zip(out, name, path, data, len, err);
    if (st != BPA_OK)
        return st;
    st = load(*out, err);
    if (st != BPA_OK) {
        bpa_xlsx_free(*out);
        *out = NULL;
    }
    return st;
}

bpa_status bpa_xlsx_open_named(bpa_xlsx **out, const char *path, const char *name,
                               bpa_error *err)
{
    return open_any(out, name, path, NULL, 0, err);
}

bpa_status bpa_xlsx_open_file(bpa_xlsx **out, const char *path, bpa_error *err)
{
    return open_any(out, path, path, NULL, 0, err);
}

bpa_status bpa_xlsx_open_mem(bpa_xlsx **out, const char *name, const void *data, size_t len,
                             bpa_error *err)
{
    return open_any(out, name ? name : "<workbook>", NULL, data, len, err);
}

void bpa_xlsx_free(bpa_xlsx *x)
{
    if (!x)
        return;
    if (x->zip)
        zip_discard(x->zip);
    free_rels(x);
    for (size_t i = 0; i < x->nsheets; i++) {
        free(x->sheets[i].name);
        free(x->sheets[i].part);
    }
    free(x->sheets);
    for (size_t i = 0; i < x->nnames; i++) {
        free((char *)x->names[i].name);
        free((char *)x->names[i].text);
    }
    free(x->names);
    free(x->sst);
    free(x->sst_off);
    free_styles(x);
    free(x->workbook);
    free(x->name);
    free(x);
}

size_t bpa_xlsx_sheet_count(const bpa_xlsx *x) { return x->nsheets; }
const char *bpa_xlsx_sheet_name(const bpa_xlsx *x, size_t i) { return x->sheets[i].name; }
const char *bpa_xlsx_sheet_part(const bpa_xlsx *x, size_t i) { return x->sheets[i].part; }
size_t bpa_xlsx_name_count(const bpa_xlsx *x) { return x->nnames; }
const bpa_xlsx_name *bpa_xlsx_name_at(const bpa_xlsx *x, size_t i) { return &x->names[i]; }

/* ---- the package check ---------------------------------------------------------------- */

/* [Content_Types].xml: Default (by extension) and Override (by part). */
typedef struct ctype {
    char *key; /* extension without '.', or part name without the leading '/' */
    char *type;
    bool part;
} ctype;

typedef struct check_job {
    job j;
    const char *source; /* for a .rels part: the part it describes */
    bool types;         /* [Content_Types].xml */
    bool app;           /* docProps/app.xml (extended properties) */
    ctype *ct;
    size_t nct, capct;
    char **targets; /* every internal relationship's target */
    size_t ntargets, captargets;
    /* app.xml: heading pairs and titles of parts */
    int in_pairs, in_titles;
    bool in_text;
    bpa_strbuf text;
    unsigned long announced; /* sum of the heading pairs' counts */
    unsigned long sheets_announced;
    bool first_pair_sheets, pair_name_next;
    unsigned long titles, titles_size;
} check_job;

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

/* The content type of a part, or NULL. */
static const char *content_type(const check_job *c, const char *part)
{
    for (size_t i = 0; i < c->nct; i++)
        if (c->ct[i].part && strcasecmp(c->ct[i].key, part) == 0)
            return c->ct[i].type;
    const char *dot = strrchr(part, '.');
    if (!dot || strchr(dot, '/'))
        return NULL;
    for (size_t i = 0; i < c->nct; i++)
        if (!c->ct[i].part && strcasecmp(c->ct[i].key, dot + 1) == 0)
            return c->ct[i].type;
    return NULL;
}

/* What the content type of a relationship's target ends with, by the
 * relationship type's last segment; NULL: not checked. */
static const char *expected_type(const char *rel_type)
{
    static const char *const table[][2] = {
        {"officeDocument", "main+xml"},         {"worksheet", "worksheet+xml"},
        {"chartsheet", "chartsheet+xml"},       {"styles", "styles+xml"},
        {"sharedStrings", "sharedStrings+xml"}, {"theme", "theme+xml"},
        {"core-properties", "core-properties+xml"},
        {"extended-properties", "extended-properties+xml"},
        {"custom-properties", "custom-properties+xml"}};
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(rel_type, table[i][0]) == 0)
            return table[i][1];
    return NULL;
}

static void check_relationship(check_job *c, const char **atts)
{
    bpa_xlsx *x = c->j.x;
    const char *mode = attr(atts, "TargetMode"), *target = attr(atts, "Target");
    const char *type = attr(atts, "Type");
    if (!target || (mode && strcmp(mode, "External") == 0))
        return;
    bool invalid;
    char *part = resolve(c->source, target, &invalid);
    if (!part) {
        if (invalid)
            job_fail(&c->j, bad(x, c->j.err, "%s: \"%s\" is not a part name", c->j.part, target));
        else
            job_nomem(&c->j);
        return;
    }
    const char *kind = type ? strrchr(type, '/') : NULL;
    const char *want = kind ? expected_type(kind + 1) : NULL;
    const char *have = content_type(c, part);
    if (zip_name_locate(x->zip, part, ZIP_FL_NOCASE) < 0)
        job_fail(&c->j, bad(x, c->j.err, "the workbook has no part %s (a relationship's target "
                            "in %s): it is damaged", part, c->j.part));
    else if (want && (!have || !ends_with(have, want)))
        job_fail(&c->j, bad(x, c->j.err, "part %s has content type \"%s\" in "
                            "[Content_Types].xml, not one ending in \"%s\" as its relationship "
                            "in %s calls for: the workbook is damaged",
                            part, have ? have : "(none)", want, c->j.part));
    if (!grow((void **)&c->targets, &c->captargets, c->ntargets, sizeof *c->targets)) {
        free(part);
        job_nomem(&c->j);
        return;
    }
    c->targets[c->ntargets++] = part;
}

static void check_override(check_job *c, const char **atts, bool is_default)
{
    bpa_xlsx *x = c->j.x;
    const char *key = attr(atts, is_default ? "Extension" : "PartName");
    const char *type = attr(atts, "ContentType");
    if (!key || !type)
        return;
    if (!is_default && key[0] == '/')
        key++;
    if (!is_default && zip_name_locate(x->zip, key, ZIP_FL_NOCASE) < 0) {
        job_fail(&c->j, bad(x, c->j.err, "the workbook has no part %s (overridden in "
                            "[Content_Types].xml): it is damaged", key));
        return;
    }
    if (!grow((void **)&c->ct, &c->capct, c->nct, sizeof *c->ct)) {
        job_nomem(&c->j);
        return;
    }
    bool failed = false;
    ctype *e = &c->ct[c->nct++];
    e->key = dup_or_null(key, &failed);
    e->type = dup_or_null(type, &failed);
    e->part = !is_default;
    if (failed)
        job_nomem(&c->j);
}

static void XMLCALL check_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    check_job *c = ud;
    if (c->j.st != BPA_OK)
        return;
    const char *ln = local_name(name);
    if (c->types && (strcmp(ln, "Override") == 0 || strcmp(ln, "Default") == 0)) {
        check_override(c, atts, ln[0] == 'D');
    } else if (c->source && strcmp(ln, "Relationship") == 0) {
        check_relationship(c, atts);
    } else if (c->app) {
        if (strcmp(ln, "HeadingPairs") == 0)
            c->in_pairs = 1, c->pair_name_next = true;
        else if (strcmp(ln, "TitlesOfParts") == 0)
            c->in_titles = 1;
        else if (c->in_titles && strcmp(ln, "vector") == 0)
            c->titles_size = uattr(atts, "size");
        else if ((c->in_pairs && (strcmp(ln, "lpstr") == 0 || strcmp(ln, "i4") == 0)) ||
                 (c->in_titles && strcmp(ln, "lpstr") == 0)) {
            c->in_text = true;
            text_reset(&c->text);
        }
    }
}

static void XMLCALL check_end(void *ud, const XML_Char *name)
{
    check_job *c = ud;
    bpa_xlsx *x = c->j.x;
    if (c->j.st != BPA_OK || !c->app)
        return;
    const char *ln = local_name(name);
    if (strcmp(ln, "HeadingPairs") == 0) {
        c->in_pairs = 0;
    } else if (strcmp(ln, "TitlesOfParts") == 0) {
        c->in_titles = 0;
    } else if (c->in_text) {
        c->in_text = false;
        if (c->text.failed) {
            job_nomem(&c->j);
            return;
        }
        const char *t = text_of(&c->text);
        if (c->in_pairs && strcmp(ln, "lpstr") == 0) {
            c->first_pair_sheets = c->pair_name_next && c->announced == 0 &&
                                   strcmp(t, "Worksheets") == 0;
        } else if (c->in_pairs) { /* a count */
            unsigned long k = strtoul(t, NULL, 10);
            if (c->first_pair_sheets && c->announced == 0)
                c->sheets_announced = k;
            c->announced += k;
        } else if (c->in_titles) {
            if (c->titles < c->sheets_announced &&
                (c->titles >= x->nsheets || strcmp(t, x->sheets[c->titles].name) != 0))
                job_fail(&c->j, bad(x, c->j.err, "%s: title of part %lu is \"%s\", not the "
                                    "sheet's name: the workbook is damaged",
                                    c->j.part, c->titles + 1, t));
            c->titles++;
        }
    }
}

static void XMLCALL check_chars(void *ud, const XML_Char *s, int len)
{
    check_job *c = ud;
    if (c->in_text && c->text.len + (size_t)len <= BPA_XLSX_TEXT_MAX)
        bpa_strbuf_addn(&c->text, s, (size_t)len);
}

/* The part a .rels part describes: "xl/_rels/workbook.xml.rels" ->
 * "xl/workbook.xml"; "_rels/.rels" -> "" (the package). *src stays NULL
 * for a .rels outside a _rels folder (not a relationships part); false
 * when out of memory. */
static bool rels_source(const char *rels, char **src)
{
    *src = NULL;
    const char *slash = strrchr(rels, '/');
    const char *base = slash ? slash + 1 : rels;
    size_t dir = (size_t)(base - rels);
    if (dir < 6 || strncmp(rels + dir - 6, "_rels/", 6) != 0)
        return true;
    size_t blen = strlen(base) - 5; /* without ".rels" */
    *src = bpa_malloc(dir - 6 + blen + 1);
    if (!*src)
        return false;
    memcpy(*src, rels, dir - 6);
    memcpy(*src + dir - 6, base, blen);
    (*src)[dir - 6 + blen] = '\0';
    return true;
}

/* Parse one XML part with the check's handlers (c's part-specific flags
 * set by the caller). */
static bpa_status check_xml(check_job *c, bpa_xlsx *x, const char *part, bpa_error *err)
{
    bpa_status st = job_start(&c->j, x, part, c, err);
    if (st == BPA_OK) {
        XML_SetElementHandler(c->j.p, check_start, check_end);
        XML_SetCharacterDataHandler(c->j.p, check_chars);
        st = parse_all(&c->j, "listed in the archive");
    }
    job_end(&c->j);
    return st;
}

static bpa_status check_app(check_job *c, bpa_error *err)
{
    if (c->titles_size && c->titles != c->titles_size)
        return bad(c->j.x, err, "%s: TitlesOfParts says %lu titles and holds %lu: the workbook is "
                   "damaged", c->j.part, c->titles_size, c->titles);
    if (c->announced && c->announced != c->titles)
        return bad(c->j.x, err, "%s: the heading pairs count %lu parts, TitlesOfParts holds %lu: "
                   "the workbook is damaged", c->j.part, c->announced, c->titles);
    return BPA_OK;
}

static bpa_status check_parts(check_job *c, bpa_xlsx *x, bpa_error *err)
{
    zip_int64_t n = zip_get_num_entries(x->zip, 0);
    for (zip_int64_t i = 0; i < n; i++) {
        const char *part = zip_get_name(x->zip, (zip_uint64_t)i, 0);
        if (!part)
            return zip_failed(x, err, zip_error_code_zip(zip_get_error(x->zip)), "entry",
                              "cannot read");
        if (ends_with(part, "/") || strcmp(part, "[Content_Types].xml") == 0)
            continue;
        const char *type = content_type(c, part);
        if (!type)
            return bad(x, err, "part %s has no content type in [Content_Types].xml: the "
                       "workbook is damaged", part);
        bpa_status st = BPA_OK;
        if (ends_with(type, "xml")) {
            char *source = NULL;
            if (ends_with(part, ".rels") && !rels_source(part, &source))
                return nomem(x, err);
            c->source = source;
            c->app = ends_with(type, "extended-properties+xml");
            c->in_pairs = c->in_titles = 0;
            c->in_text = false;
            c->announced = c->sheets_announced = c->titles = c->titles_size = 0;
            st = check_xml(c, x, part, err);
            if (st == BPA_OK && c->app)
                st = check_app(c, err);
            c->source = NULL;
            c->app = false;
            free(source);
        } else { /* read it through: the CRC is checked at the end */
            zip_file_t *zf;
            st = part_open(x, part, "listed in the archive", &zf, err);
            char buf[4096];
            size_t got = 1;
            while (st == BPA_OK && got)
                st = part_read(x, zf, part, buf, sizeof buf, &got, err);
            if (zf)
                zip_fclose(zf);
        }
        if (st != BPA_OK)
            return st;
    }
    /* every part but the content types and relationships is some
     * relationship's target: a part nothing leads to is lost to a reader */
    for (zip_int64_t i = 0; i < n; i++) {
        const char *part = zip_get_name(x->zip, (zip_uint64_t)i, 0);
        if (!part || ends_with(part, "/") || ends_with(part, ".rels") ||
            strcmp(part, "[Content_Types].xml") == 0)
            continue;
        bool found = false;
        for (size_t k = 0; k < c->ntargets && !found; k++)
            found = strcasecmp(c->targets[k], part) == 0;
        if (!found)
            return bad(x, err, "part %s is the target of no relationship: the workbook is damaged",
                       part);
    }
    return BPA_OK;
}

bpa_status bpa_xlsx_check(bpa_xlsx *x, bpa_error *err)
{
    check_job c;
    memset(&c, 0, sizeof c);
    bpa_strbuf_init(&c.text);
    bpa_status st;
    if (zip_name_locate(x->zip, "[Content_Types].xml", 0) < 0) {
        st = bad(x, err, "the workbook has no part [Content_Types].xml: it is damaged or not an "
                 ".xlsx file");
    } else {
        c.types = true;
        st = check_xml(&c, x, "[Content_Types].xml", err);
        c.types = false;
    }
    if (st == BPA_OK)
        st = check_parts(&c, x, err);
    for (size_t i = 0; i < c.nct; i++) {
        free(c.ct[i].key);
        free(c.ct[i].type);
    }
    free(c.ct);
    for (size_t i = 0; i < c.ntargets; i++)
        free(c.targets[i]);
    free(c.targets);
    bpa_strbuf_release(&c.text);
    return st;
}

/* ---- sheets, one cell at a time -------------------------------------------------------- */

enum { TEXT_NONE, TEXT_V, TEXT_F, TEXT_IS };

struct bpa_xlsx_sheet {
    job j; /* first: expat's user data is the cursor */
    size_t index;
    zip_file_t *zf;
    char *buf;
    bool final, suspended, done, ready;
    bpa_status failed;
    /* where the parse is */
    bool in_data, in_cell, in_is;
    int text, rph;
    uint32_t row;      /* current row from <row r>, 0-based */
    uint32_t next_col; /* a cell without r follows the one before */
    bool row_given;
    /* the cell being read */
    char type[12];
    bool has_v, has_f, has_is;
    bpa_strbuf v, f, t;
    bpa_xlsx_cell cell;
    char ref[12];
};

static void sheet_fail(bpa_xlsx_sheet *s, const char *fmt, const char *arg)
{
    char where[12];
    bpa_xlsx_cell_name(s->cell.row, s->cell.col, where);
    char msg[256];
    snprintf(msg, sizeof msg, fmt, arg);
    job_fail(&s->j, bad(s->j.x, s->j.err, "%s!%s (%s:%lu): %s", s->j.x->sheets[s->index].name,
                        where, s->j.part, (unsigned long)XML_GetCurrentLineNumber(s->j.p), msg));
}

/* "B7" -> row 6, col 1; false when not a cell reference within the limits. */
static bool parse_ref(const char *r, uint32_t *row, uint32_t *col)
{
    uint32_t c = 0, n = 0;
    size_t i = 0;
    while (r[i] >= 'A' && r[i] <= 'Z' && i < 3)
        c = c * 26 + (uint32_t)(r[i++] - 'A' + 1);
    if (i == 0 || c > COL_MAX)
        return false;
    size_t d = i;
    while (r[i] >= '0' && r[i] <= '9' && i - d < 7)
        n = n * 10 + (uint32_t)(r[i++] - '0');
    if (i == d || r[i] || n == 0 || n > ROW_MAX || r[d] == '0')
        return false;
    *row = n - 1;
    *col = c - 1;
    return true;
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    bpa_xlsx_sheet *s = ud;
    if (s->j.st != BPA_OK)
        return;
    const char *ln = local_name(name);
    if (!s->in_data) {
        if (strcmp(ln, "sheetData") == 0)
            s->in_data = true;
        return;
    }
    if (strcmp(ln, "row") == 0) {
        const char *r = attr(atts, "r");
        if (r) {
            char *end;
            unsigned long n = strtoul(r, &end, 10);
            if (*end || n == 0 || n > ROW_MAX) {
                s->cell.row = s->row, s->cell.col = 0;
                sheet_fail(s, "row number \"%s\" is not between 1 and 1048576", r);
                return;
            }
            s->row = (uint32_t)(n - 1);
        } else if (s->row_given) {
            s->row++;
        }
        s->row_given = true;
        s->next_col = 0;
    } else if (strcmp(ln, "c") == 0) {
        s->in_cell = true;
        s->has_v = s->has_f = s->has_is = false;
        text_reset(&s->v);
        text_reset(&s->f);
        text_reset(&s->t);
        const char *r = attr(atts, "r"), *t = attr(atts, "t"), *st = attr(atts, "s");
        s->cell.row = s->row;
        s->cell.col = s->next_col;
        if (r && !parse_ref(r, &s->cell.row, &s->cell.col)) {
            sheet_fail(s, "\"%s\" is not a cell reference", r);
            return;
        }
        s->next_col = s->cell.col + 1;
        snprintf(s->type, sizeof s->type, "%s", t ? t : "n");
        s->cell.style = st ? (unsigned)strtoul(st, NULL, 10) : 0;
    } else if (s->in_cell && strcmp(ln, "v") == 0) {
        s->text = TEXT_V;
        s->has_v = true;
    } else if (s->in_cell && strcmp(ln, "f") == 0) {
        s->text = TEXT_F;
        s->has_f = true;
    } else if (s->in_cell && strcmp(ln, "is") == 0) {
        s->in_is = true;
        s->has_is = true;
    } else if (s->in_is && strcmp(ln, "rPh") == 0) {
        s->rph++;
    } else if (s->in_is && !s->rph && strcmp(ln, "t") == 0) {
        s->text = TEXT_IS;
    }
}

/* The finished cell: its type and value from t, <v>, <is> and <f>. */
static void cell_done(bpa_xlsx_sheet *s)
{
    bpa_xlsx *x = s->j.x;
    bpa_xlsx_cell *c = &s->cell;
    const char *t = s->type;
    c->value = text_of(&s->v);
    c->value_len = s->v.len;
    if (strcmp(t, "n") == 0) {
        c->type = s->has_v ? BPA_XLSX_NUMBER : BPA_XLSX_BLANK;
    } else if (strcmp(t, "s") == 0) {
        char *end;
        unsigned long i = strtoul(c->value, &end, 10);
        if (!s->has_v || *end || !c->value[0] || c->value[0] == '-' || i >= x->nsst) {
            sheet_fail(s, "shared string index \"%s\" is not in the table", c->value);
            return;
        }
        c->type = BPA_XLSX_SHARED_STRING;
        c->value = x->sst + x->sst_off[i];
        c->value_len = strlen(c->value);
    } else if (strcmp(t, "inlineStr") == 0) {
        c->type = BPA_XLSX_INLINE_STRING;
        c->value = text_of(&s->t);
        c->value_len = s->t.len;
    } else if (strcmp(t, "str") == 0) {
        c->type = BPA_XLSX_STRING;
    } else if (strcmp(t, "b") == 0) {
        c->type = BPA_XLSX_BOOLEAN;
    } else if (strcmp(t, "e") == 0) {
        c->type = BPA_XLSX_ERROR;
    } else {
        sheet_fail(s, "cell type \"%s\" is not supported", t);
        return;
    }
    c->formula = s->has_f ? text_of(&s->f) : NULL;
    if (s->v.failed || s->f.failed || s->t.failed) {
        job_nomem(&s->j);
        return;
    }
    s->ready = true;
    XML_StopParser(s->j.p, XML_TRUE); /* resumed by the next bpa_xlsx_sheet_next */
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
    bpa_xlsx_sheet *s = ud;
    if (s->j.st != BPA_OK || !s->in_data)
        return;
    const char *ln = local_name(name);
    if (strcmp(ln, "sheetData") == 0) {
        s->in_data = false;
    } else if (strcmp(ln, "c") == 0 && s->in_cell) {
        s->in_cell = s->in_is = false;
        s->text = TEXT_NONE;
        s->rph = 0;
        cell_done(s);
    } else if (strcmp(ln, "v") == 0 || strcmp(ln, "f") == 0 || strcmp(ln, "t") == 0) {
        s->text = TEXT_NONE;
    } else if (strcmp(ln, "is") == 0) {
        s->in_is = false;
    } else if (strcmp(ln, "rPh") == 0 && s->rph > 0) {
        s->rph--;
    }
}

static void XMLCALL sheet_chars(void *ud, const XML_Char *text, int len)
{
    bpa_xlsx_sheet *s = ud;
    if (s->j.st != BPA_OK || s->text == TEXT_NONE)
        return;
    bpa_strbuf *b = s->text == TEXT_V ? &s->v : s->text == TEXT_F ? &s->f : &s->t;
    if (b->len + (size_t)len > BPA_XLSX_TEXT_MAX) {
        sheet_fail(s, "a %s longer than 262144 bytes", s->text == TEXT_F ? "formula" : "value");
        return;
    }
    bpa_strbuf_addn(b, text, (size_t)len);
    if (b->failed) /* else the value would read as empty */
        job_nomem(&s->j);
}

bpa_status bpa_xlsx_sheet_open(bpa_xlsx *x, size_t i, bpa_xlsx_sheet **out, bpa_error *err)
{
    *out = NULL;
    bpa_xlsx_sheet *s = bpa_calloc(1, sizeof *s);
    if (!s)
        return nomem(x, err);
    s->index = i;
    bpa_strbuf_init(&s->v);
    bpa_strbuf_init(&s->f);
    bpa_strbuf_init(&s->t);
    s->buf = bpa_malloc(CHUNK);
    bpa_status st = s->buf ? job_start(&s->j, x, x->sheets[i].part, s, err) : nomem(x, err);
    if (st == BPA_OK) {
        XML_SetElementHandler(s->j.p, sheet_start, sheet_end);
        XML_SetCharacterDataHandler(s->j.p, sheet_chars);
        st = part_open(x, x->sheets[i].part, "the workbook's relationships name it", &s->zf, err);
    }
    if (st != BPA_OK) {
        bpa_xlsx_sheet_close(s);
        return st;
    }
    *out = s;
    return BPA_OK;
}

bpa_status bpa_xlsx_sheet_next(bpa_xlsx_sheet *s, const bpa_xlsx_cell **cell, bpa_error *err)
{
    *cell = NULL;
    if (s->failed != BPA_OK)
        return bpa_error_set(err, s->failed, s->j.x->name, 0, 0, NULL,
                             "%s: reading went on after an error", s->j.part);
    s->j.err = err;
    s->ready = false;
    while (!s->done) {
        enum XML_Status xs;
        if (s->suspended) {
            s->suspended = false;
            xs = XML_ResumeParser(s->j.p);
        } else {
            size_t n;
            bpa_status st = part_read(s->j.x, s->zf, s->j.part, s->buf, CHUNK, &n, err);
            if (st != BPA_OK)
                return s->failed = st;
            s->final = n == 0;
            xs = XML_Parse(s->j.p, s->buf, (int)n, s->final);
        }
        if (xs == XML_STATUS_ERROR)
            return s->failed = job_error(&s->j);
        if (xs == XML_STATUS_SUSPENDED)
            s->suspended = true;
        else if (s->final)
            s->done = true;
        if (s->ready) {
            *cell = &s->cell;
            return BPA_OK;
        }
    }
    return BPA_OK;
}

void bpa_xlsx_sheet_close(bpa_xlsx_sheet *s)
{
    if (!s)
        return;
    job_end(&s->j);
    if (s->zf)
        zip_fclose(s->zf);
    bpa_strbuf_release(&s->v);
    bpa_strbuf_release(&s->f);
    bpa_strbuf_release(&s->t);
    free(s->buf);
    free(s);
}

/* ---- names, escapes, digests ------------------------------------------------------------- */

void bpa_xlsx_cell_name(uint32_t row, uint32_t col, char buf[12])
{
    char letters[4];
    int n = 0;
    for (uint32_t c = col + 1; c > 0 && n < 3; c = (c - 1) / 26)
        letters[n++] = (char)('A' + (c - 1) % 26);
    int k = 0;
    while (n > 0)
        buf[k++] = letters[--n];
    snprintf(buf + k, (size_t)(12 - k), "%lu", (unsigned long)row + 1);
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* The code unit of "_xHHHH_" at s (len bytes left), or -1. */
static long escape_at(const char *s, size_t len)
{
    if (len < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_')
        return -1;
    long v = 0;
    for (int i = 2; i < 6; i++) {
        int h = hex_value(s[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

static size_t put_utf8(char *out, unsigned long cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t bpa_xlsx_unescape(char *text, size_t len)
{
    size_t out = 0;
    for (size_t i = 0; i < len;) {
        long u = escape_at(text + i, len - i);
        unsigned long cp = (unsigned long)u;
        size_t used = 7;
        if (u >= 0xD800 && u < 0xDC00) { /* a pair of escapes for one character */
            long lo = escape_at(text + i + 7, len - i - 7);
            if (lo >= 0xDC00 && lo < 0xE000) {
                cp = 0x10000 + (((unsigned long)u - 0xD800) << 10) + ((unsigned long)lo - 0xDC00);
                used = 14;
            } else {
                u = -1;
            }
        } else if (u >= 0xDC00 && u < 0xE000) {
            u = -1; /* a lone low surrogate is no character: keep the text */
        }
        if (u < 0 || u == 0) {
            text[out++] = text[i++];
            continue;
        }
        out += put_utf8(text + out, cp); /* never longer than the escape */
        i += used;
    }
    if (out < len)
        text[out] = '\0';
    return out;
}

static void put_u64(bpa_sha256 *h, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (56 - 8 * i));
    bpa_sha256_update(h, b, sizeof b);
}

static void put_text(bpa_sha256 *h, const char *s, size_t n)
{
    put_u64(h, n);
    bpa_sha256_update(h, s, n);
}

static void put_str(bpa_sha256 *h, const char *s) { put_text(h, s, strlen(s)); }

void bpa_xlsx_style_digest(const bpa_xlsx_style *st, unsigned char digest[32])
{
    bpa_sha256 h;
    bpa_sha256_init(&h);
    if (st->num_format[0])
        put_str(&h, st->num_format);
    else
        put_u64(&h, st->num_format_id);
    bpa_sha256_update(&h, st->bold ? "b" : "-", 1);
    bpa_sha256_update(&h, st->italic ? "i" : "-", 1);
    put_str(&h, st->font_name);
    put_str(&h, st->font_size);
    put_str(&h, st->font_color);
    put_str(&h, st->fill);
    put_str(&h, st->fill_color);
    for (int k = 0; k < 4; k++)
        put_str(&h, st->border[k]);
    put_str(&h, st->horizontal);
    put_str(&h, st->vertical);
    put_u64(&h, st->indent);
    bpa_sha256_update(&h, st->wrap ? "w" : "-", 1);
    bpa_sha256_final(&h, digest);
}

void bpa_xlsx_cell_digest(const bpa_xlsx_cell *c, const unsigned char style[32],
                          unsigned char digest[32])
{
    static const char klass[] = {[BPA_XLSX_BLANK] = '-',         [BPA_XLSX_NUMBER] = 'n',
                                 [BPA_XLSX_SHARED_STRING] = 's', [BPA_XLSX_INLINE_STRING] = 's',
                                 [BPA_XLSX_STRING] = 's',        [BPA_XLSX_BOOLEAN] = 'b',
                                 [BPA_XLSX_ERROR] = 'e'};
    bpa_sha256 h;
    bpa_sha256_init(&h);
    put_u64(&h, c->row);
    put_u64(&h, c->col);
    bpa_sha256_update(&h, &klass[c->type], 1);
    put_text(&h, c->value, c->value_len);
    bpa_sha256_update(&h, c->formula ? "f" : "-", 1);
    if (c->formula)
        put_text(&h, c->formula, strlen(c->formula));
    bpa_sha256_update(&h, style ? "s" : "-", 1);
    if (style)
        bpa_sha256_update(&h, style, 32);
    bpa_sha256_final(&h, digest);
}

void bpa_xlsx_name_digest(const bpa_xlsx_name *n, unsigned char digest[32])
{
    bpa_sha256 h;
    bpa_sha256_init(&h);
    put_text(&h, n->name, strlen(n->name));
    put_u64(&h, (uint64_t)(n->sheet + 1));
    bpa_sha256_update(&h, n->hidden ? "h" : "-", 1);
    put_text(&h, n->text, strlen(n->text));
    bpa_sha256_final(&h, digest);
}

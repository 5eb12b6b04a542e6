/* Strict JSON documents with positions (see json.h). */
#include "alloc.h"
#include "json.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bpa/num.h"
#include "sha256.h"

/* ---- loading ----------------------------------------------------------- */

static void offset_to_line_col(const char *text, size_t length, size_t offset,
                               unsigned *line, unsigned *column)
{
    unsigned l = 1, c = 1;
    if (offset > length)
        offset = length;
    for (size_t i = 0; i < offset; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n') {
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80) {
            c++; /* count characters, not UTF-8 continuation bytes */
        }
    }
    *line = l;
    *column = c;
}

static bpa_status fail_at(const bpa_json_doc *doc, size_t offset, bpa_error *err,
                          const char *msg)
{
    unsigned line, column;
    offset_to_line_col(doc->text, doc->length, offset, &line, &column);
    return bpa_error_set(err, doc->fail, doc->name, line, column, NULL, "%s", msg);
}

/* Length of a valid UTF-8 sequence at s (0 if invalid). */
static size_t utf8_len(const unsigned char *s, size_t avail)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (avail < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

/* Bytes cJSON would accept but we do not: NUL, invalid UTF-8; and nesting
 * deeper than any bpa file needs (cJSON's own limit is 1000 and recursive). */
static bpa_status prescan(const bpa_json_doc *doc, bpa_error *err)
{
    const unsigned char *s = (const unsigned char *)doc->text;
    size_t depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < doc->length;) {
        unsigned char c = s[i];
        if (c == 0)
            return fail_at(doc, i, err, "NUL byte in a JSON file");
        size_t n = utf8_len(s + i, doc->length - i);
        if (n == 0)
            return fail_at(doc, i, err, "not UTF-8: a JSON file must be UTF-8 text");
        /* cJSON takes any byte up to 0x20 for whitespace; JSON allows four,
         * and none raw inside a string */
        if (in_string && (c == '\n' || c == '\r'))
            return fail_at(doc, i, err,
                           "unterminated string: a line ends before its closing quote");
        if (c < 0x20 && (in_string || (c != ' ' && c != '\t' && c != '\n' && c != '\r')))
            return fail_at(doc, i, err,
                           in_string ? "control character inside a string (write it as \\u00XX)"
                                     : "control character outside a string");
        if (in_string) {
            if (c == '\\')
                n = (i + 1 < doc->length) ? 2 : 1;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > BPA_JSON_MAX_DEPTH)
                return fail_at(doc, i, err,
                               "JSON nested too deeply (more than 64 levels)");
        } else if (c == '}' || c == ']') {
            if (depth)
                depth--;
        }
        i += n;
    }
    return BPA_OK;
}

/* What JSON allows at offset, judged by the character before it (cJSON
 * only says where it stopped). */
static const char *expectation(const char *text, size_t off)
{
    size_t i = off;
    while (i > 0 && strchr(" \t\r\n", text[i - 1]))
        i--;
    char before = i > 0 ? text[i - 1] : '\0';
    if (text[off] == '\'' || before == '\'')
        return "strings and keys take double quotes (\"...\"), not single quotes";
    int depth = 0;
    bool in_string = false;
    for (size_t k = 0; k < off; k++) {
        if (in_string) {
            if (text[k] == '\\' && k + 1 < off)
                k++;
            else if (text[k] == '"')
                in_string = false;
        } else if (text[k] == '"') {
            in_string = true;
        } else if (text[k] == '{' || text[k] == '[') {
            depth++;
        } else if (text[k] == '}' || text[k] == ']') {
            depth--;
        }
    }
    if (depth <= 0 && before != '\0')
        return "unexpected text after the end of the JSON value";
    switch (before) {
    case '\0':
        return "expected a JSON object";
    case '{':
        return "expected a \"key\" in double quotes or '}'";
    case ',':
        return strchr("}]", text[off]) ? "a comma must be followed by another element "
                                          "(no trailing commas)"
                                        : "expected a value, or a \"key\" in double quotes";
    case ':':
    case '[':
        return "expected a value (string in double quotes, number, true, false, null, "
               "object or array)";
    default:
        return "expected ',' or a closing '}' or ']'";
    }
}

typedef struct walker {
    const char *s;
    bpa_json_pos *pos;
    size_t n, cap;
} walker;

static size_t skip_ws(const char *s, size_t i)
{
    while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
        i++;
    return i;
}

static size_t skip_string(const char *s, size_t i)
{
    i++; /* opening quote */
    while (s[i] && s[i] != '"')
        i += (s[i] == '\\' && s[i + 1]) ? 2 : 1;
    return s[i] ? i + 1 : i;
}

/* Walk the (already valid) text in step with the tree, in document order. */
static size_t walk_value(walker *w, const cJSON *node, size_t i)
{
    const char *s = w->s;
    i = skip_ws(s, i);
    size_t start = i;
    if (w->n == w->cap) /* text and tree disagree: cannot happen after prescan */
        return strlen(s);
    bpa_json_pos *p = &w->pos[w->n++];
    p->node = node;
    p->offset = (uint32_t)start;
    if (s[i] == '{' || s[i] == '[') {
        char close = s[i] == '{' ? '}' : ']';
        bool is_object = s[i] == '{';
        i = skip_ws(s, i + 1);
        const cJSON *child = node ? node->child : NULL;
        while (s[i] && s[i] != close) {
            if (is_object) {
                i = skip_string(s, i);
                i = skip_ws(s, i);
                i++; /* ':' */
            }
            i = walk_value(w, child, i);
            child = child ? child->next : NULL;
            i = skip_ws(s, i);
            if (s[i] == ',')
                i = skip_ws(s, i + 1);
        }
        if (s[i])
            i++;
    } else if (s[i] == '"') {
        i = skip_string(s, i);
    } else {
        while (s[i] && strchr("+-.0123456789eEtruefalsn", s[i]))
            i++;
    }
    p->length = (uint32_t)(i - start);
    return i;
}

static size_t count_values(const cJSON *node)
{
    size_t n = 1;
    for (const cJSON *c = node->child; c; c = c->next)
        n += count_values(c);
    return n;
}

static int pos_cmp(const void *a, const void *b)
{
    const bpa_json_pos *x = a, *y = b;
    return (x->node > y->node) - (x->node < y->node);
}

bpa_status bpa_json_load_mem(bpa_json_doc *doc, const char *name, const char *data,
                             size_t length, bpa_status fail, bpa_error *err)
{
    memset(doc, 0, sizeof *doc);
    doc->fail = fail;
    doc->name = bpa_strdup(name ? name : "<input>");
    doc->text = bpa_malloc(length + 1);
    if (!doc->name || !doc->text) {
        bpa_json_release(doc);
        return bpa_error_set(err, BPA_E_NOMEM, name, 0, 0, NULL, "out of memory");
    }
    if (length)
        memcpy(doc->text, data, length);
    doc->text[length] = '\0';
    doc->length = length;
    bpa_sha256_hex(doc->text, length, doc->sha256);

    bpa_status st;
    if (length == 0 || doc->text[skip_ws(doc->text, 0)] == '\0') {
        st = bpa_error_set(err, fail, doc->name, 1, 1, NULL,
                           "empty file: expected a JSON object");
        goto fail;
    }
    if ((st = prescan(doc, err)) != BPA_OK)
        goto fail;
    const char *end = NULL;
    unsigned long failed_before = bpa_alloc_failures();
    doc->root = cJSON_ParseWithLengthOpts(doc->text, length + 1, &end, 1);
    if (!doc->root && bpa_alloc_failures() != failed_before) {
        st = bpa_error_set(err, BPA_E_NOMEM, doc->name, 0, 0, NULL, "out of memory");
        goto fail;
    }
    if (!doc->root) {
        size_t off = end ? (size_t)(end - doc->text) : 0;
        if (off >= length) {
            st = fail_at(doc, length, err,
                         "invalid JSON: the file ends before the value is complete");
        } else {
            char msg[160], at[16];
            unsigned char c = (unsigned char)doc->text[off];
            if (c >= 0x20 && c < 0x7F)
                snprintf(at, sizeof at, "'%c'", c);
            else
                snprintf(at, sizeof at, "byte 0x%02X", c);
            snprintf(msg, sizeof msg, "invalid JSON at %s: %s", at, expectation(doc->text, off));
            st = fail_at(doc, off, err, msg);
        }
        goto fail;
    }
    size_t total = count_values(doc->root);
    doc->pos = bpa_calloc(total, sizeof *doc->pos);
    if (!doc->pos) {
        st = bpa_error_set(err, BPA_E_NOMEM, doc->name, 0, 0, NULL, "out of memory");
        goto fail;
    }
    walker w = {doc->text, doc->pos, 0, total};
    walk_value(&w, doc->root, 0);
    doc->npos = w.n;
    qsort(doc->pos, doc->npos, sizeof *doc->pos, pos_cmp);
    return BPA_OK;
fail:
    bpa_json_release(doc);
    return st;
}

bpa_status bpa_json_load_file(bpa_json_doc *doc, const char *path, bpa_status fail,
                              bpa_error *err)
{
    memset(doc, 0, sizeof *doc);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return bpa_error_set(err, BPA_E_IO, path, 0, 0, NULL, "cannot open: %s",
                             strerror(errno));
    struct stat sb;
    if (fstat(fileno(fp), &sb) != 0 || S_ISDIR(sb.st_mode)) {
        fclose(fp);
        return bpa_error_set(err, BPA_E_IO, path, 0, 0, NULL,
                             "is a directory, expected a JSON file");
    }
    size_t cap = 8192, len = 0;
    char *buf = bpa_malloc(cap);
    if (!buf) {
        fclose(fp);
        return bpa_error_set(err, BPA_E_NOMEM, path, 0, 0, NULL, "out of memory");
    }
    for (;;) {
        if (len == cap) {
            if (cap >= BPA_JSON_MAX_BYTES) {
                free(buf);
                fclose(fp);
                return bpa_error_set(err, fail, path, 0, 0, NULL,
                                     "file larger than %u MiB", BPA_JSON_MAX_BYTES >> 20);
            }
            char *nb = bpa_realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                fclose(fp);
                return bpa_error_set(err, BPA_E_NOMEM, path, 0, 0, NULL, "out of memory");
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + len, 1, cap - len, fp);
        len += got;
        if (got == 0)
            break;
    }
    bool bad = ferror(fp) != 0;
    int saved = errno;
    fclose(fp);
    if (bad) {
        free(buf);
        return bpa_error_set(err, BPA_E_IO, path, 0, 0, NULL, "read error: %s",
                             strerror(saved));
    }
    bpa_status st = bpa_json_load_mem(doc, path, buf, len, fail, err);
    free(buf);
    return st;
}

void bpa_json_release(bpa_json_doc *doc)
{
    if (!doc)
        return;
    if (doc->root)
        cJSON_Delete(doc->root);
    free(doc->pos);
    free(doc->text);
    free(doc->name);
    memset(doc, 0, sizeof *doc);
}

static const bpa_json_pos *find_pos(const bpa_json_doc *doc, const cJSON *node)
{
    bpa_json_pos key = {node, 0, 0};
    if (!doc->pos)
        return NULL;
    return bsearch(&key, doc->pos, doc->npos, sizeof key, pos_cmp);
}

void bpa_json_where(const bpa_json_doc *doc, const cJSON *node, unsigned *line,
                    unsigned *column)
{
    const bpa_json_pos *p = node ? find_pos(doc, node) : NULL;
    if (!p) {
        *line = *column = 0;
        return;
    }
    offset_to_line_col(doc->text, doc->length, p->offset, line, column);
}

/* ---- readers ------------------------------------------------------------ */

bpa_status bpa_json_fail(const bpa_json_doc *doc, const cJSON *node, const char *path,
                         bpa_error *err, const char *fmt, ...)
{
    unsigned line, column;
    bpa_json_where(doc, node, &line, &column);
    char msg[BPA_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return bpa_error_set(err, doc->fail, doc->name, line, column, path, "%s", msg);
}

const char *bpa_json_path_key(char *buf, size_t n, const char *path, const char *key)
{
    snprintf(buf, n, "%s.%s", path, key);
    return buf;
}

const char *bpa_json_path_index(char *buf, size_t n, const char *path, size_t index)
{
    snprintf(buf, n, "%s[%zu]", path, index);
    return buf;
}

static const char *type_name(const cJSON *node)
{
    if (cJSON_IsString(node))
        return "a string";
    if (cJSON_IsNumber(node))
        return "a number";
    if (cJSON_IsBool(node))
        return "true/false";
    if (cJSON_IsNull(node))
        return "null";
    if (cJSON_IsArray(node))
        return "an array";
    if (cJSON_IsObject(node))
        return "an object";
    return "an invalid value";
}

bpa_status bpa_json_expect_object(const bpa_json_doc *doc, const cJSON *node,
                                  const char *path, const char *const *allowed,
                                  bpa_error *err)
{
    if (!cJSON_IsObject(node))
        return bpa_json_fail(doc, node, path, err, "expected an object, got %s",
                             type_name(node));
    for (const cJSON *c = node->child; c; c = c->next) {
        char sub[BPA_ERROR_PATH_MAX];
        bpa_json_path_key(sub, sizeof sub, path, c->string);
        bool known = false;
        for (size_t i = 0; allowed && allowed[i]; i++)
            if (strcmp(allowed[i], c->string) == 0)
                known = true;
        if (!known) {
            char list[512] = "";
            size_t used = 0;
            for (size_t i = 0; allowed && allowed[i] && used < sizeof list; i++)
                used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
                                         i ? ", " : "", allowed[i]);
            return bpa_json_fail(doc, c, sub, err, "unknown key \"%s\" (expected one of: %s)",
                                 c->string, list);
        }
        for (const cJSON *d = node->child; d != c; d = d->next)
            if (strcmp(d->string, c->string) == 0)
                return bpa_json_fail(doc, c, sub, err, "key \"%s\" given twice",
                                     c->string);
    }
    return BPA_OK;
}

bpa_status bpa_json_expect_array(const bpa_json_doc *doc, const cJSON *node,
                                 const char *path, bpa_error *err)
{
    if (!cJSON_IsArray(node))
        return bpa_json_fail(doc, node, path, err, "expected an array, got %s",
                             type_name(node));
    return BPA_OK;
}

/* Member lookup, exact and case-sensitive (cJSON_GetObjectItem ignores case). */
static const cJSON *member(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static bpa_status missing(const bpa_json_doc *doc, const cJSON *obj, const char *path,
                          const char *key, const char *what, bpa_error *err)
{
    return bpa_json_fail(doc, obj, path, err, "missing required key \"%s\" (%s)", key, what);
}

bpa_status bpa_json_get_string(const bpa_json_doc *doc, const cJSON *obj, const char *path,
                               const char *key, bool required, const char **out,
                               bpa_error *err)
{
    const cJSON *v = member(obj, key);
    if (!v)
        return required ? missing(doc, obj, path, key, "a string", err) : BPA_OK;
    char sub[BPA_ERROR_PATH_MAX];
    bpa_json_path_key(sub, sizeof sub, path, key);
    if (!cJSON_IsString(v))
        return bpa_json_fail(doc, v, sub, err, "expected a string, got %s", type_name(v));
    *out = v->valuestring;
    return BPA_OK;
}

bpa_status bpa_json_get_enum(const bpa_json_doc *doc, const cJSON *obj, const char *path,
                             const char *key, bool required, const char *const *choices,
                             int *index, bpa_error *err)
{
    const char *s = NULL;
    bpa_status st = bpa_json_get_string(doc, obj, path, key, required, &s, err);
    if (st != BPA_OK || !s)
        return st;
    for (int i = 0; choices[i]; i++)
        if (strcmp(choices[i], s) == 0) {
            *index = i;
            return BPA_OK;
        }
    char list[512] = "";
    size_t used = 0;
    for (size_t i = 0; choices[i] && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s\"%s\"", i ? ", " : "",
                                 choices[i]);
    char sub[BPA_ERROR_PATH_MAX];
    return bpa_json_fail(doc, member(obj, key), bpa_json_path_key(sub, sizeof sub, path, key),
                         err, "\"%s\" is not allowed here (expected one of: %s)", s, list);
}

static const char *raw_text(const bpa_json_doc *doc, const cJSON *node, char *buf, size_t n)
{
    const bpa_json_pos *p = find_pos(doc, node);
    size_t len = p ? p->length : 0;
    if (len >= n)
        len = n - 1;
    if (len)
        memcpy(buf, doc->text + p->offset, len);
    buf[len] = '\0';
    return buf;
}

bpa_status bpa_json_int(const bpa_json_doc *doc, const cJSON *v, const char *path,
                        long min, long max, long *out, bpa_error *err)
{
    if (!cJSON_IsNumber(v))
        return bpa_json_fail(doc, v, path, err, "expected a whole number, got %s",
                             type_name(v));
    char raw[64];
    raw_text(doc, v, raw, sizeof raw);
    const char *d = raw[0] == '-' ? raw + 1 : raw;
    size_t nd = strspn(d, "0123456789");
    if (nd == 0 || d[nd] != '\0')
        return bpa_json_fail(doc, v, path, err, "expected a whole number, got %s", raw);
    if (nd > 15)
        return bpa_json_fail(doc, v, path, err, "number %s has more than 15 digits", raw);
    errno = 0;
    long val = strtol(raw, NULL, 10); /* validated digits, at most 15 */
    if (val < min || val > max)
        return bpa_json_fail(doc, v, path, err, "%ld is out of range (%ld to %ld)", val, min,
                             max);
    *out = val;
    return BPA_OK;
}

bpa_status bpa_json_get_int(const bpa_json_doc *doc, const cJSON *obj, const char *path,
                            const char *key, bool required, long min, long max, long *out,
                            bpa_error *err)
{
    const cJSON *v = member(obj, key);
    if (!v)
        return required ? missing(doc, obj, path, key, "a whole number", err) : BPA_OK;
    char sub[BPA_ERROR_PATH_MAX];
    return bpa_json_int(doc, v, bpa_json_path_key(sub, sizeof sub, path, key), min, max, out,
                        err);
}

bpa_status bpa_json_get_bool(const bpa_json_doc *doc, const cJSON *obj, const char *path,
                             const char *key, bool required, bool *out, bpa_error *err)
{
    const cJSON *v = member(obj, key);
    if (!v)
        return required ? missing(doc, obj, path, key, "true or false", err) : BPA_OK;
    if (!cJSON_IsBool(v)) {
        char sub[BPA_ERROR_PATH_MAX];
        return bpa_json_fail(doc, v, bpa_json_path_key(sub, sizeof sub, path, key), err,
                             "expected true or false, got %s", type_name(v));
    }
    *out = cJSON_IsTrue(v);
    return BPA_OK;
}

bpa_status bpa_json_get_date(const bpa_json_doc *doc, const cJSON *obj, const char *path,
                             const char *key, bool required, bpa_date *out, bpa_error *err)
{
    const char *s = NULL;
    bpa_status st = bpa_json_get_string(doc, obj, path, key, required, &s, err);
    if (st != BPA_OK || !s)
        return st;
    if (!bpa_date_parse(s, out)) {
        char sub[BPA_ERROR_PATH_MAX];
        return bpa_json_fail(doc, member(obj, key),
                             bpa_json_path_key(sub, sizeof sub, path, key), err,
                             "\"%s\" is not a date: expected YYYY-MM-DD, a real day in "
                             "1900-2999",
                             s);
    }
    return BPA_OK;
}

bpa_status bpa_json_decimal(const bpa_json_doc *doc, const cJSON *v, const char *path,
                            unsigned flags, mpq_t out, bpa_error *err)
{
    char msg[BPA_ERROR_MSG_MAX];
    bpa_status st;
    if (cJSON_IsString(v)) {
        st = bpa_dec_parse(out, v->valuestring, flags, msg, sizeof msg);
    } else if (cJSON_IsNumber(v)) {
        char raw[64];
        st = bpa_dec_parse_json_number(out, raw_text(doc, v, raw, sizeof raw), flags, msg,
                                       sizeof msg);
    } else {
        return bpa_json_fail(doc, v, path, err,
                             "expected a decimal written as a string (\"37.5\"), got %s",
                             type_name(v));
    }
    if (st != BPA_OK)
        return bpa_json_fail(doc, v, path, err, "%s", msg);
    return BPA_OK;
}

bpa_status bpa_json_get_decimal(const bpa_json_doc *doc, const cJSON *obj, const char *path,
                                const char *key, bool required, unsigned flags, mpq_t out,
                                bool *present, bpa_error *err)
{
    const cJSON *v = member(obj, key);
    if (present)
        *present = v != NULL;
    if (!v)
        return required ? missing(doc, obj, path, key, "a decimal string such as \"37.5\"",
                                  err)
                        : BPA_OK;
    char sub[BPA_ERROR_PATH_MAX];
    return bpa_json_decimal(doc, v, bpa_json_path_key(sub, sizeof sub, path, key), flags, out,
                            err);
}

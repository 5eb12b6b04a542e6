/* Strict JSON documents with positions (see json.h). */
#include "core/alloc.h"
#include "io/json.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bpa/num.h"
#include "core/sha256.h"

/* ---- loading ----------------------------------------------------------- */

/* A position in the text, advanced forward only: each walk of the text is
 * linear, however many positions are asked for on the way. */
typedef struct text_cursor {
    size_t at;
    unsigned line, column;
} text_cursor;

static void cursor_advance(text_cursor *c, const char *text, size_t length, size_t offset)
{
    if (offset > length)
        offset = length;
    for (; c->at < offset; c->at++) {
        unsigned char ch = (unsigned char)text[c->at];
        if (ch == '\n') {
            c->line++;
            c->column = 1;
        } else if ((ch & 0xC0) != 0x80) {
            c->column++; /* count characters, not UTF-8 continuation bytes */
        }
    }
}

static void offset_to_line_col(const char *text, size_t length, size_t offset,
                               unsigned *line, unsigned *column)
{
    text_cursor c = {0, 1, 1};
    cursor_advance(&c, text, length, offset);
    *line = c.line;
    *column = c.column;
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

/* RFC 8259 syntax, checked before cJSON sees the text: cJSON accepts some
 * things JSON does not ("01", "1.", "1e") and reports a failure only where
 * it stopped, often one character past the culprit. This finds the first
 * offending character and says what JSON allows there. Nesting is bounded
 * by prescan, so the recursion is too. */
typedef struct syntax {
    const char *s;
    size_t n, i;
    const char *want; /* set at the first error; i is then its offset */
} syntax;

static const char VALUE_WANTED[] =
    "expected a value (string in double quotes, number, true, false, null, object or array)";

static bool syn_fail(syntax *p, const char *want)
{
    p->want = want;
    return false;
}

static void syn_ws(syntax *p)
{
    while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' ||
                           p->s[p->i] == '\r'))
        p->i++;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Four hex digits at offset at into *cp. */
static bool syn_hex4(const syntax *p, size_t at, unsigned long *cp)
{
    *cp = 0;
    for (size_t k = at; k < at + 4; k++) {
        if (k >= p->n)
            return false;
        char c = p->s[k];
        unsigned d;
        if (is_digit(c))
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return false;
        *cp = *cp * 16 + d;
    }
    return true;
}

static bool syn_string(syntax *p)
{
    p->i++; /* opening quote */
    while (p->i < p->n) {
        char c = p->s[p->i];
        if (c == '"') {
            p->i++;
            return true;
        }
        if (c == '\\') {
            if (p->i + 1 >= p->n)
                break;
            char e = p->s[p->i + 1];
            if (e == 'u') {
                unsigned long cp;
                if (!syn_hex4(p, p->i + 2, &cp))
                    return syn_fail(p, "\\u must be followed by four hex digits");
                if (cp == 0)
                    return syn_fail(p, "\\u0000 (a NUL character) is not allowed in a string");
                if (cp >= 0xDC00 && cp <= 0xDFFF)
                    return syn_fail(p, "\\u escape of a lone low surrogate");
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    unsigned long lo;
                    if (p->i + 7 >= p->n || p->s[p->i + 6] != '\\' || p->s[p->i + 7] != 'u' ||
                        !syn_hex4(p, p->i + 8, &lo) || lo < 0xDC00 || lo > 0xDFFF)
                        return syn_fail(p, "\\u escape of a high surrogate must be followed "
                                           "by a low one (\\uDC00-\\uDFFF)");
                    p->i += 6;
                }
                p->i += 6;
                continue;
            }
            if (!strchr("\"\\/bfnrt", e)) /* e is not NUL: prescan */
                return syn_fail(p, "invalid escape: JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r "
                                   "\\t and \\uXXXX");
            p->i += 2;
            continue;
        }
        p->i++; /* control bytes and bad UTF-8 were refused by prescan */
    }
    return syn_fail(p, "the file ends inside a string (no closing quote)");
}

static bool syn_digits(syntax *p, const char *want)
{
    if (p->i >= p->n || !is_digit(p->s[p->i]))
        return syn_fail(p, want);
    while (p->i < p->n && is_digit(p->s[p->i]))
        p->i++;
    return true;
}

static bool syn_number(syntax *p)
{
    if (p->s[p->i] == '-')
        p->i++;
    if (p->i < p->n && p->s[p->i] == '0') {
        p->i++;
        if (p->i < p->n && is_digit(p->s[p->i]))
            return syn_fail(p, "a number must not start with 0 (write 7, not 07)");
    } else if (!syn_digits(p, "expected a digit")) {
        return false;
    }
    if (p->i < p->n && p->s[p->i] == '.') {
        p->i++;
        if (!syn_digits(p, "expected a digit after the decimal point"))
            return false;
    }
    if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
        p->i++;
        if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
            p->i++;
        if (!syn_digits(p, "expected a digit in the exponent"))
            return false;
    }
    return true;
}

static bool syn_value(syntax *p);

/* Object or array: open is at p->i. */
static bool syn_container(syntax *p)
{
    bool object = p->s[p->i] == '{';
    char close = object ? '}' : ']';
    p->i++;
    syn_ws(p);
    if (p->i < p->n && p->s[p->i] == close) {
        p->i++;
        return true;
    }
    for (bool after_comma = false;; after_comma = true) {
        syn_ws(p);
        char c = p->i < p->n ? p->s[p->i] : '\0';
        if (after_comma && c == close)
            return syn_fail(p, "a comma must be followed by another element (no trailing "
                               "commas)");
        if (object) {
            if (c == '\'')
                return syn_fail(p, "strings and keys take double quotes (\"...\"), not "
                                   "single quotes");
            if (c != '"')
                return syn_fail(p, after_comma ? "expected a \"key\" in double quotes"
                                               : "expected a \"key\" in double quotes or '}'");
            if (!syn_string(p))
                return false;
            syn_ws(p);
            if (p->i >= p->n || p->s[p->i] != ':')
                return syn_fail(p, "expected ':' after the key");
            p->i++;
        }
        if (!syn_value(p))
            return false;
        syn_ws(p);
        c = p->i < p->n ? p->s[p->i] : '\0';
        if (c == close) {
            p->i++;
            return true;
        }
        if (c != ',')
            return syn_fail(p, object ? "expected ',' or '}'" : "expected ',' or ']'");
        p->i++;
    }
}

static bool syn_literal(syntax *p, const char *word)
{
    size_t len = strlen(word);
    if (p->n - p->i < len || memcmp(p->s + p->i, word, len) != 0)
        return syn_fail(p, VALUE_WANTED);
    p->i += len;
    return true;
}

static bool syn_value(syntax *p)
{
    syn_ws(p);
    char c = p->i < p->n ? p->s[p->i] : '\0';
    switch (c) {
    case '{':
    case '[':
        return syn_container(p);
    case '"':
        return syn_string(p);
    case 't':
        return syn_literal(p, "true");
    case 'f':
        return syn_literal(p, "false");
    case 'n':
        return syn_literal(p, "null");
    case '\'':
        return syn_fail(p, "strings and keys take double quotes (\"...\"), not single quotes");
    default:
        if (c == '-' || is_digit(c))
            return syn_number(p);
        return syn_fail(p, VALUE_WANTED);
    }
}

static bpa_status check_syntax(const bpa_json_doc *doc, bpa_error *err)
{
    syntax p = {doc->text, doc->length, 0, NULL};
    syn_ws(&p);
    /* any value parses (built-in defaults are bare values); the loaders
     * then ask for an object */
    if (!strchr("{[\"tfn-0123456789", p.s[p.i])) {
        p.want = "expected a JSON object";
    } else if (syn_value(&p)) {
        syn_ws(&p);
        if (p.i < p.n)
            p.want = "unexpected text after the end of the JSON value";
    }
    if (!p.want)
        return BPA_OK;
    if (p.i >= p.n)
        return fail_at(doc, p.n, err,
                       "invalid JSON: the file ends before the value is complete");
    char msg[200], at[16];
    unsigned char c = (unsigned char)p.s[p.i];
    if (c >= 0x20 && c < 0x7F)
        snprintf(at, sizeof at, "'%c'", c);
    else
        snprintf(at, sizeof at, "byte 0x%02X", c);
    snprintf(msg, sizeof msg, "invalid JSON at %s: %s", at, p.want);
    return fail_at(doc, p.i, err, msg);
}

typedef struct walker {
    const char *s;
    size_t length;
    bpa_json_pos *pos;
    size_t n, cap;
    text_cursor at; /* values start in document order: line and column follow on */
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
    cursor_advance(&w->at, s, w->length, start);
    p->line = w->at.line;
    p->column = w->at.column;
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
    if (skip_ws(doc->text, 0) >= length) { /* only whitespace; NUL bytes go to prescan */
        st = bpa_error_set(err, fail, doc->name, 1, 1, NULL,
                           "empty file: expected a JSON object");
        goto fail;
    }
    if ((st = prescan(doc, err)) != BPA_OK)
        goto fail;
    if ((st = check_syntax(doc, err)) != BPA_OK)
        goto fail;
    doc->root = cJSON_ParseWithLengthOpts(doc->text, length + 1, NULL, 1);
    if (!doc->root) {
        /* check_syntax accepted the text (RFC 8259, nesting within cJSON's
         * limit), so cJSON can only have run out of memory. */
        st = bpa_error_set(err, BPA_E_NOMEM, doc->name, 0, 0, NULL, "out of memory");
        goto fail;
    }
    size_t total = count_values(doc->root);
    doc->pos = bpa_calloc(total, sizeof *doc->pos);
    if (!doc->pos) {
        st = bpa_error_set(err, BPA_E_NOMEM, doc->name, 0, 0, NULL, "out of memory");
        goto fail;
    }
    walker w = {doc->text, length, doc->pos, 0, total, {0, 1, 1}};
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
            /* room for one byte past the limit tells a file of exactly the
             * limit from a larger one */
            if (cap > BPA_JSON_MAX_BYTES) {
                free(buf);
                fclose(fp);
                return bpa_error_set(err, fail, path, 0, 0, NULL,
                                     "file larger than %u MiB", BPA_JSON_MAX_BYTES >> 20);
            }
            size_t grown = cap * 2 > BPA_JSON_MAX_BYTES ? BPA_JSON_MAX_BYTES + 1 : cap * 2;
            char *nb = bpa_realloc(buf, grown);
            if (!nb) {
                free(buf);
                fclose(fp);
                return bpa_error_set(err, BPA_E_NOMEM, path, 0, 0, NULL, "out of memory");
            }
            buf = nb;
            cap = grown;
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

bpa_status bpa_json_build(const char *path, const char *name, const char *data, size_t length,
                          bpa_status fail, bpa_json_build_fn build, void *out, bpa_error *err)
{
    bpa_json_doc doc;
    bpa_status st = path ? bpa_json_load_file(&doc, path, fail, err)
                         : bpa_json_load_mem(&doc, name, data, length, fail, err);
    if (st != BPA_OK)
        return st;
    st = build(out, &doc, err);
    bpa_json_release(&doc);
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
    bpa_json_pos key = {.node = node};
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
    *line = p->line;
    *column = p->column;
}

const char *bpa_json_raw(const bpa_json_doc *doc, const cJSON *node, size_t *len)
{
    const bpa_json_pos *p = node ? find_pos(doc, node) : NULL;
    *len = p ? p->length : 0;
    return p ? doc->text + p->offset : NULL;
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

void bpa_json_source(const bpa_json_doc *doc, const cJSON *node, const char *path,
                     bpa_source *src)
{
    bpa_json_where(doc, node, &src->line, &src->column);
    snprintf(src->path, sizeof src->path, "%s", path);
}

bpa_status bpa_json_each(const bpa_json_doc *doc, const cJSON *root, const char *key, void **arr,
                         size_t elem, bpa_json_elem_fn fn, void *ctx, bpa_error *err)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, key);
    if (!a)
        return BPA_OK;
    char ap[BPA_ERROR_PATH_MAX];
    bpa_json_path_key(ap, sizeof ap, "$", key);
    bpa_status st = bpa_json_expect_array(doc, a, ap, err);
    if (st != BPA_OK)
        return st;
    size_t n = (size_t)cJSON_GetArraySize(a);
    *arr = bpa_calloc(n ? n : 1, elem);
    if (!*arr)
        return bpa_error_set(err, BPA_E_NOMEM, doc->name, 0, 0, NULL, "out of memory");
    size_t i = 0;
    for (const cJSON *o = a->child; o; o = o->next, i++) {
        char p[BPA_ERROR_PATH_MAX + 24]; /* room for "[index]" after any path */
        bpa_json_path_index(p, sizeof p, ap, i);
        if ((st = fn(doc, o, p, ctx, i, err)) != BPA_OK)
            return st;
    }
    return BPA_OK;
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

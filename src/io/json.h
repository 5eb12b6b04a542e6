/*
 * json.h (internal) - strict JSON documents with source positions.
 *
 * cJSON parses; a second walk over the text, in step with the tree, records
 * every value's offset (for "file:line:column" in messages) and the raw text
 * of numbers (cJSON keeps only a double, and RULES.md section 3 must tell
 * "37" from "37.0" and "1e3"). The reader helpers below give every loader the
 * same strictness: unknown and duplicate keys, wrong types, missing fields.
 */
#ifndef BPA_JSON_H
#define BPA_JSON_H

#include <cJSON.h>
#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpa/case.h"
#include "bpa/date.h"
#include "bpa/status.h"

#define BPA_JSON_MAX_DEPTH 64
#define BPA_JSON_MAX_BYTES (64u << 20)

/* Where a value starts: found once, in the walk after parsing, so that a
 * position costs O(log n) to look up and nothing to compute. */
typedef struct bpa_json_pos {
    const cJSON *node;
    uint32_t offset;
    uint32_t length;
    uint32_t line, column;
} bpa_json_pos;

typedef struct bpa_json_doc {
    char *name;    /* file name used in messages */
    char *text;    /* the document, NUL-terminated */
    size_t length;
    cJSON *root;
    bpa_json_pos *pos; /* sorted by node address */
    size_t npos;
    char sha256[65];
    bpa_status fail;   /* status for semantic errors: BPA_E_INPUT or BPA_E_POLICY */
} bpa_json_doc;

/* Read and parse a file (BPA_E_IO when it cannot be read, `fail` for bad JSON). */
bpa_status bpa_json_load_file(bpa_json_doc *doc, const char *path, bpa_status fail,
                              bpa_error *err);
/* Parse bytes (copied); name is used in messages. */
bpa_status bpa_json_load_mem(bpa_json_doc *doc, const char *name, const char *data,
                             size_t length, bpa_status fail, bpa_error *err);
void bpa_json_release(bpa_json_doc *doc);

/* Builds an object from a parsed document; `out` is the caller's
 * "T **" (e.g. bpa_case **), set only on success. */
typedef bpa_status (*bpa_json_build_fn)(void *out, const bpa_json_doc *doc, bpa_error *err);

/* What every loader does: parse the file at path (when path is not NULL) or
 * the bytes data/length named name, call build, release the document. */
bpa_status bpa_json_build(const char *path, const char *name, const char *data, size_t length,
                          bpa_status fail, bpa_json_build_fn build, void *out, bpa_error *err);

/* Line and column (1-based) of a node; 0/0 when unknown. */
void bpa_json_where(const bpa_json_doc *doc, const cJSON *node, unsigned *line,
                    unsigned *column);

/* The text of a value as it stands in the document (a number's digits, a
 * string with its quotes), *len bytes, not NUL-terminated; NULL when unknown. */
const char *bpa_json_raw(const bpa_json_doc *doc, const cJSON *node, size_t *len);

/* ---- strict readers ---------------------------------------------------
 * Every reader names the node by `path` (the JSON path of the object holding
 * it, e.g. "$.decisions[0]") and fails with file, line:column, path.key. */

/* Error at a node: path is the node's own JSON path. */
bpa_status bpa_json_fail(const bpa_json_doc *doc, const cJSON *node, const char *path,
                         bpa_error *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* child path "path.key" / "path[i]" into buf */
const char *bpa_json_path_key(char *buf, size_t n, const char *path, const char *key);
const char *bpa_json_path_index(char *buf, size_t n, const char *path, size_t index);

/* Where node is (line, column) and its path, for a message later. */
void bpa_json_source(const bpa_json_doc *doc, const cJSON *node, const char *path,
                     bpa_source *src);

/* node must be an object whose keys are all in `allowed` (NULL-terminated),
 * each at most once. */
bpa_status bpa_json_expect_object(const bpa_json_doc *doc, const cJSON *node,
                                  const char *path, const char *const *allowed,
                                  bpa_error *err);
bpa_status bpa_json_expect_array(const bpa_json_doc *doc, const cJSON *node,
                                 const char *path, bpa_error *err);

/* An optional array member root.key: *arr gets a zeroed array of its length
 * (elements of `elem` bytes, at least one; the caller frees it), then fn is
 * called for each element with its path ("$.key[i]") and index. A missing
 * key leaves *arr unchanged. */
typedef bpa_status (*bpa_json_elem_fn)(const bpa_json_doc *doc, const cJSON *o, const char *path,
                                       void *ctx, size_t i, bpa_error *err);
bpa_status bpa_json_each(const bpa_json_doc *doc, const cJSON *root, const char *key, void **arr,
                         size_t elem, bpa_json_elem_fn fn, void *ctx, bpa_error *err);

/* Members. With required false a missing key leaves *out unchanged and
 * returns BPA_OK with *present (if given) false. */
bpa_status bpa_json_get_string(const bpa_json_doc *doc, const cJSON *obj, const char *path,
                               const char *key, bool required, const char **out,
                               bpa_error *err);
/* A string member that must be one of `choices`; *index gets its position. */
bpa_status bpa_json_get_enum(const bpa_json_doc *doc, const cJSON *obj, const char *path,
                             const char *key, bool required, const char *const *choices,
                             int *index, bpa_error *err);
/* A whole JSON number in [min, max] (counts: year, step, helpers, days). */
bpa_status bpa_json_get_int(const bpa_json_doc *doc, const cJSON *obj, const char *path,
                            const char *key, bool required, long min, long max, long *out,
                            bpa_error *err);
bpa_status bpa_json_get_bool(const bpa_json_doc *doc, const cJSON *obj, const char *path,
                             const char *key, bool required, bool *out, bpa_error *err);
bpa_status bpa_json_get_date(const bpa_json_doc *doc, const cJSON *obj, const char *path,
                             const char *key, bool required, bpa_date *out, bpa_error *err);
/* A decimal (section 3): a string, or a whole JSON number; flags from
 * bpa/num.h. *present tells whether the key was there. */
bpa_status bpa_json_get_decimal(const bpa_json_doc *doc, const cJSON *obj, const char *path,
                                const char *key, bool required, unsigned flags, mpq_t out,
                                bool *present, bpa_error *err);
/* The same for a node that is itself the value. */
bpa_status bpa_json_decimal(const bpa_json_doc *doc, const cJSON *node, const char *path,
                            unsigned flags, mpq_t out, bpa_error *err);
bpa_status bpa_json_int(const bpa_json_doc *doc, const cJSON *node, const char *path,
                        long min, long max, long *out, bpa_error *err);

#endif

/*
 * serve.h - what the parts of `bpa serve` share: the HTTP glue and the
 * multipart/form-data uploads, parsed by libmicrohttpd's post processor
 * (cmd_serve.c), the API over libbpa (serve_api.c) and the static files
 * built into the binary (the generated web_assets.c, from web/ by
 * scripts/embed-web.py).
 *
 * Thread safety: the API functions run in any of the server's threads at
 * once; they share only the read-only policy list and a lock around the
 * workbook writers (bpa/output.h: temporary names are process-wide).
 */
#ifndef BPA_SERVE_H
#define BPA_SERVE_H

#include <stdbool.h>
#include <stddef.h>

/* A static file. */
typedef struct serve_asset {
    const char *path; /* "/app.js" */
    const char *type; /* Content-Type */
    const unsigned char *data;
    size_t len;
} serve_asset;

extern const serve_asset serve_assets[];
extern const size_t serve_nassets;

/* What a handler answers: status, type, body (malloc'd, owned by the reply)
 * and an optional download name. */
typedef struct serve_reply {
    unsigned status;
    const char *type;
    char *body;
    size_t len;
    char filename[128]; /* Content-Disposition: attachment; "" for none */
} serve_reply;

/* One part of a multipart/form-data body, as the post processor handed it
 * over; data is a buffer the request owns (cmd_serve.c). */
typedef struct serve_part {
    char name[64];
    char filename[256]; /* "" when the part is a plain field */
    bool has_filename;
    const char *data;
    size_t len;
} serve_part;

#define SERVE_MAX_PARTS 16

/* ---- the API (serve_api.c) ---- */

/* Load every policy of dir once (GET /api/policies answers from this). */
bool serve_api_init(const char *policy_dir, char *msg, size_t msgn);
void serve_api_done(void);

/* A request's query: lang=da|en|sv and name=FILE.json (the case's name
 * in inputs[] and messages). */
typedef struct serve_query {
    const char *lang;
    const char *name;
} serve_query;

void serve_api_policies(serve_reply *r);
/* POST /api/grant (envelope), /api/grant.json (the bytes of
 * `bpa grant --json -`), /api/grant.xlsx (the workbook). */
typedef enum serve_out { SERVE_OUT_ENVELOPE, SERVE_OUT_JSON, SERVE_OUT_XLSX } serve_out;
void serve_api_grant(const char *body, size_t len, const serve_query *q, serve_out out,
                     serve_reply *r);
void serve_api_settle(const serve_part *parts, size_t nparts, const serve_query *q,
                      serve_out out, serve_reply *r);
/* POST /api/verify (envelope), /api/verify.json (the bytes of `bpa verify
 * CASE USAGE ACCOUNT --json -`), /api/verify.xlsx (the difference workbook);
 * the fields of settle and `account`. */
void serve_api_verify(const serve_part *parts, size_t nparts, const serve_query *q,
                      serve_out out, serve_reply *r);

/* A JSON error body {"error": {"status": ..., "message": ...}}. */
void serve_reply_error(serve_reply *r, unsigned status, const char *message);

/* Append a JSON string literal of s (n bytes) to the growing buffer. */
typedef struct serve_buf {
    char *p;
    size_t len, cap;
    bool failed;
} serve_buf;
void serve_buf_put(serve_buf *b, const char *s, size_t n);
void serve_buf_puts(serve_buf *b, const char *s);
void serve_buf_json_str(serve_buf *b, const char *s);
void serve_buf_printf(serve_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif

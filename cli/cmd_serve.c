/* bpa serve: a local web form and JSON API over libbpa (docs/web.md), on
 * libmicrohttpd. The server is a thin front end: every answer is what
 * `bpa grant` or `bpa settle` gives for the same input (serve_api.c). */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>

#include "cli.h"
#include "serve.h"

static const char usage[] =
    "usage: bpa serve [--port N] [--listen ADDR] [--policy-dir DIR] [--timeout S]\n"
    "                 [--threads N]\n"
    "\n"
    "Serve the web form (grant, account) and its JSON API (docs/web.md) on\n"
    "http://127.0.0.1:N/ until interrupted (Ctrl-C, SIGTERM).\n"
    "\n"
    "  --port N          TCP port (default 8377; 0: any free port, printed)\n"
    "  --listen ADDR     listen on ADDR (IPv4 or IPv6) instead of 127.0.0.1; the\n"
    "                    form has no login: anyone who reaches ADDR can use it\n"
    "  --policy-dir DIR  as for bpa grant\n"
    "  --timeout S       a request's time limit in seconds, idle or not (default 30)\n"
    "  --threads N       worker threads (default 4)\n"
    "  -h, --help        show this help\n";

/* Limits (docs/web.md, Security). */
#define BODY_MAX (8u * 1024 * 1024)       /* one request's body */
#define BUFFERED_MAX (256u * 1024 * 1024) /* all bodies being received at once */

static unsigned timeout_s = 30;
static char allowed_hosts[4][300]; /* Host values this server answers to */
static size_t nallowed;
static bool any_host; /* listening on 0.0.0.0 or :: */
static atomic_size_t buffered;

/* Every response: no script or style from anywhere but here, no inline
 * script, no framing, no sniffing. */
static void secure(struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; script-src 'self'; style-src 'self'; "
                            "img-src 'self' data:; connect-src 'self'; object-src 'none'; "
                            "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Cross-Origin-Resource-Policy", "same-origin");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
}

static enum MHD_Result send_reply(struct MHD_Connection *c, serve_reply *r)
{
    struct MHD_Response *resp =
        r->body ? MHD_create_response_from_buffer(r->len, r->body, MHD_RESPMEM_MUST_FREE)
                : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(r->body);
        return MHD_NO;
    }
    secure(resp);
    MHD_add_response_header(resp, "Content-Type", r->type ? r->type : "text/plain");
    if (r->filename[0]) {
        char cd[200];
        snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", r->filename);
        MHD_add_response_header(resp, "Content-Disposition", cd);
    }
    if (r->status == 405)
        MHD_add_response_header(resp, "Allow", "GET, HEAD, POST");
    if (r->status == 413 || r->status == 408 || r->status == 400)
        MHD_add_response_header(resp, "Connection", "close");
    enum MHD_Result ret = MHD_queue_response(c, r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status, const char *msg)
{
    serve_reply r = {0};
    serve_reply_error(&r, status, msg);
    return send_reply(c, &r);
}

/* ---- per request --------------------------------------------------------------- */

typedef enum route {
    ROUTE_NONE,
    ROUTE_GRANT,
    ROUTE_GRANT_JSON,
    ROUTE_GRANT_XLSX,
    ROUTE_SETTLE,
    ROUTE_SETTLE_JSON,
    ROUTE_SETTLE_XLSX,
    ROUTE_VERIFY,
    ROUTE_VERIFY_JSON,
    ROUTE_VERIFY_XLSX
} route;

/* What libmicrohttpd's post processor does not see in a part's headers: it
 * reads each header line as a C string and takes a lone CR or LF for a line
 * end, so a NUL cuts a line short unseen (`filename="t.csv"<NUL>...`) and a
 * line break in a quoted file name drops the name without a word. So the
 * raw bytes of the headers are scanned here for exactly that: a control
 * byte other than tab, a CR not followed by LF, an LF not after a CR (RFC
 * 7578 wants CRLF). The scan also counts the parts (the limit is ours).
 * Boundaries, names, file names and data are the library's. */
typedef struct head_scan {
    char delim[80]; /* "\r\n--" boundary */
    size_t dlen, matched;
    bool started; /* the body began with its boundary */
    bool in_head; /* between a boundary and the blank line after its headers */
    bool cr;      /* the last byte in the headers was a CR */
    unsigned crlfs; /* CRLFs in a row: two end the headers */
    size_t parts;
} head_scan;

typedef struct request {
    route route;
    serve_buf body; /* a grant's JSON */
    /* a settle's form, parsed as it comes in */
    struct MHD_PostProcessor *pp;
    head_scan scan;
    serve_part parts[SERVE_MAX_PARTS];
    serve_buf data[SERVE_MAX_PARTS];
    size_t nparts;
    bool opened;     /* the last call of the iterator opened a part, no data yet */
    size_t received; /* bytes of the body so far */
    unsigned fail;   /* an error to answer once the body is in (400, 413, 503) */
    char msg[200];   /* its message */
    size_t counted;  /* bytes of this body in `buffered` */
    struct timespec start;
} request;

static void request_fail(request *q, unsigned status, const char *msg)
{
    if (q->fail)
        return;
    q->fail = status;
    snprintf(q->msg, sizeof q->msg, "%s", msg);
}

/* Keep nothing of a body that is refused (and of every body at the end). */
static void request_drop(request *q)
{
    if (q->pp)
        MHD_destroy_post_processor(q->pp); /* incomplete: MHD_NO, nothing to do */
    q->pp = NULL;
    atomic_fetch_sub(&buffered, q->counted);
    q->counted = 0;
    free(q->body.p);
    memset(&q->body, 0, sizeof q->body);
    for (size_t i = 0; i < q->nparts; i++)
        free(q->data[i].p);
    memset(q->data, 0, sizeof q->data);
    q->nparts = 0;
}

static const char control_msg[] =
    "a multipart part header holds a control character (a NUL byte or a line break in a file "
    "name?): give the file a plain name";

#define STR_(x) #x
#define STR(x) STR_(x)
static const char too_many_msg[] =
    "too many files and fields: at most " STR(SERVE_MAX_PARTS) " in one request";

static void head_scan_feed(request *q, const unsigned char *p, size_t n)
{
    head_scan *s = &q->scan;
    for (size_t i = 0; i < n && !q->fail; i++) {
        unsigned char ch = p[i];
        if (!s->in_head) {
            /* a boundary: "--" + boundary at the start, "\r\n--" + boundary
             * later (no CR in a boundary: a mismatch restarts at a CR) */
            if (ch == (unsigned char)s->delim[s->matched]) {
                if (++s->matched == s->dlen) {
                    s->started = s->in_head = true;
                    s->cr = false;
                    s->crlfs = 0;
                    s->matched = 0;
                }
            } else if (!s->started) {
                /* libmicrohttpd skips a preamble its own way: with none, this
                 * scan and the library see the same parts */
                request_fail(q, 400, "the multipart body does not begin with its boundary line");
            } else {
                s->matched = ch == '\r';
            }
            continue;
        }
        if (s->cr != (ch == '\n') || (ch < 0x20 && ch != '\t' && ch != '\r' && ch != '\n') ||
            ch == 0x7f) {
            request_fail(q, 400, control_msg);
        } else if (ch == '\r') {
            s->cr = true;
        } else if (ch == '\n') {
            s->cr = false;
            if (++s->crlfs == 2) {
                s->in_head = false;
                if (++s->parts > SERVE_MAX_PARTS)
                    request_fail(q, 413, too_many_msg);
            }
        } else {
            s->crlfs = 0;
        }
    }
}

static enum MHD_Result part_fail(request *q, unsigned status, const char *msg)
{
    request_fail(q, status, msg);
    return MHD_NO;
}

/* The post processor's iterator: each part's name, file name and data. A
 * part opens with a call at off 0, of size 0 when none of its data is in
 * yet (always for an empty part); its data then comes at growing offsets,
 * the first chunk at off 0 again after such an empty call. key and filename
 * live only during the call: they are checked and copied here. */
static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *filename, const char *content_type,
                               const char *transfer_encoding, const char *data, uint64_t off,
                               size_t size)
{
    (void)kind;
    (void)content_type;
    (void)transfer_encoding;
    request *q = cls;
    serve_part *cur = q->nparts ? &q->parts[q->nparts - 1] : NULL;
    /* data after an empty opening call, or one of a part that follows an
     * empty part of the same name and file name: taken as the former (the
     * empty one is then not seen, which changes nothing) */
    bool same = cur && (off != 0 || (q->opened && size > 0 && key && strcmp(key, cur->name) == 0 &&
                                     (filename != NULL) == cur->has_filename &&
                                     (!filename || strcmp(filename, cur->filename) == 0)));
    if (same && off != q->data[q->nparts - 1].len)
        return part_fail(q, 400, "a malformed multipart/form-data body");
    if (!same) {
        if (!key)
            return part_fail(q, 400,
                             "a multipart part has no Content-Disposition: form-data; name=\"...\"");
        if (q->nparts == SERVE_MAX_PARTS)
            return part_fail(q, 413, too_many_msg);
        if (strlen(key) >= sizeof cur->name)
            return part_fail(q, 400, "a form field name is longer than 63 bytes");
        if (filename && strlen(filename) >= sizeof cur->filename)
            return part_fail(q, 400, "a file name is longer than 255 bytes: rename the file");
        cur = &q->parts[q->nparts++];
        memset(cur, 0, sizeof *cur);
        memcpy(cur->name, key, strlen(key) + 1);
        cur->has_filename = filename != NULL;
        if (filename)
            memcpy(cur->filename, filename, strlen(filename) + 1);
    }
    q->opened = off == 0 && size == 0;
    serve_buf *b = &q->data[q->nparts - 1];
    serve_buf_put(b, data, size);
    if (b->failed)
        return part_fail(q, 503, "the server is busy: try again");
    return MHD_YES;
}

/* A settle's form: its boundary, as libmicrohttpd takes it (the rest of the
 * Content-Type after "boundary=", without enclosing quotes), and the post
 * processor. NULL or why not. */
static const char *form_begin(request *q, struct MHD_Connection *c, const char *ct)
{
    static const char no_boundary[] = "expected a multipart/form-data body with a boundary (a "
                                      "form with enctype=\"multipart/form-data\")";
    const char *b = strstr(ct + 19, "boundary=");
    if (!b)
        return no_boundary;
    b += 9;
    size_t bl = strlen(b);
    if (bl >= 2 && b[0] == '"' && b[bl - 1] == '"') {
        b++;
        bl -= 2;
    }
    /* RFC 2046: 1 to 70 characters; none a control byte (the scan restarts at a CR) */
    bool plain = bl > 0 && bl <= 70;
    for (size_t i = 0; plain && i < bl; i++)
        plain = (unsigned char)b[i] >= 0x20 && b[i] != '"' && b[i] != 0x7f;
    if (!plain)
        return "the multipart boundary is empty, longer than 70 or not plain text";
    memcpy(q->scan.delim, "\r\n--", 4);
    memcpy(q->scan.delim + 4, b, bl);
    q->scan.dlen = bl + 4;
    q->scan.matched = 2; /* the body starts with "--" + boundary */
    q->pp = MHD_create_post_processor(c, 16 * 1024, on_part, q);
    return q->pp ? NULL : no_boundary;
}

static double elapsed(const request *q)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - q->start.tv_sec);
}

static route post_route(const char *url)
{
    static const struct {
        const char *url;
        route r;
    } routes[] = {
        {"/api/grant", ROUTE_GRANT},           {"/api/grant.json", ROUTE_GRANT_JSON},
        {"/api/grant.xlsx", ROUTE_GRANT_XLSX}, {"/api/settle", ROUTE_SETTLE},
        {"/api/settle.json", ROUTE_SETTLE_JSON}, {"/api/settle.xlsx", ROUTE_SETTLE_XLSX},
        {"/api/verify", ROUTE_VERIFY},         {"/api/verify.json", ROUTE_VERIFY_JSON},
        {"/api/verify.xlsx", ROUTE_VERIFY_XLSX},
    };
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
        if (strcmp(url, routes[i].url) == 0)
            return routes[i].r;
    return ROUTE_NONE;
}

static const serve_asset *asset_find(const char *url)
{
    static const struct {
        const char *url, *file;
    } pages[] = {{"/", "/index.html"}, {"/account", "/account.html"}, {"/verify", "/verify.html"}};
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)
        if (strcmp(url, pages[i].url) == 0)
            url = pages[i].file;
    if (strstr(url, ".."))
        return NULL;
    for (size_t i = 0; i < serve_nassets; i++)
        if (strcmp(url, serve_assets[i].path) == 0)
            return &serve_assets[i];
    return NULL;
}

/* Host must be one of ours (a page of another site reached through DNS
 * rebinding has a foreign Host; listening on a wildcard address, any name
 * of the machine is ours, so only the rest holds); Origin, when sent, must
 * be this very Host (a page of another site posting here). */
static const char *foreign(struct MHD_Connection *c, const char *version)
{
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    const char *site = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-Fetch-Site");
    if (!host && strcmp(version, "HTTP/1.0") != 0)
        return "";
    if (host && !any_host) {
        bool ok = false;
        for (size_t i = 0; i < nallowed; i++)
            ok = ok || strcasecmp(host, allowed_hosts[i]) == 0;
        if (!ok)
            return "Host is not this server's address";
    }
    if (origin && (!host || strncmp(origin, "http://", 7) != 0 || strcasecmp(origin + 7, host) != 0))
        return "Origin is another site: this server answers only its own pages";
    if (site && strcmp(site, "cross-site") == 0)
        return "a request from another site (Sec-Fetch-Site: cross-site)";
    return NULL;
}

static enum MHD_Result dispatch(struct MHD_Connection *c, request *q)
{
    serve_query query = {
        .lang = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang"),
        .name = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "name"),
    };
    serve_reply r = {0};
    const char *body = q->body.p ? q->body.p : "";
    size_t len = q->body.len;
    switch (q->route) {
    case ROUTE_GRANT:
    case ROUTE_GRANT_JSON:
    case ROUTE_GRANT_XLSX:
        serve_api_grant(body, len, &query,
                        q->route == ROUTE_GRANT        ? SERVE_OUT_ENVELOPE
                        : q->route == ROUTE_GRANT_JSON ? SERVE_OUT_JSON
                                                       : SERVE_OUT_XLSX,
                        &r);
        break;
    default:
        for (size_t i = 0; i < q->nparts; i++) {
            q->parts[i].data = q->data[i].p ? q->data[i].p : "";
            q->parts[i].len = q->data[i].len;
        }
        if (q->route == ROUTE_SETTLE || q->route == ROUTE_SETTLE_JSON ||
            q->route == ROUTE_SETTLE_XLSX)
            serve_api_settle(q->parts, q->nparts, &query,
                             q->route == ROUTE_SETTLE        ? SERVE_OUT_ENVELOPE
                             : q->route == ROUTE_SETTLE_JSON ? SERVE_OUT_JSON
                                                             : SERVE_OUT_XLSX,
                             &r);
        else
            serve_api_verify(q->parts, q->nparts, &query,
                             q->route == ROUTE_VERIFY        ? SERVE_OUT_ENVELOPE
                             : q->route == ROUTE_VERIFY_JSON ? SERVE_OUT_JSON
                                                             : SERVE_OUT_XLSX,
                             &r);
        break;
    }
    return send_reply(c, &r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **ctx)
{
    (void)cls;
    request *q = *ctx;
    if (!q) {
        /* the headers: answer now what needs no body */
        const char *why = foreign(c, version);
        if (why && !why[0])
            return send_error(c, 400, "HTTP/1.1 needs a Host header");
        if (why)
            return send_error(c, 403, why);
        bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
        if (get && strcmp(url, "/api/policies") == 0) {
            serve_reply r = {0};
            serve_api_policies(&r);
            return send_reply(c, &r);
        }
        if (get) {
            const serve_asset *a = asset_find(url);
            if (!a)
                return send_error(c, 404, "no such page");
            struct MHD_Response *resp = MHD_create_response_from_buffer(
                a->len, (void *)a->data, MHD_RESPMEM_PERSISTENT);
            if (!resp)
                return MHD_NO;
            secure(resp);
            MHD_add_response_header(resp, "Content-Type", a->type);
            enum MHD_Result ret = MHD_queue_response(c, 200, resp);
            MHD_destroy_response(resp);
            return ret;
        }
        if (strcmp(method, "POST") != 0)
            return send_error(c, 405, "GET, HEAD or POST");
        route rt = post_route(url);
        if (rt == ROUTE_NONE)
            return send_error(c, strstr(url, "/api/") == url ? 404 : 405,
                              "no such API: see docs/web.md");
        const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
        bool multipart = rt != ROUTE_GRANT && rt != ROUTE_GRANT_JSON && rt != ROUTE_GRANT_XLSX;
        if (!ct || strncasecmp(ct, multipart ? "multipart/form-data" : "application/json",
                               multipart ? 19 : 16) != 0)
            return send_error(c, 415, multipart ? "expected Content-Type: multipart/form-data"
                                                : "expected Content-Type: application/json");
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > BODY_MAX)
            return send_error(c, 413, "the request is larger than 8 MB");
        q = calloc(1, sizeof *q);
        if (!q)
            return MHD_NO;
        q->route = rt;
        clock_gettime(CLOCK_MONOTONIC, &q->start);
        const char *bad = multipart ? form_begin(q, c, ct) : NULL;
        if (bad) {
            free(q);
            return send_error(c, 400, bad);
        }
        *ctx = q;
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        /* libmicrohttpd answers only once the body is in: past the time
         * limit a body still coming is cut (the connection closed); too
         * large a body is read and dropped, then answered 413 */
        if (elapsed(q) > timeout_s)
            return MHD_NO;
        if (q->received + n > BODY_MAX)
            request_fail(q, 413, "the request is larger than 8 MB");
        if (!q->fail && atomic_fetch_add(&buffered, n) + n > BUFFERED_MAX) {
            atomic_fetch_sub(&buffered, n);
            request_fail(q, 503, "the server is busy: try again");
        } else if (!q->fail) {
            q->counted += n;
            q->received += n;
            if (q->pp) {
                head_scan_feed(q, (const unsigned char *)upload_data, n);
                if (!q->fail && MHD_post_process(q->pp, upload_data, n) != MHD_YES)
                    request_fail(q, 400, "a malformed multipart/form-data body (a boundary line "
                                         "or a part's headers): send it as a browser form does");
            } else {
                serve_buf_put(&q->body, upload_data, n);
                if (q->body.failed)
                    request_fail(q, 503, "the server is busy: try again");
            }
        }
        if (q->fail)
            request_drop(q);
        return MHD_YES;
    }
    if (q->fail)
        return send_error(c, q->fail, q->msg);
    if (elapsed(q) > timeout_s)
        return send_error(c, 408, "the request took too long");
    if (q->pp) {
        /* MHD_NO: the body ended before its closing boundary */
        bool whole = MHD_destroy_post_processor(q->pp) == MHD_YES;
        q->pp = NULL;
        if (!q->scan.started)
            return send_error(c, 400, "the multipart body has no boundary line");
        if (!whole)
            return send_error(c, 400, "the multipart body ends before its closing boundary");
    }
    return dispatch(c, q);
}

static void on_done(void *cls, struct MHD_Connection *c, void **ctx,
                    enum MHD_RequestTerminationCode code)
{
    (void)cls;
    (void)c;
    (void)code;
    request *q = *ctx;
    if (!q)
        return;
    request_drop(q);
    free(q);
    *ctx = NULL;
}

static void add_host(const char *host, unsigned port, bool v6)
{
    if (nallowed < sizeof allowed_hosts / sizeof allowed_hosts[0])
        snprintf(allowed_hosts[nallowed++], sizeof allowed_hosts[0], v6 ? "[%s]:%u" : "%s:%u",
                 host, port);
}

int cmd_serve(int argc, char **argv)
{
    static const struct option options[] = {
        {"port", required_argument, NULL, 'P'},     {"listen", required_argument, NULL, 'L'},
        {"policy-dir", required_argument, NULL, 'p'}, {"timeout", required_argument, NULL, 't'},
        {"threads", required_argument, NULL, 'T'},  {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    long port = 8377, threads = 4;
    const char *listen_addr = NULL, *given_dir = NULL;
    opterr = 0;
    optind = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        char *end = NULL;
        long v = 0;
        if (ch == 'P' || ch == 't' || ch == 'T') {
            errno = 0;
            v = strtol(optarg, &end, 10);
            if (errno || !optarg[0] || *end || v < 0 || v > 65535 ||
                (ch != 'P' && (v < 1 || (ch == 'T' && v > 64))))
                return cli_usage_error(usage, "%s: not a valid number: %s",
                                       ch == 'P'   ? "--port"
                                       : ch == 't' ? "--timeout"
                                                   : "--threads",
                                       optarg);
        }
        switch (ch) {
        case 'h':
            fputs(usage, stdout);
            return fflush(stdout) == 0 ? 0 : bpa_status_exit_code(BPA_E_OUTPUT);
        case 'P': port = v; break;
        case 't': timeout_s = (unsigned)v; break;
        case 'T': threads = v; break;
        case 'L': listen_addr = optarg; break;
        case 'p': given_dir = optarg; break;
        case ':': return cli_usage_error(usage, "%s needs a value", argv[optind - 1]);
        default: return cli_usage_error(usage, "unknown option %s", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(usage, "unexpected argument %s", argv[optind]);

    struct sockaddr_in a4;
    struct sockaddr_in6 a6;
    memset(&a4, 0, sizeof a4);
    memset(&a6, 0, sizeof a6);
    bool v6 = false;
    const char *addr = listen_addr ? listen_addr : "127.0.0.1";
    if (inet_pton(AF_INET, addr, &a4.sin_addr) == 1) {
        a4.sin_family = AF_INET;
        a4.sin_port = htons((uint16_t)port);
    } else if (inet_pton(AF_INET6, addr, &a6.sin6_addr) == 1) {
        v6 = true;
        a6.sin6_family = AF_INET6;
        a6.sin6_port = htons((uint16_t)port);
    } else {
        return cli_usage_error(usage, "--listen %s: not an IPv4 or IPv6 address", addr);
    }
    if (listen_addr && strcmp(listen_addr, "127.0.0.1") != 0 && strcmp(listen_addr, "::1") != 0)
        fprintf(stderr, "bpa serve: warning: listening on %s: the form has no login, anyone who "
                        "can reach this address can use it\n",
                listen_addr);

    char dirbuf[4096], msg[4600];
    const char *dir = cli_policy_dir(given_dir, dirbuf, sizeof dirbuf);
    if (!serve_api_init(dir, msg, sizeof msg)) {
        fprintf(stderr, "bpa: input error: %s\n", msg);
        return bpa_status_exit_code(BPA_E_INPUT);
    }

    /* the worker threads inherit this mask: the main thread takes the signals */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG;
    if (v6)
        flags |= MHD_USE_IPv6;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, (uint16_t)port, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR,
        v6 ? (struct sockaddr *)&a6 : (struct sockaddr *)&a4, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)threads, MHD_OPTION_CONNECTION_TIMEOUT, timeout_s, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)512, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
        MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL, MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
        MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "bpa: output error: cannot listen on %s port %ld: %s\n", addr, port,
                strerror(errno));
        serve_api_done();
        return bpa_status_exit_code(BPA_E_OUTPUT);
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned bound = info ? info->port : (unsigned)port;
    add_host(addr, bound, v6);
    any_host = strcmp(addr, "0.0.0.0") == 0 || strcmp(addr, "::") == 0;
    if (!listen_addr) {
        add_host("localhost", bound, false);
    }
    printf("bpa serve: http://%s%s%s:%u/ (policies: %s)\n", v6 ? "[" : "", addr, v6 ? "]" : "",
           bound, dir);
    fflush(stdout);
    int sig = 0;
    sigwait(&sigs, &sig);
    MHD_stop_daemon(d);
    serve_api_done();
    return 0;
}

/* Atomic output files (see outfile.h). */
#include "alloc.h"
#include "outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bpa_status fail(bpa_error *err, const char *what, const char *path, int e)
{
    /* The message names the path; err->file stays empty so a formatted
     * error does not print it twice. */
    return bpa_error_set(err, BPA_E_OUTPUT, NULL, 0, 0, NULL, "cannot %s %s: %s",
                         what, path, strerror(e));
}

/* Temporary files not yet renamed or removed, so that a process that must
 * stop at once (GMP out of memory) can still remove them. A ring: a stale
 * entry only costs a failed unlink. */
#define PENDING_MAX 8
static char pending[PENDING_MAX][4096];
static unsigned pending_next;

static void pending_add(const char *tmp)
{
    size_t n = strlen(tmp);
    if (n >= sizeof pending[0])
        return;
    memcpy(pending[pending_next % PENDING_MAX], tmp, n + 1);
    pending_next++;
}

static void pending_drop(const char *tmp)
{
    for (unsigned i = 0; i < PENDING_MAX; i++)
        if (strcmp(pending[i], tmp) == 0)
            pending[i][0] = '\0';
}

void bpa_outfile_remove_pending(void)
{
    for (unsigned i = 0; i < PENDING_MAX; i++)
        if (pending[i][0]) {
            unlink(pending[i]);
            pending[i][0] = '\0';
        }
}

/* Create "<dir>/.<base>.XXXXXX" beside path with mode 0644. On success
 * *fd is open and *tmp_out is malloc'd; on failure nothing is left behind. */
static bpa_status make_temp(const char *path, int *fd, char **tmp_out, bpa_error *err)
{
    *fd = -1;
    *tmp_out = NULL;
    if (!path || !*path)
        return fail(err, "write", path ? path : "(null)", ENOENT);

    /* Catch a directory now: mkstemp in its parent would succeed and only
     * the rename at the very end would fail. */
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return fail(err, "write", path, EISDIR);

    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0; /* keeps the '/' */
    const char *base = path + dir_len;
    if (!*base) /* "dir/" names a directory, not a file */
        return fail(err, "write", path, EISDIR);

    static const char suffix[] = ".XXXXXX";
    size_t base_len = strlen(base);
    size_t n = dir_len + 1 + base_len + sizeof suffix; /* sizeof counts the NUL */
    char *tmp = bpa_malloc(n);
    if (!tmp)
        return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL,
                             "out of memory creating %s", path);
    memcpy(tmp, path, dir_len);
    tmp[dir_len] = '.';
    memcpy(tmp + dir_len + 1, base, base_len);
    memcpy(tmp + dir_len + 1 + base_len, suffix, sizeof suffix);

    int f = mkstemp(tmp);
    if (f < 0) {
        int e = errno;
        free(tmp);
        return fail(err, "write", path, e);
    }
    /* mkstemp makes 0600; outputs are meant to be read by others. */
    if (fchmod(f, 0644) != 0) {
        int e = errno;
        close(f);
        unlink(tmp);
        free(tmp);
        return fail(err, "write", path, e);
    }
    pending_add(tmp);
    *fd = f;
    *tmp_out = tmp;
    return BPA_OK;
}

bpa_status bpa_outfile_open(bpa_outfile *out, const char *path, bpa_error *err)
{
    out->fp = NULL;
    out->final_path = NULL;
    out->tmp_path = NULL;

    char *final_path = path ? bpa_strdup(path) : NULL;
    if (path && !final_path)
        return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL,
                             "out of memory creating %s", path);

    int fd;
    char *tmp;
    bpa_status st = make_temp(path, &fd, &tmp, err);
    if (st != BPA_OK) {
        free(final_path);
        return st;
    }
    FILE *fp = fdopen(fd, "wb");
    if (!fp) {
        int e = errno;
        close(fd);
        unlink(tmp);
        free(tmp);
        free(final_path);
        return fail(err, "write", path, e);
    }
    out->fp = fp;
    out->final_path = final_path;
    out->tmp_path = tmp;
    return BPA_OK;
}

static void release(bpa_outfile *out)
{
    if (out->tmp_path)
        pending_drop(out->tmp_path);
    free(out->final_path);
    free(out->tmp_path);
    out->final_path = NULL;
    out->tmp_path = NULL;
}

bpa_status bpa_outfile_commit(bpa_outfile *out, bpa_error *err)
{
    if (!out->fp) {
        bpa_status st = fail(err, "write", out->final_path ? out->final_path : "(output)",
                             EBADF);
        bpa_outfile_abort(out);
        return st;
    }

    /* An earlier fwrite may have failed and dropped its data even if the
     * final flush succeeds, so the stream's error flag is checked first. */
    int e = 0;
    if (ferror(out->fp))
        e = EIO;
    else if (fflush(out->fp) != 0)
        e = errno;
    else if (fsync(fileno(out->fp)) != 0) /* data on disk before the name */
        e = errno;
    if (fclose(out->fp) != 0 && e == 0)
        e = errno;
    out->fp = NULL;
    if (e != 0) {
        unlink(out->tmp_path);
        bpa_status st = fail(err, "write", out->final_path, e);
        release(out);
        return st;
    }

    bpa_status st = bpa_outfile_rename(out->tmp_path, out->final_path, err);
    release(out);
    return st;
}

void bpa_outfile_abort(bpa_outfile *out)
{
    if (!out)
        return;
    if (out->fp) {
        fclose(out->fp);
        out->fp = NULL;
    }
    if (out->tmp_path)
        unlink(out->tmp_path);
    release(out);
}

bpa_status bpa_outfile_reserve(const char *path, char **tmp_path, bpa_error *err)
{
    int fd;
    bpa_status st = make_temp(path, &fd, tmp_path, err);
    if (st != BPA_OK)
        return st;
    /* Only the name is wanted; the writer reopens it. */
    if (close(fd) != 0) {
        int e = errno;
        unlink(*tmp_path);
        free(*tmp_path);
        *tmp_path = NULL;
        return fail(err, "write", path, e);
    }
    return BPA_OK;
}

bpa_status bpa_outfile_rename(const char *tmp_path, const char *path, bpa_error *err)
{
    pending_drop(tmp_path);
    if (rename(tmp_path, path) != 0) {
        int e = errno;
        unlink(tmp_path);
        return fail(err, "write", path, e);
    }
    return BPA_OK;
}

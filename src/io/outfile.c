/* Atomic output files (see outfile.h). */
#define _GNU_SOURCE /* O_TMPFILE */
#include "core/alloc.h"
#include "io/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static bpa_status fail(bpa_error *err, const char *what, const char *path, int e)
{
    /* The message names the path; err->file stays empty so a formatted
     * error does not print it twice. */
    return bpa_error_set(err, BPA_E_OUTPUT, NULL, 0, 0, NULL, "cannot %s %s: %s",
                         what, path, strerror(e));
}

static bpa_status nomem(bpa_error *err, const char *path)
{
    return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory creating %s", path);
}

static bool force_named;

void bpa_outfile_force_named(bool named)
{
    force_named = named;
}

static void empty(bpa_outfile *out)
{
    out->fp = NULL;
    out->fd = -1;
    out->final_path = NULL;
    out->tmp_path = NULL;
    out->anonymous = false;
}

/* Length of path's directory part, keeping its '/' (0: none). */
static size_t dir_length(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? (size_t)(slash - path) + 1 : 0;
}

/* "<dir>/.<base>.XXXXXX" for path, malloc'd; NULL when out of memory. */
static char *temp_template(const char *path)
{
    static const char suffix[] = ".XXXXXX";
    size_t dir_len = dir_length(path);
    const char *base = path + dir_len;
    size_t base_len = strlen(base);
    char *tmp = bpa_malloc(dir_len + 1 + base_len + sizeof suffix); /* sizeof counts the NUL */
    if (!tmp)
        return NULL;
    memcpy(tmp, path, dir_len);
    tmp[dir_len] = '.';
    memcpy(tmp + dir_len + 1, base, base_len);
    memcpy(tmp + dir_len + 1 + base_len, suffix, sizeof suffix);
    return tmp;
}

/* Replace the template's trailing "XXXXXX" by random letters and digits. */
static void fill_random(char *name)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    static _Atomic unsigned long counter; /* outputs may be written from several threads */
    unsigned char bytes[6];
    if (getrandom(bytes, sizeof bytes, GRND_NONBLOCK) != (ssize_t)sizeof bytes) {
        /* no entropy yet: unique enough, since linkat refuses a taken name */
        unsigned long v = (unsigned long)time(NULL) ^ ((unsigned long)getpid() << 16) ^ atomic_fetch_add(&counter, 1);
        for (size_t i = 0; i < sizeof bytes; i++, v >>= 5)
            bytes[i] = (unsigned char)(v + i * 7);
    }
    char *x = name + strlen(name) - sizeof bytes;
    for (size_t i = 0; i < sizeof bytes; i++)
        x[i] = alphabet[bytes[i] % (sizeof alphabet - 1)];
}

/* An unnamed file in path's directory (O_TMPFILE), and the /proc name that
 * reopens it. Returns 0, or an errno; EOPNOTSUPP when the file system or
 * the system cannot do it and a named temporary should be used instead. */
static int open_anonymous(const char *path, int *fd, char **proc_name)
{
    *fd = -1;
    *proc_name = NULL;
    if (force_named)
        return EOPNOTSUPP;
    size_t dir_len = dir_length(path);
    char *dir = bpa_malloc(dir_len ? dir_len + 1 : 2);
    if (!dir)
        return ENOMEM;
    if (dir_len) {
        memcpy(dir, path, dir_len);
        dir[dir_len] = '\0';
    } else {
        memcpy(dir, ".", 2);
    }
    int f = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
    int e = errno;
    free(dir);
    if (f < 0) {
        /* EISDIR: a kernel without O_TMPFILE sees only O_DIRECTORY */
        if (e == EOPNOTSUPP || e == EISDIR || e == EINVAL)
            return EOPNOTSUPP;
        return e;
    }
    char name[32];
    snprintf(name, sizeof name, "/proc/self/fd/%d", f);
    if (access(name, F_OK) != 0) { /* no /proc: the file could never be named */
        close(f);
        return EOPNOTSUPP;
    }
    /* the mode is asked for, not left to the umask: outputs are read by others */
    if (fchmod(f, 0644) != 0) {
        e = errno;
        close(f);
        return e;
    }
    *proc_name = bpa_strdup(name);
    if (!*proc_name) {
        close(f);
        return ENOMEM;
    }
    *fd = f;
    return 0;
}

/* "<dir>/.<base>.XXXXXX" created with mode 0644. Returns 0 or an errno. */
static int open_named(const char *path, int *fd, char **tmp_out)
{
    *fd = -1;
    *tmp_out = NULL;
    char *tmp = temp_template(path);
    if (!tmp)
        return ENOMEM;
    int f = mkstemp(tmp);
    if (f < 0) {
        int e = errno;
        free(tmp);
        return e;
    }
    /* mkstemp makes 0600; outputs are meant to be read by others. */
    if (fchmod(f, 0644) != 0) {
        int e = errno;
        close(f);
        unlink(tmp);
        free(tmp);
        return e;
    }
    *fd = f;
    *tmp_out = tmp;
    return 0;
}

/* The temporary for path: anonymous where possible, else named. On failure
 * *out is empty and nothing is left behind. */
static bpa_status make_temp(bpa_outfile *out, const char *path, bpa_error *err)
{
    empty(out);
    if (!path || !*path)
        return fail(err, "write", path ? path : "(null)", ENOENT);

    /* Catch a directory now: a temporary in its parent would succeed and
     * only the rename at the very end would fail. */
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return fail(err, "write", path, EISDIR);
    if (!path[dir_length(path)]) /* "dir/" names a directory, not a file */
        return fail(err, "write", path, EISDIR);

    char *final_path = bpa_strdup(path);
    if (!final_path)
        return nomem(err, path);
    int fd;
    char *tmp;
    bool anonymous = true;
    int e = open_anonymous(path, &fd, &tmp);
    if (e == EOPNOTSUPP) {
        anonymous = false;
        e = open_named(path, &fd, &tmp);
    }
    if (e != 0) {
        free(final_path);
        return e == ENOMEM ? nomem(err, path) : fail(err, "write", path, e);
    }
    out->fd = fd;
    out->final_path = final_path;
    out->tmp_path = tmp;
    out->anonymous = anonymous;
    return BPA_OK;
}

static void release(bpa_outfile *out)
{
    free(out->final_path);
    free(out->tmp_path);
    empty(out);
}

bpa_status bpa_outfile_open(bpa_outfile *out, const char *path, bpa_error *err)
{
    bpa_status st = make_temp(out, path, err);
    if (st != BPA_OK)
        return st;
    out->fp = fdopen(out->fd, "wb");
    if (!out->fp) {
        int e = errno;
        bpa_outfile_abort(out);
        return fail(err, "write", path, e);
    }
    return BPA_OK;
}

bpa_status bpa_outfile_open_named(bpa_outfile *out, const char *path, bpa_error *err)
{
    return make_temp(out, path, err);
}

/* Give the anonymous temporary its name. A target that does not exist yet
 * gets it at once (*in_place): no moment with a second name. Otherwise a
 * fresh "<dir>/.<base>.XXXXXX" (linkat never replaces a file) for the
 * rename; out->tmp_path is then that name and out->anonymous false.
 * Returns 0 or an errno. */
static int name_anonymous(bpa_outfile *out, bool *in_place)
{
    *in_place = false;
    if (linkat(AT_FDCWD, out->tmp_path, AT_FDCWD, out->final_path, AT_SYMLINK_FOLLOW) == 0) {
        *in_place = true;
        return 0;
    }
    if (errno != EEXIST)
        return errno;
    char *name = temp_template(out->final_path);
    if (!name)
        return ENOMEM;
    for (int attempt = 0; attempt < 100; attempt++) {
        fill_random(name);
        if (linkat(AT_FDCWD, out->tmp_path, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0) {
            free(out->tmp_path);
            out->tmp_path = name;
            out->anonymous = false;
            return 0;
        }
        if (errno != EEXIST) {
            int e = errno;
            free(name);
            return e;
        }
    }
    free(name);
    return EEXIST;
}

bpa_status bpa_outfile_commit(bpa_outfile *out, bpa_error *err)
{
    if (out->fd < 0) {
        bpa_status st = fail(err, "write", out->final_path ? out->final_path : "(output)",
                             EBADF);
        bpa_outfile_abort(out);
        return st;
    }

    /* An earlier fwrite may have failed and dropped its data even if the
     * final flush succeeds, so the stream's error flag is checked first. */
    int e = 0;
    if (out->fp && ferror(out->fp))
        e = EIO;
    else if (out->fp && fflush(out->fp) != 0)
        e = errno;
    else if (fsync(out->fd) != 0) /* data on disk before the name */
        e = errno;
    bool in_place = false;
    if (e == 0 && out->anonymous)
        e = name_anonymous(out, &in_place);
    /* the stream owns the descriptor; closing reports late write errors */
    int closed = out->fp ? fclose(out->fp) : close(out->fd);
    if (closed != 0 && e == 0)
        e = errno;
    out->fp = NULL;
    out->fd = -1;
    if (e == 0 && !in_place && rename(out->tmp_path, out->final_path) != 0)
        e = errno;
    if (e != 0) {
        if (in_place) /* the target did not exist before */
            unlink(out->final_path);
        else if (!out->anonymous)
            unlink(out->tmp_path);
        bpa_status st = e == ENOMEM ? nomem(err, out->final_path)
                                    : fail(err, "write", out->final_path, e);
        release(out);
        return st;
    }
    release(out);
    return BPA_OK;
}

void bpa_outfile_abort(bpa_outfile *out)
{
    if (!out)
        return;
    if (out->fp)
        fclose(out->fp);
    else if (out->fd >= 0)
        close(out->fd);
    out->fp = NULL;
    out->fd = -1;
    if (out->tmp_path && !out->anonymous)
        unlink(out->tmp_path);
    release(out);
}

/* bpa help COMMAND: the command's manual page (man/bpa-COMMAND.1.scd, built
 * into $(BUILD)/man and installed under share/man), shown by man(1). */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

extern char **environ;

static bool is_file(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* The page beside the running binary: <prefix>/share/man/manS/PAGE for an
 * installed <prefix>/bin/bpa, else <dir>/man/PAGE for a build's <dir>/bpa. */
static bool page_find(const char *page, char *buf, size_t n)
{
    char exe[4096];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return false;
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return false;
    *slash = '\0';
    const char *section = strrchr(page, '.');
    int k = snprintf(buf, n, "%s/../share/man/man%s/%s", exe, section ? section + 1 : "1", page);
    if (k > 0 && (size_t)k < n && is_file(buf))
        return true;
    k = snprintf(buf, n, "%s/man/%s", exe, page);
    return k > 0 && (size_t)k < n && is_file(buf);
}

int cli_man_show(const char *page)
{
    char path[4096 + 64];
    if (!isatty(STDOUT_FILENO) || !page_find(page, path, sizeof path))
        return -1;
    fflush(stdout);
    char man[] = "man", l[] = "-l";
    char *argv[] = {man, l, path, NULL};
    pid_t pid;
    if (posix_spawnp(&pid, "man", NULL, NULL, argv, environ) != 0)
        return -1; /* no man(1): the --help text instead */
    int ws = 0;
    while (waitpid(pid, &ws, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(ws) && WEXITSTATUS(ws) == 0 ? 0 : -1;
}

/* bpa - the command line: a table of commands over libbpa (after git's
 * cmd_struct); each command parses its own options (cmd_*.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#include "bpa/status.h"
#include "bpa/memory.h"
#include "bpa/version.h"

static int cmd_help(int argc, char **argv);

static const cli_command commands[] = {
    {"grant", cmd_grant, "compute the grant of a case: a summary, JSON, a workbook"},
    {"settle", cmd_settle, "the 1 March account of a case and its usage"},
    {"verify", cmd_verify, "recompute an account handed in and list every difference"},
    {"diff", cmd_diff, "compare two grants: hours and rate effects per month and category"},
    {"serve", cmd_serve, "a local web form and JSON API for grants and accounts"},
    {"batch", cmd_batch, "a caseload at once: every case's results and the portfolio"},
    {"help", cmd_help, "show the help of a command (bpa help grant)"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const cli_command *command_find(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

/* The main usage, its command list from the table. */
static void usage_print(FILE *f)
{
    fputs("usage: bpa <command> [options]\n"
          "\n"
          "Exact grant calculation and annual settlement for personal assistance:\n"
          "Danish BPA (Serviceloven sections 94-96) and the Swedish schemes\n"
          "(assistansersättning, SFB 51; kommunal assistans, LSS 9 § 2).\n"
          "\n"
          "commands:\n",
          f);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].help);
    fputs("\n"
          "options:\n"
          "  -h, --help   show this help (bpa help COMMAND or bpa COMMAND --help for a command)\n"
          "  --version    show the engine version\n"
          "\n"
          "exit status: 0 success, 1 input or policy error (bpa batch: any case failed),\n"
          "2 usage error, 3 output could not be written, 4 verify found differences,\n"
          "130 interrupted (bpa batch)\n",
          f);
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("bpa: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n\n", stderr);
    usage_print(stderr);
    return bpa_status_exit_code(BPA_E_USAGE);
}

static int usage_ok(void)
{
    usage_print(stdout);
    return fflush(stdout) == 0 ? 0 : bpa_status_exit_code(BPA_E_OUTPUT);
}

/* bpa help [COMMAND]: the manual page on a terminal, else --help. */
static int cmd_help(int argc, char **argv)
{
    if (argc < 2)
        return cli_man_show("bpa.1") == 0 ? 0 : usage_ok();
    if (argc > 2)
        return usage_error("unexpected argument %s", argv[2]);
    const cli_command *cmd = command_find(argv[1]);
    if (!cmd || cmd->run == cmd_help)
        return cmd ? usage_ok() : usage_error("unknown command %s", argv[1]);
    char page[64];
    snprintf(page, sizeof page, "bpa-%s.1", cmd->name);
    if (cli_man_show(page) == 0)
        return 0;
    char help[] = "--help";
    char *args[] = {argv[1], help, NULL};
    return cmd->run(2, args);
}

/* ---- memory ------------------------------------------------------------------- */

/* GMP cannot return a failed allocation: stop here (RULES.md 11: exit 3). An
 * output in progress is an unnamed temporary and vanishes with the process. */
static void out_of_memory(void)
{
    fputs("bpa: out of memory\n", stderr);
    exit(bpa_status_exit_code(BPA_E_NOMEM));
}

/* ---- dispatch ----------------------------------------------------------------- */

int main(int argc, char **argv)
{
    bpa_memory_hooks_install(out_of_memory);
    if (argc < 2)
        return usage_error("%s", "missing command");
    const char *name = argv[1];
    if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0)
        return usage_ok();
    if (strcmp(name, "--version") == 0) {
        printf("bpa %s\n", bpa_version());
        return fflush(stdout) == 0 ? 0 : bpa_status_exit_code(BPA_E_OUTPUT);
    }
    if (name[0] == '-')
        return usage_error("unknown option %s", name);
    const cli_command *cmd = command_find(name);
    if (!cmd)
        return usage_error("unknown command %s", name);
    return cmd->run(argc - 1, argv + 1);
}

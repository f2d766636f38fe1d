/*
 * The schemareg CLI: shared state of one run and the command entry points.
 * Each command file owns one group of commands; main.c parses the global
 * options and dispatches through its command table.
 */
#ifndef SR_CLI_H
#define SR_CLI_H

#include <stdio.h>

#include "rest.h"

/* Exit codes, the same for every command (cli.md). */
enum {
    CLI_OK = 0,
    CLI_FAIL = 1,        /* incompatible, or the registry answered an error */
    CLI_INPUT = 2,       /* a schema does not parse, a file or reference cannot be read */
    CLI_USAGE = 3,       /* bad arguments or configuration */
    CLI_UNAVAILABLE = 4, /* registry or baseline unavailable */
};

typedef struct cli {
    const char *url;  /* --url or SCHEMAREG_URL */
    const char *user; /* --user U:P or SCHEMAREG_USER */
    int json;         /* --output json */
    rest_client *rest; /* opened on first use */
} cli;

/* The REST client for --url, opened on first use. */
rest_client *cli_rest(cli *c);
/* Print a failed response's error and return CLI_FAIL. */
int cli_server_error(const rest_response *r);
/* Print a JSON value (pretty) to stdout. */
void cli_print_json(json_t *v);
/* Read a whole file; NULL with a message on stderr. */
char *cli_read_file(const char *path, size_t *len);
/* AVRO / PROTOBUF / JSON from a file name's extension, or NULL. */
const char *cli_type_for_file(const char *path);

typedef int (*cli_command_fn)(cli *c, int argc, char **argv);

int cmd_subjects(cli *c, int argc, char **argv);
int cmd_versions(cli *c, int argc, char **argv);
int cmd_get(cli *c, int argc, char **argv);
int cmd_get_id(cli *c, int argc, char **argv);
int cmd_register(cli *c, int argc, char **argv);
int cmd_lookup(cli *c, int argc, char **argv);
int cmd_test(cli *c, int argc, char **argv);
int cmd_delete(cli *c, int argc, char **argv);
int cmd_config(cli *c, int argc, char **argv);
int cmd_mode(cli *c, int argc, char **argv);
int cmd_copy(cli *c, int argc, char **argv);
int cmd_export(cli *c, int argc, char **argv);
int cmd_import(cli *c, int argc, char **argv);
int cmd_check(cli *c, int argc, char **argv);

#endif

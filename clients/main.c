/* schemareg: the command-line client. Global options, then a command. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/strbuf.h"
#include "cli.h"

typedef struct command {
    const char *name;
    cli_command_fn run;
    const char *usage;
    const char *help;
} command;

static const command COMMANDS[] = {
    {"subjects", cmd_subjects, "subjects [--deleted] [--prefix P]",
     "List the subjects, one a line (--output json: an array). --deleted also lists\n"
     "subjects whose every version is soft-deleted; --prefix keeps the names starting with P."},
    {"versions", cmd_versions, "versions SUBJECT [--deleted]",
     "List the version numbers of SUBJECT. --deleted also lists soft-deleted versions, as\n"
     "negative numbers."},
    {"get", cmd_get, "get SUBJECT [VERSION] [--deleted]",
     "Show a version of SUBJECT (VERSION is a number or latest, the default): subject,\n"
     "version, id, type, one ref: line per reference, then the schema text; --output json\n"
     "prints the registry's answer. --deleted finds a soft-deleted version too."},
    {"get-id", cmd_get_id, "get-id ID",
     "Show the schema with the global id ID: id, type, references, schema text."},
    {"register", cmd_register,
     "register SUBJECT FILE [--type AVRO|PROTOBUF|JSON] [--ref NAME=SUBJECT:VERSION ...] "
     "[--normalize]",
     "Register the schema in FILE under SUBJECT and print its id. The type comes from the\n"
     "file extension (.avsc, .proto, .json) unless --type says otherwise. Each --ref names\n"
     "a reference: NAME as the schema uses it (Avro full name, Protobuf import path, JSON\n"
     "Schema $ref), the SUBJECT and VERSION (-1: the latest) that hold it. --normalize asks\n"
     "the registry to normalize the schema first."},
    {"lookup", cmd_lookup, "lookup SUBJECT FILE [--type T] [--ref NAME=SUBJECT:VERSION ...] "
     "[--deleted]",
     "Find the version of SUBJECT that holds the schema in FILE and show it as get does.\n"
     "--deleted also finds soft-deleted versions. Exits 1 when there is none."},
    {"test", cmd_test, "test SUBJECT FILE [--version V] [--type T] "
     "[--ref NAME=SUBJECT:VERSION ...]",
     "Ask the registry whether FILE is compatible with SUBJECT at its compatibility level\n"
     "(all the versions the level compares against, or only version V). Prints compatible\n"
     "or incompatible and the registry's reasons. Exits 1 when it is not compatible."},
    {"delete", cmd_delete, "delete SUBJECT [VERSION] [--permanent]",
     "Delete a subject or one version and print the version numbers deleted. Soft delete\n"
     "unless --permanent, which the registry allows only after a soft delete."},
    {"config", cmd_config, "config [SUBJECT] [LEVEL] [--delete]",
     "Show or set the compatibility level (NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD,\n"
     "FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE), globally or for SUBJECT. A level alone\n"
     "sets the global level (write :.:NAME for a subject named like a level). --delete\n"
     "removes the setting of SUBJECT (or the global one) and prints what it was."},
    {"mode", cmd_mode, "mode [SUBJECT] [MODE] [--delete] [--force]",
     "Show or set the mode (READWRITE, READONLY, READONLY_OVERRIDE, IMPORT), globally or for\n"
     "SUBJECT; a mode alone sets the global mode. IMPORT needs a scope without schemas\n"
     "unless --force. --delete removes the setting and prints what it was."},
    {"copy", cmd_copy,
     "copy [--from URL|FILE] --to URL|FILE [--from-user U:P] [--to-user U:P] [--no-verify]",
     "Copy a whole registry with its ids: every subject, version (soft-deleted ones too), id,\n"
     "reference, config and mode. --from (default --url) is a registry URL, a registry's\n"
     "SQLite database (read-only) or an export file; --to is a registry URL or an export\n"
     "file. A target registry must be empty (not even soft-deleted subjects): it is put in\n"
     "IMPORT mode, each version is registered with its id and version, a schema after what\n"
     "it references, soft-deleted versions are deleted again, then configs and modes are\n"
     "set, the global mode last. --from-user/--to-user give credentials per side (default\n"
     "--user). On a terminal it shows progress; in a pipe it prints one summary line.\n"
     "Then it reads the target back and lists every difference (--no-verify skips this).\n"
     "Exit codes: 0 identical; 1 the target is not empty, a step failed or something\n"
     "differs; 2 the source file cannot be read; 3 usage; 4 a registry is unreachable."},
    {"export", cmd_export, "export [--from URL|FILE] [--out FILE] [--from-user U:P] [--no-verify]",
     "Write a whole registry (--from, default --url: a URL, a registry database or another\n"
     "export file) as one JSON document (format \"schemareg-export\", version 1; see\n"
     "schemareg(1)) to FILE, or to standard output. A written FILE is read back and compared.\n"
     "Exit codes as for copy."},
    {"import", cmd_import, "import FILE [--to URL] [--to-user U:P] [--no-verify]",
     "Load an export file (or a registry database) into the empty registry at --to (default\n"
     "--url), ids and versions kept, exactly as copy does, and compare the result.\n"
     "Exit codes as for copy."},
    {"check", cmd_check,
     "check [FILE ...] [--config FILE] [--against BASELINE] [--format FORMAT] "
     "[--report FORMAT=FILE ...] [--baseline-file F] [--write-baseline F] "
     "[--violations-exit-code N]\n"
     "  check NEW_FILE --against OLD [--type T] [--level L] [--policy P] [--subject S] "
     "[--ref NAME=FILE ...]",
     "Check schema files against a baseline offline, with the registry's own compatibility\n"
     "engine, for CI.\n"
     "\n"
     "With a config (--config FILE, default ./schemareg.json), every subject it lists is\n"
     "checked (FILE arguments select some). Without one, a single NEW_FILE is checked:\n"
     "--type (default from the extension .avsc/.proto/.json), --level (default BACKWARD),\n"
     "--policy STRICT|LENIENT (JSON Schema), --subject (default the file name; needed for a\n"
     "registry baseline), --ref NAME=FILE for each reference.\n"
     "\n"
     "The config (JSON; files are relative to its directory):\n"
     "  {\"against\": \"git:main\",\n"
     "   \"subjects\": [{\"subject\": \"users-value\", \"file\": \"schemas/user.avsc\",\n"
     "                 \"type\": \"AVRO\", \"level\": \"BACKWARD\", \"policy\": \"STRICT\",\n"
     "                 \"references\": [{\"name\": \"com.acme.Address\",\n"
     "                                 \"subject\": \"address\",\n"
     "                                 \"file\": \"schemas/address.avsc\"}]}],\n"
     "   \"allow\": [{\"rule\": \"READER_FIELD_MISSING_DEFAULT_VALUE\",\n"
     "              \"subject\": \"users-value\", \"path\": \"/fields/2\",\n"
     "              \"reason\": \"...\", \"expires\": \"2026-12-31\"}]}\n"
     "Only subject and file are required. A reference needs a name and a file (or the subject\n"
     "of another entry, whose file it then uses); a referenced file's own references come\n"
     "from its entry. Unknown keys are errors. An allow-list entry suppresses its rule in its\n"
     "subject (at its path, if it has one) through its expiry date (UTC); expired entries\n"
     "suppress nothing and are reported.\n"
     "\n"
     "BASELINE (--against, or \"against\" in the config):\n"
     "  git:REF             the files as committed at REF (also .git#ref=REF, .git#branch=B,\n"
     "                      .git#tag=T), read from git objects without a checkout; the\n"
     "                      *_TRANSITIVE levels compare with every earlier committed version\n"
     "                      (git log --follow), v1 being the first\n"
     "  dir:PATH or PATH    a directory holding the same relative paths\n"
     "  file:PATH or PATH   one file (single-file mode)\n"
     "  http(s)://HOST...   a registry, read-only (credentials from the global --user or\n"
     "                      SCHEMAREG_USER); references are resolved through it\n"
     "  sqlite:PATH or PATH a schemareg registry's database file, opened read-only\n"
     "Paths are relative to the current directory. A subject or file missing from the\n"
     "baseline is new: nothing to compare.\n"
     "\n"
     "--format text|json|github-actions|junit|sarif|markdown (default text; json with\n"
     "--output json) prints the report on stdout; --report FORMAT=FILE writes another one.\n"
     "Rule ids are Confluent's difference types (READER_FIELD_MISSING_DEFAULT_VALUE,\n"
     "FIELD_SCALAR_KIND_CHANGED, ...) plus SCHEMA_PARSE_ERROR, REFERENCE_NOT_FOUND,\n"
     "FILE_NOT_FOUND, BASELINE_PARSE_ERROR, UNSUPPORTED_SCHEMA_TYPE, DIFFERENT_SCHEMA_TYPE.\n"
     "\n"
     "--write-baseline F records the current violations in F (and accepts them for this\n"
     "run); --baseline-file F then suppresses those (matched by rule, subject and path), so\n"
     "only new breaks fail.\n"
     "\n"
     "Exit codes: 0 compatible; 1 incompatible (or N with --violations-exit-code N, e.g.\n"
     "buf's 100); 2 a schema does not parse, a reference does not resolve or a baseline\n"
     "version cannot be loaded (wins over 1); 3 usage or config error; 4 baseline\n"
     "unavailable (bad git ref, unreadable directory, registry unreachable)."},
};

#define N_COMMANDS (sizeof COMMANDS / sizeof COMMANDS[0])

static void usage(FILE *out)
{
    fputs("usage: schemareg [--url URL] [--user USER:PASSWORD] [--output text|json] COMMAND ...\n"
          "\nCommands:\n",
          out);
    for (size_t i = 0; i < N_COMMANDS; i++) fprintf(out, "  %s\n", COMMANDS[i].usage);
    fputs("\nThe registry URL comes from --url or SCHEMAREG_URL (default http://localhost:8081),\n"
          "credentials from --user or SCHEMAREG_USER. `schemareg COMMAND --help` explains a\n"
          "command. Exit codes: 0 ok, 1 incompatible or a registry error, 2 bad schema or file,\n"
          "3 usage, 4 registry unreachable.\n",
          out);
}

rest_client *cli_rest(cli *c)
{
    if (!c->rest) c->rest = rest_new(c->url, c->user);
    return c->rest;
}

int cli_server_error(const rest_response *r)
{
    char buf[2048];
    fprintf(stderr, "schemareg: %s\n", rest_error_text(r, buf, sizeof buf));
    return CLI_FAIL;
}

void cli_print_json(json_t *v)
{
    char *s = json_dumps(v, JSON_INDENT(2) | JSON_ENCODE_ANY);
    if (s) puts(s);
    free(s);
}

char *cli_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return NULL;
    }
    strbuf sb = STRBUF_INIT;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) strbuf_add(&sb, buf, n);
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        fprintf(stderr, "%s: read error\n", path);
        strbuf_free(&sb);
        return NULL;
    }
    if (len) *len = sb.len;
    return strbuf_take(&sb);
}

const char *cli_type_for_file(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot) return NULL;
    if (strcmp(dot, ".avsc") == 0) return "AVRO";
    if (strcmp(dot, ".proto") == 0) return "PROTOBUF";
    if (strcmp(dot, ".json") == 0) return "JSON";
    return NULL;
}

int main(int argc, char **argv)
{
    cli c = {.url = getenv("SCHEMAREG_URL"), .user = getenv("SCHEMAREG_USER")};
    if (!c.url || !*c.url) c.url = "http://localhost:8081";
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return CLI_OK;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "schemareg: %s needs a value\n", a);
            return CLI_USAGE;
        }
        if (strcmp(a, "--url") == 0) c.url = argv[++i];
        else if (strcmp(a, "--user") == 0) c.user = argv[++i];
        else if (strcmp(a, "--output") == 0) {
            const char *o = argv[++i];
            if (strcmp(o, "json") == 0) c.json = 1;
            else if (strcmp(o, "text") != 0) {
                fprintf(stderr, "schemareg: --output must be text or json\n");
                return CLI_USAGE;
            }
        } else {
            fprintf(stderr, "schemareg: unknown option %s\n", a);
            usage(stderr);
            return CLI_USAGE;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return CLI_USAGE;
    }
    for (size_t k = 0; k < N_COMMANDS; k++) {
        if (strcmp(argv[i], COMMANDS[k].name) != 0) continue;
        for (int j = i + 1; j < argc; j++)
            if (strcmp(argv[j], "--help") == 0 || strcmp(argv[j], "-h") == 0) {
                printf("usage: schemareg %s\n\n%s\n", COMMANDS[k].usage, COMMANDS[k].help);
                return CLI_OK;
            }
        int rc = COMMANDS[k].run(&c, argc - i - 1, argv + i + 1);
        rest_free(c.rest);
        return rc;
    }
    fprintf(stderr, "schemareg: unknown command '%s'\n", argv[i]);
    usage(stderr);
    return CLI_USAGE;
}

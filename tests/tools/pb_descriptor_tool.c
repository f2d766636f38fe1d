/*
 * pb_descriptor_tool: our .proto parser as a protoc stand-in, for the protoc
 * comparison (tests/oracle/test_protoc_corpus.py).
 *
 *   pb_descriptor_tool [-I DIR]... [--via-base64] FILE.proto
 *
 * Reads FILE (named as protoc names it: its path relative to the -I directory
 * it is under), loads its imports from the -I directories (each passed to
 * pb_fmt_parse as a reference whose name is the import path, deps-first;
 * imports found in no directory are left to the bundled well-known files),
 * and writes a FileDescriptorSet holding FILE's FileDescriptorProto, binary,
 * to stdout -- what `protoc --descriptor_set_out=/dev/stdout -I... FILE` writes.
 * --via-base64: parse the base64 of that descriptor again (the registration
 * path for serialized schemas) and write the descriptor of the result.
 * Exit status 1 with the error message on stderr when the schema is invalid.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/strbuf.h"
#include "../../formats/protobuf/pb_internal.h"

#define MAX_DIRS 16
#define MAX_FILES 512

typedef struct loaded {
    char *name; /* import path */
    char *text;
} loaded;

typedef struct state {
    const char *dirs[MAX_DIRS];
    int n_dirs;
    loaded files[MAX_FILES]; /* deps-first */
    int n_files;
    const char *visiting[MAX_FILES];
    int n_visiting;
} state;

static char *read_all(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    strbuf sb = STRBUF_INIT;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0) strbuf_add(&sb, buf, n);
    fclose(fp);
    return strbuf_take(&sb);
}

static char *find_in_dirs(const state *st, const char *name)
{
    for (int i = 0; i < st->n_dirs; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", st->dirs[i], name);
        char *text = read_all(path);
        if (text) return text;
    }
    return NULL;
}

/* Loads the imports of `text` (recursively) into st->files, deps-first. */
static void load_imports(state *st, const char *text)
{
    arena *a = arena_new();
    sr_error err = {0};
    pb_file *f = pb_parse_text(a, "", text, strlen(text), &err);
    if (f) {
        for (size_t i = 0; i < f->n_imports; i++) {
            const char *path = f->imports[i].path;
            int seen = 0;
            for (int j = 0; j < st->n_files && !seen; j++) seen = strcmp(st->files[j].name, path) == 0;
            for (int j = 0; j < st->n_visiting && !seen; j++) seen = strcmp(st->visiting[j], path) == 0;
            if (seen || st->n_files >= MAX_FILES || st->n_visiting >= MAX_FILES) continue;
            char *dep = find_in_dirs(st, path);
            if (!dep) continue; /* bundled, or missing: pb_fmt_parse reports it */
            st->visiting[st->n_visiting++] = xstrdup(path);
            load_imports(st, dep);
            free((char *)st->visiting[--st->n_visiting]);
            st->files[st->n_files].name = xstrdup(path);
            st->files[st->n_files].text = dep;
            st->n_files++;
        }
    }
    arena_free(a);
}

static int write_set(const pb_file *f, const char *name)
{
    arena *a = arena_new();
    Google__Protobuf__FileDescriptorProto *d = pb_to_descriptor(f, a);
    d->name = (char *)name;
    Google__Protobuf__FileDescriptorSet set = GOOGLE__PROTOBUF__FILE_DESCRIPTOR_SET__INIT;
    set.n_file = 1;
    set.file = &d;
    size_t n = protobuf_c_message_get_packed_size(&set.base);
    unsigned char *out = xmalloc(n + 1);
    protobuf_c_message_pack(&set.base, out);
    int rc = fwrite(out, 1, n, stdout) == n ? 0 : 1;
    free(out);
    arena_free(a);
    return rc;
}

int main(int argc, char **argv)
{
    state st = {0};
    const char *file = NULL;
    int via_base64 = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-I") == 0 && i + 1 < argc) {
            if (st.n_dirs < MAX_DIRS) st.dirs[st.n_dirs++] = argv[++i];
        } else if (strncmp(argv[i], "-I", 2) == 0 && argv[i][2]) {
            if (st.n_dirs < MAX_DIRS) st.dirs[st.n_dirs++] = argv[i] + 2;
        } else if (strcmp(argv[i], "--via-base64") == 0) {
            via_base64 = 1;
        } else {
            file = argv[i];
        }
    }
    if (!file) {
        fprintf(stderr, "usage: %s [-I DIR]... [--via-base64] FILE.proto\n", argv[0]);
        return 2;
    }
    /* the name protoc gives the file: its path below the -I directory */
    const char *name = file;
    for (int i = 0; i < st.n_dirs; i++) {
        size_t n = strlen(st.dirs[i]);
        while (n > 1 && st.dirs[i][n - 1] == '/') n--;
        if (strncmp(file, st.dirs[i], n) == 0 && file[n] == '/') {
            name = file + n + 1;
            break;
        }
    }
    char *text = read_all(file);
    if (!text) {
        fprintf(stderr, "%s: cannot read\n", file);
        return 2;
    }
    st.visiting[st.n_visiting++] = xstrdup(name);
    load_imports(&st, text);
    free((char *)st.visiting[0]);
    /* the file itself is a reference too, so an import cycle through it is
     * found as protoc finds it (nothing else loads it) */
    sr_dep deps[MAX_FILES + 1];
    for (int i = 0; i < st.n_files; i++)
        deps[i] = (sr_dep){st.files[i].name, st.files[i].text, NULL, 0};
    deps[st.n_files++] = (sr_dep){name, text, NULL, 0};
    sr_error err = {0};
    pb_schema *s = pb_fmt_parse(text, strlen(text), deps, (size_t)st.n_files, 0, &err);
    int rc = 1;
    if (s && via_base64) {
        size_t len;
        unsigned char *bytes = pb_descriptor_pack(s->file, &len);
        char *b64 = pb_base64_encode(bytes, len);
        free(bytes);
        pb_fmt_schema_free(s);
        s = pb_fmt_parse(b64, strlen(b64), deps, (size_t)st.n_files, 0, &err);
        free(b64);
    }
    if (s) {
        rc = write_set(s->file, name);
        pb_fmt_schema_free(s);
    } else {
        fprintf(stderr, "%s: %s\n", name, err.msg);
    }
    for (int i = 0; i < st.n_files - 1; i++) {
        free(st.files[i].name);
        free(st.files[i].text);
    }
    free(text);
    return rc;
}

/*
 * The SQLite backend of store.h: WAL, synchronous=FULL (an acknowledged write
 * survives a crash), prepared statements only, one connection per thread.
 */
#include "store.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "../common/sha256.h"
#include "../common/strbuf.h"

#define STORE_SCHEMA_VERSION 1

static const char *const DDL =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS schemas("
    "  id INTEGER PRIMARY KEY,"
    "  hash BLOB NOT NULL,"       /* identity: type, text, refs, metadata, ruleSet */
    "  norm_hash BLOB NOT NULL,"  /* the same over the normalized text: equivalence */
    "  type TEXT NOT NULL,"
    "  schema TEXT NOT NULL,"
    "  metadata TEXT,"
    "  ruleset TEXT);"
    "CREATE INDEX IF NOT EXISTS schemas_by_hash ON schemas(hash);"
    "CREATE INDEX IF NOT EXISTS schemas_by_norm_hash ON schemas(norm_hash);"
    "CREATE TABLE IF NOT EXISTS versions("
    "  subject TEXT NOT NULL,"
    "  version INTEGER NOT NULL,"
    "  schema_id INTEGER NOT NULL,"
    "  deleted INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY(subject, version)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS versions_by_id ON versions(schema_id);"
    "CREATE TABLE IF NOT EXISTS refs("
    "  schema_id INTEGER NOT NULL,"
    "  ord INTEGER NOT NULL,"
    "  name TEXT NOT NULL,"
    "  subject TEXT NOT NULL,"
    "  version INTEGER NOT NULL,"
    "  PRIMARY KEY(schema_id, ord)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS refs_by_target ON refs(subject, version);"
    /* scope: '' = global, 's' = subject (subject is then the name) */
    "CREATE TABLE IF NOT EXISTS config("
    "  scope TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL,"
    "  PRIMARY KEY(scope, subject)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS mode("
    "  scope TEXT NOT NULL, subject TEXT NOT NULL, mode TEXT NOT NULL,"
    "  PRIMARY KEY(scope, subject)) WITHOUT ROWID;";

/* Every statement the store runs, prepared once per connection. */
enum stmt_id {
    Q_SCHEMA_GET,
    Q_SCHEMA_GET_ANY,
    Q_SCHEMA_REFS,
    Q_SCHEMA_FIND,
    Q_SCHEMA_INSERT,
    Q_REF_INSERT,
    Q_MAX_ID,
    Q_ID_VERSIONS,
    Q_SUBJECT_VERSIONS,
    Q_SUBJECT_VERSION,
    Q_SUBJECT_LATEST,
    Q_SUBJECTS,
    Q_ALL_VERSIONS,
    Q_FIND_EQUIVALENT,
    Q_VERSION_INSERT,
    Q_VERSION_SET_DELETED,
    Q_VERSION_REMOVE,
    Q_REFERENCED_BY,
    Q_CONFIG_GET,
    Q_CONFIG_SET,
    Q_CONFIG_DELETE,
    Q_MODE_GET,
    Q_MODE_SET,
    Q_MODE_DELETE,
    Q_BEGIN,
    Q_COMMIT,
    Q_ROLLBACK,
    Q_COUNT
};

static const char *const SQL[Q_COUNT] = {
    [Q_SCHEMA_GET] = "SELECT type, schema, metadata, ruleset FROM schemas WHERE id = ?1"
                     " AND EXISTS (SELECT 1 FROM versions WHERE schema_id = ?1)",
    [Q_SCHEMA_GET_ANY] = "SELECT type, schema, metadata, ruleset FROM schemas WHERE id = ?1",
    [Q_SCHEMA_REFS] = "SELECT name, subject, version FROM refs WHERE schema_id = ? ORDER BY ord",
    [Q_SCHEMA_FIND] = "SELECT id FROM schemas WHERE hash = ? ORDER BY id LIMIT 1",
    [Q_SCHEMA_INSERT] = "INSERT INTO schemas(id, hash, norm_hash, type, schema, metadata,"
                        " ruleset) VALUES (?, ?, ?, ?, ?, ?, ?)",
    [Q_REF_INSERT] = "INSERT INTO refs(schema_id, ord, name, subject, version) VALUES (?,?,?,?,?)",
    [Q_MAX_ID] = "SELECT COALESCE(MAX(id), 0) FROM schemas",
    [Q_ID_VERSIONS] = "SELECT subject, version, schema_id, deleted FROM versions"
                      " WHERE schema_id = ?1 AND (deleted = 0 OR ?2) ORDER BY subject, version",
    [Q_SUBJECT_VERSIONS] = "SELECT subject, version, schema_id, deleted FROM versions"
                           " WHERE subject = ? ORDER BY version",
    [Q_SUBJECT_VERSION] = "SELECT subject, version, schema_id, deleted FROM versions"
                          " WHERE subject = ? AND version = ?",
    [Q_SUBJECT_LATEST] = "SELECT subject, version, schema_id, deleted FROM versions"
                         " WHERE subject = ? AND deleted = 0 ORDER BY version DESC LIMIT 1",
    [Q_SUBJECTS] = "SELECT subject, MIN(deleted) FROM versions"
                   " WHERE ?1 IS NULL OR substr(subject, 1, length(?1)) = ?1"
                   " GROUP BY subject ORDER BY subject",
    [Q_ALL_VERSIONS] = "SELECT subject, version, schema_id, deleted FROM versions"
                       " WHERE ?1 IS NULL OR substr(subject, 1, length(?1)) = ?1"
                       " ORDER BY subject, version",
    /* CROSS JOIN fixes the order: the few schemas with this normalized hash
     * first (schemas_by_norm_hash), then their versions (versions_by_id), rather
     * than every version of a subject with many versions. */
    [Q_FIND_EQUIVALENT] = "SELECT v.version, v.schema_id, v.deleted FROM schemas s"
                          " CROSS JOIN versions v ON v.schema_id = s.id"
                          " WHERE s.norm_hash = ?3 AND v.subject = ?1 AND (v.deleted = 0 OR ?4)"
                          " ORDER BY s.hash = ?2 DESC, v.version DESC LIMIT 1",
    [Q_VERSION_INSERT] = "INSERT INTO versions(subject, version, schema_id) VALUES (?, ?, ?)",
    [Q_VERSION_SET_DELETED] = "UPDATE versions SET deleted = 1 WHERE subject = ? AND version = ?",
    [Q_VERSION_REMOVE] = "DELETE FROM versions WHERE subject = ? AND version = ?",
    [Q_REFERENCED_BY] = "SELECT DISTINCT r.schema_id FROM refs r WHERE r.subject = ?1"
                        " AND r.version = ?2 AND EXISTS (SELECT 1 FROM versions v WHERE"
                        " v.schema_id = r.schema_id AND (v.deleted = 0 OR ?3))"
                        " ORDER BY r.schema_id",
    [Q_CONFIG_GET] = "SELECT body FROM config WHERE scope = ? AND subject = ?",
    [Q_CONFIG_SET] = "INSERT OR REPLACE INTO config(scope, subject, body) VALUES (?, ?, ?)",
    [Q_CONFIG_DELETE] = "DELETE FROM config WHERE scope = ? AND subject = ?",
    [Q_MODE_GET] = "SELECT mode FROM mode WHERE scope = ? AND subject = ?",
    [Q_MODE_SET] = "INSERT OR REPLACE INTO mode(scope, subject, mode) VALUES (?, ?, ?)",
    [Q_MODE_DELETE] = "DELETE FROM mode WHERE scope = ? AND subject = ?",
    [Q_BEGIN] = "BEGIN IMMEDIATE",
    [Q_COMMIT] = "COMMIT",
    [Q_ROLLBACK] = "ROLLBACK",
};

typedef struct conn {
    sqlite3 *db;
    sqlite3_stmt *stmt[Q_COUNT];
    struct conn *next;
} conn;

struct store {
    char *path;
    pthread_key_t key;
    pthread_mutex_t conns_lock; /* guards `conns` */
    conn *conns;                /* every connection opened, for store_close */
    pthread_mutex_t write_lock; /* held from store_write_begin to commit/rollback */
    int readonly;               /* store_open_readonly: SQLITE_OPEN_READONLY, no pragmas */
    atomic_ullong generation;   /* committed writes (store_generation) */
    atomic_ullong removals;     /* committed writes that removed rows */
    int removing;               /* the open write transaction removed rows (under write_lock) */
};

static int db_fail(sqlite3 *db, int rc, sr_error *err)
{
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        return sr_fail(err, 500, SR_E_TIMEOUT, "Store operation timed out");
    return sr_fail(err, 500, SR_E_STORE, "Error in the backend data store: %s",
                   db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

static void conn_close(conn *c)
{
    for (int i = 0; i < Q_COUNT; i++) sqlite3_finalize(c->stmt[i]);
    sqlite3_close(c->db);
    free(c);
}

static conn *conn_open(const char *path, int readonly, sr_error *err)
{
    conn *c = xcalloc(1, sizeof *c);
    int rc = sqlite3_open_v2(path, &c->db,
                             readonly ? SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX
                                      : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                            SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK) {
        sr_fail(err, 500, SR_E_STORE, "Cannot open database %s: %s", path,
                c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
        conn_close(c);
        return NULL;
    }
    sqlite3_busy_timeout(c->db, 10000);
    if (readonly) return c;
    char *msg = NULL;
    rc = sqlite3_exec(c->db,
                      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                      "PRAGMA cache_size=-8192; PRAGMA foreign_keys=OFF;",
                      NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        sr_fail(err, 500, SR_E_STORE, "Cannot configure database %s: %s", path,
                msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        conn_close(c);
        return NULL;
    }
    return c;
}

/* The calling thread's connection, opened on first use. */
static conn *get_conn(store *st, sr_error *err)
{
    conn *c = pthread_getspecific(st->key);
    if (c) return c;
    c = conn_open(st->path, st->readonly, err);
    if (!c) return NULL;
    pthread_setspecific(st->key, c);
    pthread_mutex_lock(&st->conns_lock);
    c->next = st->conns;
    st->conns = c;
    pthread_mutex_unlock(&st->conns_lock);
    return c;
}

/* The prepared statement `id` on the calling thread's connection, reset and
 * ready to bind. */
static sqlite3_stmt *stmt(store *st, enum stmt_id id, conn **cp, sr_error *err)
{
    conn *c = get_conn(st, err);
    if (!c) return NULL;
    if (!c->stmt[id]) {
        int rc = sqlite3_prepare_v3(c->db, SQL[id], -1, SQLITE_PREPARE_PERSISTENT, &c->stmt[id],
                                    NULL);
        if (rc != SQLITE_OK) {
            db_fail(c->db, rc, err);
            return NULL;
        }
    }
    *cp = c;
    sqlite3_reset(c->stmt[id]);
    sqlite3_clear_bindings(c->stmt[id]);
    return c->stmt[id];
}

static int migrate(conn *c, sr_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(c->db, DDL, NULL, NULL, &msg) != SQLITE_OK) {
        sr_fail(err, 500, SR_E_STORE, "Cannot create tables: %s", msg ? msg : "?");
        sqlite3_free(msg);
        return -1;
    }
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(c->db, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &s,
                           NULL) != SQLITE_OK)
        return db_fail(c->db, SQLITE_ERROR, err);
    int version = 0;
    if (sqlite3_step(s) == SQLITE_ROW) version = atoi((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    if (version > STORE_SCHEMA_VERSION)
        return sr_fail(err, 500, SR_E_STORE,
                       "Database schema version %d is newer than this server (%d)", version,
                       STORE_SCHEMA_VERSION);
    /* Future migrations go here: if (version < 2) {...} */
    if (version < STORE_SCHEMA_VERSION) {
        if (sqlite3_prepare_v2(c->db,
                               "INSERT OR REPLACE INTO meta(key, value)"
                               " VALUES ('schema_version', ?)",
                               -1, &s, NULL) != SQLITE_OK)
            return db_fail(c->db, SQLITE_ERROR, err);
        sqlite3_bind_int(s, 1, STORE_SCHEMA_VERSION);
        int rc = sqlite3_step(s);
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE) return db_fail(c->db, rc, err);
    }
    return 0;
}

store *store_open(const char *path, sr_error *err)
{
    store *st = xcalloc(1, sizeof *st);
    st->path = xstrdup(path);
    pthread_key_create(&st->key, NULL);
    pthread_mutex_init(&st->conns_lock, NULL);
    pthread_mutex_init(&st->write_lock, NULL);
    conn *c = get_conn(st, err);
    if (!c || migrate(c, err) < 0) {
        store_close(st);
        return NULL;
    }
    return st;
}

/* The URI of a read-only open. Reading a WAL database creates its -wal and -shm
 * files when they are missing, and a read-only connection cannot remove them
 * again; they are missing only when no server has the database open (the last
 * connection to close removes them), so then the file is read as immutable. */
static char *readonly_uri(const char *path)
{
    strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, "file:");
    for (const char *p = path; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#') strbuf_printf(&sb, "%%%02X", (unsigned char)*p);
        else strbuf_putc(&sb, *p);
    }
    strbuf wal = STRBUF_INIT;
    strbuf_printf(&wal, "%s-wal", path);
    FILE *f = fopen(wal.data, "rb");
    if (f) fclose(f);
    else strbuf_puts(&sb, "?immutable=1");
    strbuf_free(&wal);
    return strbuf_take(&sb);
}

store *store_open_readonly(const char *path, sr_error *err)
{
    FILE *exists = fopen(path, "rb");
    if (!exists) {
        sr_fail(err, 500, SR_E_STORE, "Cannot open database %s: no such file", path);
        return NULL;
    }
    fclose(exists);
    store *st = xcalloc(1, sizeof *st);
    st->path = readonly_uri(path);
    st->readonly = 1;
    pthread_key_create(&st->key, NULL);
    pthread_mutex_init(&st->conns_lock, NULL);
    pthread_mutex_init(&st->write_lock, NULL);
    conn *c = get_conn(st, err);
    sqlite3_stmt *s = NULL;
    int version = -1;
    if (c && sqlite3_prepare_v2(c->db, "SELECT value FROM meta WHERE key = 'schema_version'", -1,
                                &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        version = atoi((const char *)sqlite3_column_text(s, 0));
    if (c && version < 1)
        sr_fail(err, 500, SR_E_STORE, "%s is not a schemareg database: %s", path,
                s ? "no schema version" : sqlite3_errmsg(c->db));
    else if (c && version > STORE_SCHEMA_VERSION)
        sr_fail(err, 500, SR_E_STORE, "Database schema version %d is newer than this program (%d)",
                version, STORE_SCHEMA_VERSION);
    sqlite3_finalize(s);
    if (!c || version < 1 || version > STORE_SCHEMA_VERSION) {
        store_close(st);
        return NULL;
    }
    return st;
}

void store_close(store *st)
{
    if (!st) return;
    for (conn *c = st->conns, *next; c; c = next) {
        next = c->next;
        conn_close(c);
    }
    pthread_key_delete(st->key);
    pthread_mutex_destroy(&st->conns_lock);
    pthread_mutex_destroy(&st->write_lock);
    free(st->path);
    free(st);
}

/* --- small helpers ------------------------------------------------------- */

static char *col_text(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? xstrdup((const char *)t) : NULL;
}

static void bind_text(sqlite3_stmt *s, int i, const char *t)
{
    if (t) sqlite3_bind_text(s, i, t, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(s, i);
}

/* Run a statement that returns no rows. */
static int exec_done(conn *c, sqlite3_stmt *s, sr_error *err)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) return db_fail(c->db, rc, err);
    return 0;
}

/* --- schemas ------------------------------------------------------------- */

void store_schema_hash(const store_schema *s, unsigned char out[32])
{
    /* Fields are separated by a byte that cannot occur in UTF-8 text, so no two
     * different tuples hash the same input. */
    static const unsigned char sep = 0xff;
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, s->type, strlen(s->type));
    sha256_update(&c, &sep, 1);
    sha256_update(&c, s->text, strlen(s->text));
    for (size_t i = 0; i < s->n_refs; i++) {
        char v[16];
        snprintf(v, sizeof v, "%d", s->refs[i].version);
        sha256_update(&c, &sep, 1);
        sha256_update(&c, s->refs[i].name, strlen(s->refs[i].name));
        sha256_update(&c, &sep, 1);
        sha256_update(&c, s->refs[i].subject, strlen(s->refs[i].subject));
        sha256_update(&c, &sep, 1);
        sha256_update(&c, v, strlen(v));
    }
    const char *extra[2] = {s->metadata, s->ruleset};
    for (int i = 0; i < 2; i++) {
        unsigned char tag = 0xfe;
        sha256_update(&c, &tag, 1);
        if (extra[i]) sha256_update(&c, extra[i], strlen(extra[i]));
    }
    sha256_final(&c, out);
}

static int load_refs(store *st, store_schema *out, sr_error *err)
{
    conn *c;
    sqlite3_stmt *s = stmt(st, Q_SCHEMA_REFS, &c, err);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, out->id);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (out->n_refs == cap) {
            cap = cap ? cap * 2 : 4;
            out->refs = xrealloc(out->refs, cap * sizeof *out->refs);
        }
        store_ref *r = &out->refs[out->n_refs++];
        r->name = col_text(s, 0);
        r->subject = col_text(s, 1);
        r->version = sqlite3_column_int(s, 2);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) return db_fail(c->db, rc, err);
    return 0;
}

static int schema_get(store *st, enum stmt_id q, long long id, store_schema *out, sr_error *err)
{
    conn *c;
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s = stmt(st, q, &c, err);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(s);
        return 0;
    }
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        return db_fail(c->db, rc, err);
    }
    out->id = id;
    out->type = col_text(s, 0);
    out->text = col_text(s, 1);
    out->metadata = col_text(s, 2);
    out->ruleset = col_text(s, 3);
    sqlite3_reset(s);
    if (load_refs(st, out, err) < 0) {
        store_schema_free(out);
        return -1;
    }
    return 1;
}

int store_schema_get(store *st, long long id, store_schema *out, sr_error *err)
{
    return schema_get(st, Q_SCHEMA_GET, id, out, err);
}

int store_schema_get_any(store *st, long long id, store_schema *out, sr_error *err)
{
    return schema_get(st, Q_SCHEMA_GET_ANY, id, out, err);
}

int store_schema_find(store *st, const unsigned char hash[32], long long *id, sr_error *err)
{
    conn *c;
    sqlite3_stmt *s = stmt(st, Q_SCHEMA_FIND, &c, err);
    if (!s) return -1;
    sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    int found = rc == SQLITE_ROW;
    if (found) *id = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_fail(c->db, rc, err);
    return found;
}

int store_schema_insert(store *st, long long id, const unsigned char hash[32],
                        const unsigned char norm_hash[32], const store_schema *sc, sr_error *err)
{
    conn *c;
    sqlite3_stmt *s = stmt(st, Q_SCHEMA_INSERT, &c, err);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_blob(s, 2, hash, 32, SQLITE_STATIC);
    sqlite3_bind_blob(s, 3, norm_hash, 32, SQLITE_STATIC);
    bind_text(s, 4, sc->type);
    bind_text(s, 5, sc->text);
    bind_text(s, 6, sc->metadata);
    bind_text(s, 7, sc->ruleset);
    if (exec_done(c, s, err) < 0) return -1;
    for (size_t i = 0; i < sc->n_refs; i++) {
        s = stmt(st, Q_REF_INSERT, &c, err);
        if (!s) return -1;
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
        bind_text(s, 3, sc->refs[i].name);
        bind_text(s, 4, sc->refs[i].subject);
        sqlite3_bind_int(s, 5, sc->refs[i].version);
        if (exec_done(c, s, err) < 0) return -1;
    }
    return 0;
}

int store_max_id(store *st, long long *out, sr_error *err)
{
    conn *c;
    sqlite3_stmt *s = stmt(st, Q_MAX_ID, &c, err);
    if (!s) return -1;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) *out = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW) return db_fail(c->db, rc, err);
    return 0;
}

void store_schema_free(store_schema *s)
{
    free(s->type);
    free(s->text);
    free(s->metadata);
    free(s->ruleset);
    for (size_t i = 0; i < s->n_refs; i++) {
        free(s->refs[i].name);
        free(s->refs[i].subject);
    }
    free(s->refs);
    memset(s, 0, sizeof *s);
}

/* --- versions ------------------------------------------------------------ */

/* Read rows of (subject, version, schema_id, deleted) into out. */
static int collect_versions(conn *c, sqlite3_stmt *s, store_versions *out, sr_error *err)
{
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 8;
            out->items = xrealloc(out->items, cap * sizeof *out->items);
        }
        store_version *v = &out->items[out->n++];
        v->subject = col_text(s, 0);
        v->version = sqlite3_column_int(s, 1);
        v->id = sqlite3_column_int64(s, 2);
        v->deleted = sqlite3_column_int(s, 3);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        store_versions_free(out);
        return db_fail(c->db, rc, err);
    }
    return 0;
}

int store_id_versions(store *st, long long id, int include_deleted, store_versions *out,
                      sr_error *err)
{
    conn *c;
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s = stmt(st, Q_ID_VERSIONS, &c, err);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int(s, 2, include_deleted);
    return collect_versions(c, s, out, err);
}

int store_subject_versions(store *st, const char *subject, store_versions *out, sr_error *err)
{
    conn *c;
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s = stmt(st, Q_SUBJECT_VERSIONS, &c, err);
    if (!s) return -1;
    bind_text(s, 1, subject);
    return collect_versions(c, s, out, err);
}

int store_subject_version(store *st, const char *subject, int version, store_version *out,
                          sr_error *err)
{
    conn *c;
    store_versions rows = {0};
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s = stmt(st, version == -1 ? Q_SUBJECT_LATEST : Q_SUBJECT_VERSION, &c, err);
    if (!s) return -1;
    bind_text(s, 1, subject);
    if (version != -1) sqlite3_bind_int(s, 2, version);
    if (collect_versions(c, s, &rows, err) < 0) return -1;
    int found = rows.n > 0;
    if (found) {
        *out = rows.items[0];
        rows.items[0].subject = NULL; /* moved */
    }
    store_versions_free(&rows);
    return found;
}

int store_subjects(store *st, const char *prefix, int mode, store_strings *out, sr_error *err)
{
    conn *c;
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s = stmt(st, Q_SUBJECTS, &c, err);
    if (!s) return -1;
    bind_text(s, 1, prefix);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int all_deleted = sqlite3_column_int(s, 1);
        if ((mode == 0 && all_deleted) || (mode == 2 && !all_deleted)) continue;
        if (out->n == cap) {
            cap = cap ? cap * 2 : 16;
            out->items = xrealloc(out->items, cap * sizeof *out->items);
        }
        out->items[out->n++] = col_text(s, 0);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        store_strings_free(out);
        return db_fail(c->db, rc, err);
    }
    return 0;
}

int store_all_versions(store *st, const char *prefix, store_versions *out, sr_error *err)
{
    conn *c;
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s = stmt(st, Q_ALL_VERSIONS, &c, err);
    if (!s) return -1;
    bind_text(s, 1, prefix);
    return collect_versions(c, s, out, err);
}

int store_find_equivalent(store *st, const char *subject, const unsigned char hash[32],
                          const unsigned char norm_hash[32], int include_deleted,
                          store_version *out, sr_error *err)
{
    conn *c;
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s = stmt(st, Q_FIND_EQUIVALENT, &c, err);
    if (!s) return -1;
    bind_text(s, 1, subject);
    sqlite3_bind_blob(s, 2, hash, 32, SQLITE_STATIC);
    sqlite3_bind_blob(s, 3, norm_hash, 32, SQLITE_STATIC);
    sqlite3_bind_int(s, 4, include_deleted);
    int rc = sqlite3_step(s);
    int found = rc == SQLITE_ROW;
    if (found) {
        out->subject = xstrdup(subject);
        out->version = sqlite3_column_int(s, 0);
        out->id = sqlite3_column_int64(s, 1);
        out->deleted = sqlite3_column_int(s, 2);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_fail(c->db, rc, err);
    return found;
}

static int subject_version_exec(store *st, enum stmt_id q, const char *subject, int version,
                                long long id, sr_error *err)
{
    conn *c;
    sqlite3_stmt *s = stmt(st, q, &c, err);
    if (!s) return -1;
    bind_text(s, 1, subject);
    sqlite3_bind_int(s, 2, version);
    if (q == Q_VERSION_INSERT) sqlite3_bind_int64(s, 3, id);
    return exec_done(c, s, err);
}

int store_version_insert(store *st, const char *subject, int version, long long id,
                         sr_error *err)
{
    return subject_version_exec(st, Q_VERSION_INSERT, subject, version, id, err);
}

int store_version_set_deleted(store *st, const char *subject, int version, sr_error *err)
{
    return subject_version_exec(st, Q_VERSION_SET_DELETED, subject, version, 0, err);
}

int store_version_remove(store *st, const char *subject, int version, sr_error *err)
{
    st->removing = 1;
    return subject_version_exec(st, Q_VERSION_REMOVE, subject, version, 0, err);
}

int store_referenced_by(store *st, const char *subject, int version, int include_deleted,
                        store_ids *out, sr_error *err)
{
    conn *c;
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s = stmt(st, Q_REFERENCED_BY, &c, err);
    if (!s) return -1;
    bind_text(s, 1, subject);
    sqlite3_bind_int(s, 2, version);
    sqlite3_bind_int(s, 3, include_deleted);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 8;
            out->items = xrealloc(out->items, cap * sizeof *out->items);
        }
        out->items[out->n++] = sqlite3_column_int64(s, 0);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        store_ids_free(out);
        return db_fail(c->db, rc, err);
    }
    return 0;
}

void store_version_free(store_version *v)
{
    free(v->subject);
    v->subject = NULL;
}

void store_versions_free(store_versions *v)
{
    for (size_t i = 0; i < v->n; i++) free(v->items[i].subject);
    free(v->items);
    v->items = NULL;
    v->n = 0;
}

void store_strings_free(store_strings *s)
{
    for (size_t i = 0; i < s->n; i++) free(s->items[i]);
    free(s->items);
    s->items = NULL;
    s->n = 0;
}

void store_ids_free(store_ids *ids)
{
    free(ids->items);
    ids->items = NULL;
    ids->n = 0;
}

/* --- config and mode ----------------------------------------------------- */

static void bind_scope(sqlite3_stmt *s, const char *subject)
{
    sqlite3_bind_text(s, 1, subject ? "s" : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, subject ? subject : "", -1, SQLITE_TRANSIENT);
}

static int scoped_get(store *st, enum stmt_id q, const char *subject, char **out, sr_error *err)
{
    conn *c;
    *out = NULL;
    sqlite3_stmt *s = stmt(st, q, &c, err);
    if (!s) return -1;
    bind_scope(s, subject);
    int rc = sqlite3_step(s);
    int found = rc == SQLITE_ROW;
    if (found) *out = col_text(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_fail(c->db, rc, err);
    return found;
}

static int scoped_set(store *st, enum stmt_id q, const char *subject, const char *value,
                      sr_error *err)
{
    conn *c;
    sqlite3_stmt *s = stmt(st, q, &c, err);
    if (!s) return -1;
    bind_scope(s, subject);
    if (value) bind_text(s, 3, value);
    return exec_done(c, s, err);
}

int store_config_get(store *st, const char *subject, char **json, sr_error *err)
{
    return scoped_get(st, Q_CONFIG_GET, subject, json, err);
}

int store_config_set(store *st, const char *subject, const char *json, sr_error *err)
{
    return scoped_set(st, Q_CONFIG_SET, subject, json, err);
}

int store_config_delete(store *st, const char *subject, sr_error *err)
{
    return scoped_set(st, Q_CONFIG_DELETE, subject, NULL, err);
}

int store_mode_get(store *st, const char *subject, char **mode, sr_error *err)
{
    return scoped_get(st, Q_MODE_GET, subject, mode, err);
}

int store_mode_set(store *st, const char *subject, const char *mode, sr_error *err)
{
    return scoped_set(st, Q_MODE_SET, subject, mode, err);
}

int store_mode_delete(store *st, const char *subject, sr_error *err)
{
    return scoped_set(st, Q_MODE_DELETE, subject, NULL, err);
}

/* --- transactions -------------------------------------------------------- */

int store_write_begin(store *st, sr_error *err)
{
    conn *c;
    pthread_mutex_lock(&st->write_lock);
    sqlite3_stmt *s = stmt(st, Q_BEGIN, &c, err);
    if (!s || exec_done(c, s, err) < 0) {
        pthread_mutex_unlock(&st->write_lock);
        return -1;
    }
    return 0;
}

int store_write_commit(store *st, sr_error *err)
{
    conn *c;
    sqlite3_stmt *s = stmt(st, Q_COMMIT, &c, err);
    int rc = s ? exec_done(c, s, err) : -1;
    if (rc < 0) {
        store_write_rollback(st);
    } else {
        /* Bumped after COMMIT: a reader that saw the old generation may have
         * read the old rows, and its answer is tagged with that generation. */
        atomic_fetch_add(&st->generation, 1);
        if (st->removing) atomic_fetch_add(&st->removals, 1);
        st->removing = 0;
        pthread_mutex_unlock(&st->write_lock);
    }
    return rc;
}

unsigned long long store_removal_generation(store *st)
{
    return atomic_load(&st->removals);
}

unsigned long long store_generation(store *st)
{
    return atomic_load(&st->generation);
}

void store_write_rollback(store *st)
{
    st->removing = 0;
    conn *c;
    sqlite3_stmt *s = stmt(st, Q_ROLLBACK, &c, NULL);
    if (s) exec_done(c, s, NULL);
    pthread_mutex_unlock(&st->write_lock);
}

/*
 * The .proto tokenizer, after protoc's io::Tokenizer (3.21):
 *  - identifiers [A-Za-z_][A-Za-z0-9_]*; keywords are identifiers;
 *  - integers: decimal, 0x hex, 0-prefixed octal (8 or 9 in an octal number is
 *    an error); floats: digits with '.', an exponent, or starting with '.';
 *    a letter right after a number is an error ("1abc");
 *  - strings in single or double quotes with the escapes \a \b \f \n \r \t \v
 *    \\ \' \" \?, octal \NNN (1-3 digits), \xHH (1-2 digits), \uHHHH (UTF-8
 *    encoded, surrogate pairs combined), \UHHHHHHHH (up to 10FFFF); a raw
 *    newline inside a string is an error;
 *  - comments // to end of line and C-style block comments;
 *  - every other printable ASCII character is a one-character symbol.
 * Unlike protoc (which accepts any bytes in comments and strings), the whole
 * input must be valid UTF-8: schemas travel in JSON. Non-ASCII characters
 * outside comments and strings are errors, as in protoc. Control characters
 * other than whitespace are errors, as in protoc.
 * Columns are 1-based; a tab advances to the next multiple of 8, as protoc counts.
 */
#include "pb_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int pb_errorf(sr_error *err, const char *file, pb_pos pos, const char *fmt, ...)
{
    char msg[SR_ERROR_MSG_MAX - 64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (file && *file)
        return sr_invalid_schema(err, "%s:%d:%d: %s", file, pos.line, pos.col, msg);
    return sr_invalid_schema(err, "%d:%d: %s", pos.line, pos.col, msg);
}

void pb_lex_init(pb_lexer *lx, const char *src, size_t len, arena *a, const char *file,
                 sr_error *err)
{
    memset(lx, 0, sizeof *lx);
    lx->src = src;
    lx->len = len;
    lx->line = 1;
    lx->col = 1;
    lx->arena = a;
    lx->file = file;
    lx->err = err;
}

static int peek(const pb_lexer *lx, size_t ahead)
{
    return lx->at + ahead < lx->len ? (unsigned char)lx->src[lx->at + ahead] : -1;
}

static pb_pos here(const pb_lexer *lx)
{
    return (pb_pos){lx->line, lx->col};
}

static int lex_error(pb_lexer *lx, pb_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int lex_error(pb_lexer *lx, pb_pos pos, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return pb_errorf(lx->err, lx->file, pos, "%s", msg);
}

/* Length of the UTF-8 sequence starting at p (1..4), or 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t avail)
{
    unsigned c = p[0];
    size_t n;
    unsigned min;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) n = 2, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF) n = 3, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4) n = 4, min = 0x10000;
    else return 0;
    if (avail < n) return 0;
    unsigned cp = c & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

/* Advance over one character (a whole UTF-8 sequence), keeping line/col. */
static void advance(pb_lexer *lx)
{
    int c = peek(lx, 0);
    if (c < 0) return;
    if (c >= 0x20 && c < 0x80) { /* the common case */
        lx->at++;
        lx->col++;
        return;
    }
    if (c == '\n') {
        lx->line++;
        lx->col = 1;
        lx->at++;
        return;
    }
    if (c == '\t') {
        lx->col = ((lx->col - 1) / 8 + 1) * 8 + 1;
        lx->at++;
        return;
    }
    size_t n = utf8_len((const unsigned char *)lx->src + lx->at, lx->len - lx->at);
    lx->at += n ? n : 1;
    lx->col++;
}

/* Checks the character at the cursor is valid UTF-8 (inside comments/strings). */
static int check_utf8(pb_lexer *lx)
{
    if (!utf8_len((const unsigned char *)lx->src + lx->at, lx->len - lx->at))
        return lex_error(lx, here(lx), "Invalid UTF-8 byte 0x%02x.", (unsigned)peek(lx, 0));
    return 0;
}

static int is_ws(int c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}
static int is_letter(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}
static int is_hex(int c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
static int hex_val(int c)
{
    return is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* Skips whitespace and comments. */
static int skip_blank(pb_lexer *lx)
{
    for (;;) {
        int c = peek(lx, 0);
        if (c < 0) return 0;
        if (is_ws(c)) {
            advance(lx);
        } else if (c == '/' && peek(lx, 1) == '/') {
            while ((c = peek(lx, 0)) >= 0 && c != '\n') {
                if (c >= 0x20 && c < 0x80) { /* fast path: printable ASCII */
                    lx->at++;
                    lx->col++;
                    continue;
                }
                if (c >= 0x80 && check_utf8(lx)) return -1;
                advance(lx);
            }
        } else if (c == '/' && peek(lx, 1) == '*') {
            pb_pos start = here(lx);
            advance(lx);
            advance(lx);
            for (;;) {
                c = peek(lx, 0);
                if (c < 0) return lex_error(lx, start, "End-of-file inside block comment.");
                if (c == '*' && peek(lx, 1) == '/') {
                    advance(lx);
                    advance(lx);
                    break;
                }
                if (c >= 0x20 && c < 0x80) {
                    lx->at++;
                    lx->col++;
                    continue;
                }
                if (c >= 0x80 && check_utf8(lx)) return -1;
                advance(lx);
            }
        } else {
            return 0;
        }
    }
}

static void put_utf8(strbuf *sb, unsigned cp)
{
    if (cp < 0x80) {
        strbuf_putc(sb, (char)cp);
    } else if (cp < 0x800) {
        strbuf_putc(sb, (char)(0xC0 | (cp >> 6)));
        strbuf_putc(sb, (char)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        strbuf_putc(sb, (char)(0xE0 | (cp >> 12)));
        strbuf_putc(sb, (char)(0x80 | ((cp >> 6) & 0x3F)));
        strbuf_putc(sb, (char)(0x80 | (cp & 0x3F)));
    } else {
        strbuf_putc(sb, (char)(0xF0 | (cp >> 18)));
        strbuf_putc(sb, (char)(0x80 | ((cp >> 12) & 0x3F)));
        strbuf_putc(sb, (char)(0x80 | ((cp >> 6) & 0x3F)));
        strbuf_putc(sb, (char)(0x80 | (cp & 0x3F)));
    }
}

/* Reads exactly n hex digits at the cursor into *out; -1 if there are fewer. */
static int read_hex_n(pb_lexer *lx, int n, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < n; i++) {
        int c = peek(lx, (size_t)i);
        if (c < 0 || !is_hex(c)) return -1;
        v = v * 16 + (unsigned)hex_val(c);
    }
    for (int i = 0; i < n; i++) advance(lx);
    *out = v;
    return 0;
}

/* One escape sequence after the backslash (cursor on the character after it). */
static int lex_escape(pb_lexer *lx, strbuf *sb, pb_pos pos)
{
    int c = peek(lx, 0);
    const char *simple = "abfnrtv\\?'\"";
    const char *value = "\a\b\f\n\r\t\v\\?'\"";
    const char *hit = c > 0 ? strchr(simple, c) : NULL;
    if (hit) {
        strbuf_putc(sb, value[hit - simple]);
        advance(lx);
        return 0;
    }
    if (c >= '0' && c <= '7') {
        unsigned v = 0;
        for (int i = 0; i < 3 && (c = peek(lx, 0)) >= '0' && c <= '7'; i++) {
            v = v * 8 + (unsigned)(c - '0');
            advance(lx);
        }
        strbuf_putc(sb, (char)(v & 0xFF));
        return 0;
    }
    if (c == 'x') {
        advance(lx);
        if (!is_hex(peek(lx, 0)))
            return lex_error(lx, pos, "Expected hex digits for escape sequence.");
        unsigned v = 0;
        for (int i = 0; i < 2 && is_hex(peek(lx, 0)); i++) {
            v = v * 16 + (unsigned)hex_val(peek(lx, 0));
            advance(lx);
        }
        strbuf_putc(sb, (char)v);
        return 0;
    }
    if (c == 'u') {
        advance(lx);
        unsigned v;
        if (read_hex_n(lx, 4, &v))
            return lex_error(lx, pos, "Expected four hex digits for \\u escape sequence.");
        /* a head surrogate followed by \u + tail surrogate: one code point */
        if (v >= 0xD800 && v <= 0xDBFF && peek(lx, 0) == '\\' && peek(lx, 1) == 'u') {
            unsigned t = 0;
            int ok = 1;
            for (int i = 0; i < 4; i++) {
                int h = peek(lx, (size_t)i + 2);
                if (h < 0 || !is_hex(h)) {
                    ok = 0;
                    break;
                }
                t = t * 16 + (unsigned)hex_val(h);
            }
            if (ok && t >= 0xDC00 && t <= 0xDFFF) {
                for (int i = 0; i < 6; i++) advance(lx);
                v = 0x10000 + ((v - 0xD800) << 10) + (t - 0xDC00);
            }
        }
        put_utf8(sb, v); /* a lone surrogate is emitted as is, like protoc */
        return 0;
    }
    if (c == 'U') {
        advance(lx);
        unsigned v;
        if (read_hex_n(lx, 8, &v) || v > 0x10FFFF)
            return lex_error(lx, pos,
                             "Expected eight hex digits up to 10ffff for \\U escape sequence");
        put_utf8(sb, v);
        return 0;
    }
    return lex_error(lx, pos, "Invalid escape sequence in string literal.");
}

static int lex_string(pb_lexer *lx, pb_token *t)
{
    int quote = peek(lx, 0);
    strbuf sb = STRBUF_INIT;
    advance(lx);
    for (;;) {
        int c = peek(lx, 0);
        if (c < 0) {
            strbuf_free(&sb);
            return lex_error(lx, t->pos, "Unexpected end of string.");
        }
        if (c == '\n') {
            strbuf_free(&sb);
            return lex_error(lx, t->pos, "String literals cannot cross line boundaries.");
        }
        if (c == quote) {
            advance(lx);
            break;
        }
        if (c == '\\') {
            pb_pos epos = here(lx);
            advance(lx);
            if (lex_escape(lx, &sb, epos)) {
                strbuf_free(&sb);
                return -1;
            }
            continue;
        }
        if (c < 0x20 && c != '\t' && c != '\r' && c != '\v' && c != '\f') {
            strbuf_free(&sb);
            return lex_error(lx, here(lx), "Invalid control characters encountered in text.");
        }
        if (c >= 0x80) {
            if (check_utf8(lx)) {
                strbuf_free(&sb);
                return -1;
            }
            size_t n = utf8_len((const unsigned char *)lx->src + lx->at, lx->len - lx->at);
            strbuf_add(&sb, lx->src + lx->at, n);
            advance(lx);
            continue;
        }
        strbuf_putc(&sb, (char)c);
        advance(lx);
    }
    t->kind = PB_TOK_STRING;
    t->str = arena_strndup(lx->arena, sb.data ? sb.data : "", sb.len);
    t->str_len = sb.len;
    strbuf_free(&sb);
    return 0;
}

static int lex_number(pb_lexer *lx, pb_token *t)
{
    int started_with_zero = peek(lx, 0) == '0';
    int started_with_dot = peek(lx, 0) == '.';
    int is_float = 0;
    advance(lx);
    if (started_with_zero && (peek(lx, 0) == 'x' || peek(lx, 0) == 'X')) {
        advance(lx);
        if (!is_hex(peek(lx, 0))) return lex_error(lx, t->pos, "\"0x\" must be followed by hex digits.");
        while (is_hex(peek(lx, 0))) advance(lx);
    } else if (started_with_zero && is_digit(peek(lx, 0))) {
        while (peek(lx, 0) >= '0' && peek(lx, 0) <= '7') advance(lx);
        if (is_digit(peek(lx, 0)))
            return lex_error(lx, t->pos, "Numbers starting with leading zero must be in octal.");
    } else {
        if (started_with_dot) {
            is_float = 1;
            while (is_digit(peek(lx, 0))) advance(lx);
        } else {
            while (is_digit(peek(lx, 0))) advance(lx);
            if (peek(lx, 0) == '.') {
                is_float = 1;
                advance(lx);
                while (is_digit(peek(lx, 0))) advance(lx);
            }
        }
        if (peek(lx, 0) == 'e' || peek(lx, 0) == 'E') {
            is_float = 1;
            advance(lx);
            if (peek(lx, 0) == '-' || peek(lx, 0) == '+') advance(lx);
            if (!is_digit(peek(lx, 0)))
                return lex_error(lx, t->pos, "\"e\" must be followed by exponent.");
            while (is_digit(peek(lx, 0))) advance(lx);
        }
    }
    if (is_letter(peek(lx, 0)))
        return lex_error(lx, here(lx), "Need space between number and identifier.");
    if (peek(lx, 0) == '.')
        return lex_error(lx, here(lx),
                         is_float ? "Already saw decimal point or exponent; can't have another one."
                                  : "Hex and octal numbers must be integers.");
    t->kind = is_float ? PB_TOK_FLOAT : PB_TOK_INT;
    return 0;
}

int pb_lex_next(pb_lexer *lx, pb_token *t)
{
    memset(t, 0, sizeof *t);
    if (skip_blank(lx)) return -1;
    t->pos = here(lx);
    t->offset = lx->at;
    t->text = lx->src + lx->at;
    int c = peek(lx, 0);
    int rc = 0;
    if (c < 0) {
        t->kind = PB_TOK_EOF;
        t->text = "";
        return 0;
    }
    if (is_letter(c)) {
        while (is_letter(peek(lx, 0)) || is_digit(peek(lx, 0))) advance(lx);
        t->kind = PB_TOK_IDENT;
    } else if (is_digit(c) || (c == '.' && is_digit(peek(lx, 1)))) {
        rc = lex_number(lx, t);
    } else if (c == '"' || c == '\'') {
        rc = lex_string(lx, t);
    } else if (c >= 0x80) {
        if (check_utf8(lx)) return -1;
        return lex_error(lx, t->pos, "Interpreting non ascii codepoint %d.", c);
    } else if (c < 0x20 || c == 0x7F) {
        return lex_error(lx, t->pos, "Invalid control characters encountered in text.");
    } else {
        advance(lx);
        t->kind = PB_TOK_SYMBOL;
    }
    if (rc) return -1;
    t->len = lx->at - t->offset;
    return 0;
}

#include "sr_error.h"

#include <stdio.h>

static void fill(sr_error *err, int http, int code, const char *fmt, va_list ap)
{
    err->http = http;
    err->code = code;
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
}

int sr_fail(sr_error *err, int http, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        fill(err, http, code, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int sr_invalid_schema(sr_error *err, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        fill(err, 422, SR_E_INVALID_SCHEMA, fmt, ap);
        va_end(ap);
    }
    return -1;
}

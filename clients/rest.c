#include "rest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "../common/strbuf.h"

struct rest_client {
    char *base;
    char *userpass;
    CURL *curl;
};

rest_client *rest_new(const char *base_url, const char *userpass)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    rest_client *c = xcalloc(1, sizeof *c);
    size_t n = strlen(base_url);
    while (n && base_url[n - 1] == '/') n--;
    c->base = xstrndup(base_url, n);
    c->userpass = userpass ? xstrdup(userpass) : NULL;
    c->curl = curl_easy_init();
    return c;
}

void rest_free(rest_client *c)
{
    if (!c) return;
    curl_easy_cleanup(c->curl);
    free(c->base);
    free(c->userpass);
    free(c);
    curl_global_cleanup();
}

const char *rest_base_url(const rest_client *c)
{
    return c->base;
}

static size_t on_data(char *p, size_t size, size_t n, void *userdata)
{
    strbuf_add(userdata, p, size * n);
    return size * n;
}

int rest_call(rest_client *c, const char *method, const char *path, json_t *body,
              rest_response *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    strbuf url = STRBUF_INIT, resp = STRBUF_INIT;
    strbuf_puts(&url, c->base);
    strbuf_puts(&url, path);
    char *payload = body ? json_dumps(body, JSON_COMPACT) : NULL;
    struct curl_slist *headers = NULL;
    headers = curl_slist_append(headers, "Content-Type: application/vnd.schemaregistry.v1+json");
    headers = curl_slist_append(headers, "Accept: application/vnd.schemaregistry.v1+json");

    CURL *h = c->curl;
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url.data);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &resp);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "schemareg-cli");
    curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L); /* the path is already escaped */
    if (c->userpass) {
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(h, CURLOPT_USERPWD, c->userpass);
    }
    if (payload) curl_easy_setopt(h, CURLOPT_POSTFIELDS, payload);
    CURLcode rc = curl_easy_perform(h);
    int ret = 0;
    if (rc != CURLE_OK) {
        snprintf(err, errlen, "cannot reach the registry at %s: %s", url.data,
                 curl_easy_strerror(rc));
        ret = -1;
        strbuf_free(&resp);
    } else {
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
        out->len = resp.len;
        out->body = strbuf_take(&resp);
        out->json = json_loadb(out->body, out->len, JSON_DECODE_ANY, NULL);
    }
    curl_slist_free_all(headers);
    free(payload);
    strbuf_free(&url);
    return ret;
}

void rest_response_free(rest_response *r)
{
    free(r->body);
    json_decref(r->json);
    memset(r, 0, sizeof *r);
}

char *rest_escape(const char *segment)
{
    /* "." and ".." would be dot segments, which URL resolution removes. */
    if (strcmp(segment, ".") == 0) return xstrdup("%2E");
    if (strcmp(segment, "..") == 0) return xstrdup("%2E%2E");
    strbuf sb = STRBUF_INIT;
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)segment; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == '~' || *p == ':') {
            strbuf_putc(&sb, (char)*p);
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            strbuf_add(&sb, e, 3);
        }
    }
    return strbuf_take(&sb);
}

const char *rest_error_text(const rest_response *r, char *buf, size_t len)
{
    json_t *code = r->json ? json_object_get(r->json, "error_code") : NULL;
    json_t *msg = r->json ? json_object_get(r->json, "message") : NULL;
    if (json_is_integer(code))
        snprintf(buf, len, "error %lld: %s", (long long)json_integer_value(code),
                 json_is_string(msg) ? json_string_value(msg) : "(no message)");
    else snprintf(buf, len, "HTTP %ld: %.200s", r->status, r->body ? r->body : "");
    return buf;
}

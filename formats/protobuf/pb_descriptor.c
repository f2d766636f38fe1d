/*
 * The model <-> google.protobuf.FileDescriptorProto (protobuf-c bindings).
 *
 * pb_to_descriptor writes what protoc 3.21's --descriptor_set_out writes for a
 * file (FileDescriptor::CopyTo + CopyJsonNameTo): fully-qualified type names
 * with a leading dot, LABEL_OPTIONAL for proto3 implicit fields and oneof
 * members, map fields as repeated entries, default values in protoc's format
 * (integers in decimal, floats through SimpleDtoa, bytes C-escaped), synthetic
 * oneofs for proto3 `optional` after the real ones, end-exclusive message
 * ranges, end-inclusive enum ranges, json_name on every field, syntax only
 * for proto3. Standard options are set field by field (through protobuf-c's
 * reflection, so every option of descriptor.proto 3.21 works); custom options
 * are not interpreted: their options message is present but empty (protoc
 * would carry them as extensions).
 *
 * pb_from_descriptor is the inverse, for schemas registered as a base64
 * FileDescriptorProto: it yields the unresolved model (type names as in the
 * descriptor, labels as a .proto would have written them, maps and groups
 * recognised, synthetic oneofs dropped); pb_resolve then checks it as it
 * checks parsed text.
 */
#include "pb_internal.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef Google__Protobuf__FileDescriptorProto FileDP;
typedef Google__Protobuf__DescriptorProto MsgDP;
typedef Google__Protobuf__FieldDescriptorProto FieldDP;
typedef Google__Protobuf__OneofDescriptorProto OneofDP;
typedef Google__Protobuf__EnumDescriptorProto EnumDP;
typedef Google__Protobuf__EnumValueDescriptorProto ValueDP;
typedef Google__Protobuf__ServiceDescriptorProto ServiceDP;
typedef Google__Protobuf__MethodDescriptorProto MethodDP;

#define CTOR(fn, T, INIT)                                                        \
    static T *fn(arena *a)                                                    \
    {                                                                            \
        static const T init = INIT;                                              \
        T *p = arena_alloc(a, sizeof *p);                                     \
        *p = init;                                                               \
        return p;                                                                \
    }

CTOR(new_file, FileDP, GOOGLE__PROTOBUF__FILE_DESCRIPTOR_PROTO__INIT)
CTOR(new_msg, MsgDP, GOOGLE__PROTOBUF__DESCRIPTOR_PROTO__INIT)
CTOR(new_field, FieldDP, GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__INIT)
CTOR(new_oneof, OneofDP, GOOGLE__PROTOBUF__ONEOF_DESCRIPTOR_PROTO__INIT)
CTOR(new_enum, EnumDP, GOOGLE__PROTOBUF__ENUM_DESCRIPTOR_PROTO__INIT)
CTOR(new_value, ValueDP, GOOGLE__PROTOBUF__ENUM_VALUE_DESCRIPTOR_PROTO__INIT)
CTOR(new_service, ServiceDP, GOOGLE__PROTOBUF__SERVICE_DESCRIPTOR_PROTO__INIT)
CTOR(new_method, MethodDP, GOOGLE__PROTOBUF__METHOD_DESCRIPTOR_PROTO__INIT)
CTOR(new_ext_range, Google__Protobuf__DescriptorProto__ExtensionRange,
     GOOGLE__PROTOBUF__DESCRIPTOR_PROTO__EXTENSION_RANGE__INIT)
CTOR(new_res_range, Google__Protobuf__DescriptorProto__ReservedRange,
     GOOGLE__PROTOBUF__DESCRIPTOR_PROTO__RESERVED_RANGE__INIT)
CTOR(new_enum_range, Google__Protobuf__EnumDescriptorProto__EnumReservedRange,
     GOOGLE__PROTOBUF__ENUM_DESCRIPTOR_PROTO__ENUM_RESERVED_RANGE__INIT)
CTOR(new_file_opts, Google__Protobuf__FileOptions, GOOGLE__PROTOBUF__FILE_OPTIONS__INIT)
CTOR(new_msg_opts, Google__Protobuf__MessageOptions, GOOGLE__PROTOBUF__MESSAGE_OPTIONS__INIT)
CTOR(new_field_opts, Google__Protobuf__FieldOptions, GOOGLE__PROTOBUF__FIELD_OPTIONS__INIT)
CTOR(new_oneof_opts, Google__Protobuf__OneofOptions, GOOGLE__PROTOBUF__ONEOF_OPTIONS__INIT)
CTOR(new_enum_opts, Google__Protobuf__EnumOptions, GOOGLE__PROTOBUF__ENUM_OPTIONS__INIT)
CTOR(new_value_opts, Google__Protobuf__EnumValueOptions, GOOGLE__PROTOBUF__ENUM_VALUE_OPTIONS__INIT)
CTOR(new_service_opts, Google__Protobuf__ServiceOptions, GOOGLE__PROTOBUF__SERVICE_OPTIONS__INIT)
CTOR(new_method_opts, Google__Protobuf__MethodOptions, GOOGLE__PROTOBUF__METHOD_OPTIONS__INIT)
CTOR(new_xr_opts, Google__Protobuf__ExtensionRangeOptions,
     GOOGLE__PROTOBUF__EXTENSION_RANGE_OPTIONS__INIT)

/* ------------------------------------------------------------------------ */
/* options, through protobuf-c reflection                                    */

static int is_option(const pb_option *o)
{
    return strcmp(o->name, "default") != 0 && strcmp(o->name, "json_name") != 0;
}

/* Sets the standard option o in msg (an XxxOptions message); custom and
 * unknown options are skipped. */
static void set_option(ProtobufCMessage *msg, const pb_option *o)
{
    if (o->name[0] == '(' || strchr(o->name, '.')) return;
    const ProtobufCFieldDescriptor *fd =
        protobuf_c_message_descriptor_get_field_by_name(msg->descriptor, o->name);
    if (!fd || fd->label == PROTOBUF_C_LABEL_REPEATED) return;
    char *base = (char *)msg;
    const pb_value *v = &o->value;
    switch (fd->type) {
    case PROTOBUF_C_TYPE_BOOL:
        if (v->kind != PB_VALUE_IDENT) return;
        *(protobuf_c_boolean *)(base + fd->offset) = strcmp(v->text, "true") == 0;
        break;
    case PROTOBUF_C_TYPE_ENUM: {
        if (v->kind != PB_VALUE_IDENT) return;
        const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value_by_name(
            (const ProtobufCEnumDescriptor *)fd->descriptor, v->text);
        if (!ev) return;
        *(int *)(base + fd->offset) = ev->value;
        break;
    }
    case PROTOBUF_C_TYPE_STRING:
        if (v->kind != PB_VALUE_STRING) return;
        *(char **)(base + fd->offset) = v->text;
        break;
    case PROTOBUF_C_TYPE_INT32: {
        if (v->kind != PB_VALUE_INT) return;
        *(int32_t *)(base + fd->offset) = (int32_t)strtoll(v->text, NULL, 0);
        break;
    }
    default:
        return;
    }
    if (fd->quantifier_offset) *(protobuf_c_boolean *)(base + fd->quantifier_offset) = 1;
}

/* The options message for opts, or NULL when nothing was written. */
static void *options_msg(arena *a, const pb_options *opts, void *(*ctor)(arena *))
{
    int any = 0;
    for (size_t i = 0; i < opts->n; i++) any |= is_option(&opts->items[i]);
    if (!any) return NULL;
    ProtobufCMessage *m = ctor(a);
    for (size_t i = 0; i < opts->n; i++)
        if (is_option(&opts->items[i])) set_option(m, &opts->items[i]);
    return m;
}

#define OPTS(a, opts, ctor) options_msg((a), (opts), (void *(*)(arena *))(ctor))

/* ------------------------------------------------------------------------ */
/* default values in protoc's format                                         */

/* protoc's SimpleDtoa */
static void simple_dtoa(double v, char *out, size_t n)
{
    if (isinf(v)) {
        snprintf(out, n, v > 0 ? "inf" : "-inf");
        return;
    }
    if (isnan(v)) {
        snprintf(out, n, "nan");
        return;
    }
    snprintf(out, n, "%.*g", DBL_DIG, v);
    if (strtod(out, NULL) != v) snprintf(out, n, "%.*g", DBL_DIG + 2, v);
}

/* protoc's SimpleFtoa of the double converted to float (IEEE rounding:
 * values up to FLT_MAX + half an ulp round to FLT_MAX, beyond that to inf) */
static void simple_ftoa(double d, char *out, size_t n)
{
    float f;
    if (isnan(d)) f = NAN;
    else if (fabs(d) >= 0x1.ffffffp+127) f = d > 0 ? INFINITY : -INFINITY;
    else if (fabs(d) > FLT_MAX) f = d > 0 ? FLT_MAX : -FLT_MAX;
    else f = (float)d;
    if (isinf(f)) {
        snprintf(out, n, f > 0 ? "inf" : "-inf");
        return;
    }
    if (isnan(f)) {
        snprintf(out, n, "nan");
        return;
    }
    snprintf(out, n, "%.*g", FLT_DIG, (double)f);
    if (strtof(out, NULL) != f) snprintf(out, n, "%.*g", FLT_DIG + 3, (double)f);
}

/* "-0x1F" -> sign and magnitude */
static uint64_t parse_magnitude(const char *text, int *neg)
{
    *neg = text[0] == '-';
    const char *s = text + *neg;
    int base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) base = 16, s += 2;
    else if (s[0] == '0' && s[1]) base = 8, s += 1;
    return strtoull(s, NULL, base);
}

static char *c_escape(arena *a, const char *s, size_t len)
{
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '\n': strbuf_puts(&sb, "\\n"); break;
        case '\r': strbuf_puts(&sb, "\\r"); break;
        case '\t': strbuf_puts(&sb, "\\t"); break;
        case '"': strbuf_puts(&sb, "\\\""); break;
        case '\'': strbuf_puts(&sb, "\\'"); break;
        case '\\': strbuf_puts(&sb, "\\\\"); break;
        default:
            if (c < 0x20 || c >= 0x7F) strbuf_printf(&sb, "\\%03o", c);
            else strbuf_putc(&sb, (char)c);
        }
    }
    char *out = arena_strndup(a, sb.data ? sb.data : "", sb.len);
    strbuf_free(&sb);
    return out;
}

static char *default_value(arena *a, const pb_field *f, const pb_value *v)
{
    char buf[64];
    int neg;
    switch (f->type) {
    case PB_TYPE_INT32:
    case PB_TYPE_SINT32:
    case PB_TYPE_SFIXED32:
    case PB_TYPE_INT64:
    case PB_TYPE_SINT64:
    case PB_TYPE_SFIXED64:
    case PB_TYPE_UINT32:
    case PB_TYPE_FIXED32:
    case PB_TYPE_UINT64:
    case PB_TYPE_FIXED64: {
        uint64_t m = parse_magnitude(v->text, &neg);
        return arena_printf(a, "%s%" PRIu64, neg && m ? "-" : "", m);
    }
    case PB_TYPE_FLOAT:
    case PB_TYPE_DOUBLE: {
        /* the parser's text, then descriptor.cc's strtod and DefaultValueAsString */
        const char *t = v->text;
        neg = t[0] == '-';
        t += neg;
        double d;
        if (strcmp(t, "inf") == 0) d = INFINITY;
        else if (strcmp(t, "nan") == 0) d = NAN;
        else if (v->kind == PB_VALUE_INT) d = (double)parse_magnitude(t, &(int){0});
        else d = strtod(t, NULL);
        if (neg) d = -d;
        if (f->type == PB_TYPE_DOUBLE) simple_dtoa(d, buf, sizeof buf);
        else simple_ftoa(d, buf, sizeof buf);
        return arena_strdup(a, buf);
    }
    case PB_TYPE_BYTES:
        return c_escape(a, v->text, v->len);
    default:
        return v->text;
    }
}

/* ------------------------------------------------------------------------ */
/* model -> descriptor                                                       */

static Google__Protobuf__FieldDescriptorProto__Label label_of(const pb_field *f)
{
    if (f->is_map || f->label == PB_LABEL_REPEATED) return GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__LABEL__LABEL_REPEATED;
    if (f->label == PB_LABEL_REQUIRED) return GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__LABEL__LABEL_REQUIRED;
    return GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__LABEL__LABEL_OPTIONAL;
}

static FieldDP *field_to(arena *a, const pb_field *f)
{
    FieldDP *d = new_field(a);
    d->name = f->name;
    d->has_number = 1;
    d->number = f->number;
    d->has_label = 1;
    d->label = label_of(f);
    d->has_type = 1;
    d->type = (Google__Protobuf__FieldDescriptorProto__Type)(f->type ? f->type : PB_TYPE_MESSAGE);
    if (f->type == PB_TYPE_MESSAGE || f->type == PB_TYPE_ENUM || f->type == PB_TYPE_GROUP ||
        f->type == PB_TYPE_UNRESOLVED)
        d->type_name = f->resolved ? f->resolved : f->type_name;
    d->extendee = f->extendee;
    const pb_option *def = pb_find_option(&f->options, "default");
    if (def) d->default_value = default_value(a, f, &def->value);
    const pb_option *json = pb_find_option(&f->options, "json_name");
    d->json_name = json ? json->value.text : pb_json_name(a, f->name);
    if (f->oneof >= 0) {
        d->has_oneof_index = 1;
        d->oneof_index = f->oneof;
    }
    if (f->proto3_optional) {
        d->has_proto3_optional = 1;
        d->proto3_optional = 1;
    }
    d->options = OPTS(a, &f->options, new_field_opts);
    return d;
}

static void ranges_to(arena *a, MsgDP *d, const pb_message *m)
{
    int message_set = 0;
    const pb_option *ms = pb_find_option(&m->options, "message_set_wire_format");
    message_set = ms && ms->value.kind == PB_VALUE_IDENT && strcmp(ms->value.text, "true") == 0;
    size_t n = 0;
    for (size_t i = 0; i < m->n_extension_ranges; i++) n += m->extension_ranges[i].n_ranges;
    d->extension_range = arena_alloc(a, (n + 1) * sizeof *d->extension_range);
    for (size_t i = 0; i < m->n_extension_ranges; i++) {
        const pb_extension_range *x = &m->extension_ranges[i];
        for (size_t j = 0; j < x->n_ranges; j++) {
            Google__Protobuf__DescriptorProto__ExtensionRange *r = new_ext_range(a);
            r->has_start = r->has_end = 1;
            r->start = x->ranges[j].start;
            r->end = x->ranges[j].end_is_max ? (message_set ? INT32_MAX : PB_MAX_FIELD_NUMBER + 1)
                                             : x->ranges[j].end + 1;
            r->options = OPTS(a, &x->options, new_xr_opts);
            d->extension_range[d->n_extension_range++] = r;
        }
    }
    n = 0;
    size_t names = 0;
    for (size_t i = 0; i < m->n_reserved; i++) {
        n += m->reserved[i].n_ranges;
        names += m->reserved[i].n_names;
    }
    d->reserved_range = arena_alloc(a, (n + 1) * sizeof *d->reserved_range);
    d->reserved_name = arena_alloc(a, (names + 1) * sizeof(char *));
    for (size_t i = 0; i < m->n_reserved; i++) {
        const pb_reserved *rs = &m->reserved[i];
        for (size_t j = 0; j < rs->n_ranges; j++) {
            Google__Protobuf__DescriptorProto__ReservedRange *r = new_res_range(a);
            r->has_start = r->has_end = 1;
            r->start = rs->ranges[j].start;
            r->end = rs->ranges[j].end_is_max ? (message_set ? INT32_MAX : PB_MAX_FIELD_NUMBER + 1)
                                              : rs->ranges[j].end + 1;
            d->reserved_range[d->n_reserved_range++] = r;
        }
        for (size_t j = 0; j < rs->n_names; j++) d->reserved_name[d->n_reserved_name++] = rs->names[j];
    }
}

static EnumDP *enum_to(arena *a, const pb_enum *e)
{
    EnumDP *d = new_enum(a);
    d->name = e->name;
    d->value = arena_alloc(a, (e->n_values + 1) * sizeof *d->value);
    for (size_t i = 0; i < e->n_values; i++) {
        ValueDP *v = new_value(a);
        v->name = e->values[i].name;
        v->has_number = 1;
        v->number = e->values[i].number;
        v->options = OPTS(a, &e->values[i].options, new_value_opts);
        d->value[d->n_value++] = v;
    }
    d->options = OPTS(a, &e->options, new_enum_opts);
    size_t n = 0, names = 0;
    for (size_t i = 0; i < e->n_reserved; i++) {
        n += e->reserved[i].n_ranges;
        names += e->reserved[i].n_names;
    }
    d->reserved_range = arena_alloc(a, (n + 1) * sizeof *d->reserved_range);
    d->reserved_name = arena_alloc(a, (names + 1) * sizeof(char *));
    for (size_t i = 0; i < e->n_reserved; i++) {
        const pb_reserved *rs = &e->reserved[i];
        for (size_t j = 0; j < rs->n_ranges; j++) {
            Google__Protobuf__EnumDescriptorProto__EnumReservedRange *r = new_enum_range(a);
            r->has_start = r->has_end = 1;
            r->start = rs->ranges[j].start;
            r->end = rs->ranges[j].end;
            d->reserved_range[d->n_reserved_range++] = r;
        }
        for (size_t j = 0; j < rs->n_names; j++) d->reserved_name[d->n_reserved_name++] = rs->names[j];
    }
    return d;
}

static size_t count_ext(const pb_extend *xs, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += xs[i].n_fields;
    return k;
}

/* protoc's synthetic oneof name for a proto3 optional field */
static char *synthetic_oneof_name(arena *a, const MsgDP *d, const char *field)
{
    char *name = field[0] == '_' ? arena_strdup(a, field) : arena_printf(a, "_%s", field);
    for (;;) {
        int clash = 0;
        for (size_t i = 0; i < d->n_field && !clash; i++) clash = strcmp(d->field[i]->name, name) == 0;
        for (size_t i = 0; i < d->n_oneof_decl && !clash; i++)
            clash = strcmp(d->oneof_decl[i]->name, name) == 0;
        if (!clash) return name;
        name = arena_printf(a, "X%s", name);
    }
}

static MsgDP *message_to(arena *a, const pb_message *m)
{
    MsgDP *d = new_msg(a);
    d->name = m->name;
    d->field = arena_alloc(a, (m->n_fields + 1) * sizeof *d->field);
    for (size_t i = 0; i < m->n_fields; i++) d->field[d->n_field++] = field_to(a, &m->fields[i]);
    d->nested_type = arena_alloc(a, (m->n_messages + 1) * sizeof *d->nested_type);
    for (size_t i = 0; i < m->n_messages; i++)
        d->nested_type[d->n_nested_type++] = message_to(a, m->messages[i]);
    d->enum_type = arena_alloc(a, (m->n_enums + 1) * sizeof *d->enum_type);
    for (size_t i = 0; i < m->n_enums; i++) d->enum_type[d->n_enum_type++] = enum_to(a, m->enums[i]);
    d->extension = arena_alloc(a, (count_ext(m->extends, m->n_extends) + 1) * sizeof *d->extension);
    for (size_t i = 0; i < m->n_extends; i++)
        for (size_t j = 0; j < m->extends[i].n_fields; j++)
            d->extension[d->n_extension++] = field_to(a, &m->extends[i].fields[j]);
    size_t n_synth = 0;
    for (size_t i = 0; i < m->n_fields; i++) n_synth += m->fields[i].proto3_optional != 0;
    d->oneof_decl = arena_alloc(a, (m->n_oneofs + n_synth + 1) * sizeof *d->oneof_decl);
    for (size_t i = 0; i < m->n_oneofs; i++) {
        OneofDP *o = new_oneof(a);
        o->name = m->oneofs[i].name;
        o->options = OPTS(a, &m->oneofs[i].options, new_oneof_opts);
        d->oneof_decl[d->n_oneof_decl++] = o;
    }
    for (size_t i = 0; i < m->n_fields; i++) {
        if (!m->fields[i].proto3_optional) continue;
        OneofDP *o = new_oneof(a);
        o->name = synthetic_oneof_name(a, d, m->fields[i].name);
        d->field[i]->has_oneof_index = 1;
        d->field[i]->oneof_index = (int32_t)d->n_oneof_decl;
        d->oneof_decl[d->n_oneof_decl++] = o;
    }
    ranges_to(a, d, m);
    d->options = OPTS(a, &m->options, new_msg_opts);
    if (m->is_map_entry) {
        if (!d->options) d->options = new_msg_opts(a);
        d->options->has_map_entry = 1;
        d->options->map_entry = 1;
    }
    return d;
}

Google__Protobuf__FileDescriptorProto *pb_to_descriptor(const pb_file *f, arena *a)
{
    FileDP *d = new_file(a);
    d->name = f->name;
    d->package = f->package;
    d->dependency = arena_alloc(a, (f->n_imports + 1) * sizeof(char *));
    d->public_dependency = arena_alloc(a, (f->n_imports + 1) * sizeof(int32_t));
    d->weak_dependency = arena_alloc(a, (f->n_imports + 1) * sizeof(int32_t));
    for (size_t i = 0; i < f->n_imports; i++) {
        if (f->imports[i].is_public) d->public_dependency[d->n_public_dependency++] = (int32_t)i;
        if (f->imports[i].is_weak) d->weak_dependency[d->n_weak_dependency++] = (int32_t)i;
        d->dependency[d->n_dependency++] = f->imports[i].path;
    }
    d->message_type = arena_alloc(a, (f->n_messages + 1) * sizeof *d->message_type);
    for (size_t i = 0; i < f->n_messages; i++)
        d->message_type[d->n_message_type++] = message_to(a, f->messages[i]);
    d->enum_type = arena_alloc(a, (f->n_enums + 1) * sizeof *d->enum_type);
    for (size_t i = 0; i < f->n_enums; i++) d->enum_type[d->n_enum_type++] = enum_to(a, f->enums[i]);
    d->service = arena_alloc(a, (f->n_services + 1) * sizeof *d->service);
    for (size_t i = 0; i < f->n_services; i++) {
        const pb_service *s = &f->services[i];
        ServiceDP *sd = new_service(a);
        sd->name = s->name;
        sd->method = arena_alloc(a, (s->n_methods + 1) * sizeof *sd->method);
        for (size_t j = 0; j < s->n_methods; j++) {
            const pb_method *m = &s->methods[j];
            MethodDP *md = new_method(a);
            md->name = m->name;
            md->input_type = m->input_resolved ? m->input_resolved : m->input_type;
            md->output_type = m->output_resolved ? m->output_resolved : m->output_type;
            md->options = OPTS(a, &m->options, new_method_opts);
            if (m->client_streaming) md->has_client_streaming = md->client_streaming = 1;
            if (m->server_streaming) md->has_server_streaming = md->server_streaming = 1;
            sd->method[sd->n_method++] = md;
        }
        sd->options = OPTS(a, &s->options, new_service_opts);
        d->service[d->n_service++] = sd;
    }
    d->extension = arena_alloc(a, (count_ext(f->extends, f->n_extends) + 1) * sizeof *d->extension);
    for (size_t i = 0; i < f->n_extends; i++)
        for (size_t j = 0; j < f->extends[i].n_fields; j++)
            d->extension[d->n_extension++] = field_to(a, &f->extends[i].fields[j]);
    d->options = OPTS(a, &f->options, new_file_opts);
    if (f->syntax && strcmp(f->syntax, "proto3") == 0) d->syntax = "proto3";
    return d;
}

unsigned char *pb_descriptor_pack(const pb_file *f, size_t *len)
{
    arena *a = arena_new();
    FileDP *d = pb_to_descriptor(f, a);
    size_t n = protobuf_c_message_get_packed_size(&d->base);
    unsigned char *out = xmalloc(n + 1);
    protobuf_c_message_pack(&d->base, out);
    arena_free(a);
    *len = n;
    return out;
}

/* ------------------------------------------------------------------------ */
/* base64                                                                    */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *pb_base64_encode(const unsigned char *data, size_t len)
{
    char *out = xmalloc(4 * ((len + 2) / 3) + 1);
    size_t j = 0;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)data[i] << 16;
        if (i + 1 < len) v |= (unsigned)data[i + 1] << 8;
        if (i + 2 < len) v |= data[i + 2];
        out[j++] = b64[(v >> 18) & 63];
        out[j++] = b64[(v >> 12) & 63];
        out[j++] = i + 1 < len ? b64[(v >> 6) & 63] : '=';
        out[j++] = i + 2 < len ? b64[v & 63] : '=';
    }
    out[j] = '\0';
    return out;
}

static int b64_val(int c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

/* Java's Base64.getDecoder(): the basic alphabet, no whitespace, padding
 * optional at the end. Returns malloc'd bytes or NULL. */
static unsigned char *b64_decode(const char *s, size_t len, size_t *out_len)
{
    size_t n = len;
    while (n > 0 && s[n - 1] == '=') n--;
    if (len - n > 2 || n % 4 == 1) return NULL;
    if (len != n && len % 4 != 0) return NULL;
    unsigned char *out = xmalloc(n * 3 / 4 + 3);
    size_t j = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int v = b64_val((unsigned char)s[i]);
        if (v < 0) {
            free(out);
            return NULL;
        }
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[j++] = (unsigned char)((acc >> bits) & 0xFF);
        }
    }
    *out_len = j;
    return out;
}

/* ------------------------------------------------------------------------ */
/* descriptor -> model                                                       */

typedef struct conv {
    arena *a;
    sr_error *err;
    int proto3;
} conv;

static const pb_pos no_pos = {1, 1};

static int bad(conv *c, const char *fmt, const char *what)
{
    sr_invalid_schema(c->err, fmt, what ? what : "");
    return -1;
}

static int valid_ident(const char *s)
{
    if (!s || !*s) return 0;
    if (!(isalpha((unsigned char)*s) || *s == '_')) return 0;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_')) return 0;
    return 1;
}

static int valid_dotted(const char *s, int leading_dot_ok)
{
    if (!s || !*s) return 0;
    if (*s == '.' && leading_dot_ok) s++;
    for (;;) {
        const char *dot = strchr(s, '.');
        size_t n = dot ? (size_t)(dot - s) : strlen(s);
        if (n == 0) return 0;
        if (!(isalpha((unsigned char)*s) || *s == '_')) return 0;
        for (size_t i = 0; i < n; i++)
            if (!(isalnum((unsigned char)s[i]) || s[i] == '_')) return 0;
        if (!dot) return 1;
        s = dot + 1;
    }
}

static char *dup(conv *c, const char *s)
{
    return arena_strdup(c->a, s);
}

/* Options set in an XxxOptions message -> pb_options (standard ones only). */
static void options_from(conv *c, const ProtobufCMessage *msg, pb_options *out)
{
    if (!msg) return;
    const ProtobufCMessageDescriptor *d = msg->descriptor;
    const char *base = (const char *)msg;
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *fd = &d->fields[i];
        if (fd->label == PROTOBUF_C_LABEL_REPEATED) continue;
        if (fd->quantifier_offset && !*(const protobuf_c_boolean *)(base + fd->quantifier_offset))
            continue;
        pb_option o = {0};
        o.name = (char *)fd->name;
        o.pos = no_pos;
        switch (fd->type) {
        case PROTOBUF_C_TYPE_BOOL:
            o.value.kind = PB_VALUE_IDENT;
            o.value.text = *(const protobuf_c_boolean *)(base + fd->offset) ? "true" : "false";
            break;
        case PROTOBUF_C_TYPE_ENUM: {
            const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(
                (const ProtobufCEnumDescriptor *)fd->descriptor, *(const int *)(base + fd->offset));
            if (!ev) continue;
            o.value.kind = PB_VALUE_IDENT;
            o.value.text = (char *)ev->name;
            break;
        }
        case PROTOBUF_C_TYPE_STRING: {
            const char *s = *(char *const *)(base + fd->offset);
            if (!s || s == fd->default_value) continue;
            o.value.kind = PB_VALUE_STRING;
            o.value.text = dup(c, s);
            break;
        }
        case PROTOBUF_C_TYPE_INT32:
            o.value.kind = PB_VALUE_INT;
            o.value.text = arena_printf(c->a, "%d", *(const int32_t *)(base + fd->offset));
            break;
        default:
            continue;
        }
        o.value.len = strlen(o.value.text);
        out->items = arena_grow(c->a, out->items, out->n, sizeof *out->items);
        out->items[out->n++] = o;
    }
}

static void add_decl(conv *c, pb_decl **decls, size_t *n, pb_decl_kind kind, size_t index)
{
    *decls = arena_grow(c->a, *decls, *n, sizeof **decls);
    (*decls)[(*n)++] = (pb_decl){kind, index};
}

static const char *scalar_name(int type)
{
    static const char *const names[] = {NULL,      "double",   "float",   "int64",  "uint64",
                                        "int32",   "fixed64",  "fixed32", "bool",   "string",
                                        "group",   NULL,       "bytes",   "uint32", NULL,
                                        "sfixed32", "sfixed64", "sint32", "sint64"};
    return type > 0 && type <= 18 ? names[type] : NULL;
}

/* the last component of a dotted name */
static const char *last_part(const char *s)
{
    const char *dot = strrchr(s, '.');
    return dot ? dot + 1 : s;
}

static int field_from(conv *c, const FieldDP *d, pb_field *f, int is_oneof_member)
{
    memset(f, 0, sizeof *f);
    f->pos = no_pos;
    f->oneof = -1;
    if (!valid_ident(d->name)) return bad(c, "invalid field name \"%s\" in the descriptor", d->name);
    f->name = dup(c, d->name);
    f->number = d->number;
    if (d->has_type) {
        if (d->type < 1 || d->type > 18) return bad(c, "invalid type of field \"%s\" in the descriptor", d->name);
        f->type = (pb_type)d->type;
    }
    if (d->type_name) {
        if (!valid_dotted(d->type_name, 1))
            return bad(c, "invalid type name \"%s\" in the descriptor", d->type_name);
        f->type_name = dup(c, d->type_name);
        if (f->type != PB_TYPE_MESSAGE && f->type != PB_TYPE_ENUM && f->type != PB_TYPE_GROUP &&
            f->type != PB_TYPE_UNRESOLVED)
            return bad(c, "field \"%s\" has a primitive type and a type_name", d->name);
    } else {
        const char *s = scalar_name(f->type);
        if (!s || f->type == PB_TYPE_GROUP)
            return bad(c, "field \"%s\" has no type in the descriptor", d->name);
        f->type_name = (char *)s;
    }
    switch (d->has_label ? d->label : GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__LABEL__LABEL_OPTIONAL) {
    case GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__LABEL__LABEL_REQUIRED:
        f->label = PB_LABEL_REQUIRED;
        break;
    case GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__LABEL__LABEL_REPEATED:
        f->label = PB_LABEL_REPEATED;
        break;
    default:
        if (d->proto3_optional) {
            f->label = PB_LABEL_OPTIONAL;
            f->proto3_optional = 1;
        } else {
            f->label = (c->proto3 || is_oneof_member) ? PB_LABEL_NONE : PB_LABEL_OPTIONAL;
        }
    }
    if (d->default_value) {
        pb_option o = {0};
        o.name = "default";
        o.pos = no_pos;
        switch (f->type) {
        case PB_TYPE_STRING:
            o.value.kind = PB_VALUE_STRING;
            o.value.text = dup(c, d->default_value);
            break;
        case PB_TYPE_BYTES: {
            /* C-escaped in the descriptor: decode with the lexer */
            pb_lexer lx;
            pb_token t;
            char *quoted = arena_printf(c->a, "\"%s\"", d->default_value);
            pb_lex_init(&lx, quoted, strlen(quoted), c->a, NULL, c->err);
            if (pb_lex_next(&lx, &t) || t.kind != PB_TOK_STRING)
                return bad(c, "invalid bytes default of field \"%s\" in the descriptor", d->name);
            o.value.kind = PB_VALUE_STRING;
            o.value.text = t.str;
            o.value.len = t.str_len;
            break;
        }
        case PB_TYPE_FLOAT:
        case PB_TYPE_DOUBLE:
            o.value.kind = strchr(d->default_value, 'n') ? (d->default_value[0] == '-' ? PB_VALUE_FLOAT : PB_VALUE_IDENT)
                                                          : PB_VALUE_FLOAT;
            o.value.text = dup(c, d->default_value);
            break;
        case PB_TYPE_BOOL:
        case PB_TYPE_ENUM:
        case PB_TYPE_UNRESOLVED:
            o.value.kind = PB_VALUE_IDENT;
            o.value.text = dup(c, d->default_value);
            break;
        default:
            o.value.kind = PB_VALUE_INT;
            o.value.text = dup(c, d->default_value);
        }
        if (!o.value.len) o.value.len = strlen(o.value.text);
        f->options.items = arena_grow(c->a, f->options.items, f->options.n, sizeof(pb_option));
        f->options.items[f->options.n++] = o;
    }
    if (d->json_name && strcmp(d->json_name, pb_json_name(c->a, d->name)) != 0) {
        pb_option o = {0};
        o.name = "json_name";
        o.pos = no_pos;
        o.value.kind = PB_VALUE_STRING;
        o.value.text = dup(c, d->json_name);
        o.value.len = strlen(o.value.text);
        f->options.items = arena_grow(c->a, f->options.items, f->options.n, sizeof(pb_option));
        f->options.items[f->options.n++] = o;
    }
    if (d->options) options_from(c, &d->options->base, &f->options);
    return 0;
}

static int enum_from(conv *c, const EnumDP *d, pb_enum **out)
{
    pb_enum *e = arena_alloc(c->a, sizeof *e);
    e->pos = no_pos;
    if (!valid_ident(d->name)) return bad(c, "invalid enum name \"%s\" in the descriptor", d->name);
    e->name = dup(c, d->name);
    e->values = arena_alloc(c->a, (d->n_value + 1) * sizeof *e->values);
    for (size_t i = 0; i < d->n_value; i++) {
        pb_enum_value *v = &e->values[e->n_values++];
        if (!valid_ident(d->value[i]->name))
            return bad(c, "invalid enum value name \"%s\" in the descriptor", d->value[i]->name);
        v->name = dup(c, d->value[i]->name);
        v->number = d->value[i]->number;
        v->pos = no_pos;
        if (d->value[i]->options) options_from(c, &d->value[i]->options->base, &v->options);
    }
    if (d->options) options_from(c, &d->options->base, &e->options);
    if (d->n_reserved_range || d->n_reserved_name) {
        size_t k = (d->n_reserved_range ? 1 : 0) + (d->n_reserved_name ? 1 : 0);
        e->reserved = arena_alloc(c->a, k * sizeof *e->reserved);
        if (d->n_reserved_range) {
            pb_reserved *r = &e->reserved[e->n_reserved++];
            r->pos = no_pos;
            r->ranges = arena_alloc(c->a, d->n_reserved_range * sizeof *r->ranges);
            for (size_t i = 0; i < d->n_reserved_range; i++) {
                pb_range *g = &r->ranges[r->n_ranges++];
                g->start = d->reserved_range[i]->start;
                g->end = d->reserved_range[i]->end;
                g->end_is_max = g->end == INT_MAX;
            }
        }
        if (d->n_reserved_name) {
            pb_reserved *r = &e->reserved[e->n_reserved++];
            r->pos = no_pos;
            r->names = arena_alloc(c->a, d->n_reserved_name * sizeof(char *));
            for (size_t i = 0; i < d->n_reserved_name; i++)
                r->names[r->n_names++] = dup(c, d->reserved_name[i]);
        }
    }
    *out = e;
    return 0;
}

static int extends_from(conv *c, FieldDP *const *xs, size_t n, pb_extend **out, size_t *n_out,
                        pb_decl **decls, size_t *n_decls)
{
    for (size_t i = 0; i < n; i++) {
        const FieldDP *d = xs[i];
        if (!d->extendee || !valid_dotted(d->extendee, 1))
            return bad(c, "extension \"%s\" without a valid extendee in the descriptor", d->name);
        if (*n_out == 0 || strcmp((*out)[*n_out - 1].extendee, d->extendee) != 0) {
            *out = arena_grow(c->a, *out, *n_out, sizeof **out);
            pb_extend *x = &(*out)[(*n_out)++];
            memset(x, 0, sizeof *x);
            x->extendee = dup(c, d->extendee);
            x->pos = no_pos;
            add_decl(c, decls, n_decls, PB_DECL_EXTEND, *n_out - 1);
        }
        pb_extend *x = &(*out)[*n_out - 1];
        pb_field f;
        if (field_from(c, d, &f, 0)) return -1;
        x->fields = arena_grow(c->a, x->fields, x->n_fields, sizeof f);
        x->fields[x->n_fields++] = f;
    }
    return 0;
}

static int message_from(conv *c, const MsgDP *d, pb_message **out, int depth);

/* Links group fields and map fields of d to their nested messages. */
static void link_nested(conv *c, pb_field *fields, size_t n, pb_message **msgs, size_t n_msgs)
{
    for (size_t i = 0; i < n; i++) {
        pb_field *f = &fields[i];
        if (f->type != PB_TYPE_GROUP && !(f->type == PB_TYPE_MESSAGE && f->label == PB_LABEL_REPEATED))
            continue;
        if (!f->type_name || f->type_name == scalar_name(f->type)) continue;
        const char *want = last_part(f->type_name);
        for (size_t j = 0; j < n_msgs; j++) {
            pb_message *m = msgs[j];
            if (strcmp(m->name, want) != 0) continue;
            if (f->type == PB_TYPE_GROUP) {
                m->is_group = 1;
                f->message = m;
                f->type_name = m->name;
            } else if (m->is_map_entry && m->n_fields == 2) {
                f->is_map = 1;
                f->label = PB_LABEL_NONE;
                f->message = m;
                f->type_name = arena_printf(c->a, "map<%s, %s>", m->fields[0].type_name,
                                               m->fields[1].type_name);
            }
            break;
        }
    }
}

static int message_from(conv *c, const MsgDP *d, pb_message **out, int depth)
{
    if (depth > PB_MAX_DEPTH) return bad(c, "messages nested too deeply in the descriptor%s", "");
    if (!valid_ident(d->name)) return bad(c, "invalid message name \"%s\" in the descriptor", d->name);
    pb_message *m = arena_alloc(c->a, sizeof *m);
    m->name = dup(c, d->name);
    m->pos = no_pos;
    if (d->options) {
        options_from(c, &d->options->base, &m->options);
        /* map_entry becomes is_map_entry */
        size_t k = 0;
        for (size_t i = 0; i < m->options.n; i++) {
            if (strcmp(m->options.items[i].name, "map_entry") == 0) {
                m->is_map_entry = strcmp(m->options.items[i].value.text, "true") == 0;
                continue;
            }
            m->options.items[k++] = m->options.items[i];
        }
        m->options.n = k;
    }
    for (size_t i = 0; i < m->options.n; i++) add_decl(c, &m->decls, &m->n_decls, PB_DECL_OPTION, i);
    /* real oneofs: those whose members are not all proto3_optional */
    int *oneof_map = xcalloc(d->n_oneof_decl + 1, sizeof(int));
    for (size_t i = 0; i < d->n_oneof_decl; i++) {
        int synthetic = 0, members = 0;
        for (size_t j = 0; j < d->n_field; j++)
            if (d->field[j]->has_oneof_index && d->field[j]->oneof_index == (int32_t)i) {
                members++;
                synthetic = d->field[j]->proto3_optional;
            }
        oneof_map[i] = -1;
        if (synthetic && members == 1) continue;
        if (!valid_ident(d->oneof_decl[i]->name)) {
            free(oneof_map);
            return bad(c, "invalid oneof name \"%s\" in the descriptor", d->oneof_decl[i]->name);
        }
        m->oneofs = arena_grow(c->a, m->oneofs, m->n_oneofs, sizeof *m->oneofs);
        pb_oneof *o = &m->oneofs[m->n_oneofs];
        memset(o, 0, sizeof *o);
        o->name = dup(c, d->oneof_decl[i]->name);
        o->pos = no_pos;
        if (d->oneof_decl[i]->options) options_from(c, &d->oneof_decl[i]->options->base, &o->options);
        oneof_map[i] = (int)m->n_oneofs++;
    }
    int *oneof_decl_done = xcalloc(m->n_oneofs + 1, sizeof(int));
    m->fields = arena_alloc(c->a, (d->n_field + 1) * sizeof *m->fields);
    int rc = 0;
    for (size_t i = 0; i < d->n_field && !rc; i++) {
        const FieldDP *fd = d->field[i];
        int oneof = -1;
        if (fd->has_oneof_index) {
            if (fd->oneof_index < 0 || (size_t)fd->oneof_index >= d->n_oneof_decl) {
                rc = bad(c, "field \"%s\" has an invalid oneof_index in the descriptor", fd->name);
                break;
            }
            oneof = oneof_map[fd->oneof_index];
        }
        pb_field *f = &m->fields[m->n_fields];
        if (field_from(c, fd, f, oneof >= 0)) {
            rc = -1;
            break;
        }
        f->oneof = oneof;
        if (oneof >= 0) {
            if (!oneof_decl_done[oneof]) {
                oneof_decl_done[oneof] = 1;
                add_decl(c, &m->decls, &m->n_decls, PB_DECL_ONEOF, (size_t)oneof);
            }
        } else {
            add_decl(c, &m->decls, &m->n_decls, PB_DECL_FIELD, m->n_fields);
        }
        m->n_fields++;
    }
    free(oneof_map);
    free(oneof_decl_done);
    if (rc) return -1;
    m->messages = arena_alloc(c->a, (d->n_nested_type + 1) * sizeof *m->messages);
    for (size_t i = 0; i < d->n_nested_type; i++)
        if (message_from(c, d->nested_type[i], &m->messages[m->n_messages++], depth + 1)) return -1;
    link_nested(c, m->fields, m->n_fields, m->messages, m->n_messages);
    if (m->is_map_entry)
        for (size_t i = 0; i < m->n_fields; i++) m->fields[i].label = PB_LABEL_OPTIONAL;
    for (size_t i = 0; i < m->n_messages; i++)
        if (!m->messages[i]->is_map_entry && !m->messages[i]->is_group)
            add_decl(c, &m->decls, &m->n_decls, PB_DECL_MESSAGE, i);
    m->enums = arena_alloc(c->a, (d->n_enum_type + 1) * sizeof *m->enums);
    for (size_t i = 0; i < d->n_enum_type; i++) {
        if (enum_from(c, d->enum_type[i], &m->enums[m->n_enums])) return -1;
        add_decl(c, &m->decls, &m->n_decls, PB_DECL_ENUM, m->n_enums++);
    }
    if (d->n_extension_range) {
        m->extension_ranges = arena_alloc(c->a, d->n_extension_range * sizeof *m->extension_ranges);
        for (size_t i = 0; i < d->n_extension_range; i++) {
            pb_extension_range *x = &m->extension_ranges[m->n_extension_ranges];
            x->pos = no_pos;
            x->ranges = arena_alloc(c->a, sizeof *x->ranges);
            x->n_ranges = 1;
            x->ranges[0].start = d->extension_range[i]->start;
            int end = d->extension_range[i]->end;
            x->ranges[0].end_is_max = end == PB_MAX_FIELD_NUMBER + 1 || end == INT32_MAX;
            x->ranges[0].end = x->ranges[0].end_is_max ? PB_MAX_FIELD_NUMBER : end - 1;
            add_decl(c, &m->decls, &m->n_decls, PB_DECL_EXTENSIONS, m->n_extension_ranges++);
        }
    }
    if (extends_from(c, d->extension, d->n_extension, &m->extends, &m->n_extends, &m->decls,
                     &m->n_decls))
        return -1;
    for (size_t i = 0; i < m->n_extends; i++)
        link_nested(c, m->extends[i].fields, m->extends[i].n_fields, m->messages, m->n_messages);
    if (d->n_reserved_range || d->n_reserved_name) {
        m->reserved = arena_alloc(c->a, 2 * sizeof *m->reserved);
        if (d->n_reserved_range) {
            pb_reserved *r = &m->reserved[m->n_reserved];
            r->pos = no_pos;
            r->ranges = arena_alloc(c->a, d->n_reserved_range * sizeof *r->ranges);
            for (size_t i = 0; i < d->n_reserved_range; i++) {
                pb_range *g = &r->ranges[r->n_ranges++];
                g->start = d->reserved_range[i]->start;
                int end = d->reserved_range[i]->end;
                g->end_is_max = end == PB_MAX_FIELD_NUMBER + 1 || end == INT32_MAX;
                g->end = g->end_is_max ? PB_MAX_FIELD_NUMBER : end - 1;
            }
            add_decl(c, &m->decls, &m->n_decls, PB_DECL_RESERVED, m->n_reserved++);
        }
        if (d->n_reserved_name) {
            pb_reserved *r = &m->reserved[m->n_reserved];
            r->pos = no_pos;
            r->names = arena_alloc(c->a, d->n_reserved_name * sizeof(char *));
            for (size_t i = 0; i < d->n_reserved_name; i++) r->names[r->n_names++] = dup(c, d->reserved_name[i]);
            add_decl(c, &m->decls, &m->n_decls, PB_DECL_RESERVED, m->n_reserved++);
        }
    }
    *out = m;
    return 0;
}

pb_file *pb_from_descriptor(arena *a, const Google__Protobuf__FileDescriptorProto *d,
                            sr_error *err)
{
    conv c = {a, err, 0};
    pb_file *f = arena_alloc(a, sizeof *f);
    f->name = dup(&c, d->name ? d->name : "");
    if (d->syntax && strcmp(d->syntax, "proto3") != 0 && strcmp(d->syntax, "proto2") != 0) {
        bad(&c, "Unrecognized syntax \"%s\" in the descriptor", d->syntax);
        return NULL;
    }
    c.proto3 = d->syntax && strcmp(d->syntax, "proto3") == 0;
    f->syntax = c.proto3 ? "proto3" : NULL;
    if (d->package) {
        if (!valid_dotted(d->package, 0)) {
            bad(&c, "invalid package name \"%s\" in the descriptor", d->package);
            return NULL;
        }
        f->package = dup(&c, d->package);
    }
    f->imports = arena_alloc(a, (d->n_dependency + 1) * sizeof *f->imports);
    for (size_t i = 0; i < d->n_dependency; i++) {
        pb_import *im = &f->imports[f->n_imports++];
        im->path = dup(&c, d->dependency[i]);
        im->pos = no_pos;
    }
    for (size_t i = 0; i < d->n_public_dependency; i++) {
        int k = d->public_dependency[i];
        if (k < 0 || (size_t)k >= f->n_imports) {
            bad(&c, "invalid public_dependency index in the descriptor%s", "");
            return NULL;
        }
        f->imports[k].is_public = 1;
    }
    for (size_t i = 0; i < d->n_weak_dependency; i++) {
        int k = d->weak_dependency[i];
        if (k < 0 || (size_t)k >= f->n_imports) {
            bad(&c, "invalid weak_dependency index in the descriptor%s", "");
            return NULL;
        }
        f->imports[k].is_weak = 1;
    }
    if (d->options) options_from(&c, &d->options->base, &f->options);
    for (size_t i = 0; i < f->options.n; i++) add_decl(&c, &f->decls, &f->n_decls, PB_DECL_OPTION, i);
    f->messages = arena_alloc(a, (d->n_message_type + 1) * sizeof *f->messages);
    for (size_t i = 0; i < d->n_message_type; i++)
        if (message_from(&c, d->message_type[i], &f->messages[f->n_messages++], 1)) return NULL;
    f->enums = arena_alloc(a, (d->n_enum_type + 1) * sizeof *f->enums);
    for (size_t i = 0; i < d->n_enum_type; i++)
        if (enum_from(&c, d->enum_type[i], &f->enums[f->n_enums++])) return NULL;
    /* extends first (their groups are top-level messages), declared last */
    pb_decl *ext_decls = NULL;
    size_t n_ext_decls = 0;
    if (extends_from(&c, d->extension, d->n_extension, &f->extends, &f->n_extends, &ext_decls,
                     &n_ext_decls))
        return NULL;
    for (size_t i = 0; i < f->n_extends; i++)
        link_nested(&c, f->extends[i].fields, f->extends[i].n_fields, f->messages, f->n_messages);
    /* declaration order: messages (not group messages), enums, services, extends */
    for (size_t i = 0; i < f->n_messages; i++)
        if (!f->messages[i]->is_group) add_decl(&c, &f->decls, &f->n_decls, PB_DECL_MESSAGE, i);
    for (size_t i = 0; i < f->n_enums; i++) add_decl(&c, &f->decls, &f->n_decls, PB_DECL_ENUM, i);
    f->services = arena_alloc(a, (d->n_service + 1) * sizeof *f->services);
    for (size_t i = 0; i < d->n_service; i++) {
        const ServiceDP *sd = d->service[i];
        pb_service *s = &f->services[f->n_services];
        if (!valid_ident(sd->name)) {
            bad(&c, "invalid service name \"%s\" in the descriptor", sd->name);
            return NULL;
        }
        s->name = dup(&c, sd->name);
        s->pos = no_pos;
        if (sd->options) options_from(&c, &sd->options->base, &s->options);
        s->methods = arena_alloc(a, (sd->n_method + 1) * sizeof *s->methods);
        for (size_t j = 0; j < sd->n_method; j++) {
            const MethodDP *md = sd->method[j];
            pb_method *m = &s->methods[s->n_methods++];
            if (!valid_ident(md->name) || !valid_dotted(md->input_type, 1) ||
                !valid_dotted(md->output_type, 1)) {
                bad(&c, "invalid method \"%s\" in the descriptor", md->name);
                return NULL;
            }
            m->name = dup(&c, md->name);
            m->input_type = dup(&c, md->input_type);
            m->output_type = dup(&c, md->output_type);
            m->client_streaming = md->client_streaming;
            m->server_streaming = md->server_streaming;
            m->pos = no_pos;
            if (md->options) options_from(&c, &md->options->base, &m->options);
        }
        add_decl(&c, &f->decls, &f->n_decls, PB_DECL_SERVICE, f->n_services++);
    }
    for (size_t i = 0; i < n_ext_decls; i++)
        add_decl(&c, &f->decls, &f->n_decls, ext_decls[i].kind, ext_decls[i].index);
    return f;
}

/* Nesting depth of DescriptorProto messages in a serialized FileDescriptorProto
 * (checked before protobuf-c's recursive unpack sees hostile input).
 * `field` is the number of the DescriptorProto-typed field in the current
 * message (4 at file level, 3 = nested_type inside a message). */
static int wire_depth_ok(const unsigned char *p, size_t len, int nested_field, int depth)
{
    if (depth > PB_MAX_DEPTH + 1) return 0;
    size_t i = 0;
    while (i < len) {
        uint64_t key = 0;
        int shift = 0;
        for (;;) {
            if (i >= len || shift > 63) return 0;
            key |= (uint64_t)(p[i] & 0x7F) << shift;
            shift += 7;
            if (!(p[i++] & 0x80)) break;
        }
        unsigned wt = key & 7;
        uint64_t num = key >> 3;
        if (wt == 0) {
            while (i < len && (p[i] & 0x80)) i++;
            if (i >= len) return 0;
            i++;
        } else if (wt == 1) {
            if (len - i < 8) return 0;
            i += 8;
        } else if (wt == 5) {
            if (len - i < 4) return 0;
            i += 4;
        } else if (wt == 2) {
            uint64_t n = 0;
            shift = 0;
            for (;;) {
                if (i >= len || shift > 63) return 0;
                n |= (uint64_t)(p[i] & 0x7F) << shift;
                shift += 7;
                if (!(p[i++] & 0x80)) break;
            }
            if (n > len - i) return 0;
            if (num == (uint64_t)nested_field && !wire_depth_ok(p + i, (size_t)n, 3, depth + 1))
                return 0;
            i += (size_t)n;
        } else {
            return 0; /* groups (3/4) never appear in descriptors */
        }
    }
    return 1;
}

pb_file *pb_try_descriptor_text(arena *a, const char *text, size_t len, sr_error *err)
{
    err->code = 0;
    if (len < 4) return NULL;
    size_t n;
    unsigned char *bytes = b64_decode(text, len, &n);
    if (!bytes) return NULL;
    if (!wire_depth_ok(bytes, n, 4, 0)) {
        free(bytes);
        return NULL;
    }
    Google__Protobuf__FileDescriptorProto *d =
        google__protobuf__file_descriptor_proto__unpack(NULL, n, bytes);
    free(bytes);
    if (!d) return NULL;
    pb_file *f = pb_from_descriptor(a, d, err);
    google__protobuf__file_descriptor_proto__free_unpacked(d, NULL);
    return f;
}

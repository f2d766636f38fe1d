/*
 * Private helpers shared by the Avro parser and printers.
 */
#ifndef SR_AVRO_INTERNAL_H
#define SR_AVRO_INTERNAL_H

#include "../../common/strbuf.h"
#include "avro_format.h"

/* Deepest nesting of types the parser accepts (hostile input must not
 * overflow the stack; real schemas stay far below this). */
#define AVRO_MAX_DEPTH 256

/* Parse s as Java's Double.valueOf does (surrounding blanks, optional sign,
 * "NaN", "Infinity", decimal or hex digits, an optional f/F/d/D suffix).
 * Returns 0 and sets *out, or -1 if Java would throw NumberFormatException. */
int avro_fmt_java_parse_double(const char *s, double *out);

/* Append d as Java's Double.toString / Float.toString writes it ("1.0",
 * "1.0E10", "1.5E-7", "NaN", "Infinity"). */
void avro_fmt_java_double(strbuf *sb, double d);
void avro_fmt_java_float(strbuf *sb, float f);

#endif

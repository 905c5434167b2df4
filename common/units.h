/* units: sizes, durations and rates as a student types them, and back again.
 *
 * Sizes use binary multiples, as the kernel and the reference document do:
 * "65536", "64K", "64KB", "64KiB" all mean 65536 bytes; K, M, G (any case, optional "B" or
 * "iB"). Durations: "250ms", "2s", "1.5s", "100us", "10ns", "1m" (minutes); a bare number
 * means seconds. Rates: a size followed by an optional "/s" ("1M/s", "64K").
 *
 * Every parser returns 0 on success, or -1 with a one-line reason in err (which never repeats
 * the input: the caller names the flag and the value). Empty strings, signs, overflow, unknown
 * units and trailing garbage are all errors. */
#ifndef FLOWLAB_UNITS_H
#define FLOWLAB_UNITS_H

#include <stddef.h>
#include <stdint.h>

int units_parse_size(const char *s, uint64_t *bytes, char *err, size_t errlen);
int units_parse_duration(const char *s, uint64_t *ns, char *err, size_t errlen);
int units_parse_rate(const char *s, uint64_t *bytes_per_s, char *err, size_t errlen);

/* Human output. "131,072" */
void units_format_thousands(uint64_t v, char *buf, size_t len);
/* "128 KiB", "1.5 MiB", "26 B": whole numbers where exact, one decimal otherwise. */
void units_format_size(uint64_t bytes, char *buf, size_t len);
/* "850 us", "12.3 ms", "2.01 s" */
void units_format_duration(uint64_t ns, char *buf, size_t len);

#endif

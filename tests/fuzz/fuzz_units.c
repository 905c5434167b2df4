/* fuzz_units: the size, duration and rate parsers (common/units), on any text.
 *
 * Whatever the input: a parse that fails says why in a whole, terminated line, and never with
 * an empty reason; one that succeeds gives a value that, written as plain bytes or nanoseconds,
 * parses back to itself, and that the formatters print without overflowing their buffer. A
 * reason cut to a short buffer stays terminated. */
#include <inttypes.h>

#include "fuzz.h"
#include "units.h"

typedef int (*parser)(const char *s, uint64_t *v, char *err, size_t errlen);

static void one(parser parse, const char *name, const char *s, const char *unit)
{
	char err[128], small[6], back[48];
	uint64_t v = 0, again = 0;

	memset(err, 'x', sizeof(err));
	if (parse(s, &v, err, sizeof(err)) < 0) {
		FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL, "%s: reason not terminated", name);
		FUZZ_CHECK(err[0] != '\0', "%s('%s'): failed with no reason", name, s);
		memset(small, 'x', sizeof(small));
		FUZZ_CHECK(parse(s, &v, small, sizeof(small)) < 0, "%s: a second parse differs", name);
		FUZZ_CHECK(memchr(small, '\0', sizeof(small)) != NULL,
			   "%s: a reason cut short is not terminated", name);
		FUZZ_CHECK(parse(s, &v, NULL, 0) < 0, "%s: with no room for a reason it differs",
			   name);
		return;
	}
	snprintf(back, sizeof(back), "%" PRIu64 "%s", v, unit);
	FUZZ_CHECK(parse(back, &again, err, sizeof(err)) == 0, "%s('%s') = %" PRIu64
		   ", but '%s' does not parse: %s", name, s, v, back, err);
	FUZZ_CHECK(again == v, "%s('%s') = %" PRIu64 ", '%s' = %" PRIu64, name, s, v, back, again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size, 256);
	char buf[64];
	uint64_t v;

	if (s == NULL)
		return 0;
	one(units_parse_size, "units_parse_size", s, "B");
	one(units_parse_duration, "units_parse_duration", s, "ns");
	one(units_parse_rate, "units_parse_rate", s, "/s");
	/* The formatters, on the input read as a number (all of uint64_t is theirs). */
	v = 0;
	for (size_t i = 0; i < size && i < 8; i++)
		v = v << 8 | data[i];
	units_format_size(v, buf, sizeof(buf));
	FUZZ_CHECK(buf[0] != '\0' && strlen(buf) < sizeof(buf), "format_size(%" PRIu64 ")", v);
	units_format_duration(v, buf, sizeof(buf));
	FUZZ_CHECK(buf[0] != '\0' && strlen(buf) < sizeof(buf), "format_duration(%" PRIu64 ")", v);
	units_format_thousands(v, buf, sizeof(buf));
	FUZZ_CHECK(buf[0] != '\0', "format_thousands(%" PRIu64 ")", v);
	units_format_size(v, buf, 3);
	FUZZ_CHECK(strlen(buf) < 3, "format_size into 3 bytes");
	free(s);
	return 0;
}

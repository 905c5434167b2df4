/* fuzz_schedule: the plan parser (common/schedule), on any text.
 *
 * Whatever the input: a plan that fails to parse says why and leaves the schedule untouched; one
 * that parses has 1 to SCHEDULE_MAX_STEPS steps, an endless step only last, timed steps whose
 * sum (schedule_timed_ns) does not wrap, and a canonical text (schedule_format) that parses
 * back to the same plan; written into a short buffer, that text is a terminated prefix. */
#include <inttypes.h>

#include "fuzz.h"
#include "schedule.h"

static int same_step(const struct schedule_step *a, const struct schedule_step *b)
{
	return a->kind == b->kind && a->bytes == b->bytes && a->every_ns == b->every_ns &&
	       a->for_ns == b->for_ns;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size, 4096);
	static char canon[8192];
	char err[256], small[24];
	struct schedule s = { .n = 99 }, back;
	uint64_t sum = 0;

	if (text == NULL)
		return 0;
	memset(err, 'x', sizeof(err));
	if (schedule_parse(text, &s, err, sizeof(err)) < 0) {
		FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL, "reason not terminated");
		FUZZ_CHECK(err[0] != '\0', "'%s' refused with no reason", text);
		FUZZ_CHECK(s.n == 99, "'%s' refused, but the schedule was changed", text);
		FUZZ_CHECK(schedule_parse(text, &s, small, sizeof(small)) < 0 &&
			   memchr(small, '\0', sizeof(small)) != NULL, "a short reason");
		free(text);
		return 0;
	}
	FUZZ_CHECK(s.n >= 1 && s.n <= SCHEDULE_MAX_STEPS, "'%s': %zu steps", text, s.n);
	for (size_t i = 0; i < s.n; i++) {
		const struct schedule_step *st = &s.step[i];
		int endless = st->kind == SCHED_DRAIN ? st->for_ns == 0
			      : (st->kind == SCHED_READ || st->kind == SCHED_WRITE) &&
				st->every_ns && !st->for_ns;

		FUZZ_CHECK(!endless || i == s.n - 1, "'%s': step %zu never ends, and is not last",
			   text, i + 1);
		FUZZ_CHECK((st->kind != SCHED_READ && st->kind != SCHED_WRITE) || st->bytes > 0,
			   "'%s': step %zu moves 0 bytes", text, i + 1);
		FUZZ_CHECK(st->for_ns <= UINT64_MAX - sum, "'%s': the timed steps wrap", text);
		sum += st->for_ns;
		(void)schedule_kind_name(st->kind);
	}
	FUZZ_CHECK(schedule_timed_ns(&s) == sum, "'%s': timed %" PRIu64 ", not %" PRIu64, text,
		   schedule_timed_ns(&s), sum);
	(void)schedule_has(&s, SCHED_WRITE);
	(void)schedule_max_bytes(&s, SCHED_READ);

	schedule_format(&s, canon, sizeof(canon));
	FUZZ_CHECK(strlen(canon) < sizeof(canon) - 1, "'%s': canonical text too long", text);
	FUZZ_CHECK(schedule_parse(canon, &back, err, sizeof(err)) == 0,
		   "'%s' formats as '%s', which is refused: %s", text, canon, err);
	FUZZ_CHECK(back.n == s.n, "'%s' -> '%s': %zu steps, not %zu", text, canon, back.n, s.n);
	for (size_t i = 0; i < s.n; i++)
		FUZZ_CHECK(same_step(&s.step[i], &back.step[i]), "'%s' -> '%s': step %zu differs",
			   text, canon, i + 1);
	schedule_format(&s, small, sizeof(small));
	FUZZ_CHECK(strlen(small) < sizeof(small) && strncmp(small, canon, strlen(small)) == 0,
		   "'%s': the short text '%s' is not a prefix of '%s'", text, small, canon);
	free(text);
	return 0;
}

/* Unit tests for schedule.h: plans parse to the right steps, every error names its step and
 * reason, and the canonical text parses back to the same plan. */
#include "schedule.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define MS 1000000ULL
#define S  1000000000ULL

static void assert_step(const struct schedule_step *st, enum schedule_kind kind, uint64_t bytes,
			uint64_t every_ns, uint64_t for_ns)
{
	ck_assert_int_eq(st->kind, kind);
	ck_assert_uint_eq(st->bytes, bytes);
	ck_assert_uint_eq(st->every_ns, every_ns);
	ck_assert_uint_eq(st->for_ns, for_ns);
}

static void parse_ok(const char *text, struct schedule *s)
{
	char err[160] = "";

	ck_assert_msg(schedule_parse(text, s, err, sizeof err) == 0, "'%s' rejected: %s", text,
		      err);
}

START_TEST(parse_examples)
{
	struct schedule s;

	parse_ok("stall 2s, drain", &s);
	ck_assert_uint_eq(s.n, 2);
	assert_step(&s.step[0], SCHED_STALL, 0, 0, 2 * S);
	assert_step(&s.step[1], SCHED_DRAIN, 0, 0, 0);

	parse_ok("read 4K every 10ms", &s);
	ck_assert_uint_eq(s.n, 1);
	assert_step(&s.step[0], SCHED_READ, 4096, 10 * MS, 0);

	parse_ok("write 26B, stall 3s, close", &s);
	ck_assert_uint_eq(s.n, 3);
	assert_step(&s.step[0], SCHED_WRITE, 26, 0, 0);
	assert_step(&s.step[1], SCHED_STALL, 0, 0, 3 * S);
	assert_step(&s.step[2], SCHED_CLOSE, 0, 0, 0);
}
END_TEST

START_TEST(parse_every_form)
{
	struct schedule s;

	/* blanks of any kind and amount around words and commas */
	parse_ok("  read 1M ,\tread   4K every 10ms  for 1s ,drain for 250ms,"
		 "write 64KiB every 1.5s for 1m, stall 0s, stall 100us, close  ", &s);
	ck_assert_uint_eq(s.n, 7);
	assert_step(&s.step[0], SCHED_READ, 1048576, 0, 0);
	assert_step(&s.step[1], SCHED_READ, 4096, 10 * MS, S);
	assert_step(&s.step[2], SCHED_DRAIN, 0, 0, 250 * MS);
	assert_step(&s.step[3], SCHED_WRITE, 65536, 1500 * MS, 60 * S);
	assert_step(&s.step[4], SCHED_STALL, 0, 0, 0);
	assert_step(&s.step[5], SCHED_STALL, 0, 0, 100000);
	assert_step(&s.step[6], SCHED_CLOSE, 0, 0, 0);

	/* an endless step is fine last */
	parse_ok("stall 1s, write 1K every 1ms", &s);
	ck_assert_uint_eq(s.n, 2);
	assert_step(&s.step[1], SCHED_WRITE, 1024, MS, 0);
}
END_TEST

START_TEST(parse_max_steps)
{
	char text[SCHEDULE_MAX_STEPS * 16 + 16] = "";
	char err[160] = "";
	struct schedule s;

	for (int i = 0; i < SCHEDULE_MAX_STEPS; i++)
		strcat(text, i ? ", stall 1ms" : "stall 1ms");
	parse_ok(text, &s);
	ck_assert_uint_eq(s.n, SCHEDULE_MAX_STEPS);
	strcat(text, ", close");
	ck_assert_int_eq(schedule_parse(text, &s, err, sizeof err), -1);
	ck_assert_str_eq(err, "too many steps (at most 32)");
}
END_TEST

static const struct {
	const char *text;
	const char *reason;
} bad_plans[] = {
	{ "", "empty plan" },
	{ " \t ", "empty plan" },
	{ NULL, "empty plan" },
	{ ",", "step 1: empty step" },
	{ ",drain", "step 1: empty step" },
	{ "stall 1s,,drain", "step 2: empty step" },
	{ "stall 1s, ,drain", "step 2: empty step" },
	{ "drain,", "step 2: empty step" },
	{ "stall 1s, stal 2s",
	  "step 2 (\"stal\"): unknown step; use stall, drain, read, write or close" },
	{ "Stall 1s", "step 1 (\"Stall\"): unknown step; use stall, drain, read, write or close" },
	{ "stall2s", "step 1 (\"stall2s\"): unknown step; use stall, drain, read, write or close" },
	{ "abcdefghijklmnopqrstuvwxyz",
	  "step 1 (\"abcdefghijklmnop\"): unknown step; use stall, drain, read, write or close" },
	{ "stall", "step 1 (stall): missing duration" },
	{ "stall 2x", "step 1 (stall): bad duration: unknown unit 'x' (use ns, us, ms, s, m)" },
	{ "stall -1s", "step 1 (stall): bad duration: negative durations make no sense" },
	{ "stall s", "step 1 (stall): bad duration: missing number" },
	{ "stall 99999999999s", "step 1 (stall): bad duration: too large" },
	{ "stall 1s2", "step 1 (stall): bad duration: unexpected '2' after the number" },
	{ "stall 0000000000000000000000000000000000000000000000000000000000000001s",
	  "step 1 (stall): bad duration: too long" },
	{ "stall for 2s", "step 1 (stall): bad duration: missing number" },
	{ "stall 2s now", "step 1 (stall): unexpected 'now'" },
	{ "stall 2 s", "step 1 (stall): unexpected 's'" },
	{ "close now", "step 1 (close): unexpected 'now'" },
	{ "drain forever", "step 1 (drain): unexpected 'forever'" },
	{ "drain for", "step 1 (drain): missing duration after 'for'" },
	{ "drain for 0s", "step 1 (drain): 'for' needs a duration above 0" },
	{ "drain for 1x", "step 1 (drain): bad duration after 'for': unknown unit 'x' "
			  "(use ns, us, ms, s, m)" },
	{ "drain for 1s then", "step 1 (drain): unexpected 'then'" },
	{ "read", "step 1 (read): missing size" },
	{ "read 0", "step 1 (read): 0 bytes" },
	{ "write 0K", "step 1 (write): 0 bytes" },
	{ "read 4Q", "step 1 (read): bad size: unknown unit 'Q' (use B, K, M, G)" },
	{ "read -4K", "step 1 (read): bad size: negative sizes make no sense" },
	{ "read 0.1K", "step 1 (read): bad size: not a whole number of bytes" },
	{ "write 99999999999999999999", "step 1 (write): bad size: too large" },
	{ "read 4K often", "step 1 (read): unexpected 'often'" },
	{ "read 4K for 1s", "step 1 (read): 'for' needs 'every' before it" },
	{ "read 4K every", "step 1 (read): missing duration after 'every'" },
	{ "read 4K every 0s", "step 1 (read): 'every' needs a duration above 0" },
	{ "write 4K every 0", "step 1 (write): 'every' needs a duration above 0" },
	{ "read 4K every 10 ms", "step 1 (read): unexpected 'ms'" },
	{ "read 4K every 1y", "step 1 (read): bad duration after 'every': unknown unit 'y' "
			      "(use ns, us, ms, s, m)" },
	{ "read 4K every 10ms during 1s", "step 1 (read): unexpected 'during'" },
	{ "read 4K every 10ms for", "step 1 (read): missing duration after 'for'" },
	{ "read 4K every 10ms for 0s", "step 1 (read): 'for' needs a duration above 0" },
	{ "read 4K every 10ms for 1s more", "step 1 (read): unexpected 'more'" },
	{ "drain, close", "step 1 (drain): a step that never ends must be the last" },
	{ "stall 1s, drain, drain", "step 2 (drain): a step that never ends must be the last" },
	{ "stall 1s, read 4K every 10ms, close",
	  "step 2 (read): a step that never ends must be the last" },
	{ "write 1K every 1ms, stall 1s",
	  "step 1 (write): a step that never ends must be the last" },
	{ "stall 1s, close, stall 1s, read 1K, stal",
	  "step 5 (\"stal\"): unknown step; use stall, drain, read, write or close" },
	/* the timed steps' sum (schedule_timed_ns) may not wrap */
	{ "stall 300000000m, stall 300000000m",
	  "step 2 (stall): the plan would last more than 2^64 ns (584 years)" },
	{ "stall 18446744073709551615ns, drain for 1ns",
	  "step 2 (drain): the plan would last more than 2^64 ns (584 years)" },
	{ "stall 1ns, read 1B, write 1K every 1s for 18446744073709551615ns",
	  "step 3 (write): the plan would last more than 2^64 ns (584 years)" },
};

START_TEST(parse_bad)
{
	struct schedule s = { .n = 7 };
	char err[160] = "";

	ck_assert_msg(schedule_parse(bad_plans[_i].text, &s, err, sizeof err) == -1,
		      "'%s' accepted", bad_plans[_i].text);
	ck_assert_msg(strcmp(err, bad_plans[_i].reason) == 0, "'%s': reason '%s', want '%s'",
		      bad_plans[_i].text, err, bad_plans[_i].reason);
	ck_assert_uint_eq(s.n, 7);      /* untouched on error */
}
END_TEST

START_TEST(parse_err_buffer)
{
	struct schedule s;
	char err[8];

	/* cut but terminated; no err at all is allowed */
	ck_assert_int_eq(schedule_parse("stall", &s, err, sizeof err), -1);
	ck_assert_str_eq(err, "step 1 ");
	ck_assert_int_eq(schedule_parse("stal", &s, err, 3), -1);
	ck_assert_str_eq(err, "st");
	ck_assert_int_eq(schedule_parse("stall", &s, NULL, 0), -1);
	ck_assert_int_eq(schedule_parse("", &s, NULL, 0), -1);
	ck_assert_int_eq(schedule_parse("drain,", &s, NULL, 0), -1);
}
END_TEST

/* Text in, canonical text out; the canonical text must parse to the same plan. */
static const struct {
	const char *text;
	const char *canon;
} round_trips[] = {
	{ "stall 2s, drain", "stall 2s, drain" },
	{ "stall 2000ms,drain", "stall 2s, drain" },
	{ "read 4K every 10ms for 1s", "read 4K every 10ms for 1s" },
	{ "read 4096 every 0.01s for 1000ms", "read 4K every 10ms for 1s" },
	{ "read 4KiB every 10ms", "read 4K every 10ms" },
	{ "write 26B, stall 3s, close", "write 26B, stall 3s, close" },
	{ "write 26, stall 3, close", "write 26B, stall 3s, close" },
	{ "stall 1.5s", "stall 1500ms" },
	{ "stall 90s", "stall 90s" },
	{ "stall 120s", "stall 2m" },
	{ "stall 0", "stall 0s" },
	{ "stall 250us", "stall 250us" },
	{ "stall 1001ns", "stall 1001ns" },
	{ "read 1536", "read 1536B" },
	{ "read 1.5M", "read 1536K" },
	{ "read 1G", "read 1G" },
	{ "read 2048M", "read 2G" },
	{ "drain for 250ms", "drain for 250ms" },
	{ "read 1, write 1K every 1ns for 1us", "read 1B, write 1K every 1ns for 1us" },
	{ "read 18446744073709551615 every 18446744073709551615ns for 1m",
	  "read 18446744073709551615B every 18446744073709551615ns for 1m" },
};

START_TEST(round_trip)
{
	struct schedule a, b;
	char text[512];

	parse_ok(round_trips[_i].text, &a);
	schedule_format(&a, text, sizeof text);
	ck_assert_str_eq(text, round_trips[_i].canon);
	parse_ok(text, &b);
	ck_assert_uint_eq(b.n, a.n);
	for (size_t i = 0; i < a.n; i++)
		assert_step(&b.step[i], a.step[i].kind, a.step[i].bytes, a.step[i].every_ns,
			    a.step[i].for_ns);
}
END_TEST

START_TEST(round_trip_full)
{
	struct schedule a, b;
	char text[SCHEDULE_MAX_STEPS * 64];
	char again[sizeof text];

	/* a full plan of every kind of step, built by hand rather than parsed */
	memset(&a, 0, sizeof a);
	for (size_t i = 0; i < SCHEDULE_MAX_STEPS - 1; i++) {
		struct schedule_step *st = &a.step[a.n++];
		st->kind = (enum schedule_kind)(i % 5);
		switch (st->kind) {
		case SCHED_STALL:
			st->for_ns = (i + 1) * 1500 * MS;
			break;
		case SCHED_DRAIN:
			st->for_ns = (i + 1) * 7;
			break;
		case SCHED_READ:
		case SCHED_WRITE:
			/* odd steps trickle, even ones read or write once */
			st->bytes = (i + 1) * 1000;
			if (i % 2) {
				st->every_ns = (i + 1) * MS;
				st->for_ns = 3 * S;
			}
			break;
		case SCHED_CLOSE:
			break;
		}
	}
	a.step[a.n++].kind = SCHED_DRAIN;
	schedule_format(&a, text, sizeof text);
	parse_ok(text, &b);
	ck_assert_uint_eq(b.n, a.n);
	for (size_t i = 0; i < a.n; i++)
		assert_step(&b.step[i], a.step[i].kind, a.step[i].bytes, a.step[i].every_ns,
			    a.step[i].for_ns);
	schedule_format(&b, again, sizeof again);
	ck_assert_str_eq(again, text);
}
END_TEST

START_TEST(format_truncates)
{
	struct schedule s;
	char buf[10];

	parse_ok("stall 2s, close", &s);
	memset(buf, 'x', sizeof buf);
	schedule_format(&s, buf, 9);
	ck_assert_str_eq(buf, "stall 2s");
	ck_assert_int_eq(buf[9], 'x');
	schedule_format(&s, buf, 1);
	ck_assert_str_eq(buf, "");
	memset(buf, 'x', sizeof buf);
	schedule_format(&s, buf, 0);
	ck_assert_int_eq(buf[0], 'x');
	s.n = 0;
	schedule_format(&s, buf, sizeof buf);
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(kind_names)
{
	ck_assert_str_eq(schedule_kind_name(SCHED_STALL), "stall");
	ck_assert_str_eq(schedule_kind_name(SCHED_DRAIN), "drain");
	ck_assert_str_eq(schedule_kind_name(SCHED_READ), "read");
	ck_assert_str_eq(schedule_kind_name(SCHED_WRITE), "write");
	ck_assert_str_eq(schedule_kind_name(SCHED_CLOSE), "close");
	ck_assert_str_eq(schedule_kind_name((enum schedule_kind)99), "?");
}
END_TEST

/* What the programs ask of a plan before they follow it. */
START_TEST(questions)
{
	struct schedule s;

	parse_ok("stall 1s, read 4K every 10ms for 2s, read 64K, drain for 250ms, close", &s);
	ck_assert_int_eq(schedule_has(&s, SCHED_READ), 1);
	ck_assert_int_eq(schedule_has(&s, SCHED_WRITE), 0);
	ck_assert_uint_eq(schedule_max_bytes(&s, SCHED_READ), 65536);
	ck_assert_uint_eq(schedule_max_bytes(&s, SCHED_WRITE), 0);
	/* stall 1s + trickle 2s + drain 250ms; the once-read and close take no set time */
	ck_assert_uint_eq(schedule_timed_ns(&s), 3250 * MS);

	parse_ok("write 1B every 100ms for 2300ms", &s);
	ck_assert_uint_eq(schedule_max_bytes(&s, SCHED_WRITE), 1);
	ck_assert_uint_eq(schedule_timed_ns(&s), 2300 * MS);

	/* as long as a plan may last: 2^64 - 1 ns in all */
	parse_ok("stall 18446744073709551614ns, read 1K, drain for 1ns", &s);
	ck_assert_uint_eq(schedule_timed_ns(&s), UINT64_MAX);

	s.n = 0;
	ck_assert_int_eq(schedule_has(&s, SCHED_STALL), 0);
	ck_assert_uint_eq(schedule_timed_ns(&s), 0);
}
END_TEST

static Suite *schedule_suite(void)
{
	Suite *s = suite_create("schedule");
	TCase *tc;

	tc = tcase_create("parse");
	tcase_add_test(tc, parse_examples);
	tcase_add_test(tc, parse_every_form);
	tcase_add_test(tc, parse_max_steps);
	tcase_add_loop_test(tc, parse_bad, 0, N(bad_plans));
	tcase_add_test(tc, parse_err_buffer);
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_loop_test(tc, round_trip, 0, N(round_trips));
	tcase_add_test(tc, round_trip_full);
	tcase_add_test(tc, format_truncates);
	tcase_add_test(tc, kind_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("questions");
	tcase_add_test(tc, questions);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(schedule_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

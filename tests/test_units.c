/* Unit tests for units.h: parsers (good values exact, every kind of bad value with its reason)
 * and the human formatters (exact strings, truncation). */
#include "units.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

typedef int (*parse_fn)(const char *, uint64_t *, char *, size_t);

struct good {
	const char *in;
	uint64_t want;
};

struct bad {
	const char *in;
	const char *reason;
};

static void check_good(parse_fn parse, const struct good *g)
{
	char err[128] = "";
	uint64_t v = 12345;

	ck_assert_msg(parse(g->in, &v, err, sizeof err) == 0, "'%s' rejected: %s", g->in, err);
	ck_assert_msg(v == g->want, "'%s' gave %ju, want %ju", g->in, (uintmax_t)v,
		      (uintmax_t)g->want);
}

static void check_bad(parse_fn parse, const struct bad *b)
{
	char err[128] = "";
	uint64_t v = 12345;

	ck_assert_msg(parse(b->in, &v, err, sizeof err) == -1, "'%s' accepted as %ju", b->in,
		      (uintmax_t)v);
	ck_assert_msg(v == 12345, "'%s' wrote the result on error", b->in);
	ck_assert_msg(strcmp(err, b->reason) == 0, "'%s': reason '%s', want '%s'", b->in, err,
		      b->reason);
}

/* ---- sizes ---- */

static const struct good good_sizes[] = {
	{ "0", 0 },
	{ "007", 7 },
	{ "65536", 65536 },
	{ "26B", 26 },
	{ "26b", 26 },
	{ "64K", 65536 },
	{ "64k", 65536 },
	{ "64KB", 65536 },
	{ "64kb", 65536 },
	{ "64KiB", 65536 },
	{ "64kib", 65536 },
	{ "1M", 1048576 },
	{ "1MiB", 1048576 },
	{ "1G", 1073741824 },
	{ "1gb", 1073741824 },
	{ "1.5K", 1536 },
	{ "0.5K", 512 },
	{ "1.25M", 1310720 },
	{ "1.0", 1 },
	{ "1.50000000000000000000000000K", 1536 },
	{ "0.0009765625K", 1 },                   /* 1/1024: exact despite many digits */
	{ "18446744073709551615", UINT64_MAX },
	{ "17179869183G", UINT64_MAX - (1ULL << 30) + 1 },
	{ "16777215.999999999068677425384521484375G", (1ULL << 54) - 1 },
};

static const struct bad bad_sizes[] = {
	{ "", "empty" },
	{ NULL, "empty" },
	{ "-1", "negative sizes make no sense" },
	{ "-64K", "negative sizes make no sense" },
	{ "+1", "no sign allowed" },
	{ "K", "missing number" },
	{ ".5K", "missing number" },
	{ "abc", "missing number" },
	{ "1.K", "missing digits after the point" },
	{ "1.", "missing digits after the point" },
	{ "64 K", "no blanks allowed" },
	{ " 64K", "no blanks allowed" },
	{ "64K ", "no blanks allowed" },
	{ "64\tK", "no blanks allowed" },
	{ "6 4", "no blanks allowed" },
	{ "64X", "unknown unit 'X' (use B, K, M, G)" },
	{ "1T", "unknown unit 'T' (use B, K, M, G)" },
	{ "64Kx", "unknown unit 'Kx' (use B, K, M, G)" },
	{ "0x10", "unknown unit 'x' (use B, K, M, G)" },
	{ "1e3", "unknown unit 'e' (use B, K, M, G)" },
	{ "1abcdefghijklmnopqrstuvwxyz", "unknown unit 'abcdefghijklmnop' (use B, K, M, G)" },
	{ "64K/s", "unexpected '/s' after the number" },
	{ "12.5.3", "unexpected '.3' after the number" },
	{ "1K2", "unexpected '2' after the number" },
	{ "1zz!", "unknown unit 'zz' (use B, K, M, G)" },
	{ "1K!", "unexpected '!' after the number" },
	{ "18446744073709551616", "too large" },
	{ "99999999999999999999999999", "too large" },
	{ "17179869184G", "too large" },
	{ "16777216T", "unknown unit 'T' (use B, K, M, G)" },
	{ "18446744073709551615.5K", "too large" },
	{ "17179869183.99999999999G", "not a whole number of bytes" },
	{ "0.1K", "not a whole number of bytes" },
	{ "1.5", "not a whole number of bytes" },
	{ "0.5B", "not a whole number of bytes" },
};

START_TEST(size_good)
{
	check_good(units_parse_size, &good_sizes[_i]);
}
END_TEST

START_TEST(size_bad)
{
	check_bad(units_parse_size, &bad_sizes[_i]);
}
END_TEST

/* ---- durations ---- */

static const struct good good_durations[] = {
	{ "0", 0 },
	{ "0s", 0 },
	{ "0ns", 0 },
	{ "1", 1000000000ULL },
	{ "2s", 2000000000ULL },
	{ "250ms", 250000000ULL },
	{ "100us", 100000 },
	{ "10ns", 10 },
	{ "1m", 60000000000ULL },
	{ "1.5m", 90000000000ULL },
	{ "1.5s", 1500000000ULL },
	{ "0.25s", 250000000ULL },
	{ "0.25", 250000000ULL },
	{ "1.5us", 1500 },
	{ "0.000000001s", 1 },
	{ "18446744073709551615ns", UINT64_MAX },
	{ "18446744073.709551615s", UINT64_MAX },
};

static const struct bad bad_durations[] = {
	{ "", "empty" },
	{ "-1s", "negative durations make no sense" },
	{ "+1s", "no sign allowed" },
	{ "s", "missing number" },
	{ "ms", "missing number" },
	{ ".5s", "missing number" },
	{ "1.s", "missing digits after the point" },
	{ "1 s", "no blanks allowed" },
	{ "1s ", "no blanks allowed" },
	{ "1h", "unknown unit 'h' (use ns, us, ms, s, m)" },
	{ "1S", "unknown unit 'S' (use ns, us, ms, s, m)" },
	{ "1MS", "unknown unit 'MS' (use ns, us, ms, s, m)" },
	{ "1sec", "unknown unit 'sec' (use ns, us, ms, s, m)" },
	{ "1K", "unknown unit 'K' (use ns, us, ms, s, m)" },
	{ "1s2", "unexpected '2' after the number" },
	{ "1s/s", "unexpected '/s' after the number" },
	{ "1.5ns", "not a whole number of nanoseconds" },
	{ "0.0000000001s", "not a whole number of nanoseconds" },
	{ "18446744074s", "too large" },
	{ "18446744073.709551616s", "too large" },
	{ "18446744073709551616ns", "too large" },
	{ "307445735m", "too large" },
};

START_TEST(duration_good)
{
	check_good(units_parse_duration, &good_durations[_i]);
}
END_TEST

START_TEST(duration_bad)
{
	check_bad(units_parse_duration, &bad_durations[_i]);
}
END_TEST

/* ---- rates ---- */

static const struct good good_rates[] = {
	{ "0", 0 },
	{ "1M/s", 1048576 },
	{ "64K", 65536 },
	{ "100/s", 100 },
	{ "1.5K/s", 1536 },
	{ "2GiB/s", 2147483648ULL },
};

static const struct bad bad_rates[] = {
	{ "", "empty" },
	{ "/s", "missing number" },
	{ "-1M/s", "negative sizes make no sense" },
	{ "1 M/s", "no blanks allowed" },
	{ "1M /s", "no blanks allowed" },
	{ "1X/s", "unknown unit 'X' (use B, K, M, G)" },
	{ "1M/m", "unexpected '/m' after the number" },
	{ "1M/", "unexpected '/' after the number" },
	{ "1M/s/s", "unexpected '/s/s' after the number" },
	{ "1M/sec", "unexpected '/sec' after the number" },
	{ "99999999999999999999/s", "too large" },
	{ "0.1K/s", "not a whole number of bytes" },
};

START_TEST(rate_good)
{
	check_good(units_parse_rate, &good_rates[_i]);
}
END_TEST

START_TEST(rate_bad)
{
	check_bad(units_parse_rate, &bad_rates[_i]);
}
END_TEST

START_TEST(err_buffer)
{
	char err[4];
	uint64_t v;

	/* a short err is cut but terminated; no err at all is allowed */
	ck_assert_int_eq(units_parse_size("", &v, err, sizeof err), -1);
	ck_assert_str_eq(err, "emp");
	ck_assert_int_eq(units_parse_size("x", &v, NULL, 0), -1);
	ck_assert_int_eq(units_parse_duration("x", &v, err, 0), -1);
	ck_assert_str_eq(err, "emp");
}
END_TEST

/* ---- formatters ---- */

struct fmt {
	uint64_t v;
	const char *want;
};

static const struct fmt thousands[] = {
	{ 0, "0" },
	{ 7, "7" },
	{ 999, "999" },
	{ 1000, "1,000" },
	{ 65536, "65,536" },
	{ 131072, "131,072" },
	{ 1234567, "1,234,567" },
	{ UINT64_MAX, "18,446,744,073,709,551,615" },
};

static const struct fmt sizes[] = {
	{ 0, "0 B" },
	{ 26, "26 B" },
	{ 1023, "1023 B" },
	{ 1024, "1 KiB" },
	{ 1025, "1.0 KiB" },
	{ 1126, "1.1 KiB" },
	{ 1536, "1.5 KiB" },
	{ 65536, "64 KiB" },
	{ 131072, "128 KiB" },
	{ 127283, "124.3 KiB" },
	{ 1048575, "1.0 MiB" },                   /* not "1024.0 KiB" */
	{ 1048576, "1 MiB" },
	{ 1572864, "1.5 MiB" },
	{ 1073741824, "1 GiB" },
	{ 1ULL << 40, "1 TiB" },
	{ 1ULL << 60, "1 EiB" },
	{ UINT64_MAX, "16.0 EiB" },
};

static const struct fmt durations[] = {
	{ 0, "0 ns" },
	{ 850, "850 ns" },
	{ 999, "999 ns" },
	{ 1000, "1 us" },
	{ 1499, "1 us" },
	{ 1500, "2 us" },
	{ 850000, "850 us" },
	{ 999499, "999 us" },
	{ 999500, "1.0 ms" },
	{ 12300000, "12.3 ms" },
	{ 12345678, "12.3 ms" },
	{ 999949999, "999.9 ms" },
	{ 999950000, "1.00 s" },
	{ 2000000000ULL, "2.00 s" },
	{ 2010000000ULL, "2.01 s" },
	{ 125004999999ULL, "125.00 s" },
	{ UINT64_MAX, "18446744073.71 s" },
};

START_TEST(format_thousands)
{
	char buf[64];

	units_format_thousands(thousands[_i].v, buf, sizeof buf);
	ck_assert_str_eq(buf, thousands[_i].want);
}
END_TEST

START_TEST(format_size)
{
	char buf[64];

	units_format_size(sizes[_i].v, buf, sizeof buf);
	ck_assert_str_eq(buf, sizes[_i].want);
}
END_TEST

START_TEST(format_duration)
{
	char buf[64];

	units_format_duration(durations[_i].v, buf, sizeof buf);
	ck_assert_str_eq(buf, durations[_i].want);
}
END_TEST

START_TEST(format_truncates)
{
	char buf[8];

	/* never past len, always terminated, len 0 leaves the buffer alone */
	memset(buf, 'x', sizeof buf);
	units_format_thousands(131072, buf, 4);
	ck_assert_str_eq(buf, "131");
	ck_assert_int_eq(buf[4], 'x');
	units_format_size(127283, buf, 5);
	ck_assert_str_eq(buf, "124.");
	units_format_duration(12300000, buf, 5);
	ck_assert_str_eq(buf, "12.3");
	units_format_duration(12300000, buf, 1);
	ck_assert_str_eq(buf, "");
	memset(buf, 'x', sizeof buf);
	units_format_size(1, buf, 0);
	units_format_thousands(1, buf, 0);
	units_format_duration(1, buf, 0);
	ck_assert_int_eq(buf[0], 'x');
}
END_TEST

static Suite *units_suite(void)
{
	Suite *s = suite_create("units");
	TCase *tc;

	tc = tcase_create("size");
	tcase_add_loop_test(tc, size_good, 0, N(good_sizes));
	tcase_add_loop_test(tc, size_bad, 0, N(bad_sizes));
	suite_add_tcase(s, tc);

	tc = tcase_create("duration");
	tcase_add_loop_test(tc, duration_good, 0, N(good_durations));
	tcase_add_loop_test(tc, duration_bad, 0, N(bad_durations));
	suite_add_tcase(s, tc);

	tc = tcase_create("rate");
	tcase_add_loop_test(tc, rate_good, 0, N(good_rates));
	tcase_add_loop_test(tc, rate_bad, 0, N(bad_rates));
	tcase_add_test(tc, err_buffer);
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_loop_test(tc, format_thousands, 0, N(thousands));
	tcase_add_loop_test(tc, format_size, 0, N(sizes));
	tcase_add_loop_test(tc, format_duration, 0, N(durations));
	tcase_add_test(tc, format_truncates);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(units_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

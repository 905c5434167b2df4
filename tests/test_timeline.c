/* Unit tests of common/timeline: what the writer writes, the reader reads back, exactly; and
 * the reader refuses what the writer would never write, saying where. */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "timeline.h"

static char path[64];

static void setup(void)
{
	int fd;

	snprintf(path, sizeof(path), "/tmp/flowlab-test-timeline.XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
}

static void teardown(void)
{
	unlink(path);
}

/* Read line n (from 0) of the log into buf. */
static void read_line(int n, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	ck_assert_ptr_nonnull(f);
	for (int i = 0; i <= n; i++)
		ck_assert_ptr_nonnull(fgets(buf, (int)len, f));
	fclose(f);
}

START_TEST(round_trip)
{
	struct timeline tl;
	struct tl_rec r;
	struct tl_event ev;
	char err[128], line[4096];
	int64_t v;
	const char *nasty = "quote \" backslash \\ tab \t newline \n bell \a end";

	ck_assert_int_eq(timeline_open(&tl, path, "slow_reader", err, sizeof(err)), 0);
	tl_rec_begin(&r, &tl, "sample", 123456789012345ull);
	tl_rec_int(&r, "recvq_bytes", 131072);
	tl_rec_int(&r, "negative", -42);
	tl_rec_int(&r, "max", INT64_MAX);
	tl_rec_int(&r, "min", INT64_MIN);
	tl_rec_str(&r, "text", nasty);
	tl_rec_str(&r, "empty", "");
	ck_assert_int_eq(tl_rec_emit(&tl, &r), 0);
	ck_assert_int_eq(timeline_event(&tl, "eof", 5), 0);
	ck_assert_int_eq(timeline_close(&tl, NULL, 0), 0);

	read_line(0, line, sizeof(line));
	ck_assert_int_eq(tl_event_parse(line, &ev, err, sizeof(err)), 0);
	ck_assert(tl_event_int(&ev, "t_ns", &v));
	ck_assert_int_eq(v, 123456789012345ll);
	ck_assert_str_eq(tl_event_str(&ev, "prog"), "slow_reader");
	ck_assert_str_eq(tl_event_str(&ev, "kind"), "sample");
	ck_assert(tl_event_int(&ev, "recvq_bytes", &v));
	ck_assert_int_eq(v, 131072);
	ck_assert(tl_event_int(&ev, "negative", &v));
	ck_assert_int_eq(v, -42);
	ck_assert(tl_event_int(&ev, "max", &v));
	ck_assert(v == INT64_MAX);
	ck_assert(tl_event_int(&ev, "min", &v));
	ck_assert(v == INT64_MIN);
	ck_assert_str_eq(tl_event_str(&ev, "text"), nasty);
	ck_assert_str_eq(tl_event_str(&ev, "empty"), "");
	/* Absent, or of the other type: not found. */
	ck_assert(!tl_event_int(&ev, "missing", &v));
	ck_assert(!tl_event_int(&ev, "text", &v));
	ck_assert_ptr_null(tl_event_str(&ev, "recvq_bytes"));
	tl_event_free(&ev);

	read_line(1, line, sizeof(line));
	ck_assert_int_eq(tl_event_parse(line, &ev, err, sizeof(err)), 0);
	ck_assert_str_eq(tl_event_str(&ev, "kind"), "eof");
	ck_assert_int_eq((int)ev.n, 3);
	tl_event_free(&ev);
}
END_TEST

START_TEST(one_write_per_line)
{
	struct timeline tl;
	char err[128], buf[8192];
	FILE *f;
	size_t n;

	/* The line must arrive whole: a reader following the file never sees half an event. */
	ck_assert_int_eq(timeline_open(&tl, path, "fast_peer", err, sizeof(err)), 0);
	for (int i = 0; i < 100; i++)
		ck_assert_int_eq(timeline_event(&tl, "write", (uint64_t)i), 0);
	ck_assert_int_eq(timeline_close(&tl, NULL, 0), 0);
	f = fopen(path, "r");
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	ck_assert_int_eq(buf[n - 1], '\n');
	n = 0;
	for (char *p = buf; (p = strchr(p, '\n')) != NULL; p++)
		n++;
	ck_assert_int_eq((int)n, 100);
}
END_TEST

START_TEST(overflow_keeps_whole_fields)
{
	struct timeline tl;
	struct tl_rec r;
	struct tl_event ev;
	char err[128], line[4096], name[16];

	ck_assert_int_eq(timeline_open(&tl, path, "p", err, sizeof(err)), 0);
	tl_rec_begin(&r, &tl, "big", 1);
	for (int i = 0; i < 400; i++) {
		snprintf(name, sizeof(name), "field_%d", i);
		tl_rec_int(&r, name, i);
	}
	ck_assert(r.overflow);
	ck_assert_int_eq(tl_rec_emit(&tl, &r), 0);
	ck_assert_int_eq(timeline_close(&tl, NULL, 0), 0);
	read_line(0, line, sizeof(line));
	/* Too many fields for the reader, but every one that was written is whole. */
	ck_assert_int_eq(tl_event_parse(line, &ev, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "too many fields"));
}
END_TEST

START_TEST(open_failure_names_the_call)
{
	struct timeline tl;
	char err[256];

	ck_assert_int_eq(timeline_open(&tl, "/nonexistent-dir/x.jsonl", "p", err, sizeof(err)),
			 -1);
	ck_assert_str_eq(err, "open(/nonexistent-dir/x.jsonl): No such file or directory");
	/* No path: a timeline that quietly drops events. */
	ck_assert_int_eq(timeline_open(&tl, NULL, "p", err, sizeof(err)), 0);
	ck_assert_int_eq(timeline_event(&tl, "x", 1), 0);
}
END_TEST

/* A full disk: the first failed write is kept and reported at close, naming the file and the
 * errno; nothing more is written after it. */
START_TEST(write_failure_is_reported)
{
	struct timeline tl;
	char err[256] = "";

	if (access("/dev/full", W_OK) != 0)
		return;        /* no /dev/full here: nothing to test with */
	ck_assert_int_eq(timeline_open(&tl, "/dev/full", "p", err, sizeof(err)), 0);
	errno = 0;
	ck_assert_int_eq(timeline_event(&tl, "start", 1), -1);
	ck_assert_int_eq(errno, ENOSPC);
	ck_assert_int_eq(tl.write_errno, ENOSPC);
	/* Later events are not written, and say why. */
	errno = 0;
	ck_assert_int_eq(timeline_event(&tl, "end", 2), -1);
	ck_assert_int_eq(errno, ENOSPC);
	ck_assert_int_eq(timeline_close(&tl, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "write(/dev/full): No space left on device");
	ck_assert_int_eq(tl.fd, -1);
}
END_TEST

/* A log whose descriptor went bad (closed under it): write says EBADF, close says it again,
 * and the write is the one reported. */
START_TEST(bad_descriptor_is_reported)
{
	struct timeline tl;
	char err[256] = "";

	ck_assert_int_eq(timeline_open(&tl, path, "p", err, sizeof(err)), 0);
	ck_assert_int_eq(timeline_event(&tl, "start", 1), 0);
	close(tl.fd);
	ck_assert_int_eq(timeline_event(&tl, "end", 2), -1);
	ck_assert_int_eq(timeline_close(&tl, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "write("));
	ck_assert_ptr_nonnull(strstr(err, "): Bad file descriptor"));
	/* No log at all: nothing to fail. */
	ck_assert_int_eq(timeline_open(&tl, NULL, "p", err, sizeof(err)), 0);
	ck_assert_int_eq(timeline_close(&tl, err, sizeof(err)), 0);
}
END_TEST

static const struct {
	const char *line;
	const char *reason;
} bad[] = {
	{ "", "column 1: expected '{'" },
	{ "[1]", "column 1: expected '{'" },
	{ "{\"a\":1", "column 7: expected ',' or '}'" },
	{ "{\"a\" 1}", "column 6: expected ':'" },
	{ "{a:1}", "column 2: expected '\"'" },
	{ "{\"a\":1.5}", "column 7: only integers are allowed" },
	{ "{\"a\":1e3}", "column 7: only integers are allowed" },
	{ "{\"a\":01}", "column 7: leading zero" },
	{ "{\"a\":99999999999999999999}", "column 25: number too large" },
	{ "{\"a\":9223372036854775808}", "column 25: number too large" },
	{ "{\"a\":true}", "column 6: expected a number or a string" },
	{ "{\"a\":\"x}", "column 9: unterminated string" },
	{ "{\"a\":\"\\q\"}", "column 8: unknown escape" },
	{ "{\"a\":\"\\u00e9\"}", "column 13: \\u escape outside ASCII" },
	{ "{\"a\":1,\"a\":2}", "column 11: duplicate field" },
	{ "{\"a\":1} x", "column 9: text after the object" },
	{ "{\"a\":{\"b\":1}}", "column 6: expected a number or a string" },
};

START_TEST(malformed_lines)
{
	struct tl_event ev;
	char err[128];

	ck_assert_int_eq(tl_event_parse(bad[_i].line, &ev, err, sizeof(err)), -1);
	ck_assert_str_eq(err, bad[_i].reason);
	ck_assert_ptr_null(ev.mem);
}
END_TEST

START_TEST(accepted_forms)
{
	struct tl_event ev;
	char err[128];
	int64_t v;

	ck_assert_int_eq(tl_event_parse(" { \"a\" : -9223372036854775808 , \"b\":\"\\u0041\\/\" }\r\n",
					&ev, err, sizeof(err)), 0);
	ck_assert(tl_event_int(&ev, "a", &v));
	ck_assert(v == INT64_MIN);
	ck_assert_str_eq(tl_event_str(&ev, "b"), "A/");
	tl_event_free(&ev);
	ck_assert_int_eq(tl_event_parse("{}", &ev, err, sizeof(err)), 0);
	ck_assert_int_eq((int)ev.n, 0);
	tl_event_free(&ev);
}
END_TEST

START_TEST(errno_names)
{
	ck_assert_str_eq(timeline_errno_name(ECONNRESET), "ECONNRESET");
	ck_assert_str_eq(timeline_errno_name(EPIPE), "EPIPE");
	ck_assert_str_eq(timeline_errno_name(EAGAIN), "EAGAIN");
	ck_assert_str_eq(timeline_errno_name(-1), "E?");
}
END_TEST

static Suite *timeline_suite(void)
{
	Suite *s = suite_create("timeline");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, one_write_per_line);
	tcase_add_test(tc, overflow_keeps_whole_fields);
	tcase_add_test(tc, open_failure_names_the_call);
	tcase_add_test(tc, write_failure_is_reported);
	tcase_add_test(tc, bad_descriptor_is_reported);
	tcase_add_loop_test(tc, malformed_lines, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, accepted_forms);
	tcase_add_test(tc, errno_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(timeline_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

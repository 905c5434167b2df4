/* predict: the class's guess beside what the run measured. Each lesson declares one question
 * whose answer is one of its figures (struct lesson); the scenario asks it before the run and
 * passes the answer given, and this grades it once the figures are known, with the lesson's
 * reason for what the kernel did. */
#include "render.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

/* How a guess for a figure of this unit is written: a size or a duration. */
static int unit_is_size(enum unit u)
{
	return u == U_BYTES || u == U_COUNT || u == U_KIB;
}

const char *predict_hint(enum unit u)
{
	return unit_is_size(u) ? "a size, such as 64K or 100000" : "a duration, such as 2s or 500ms";
}

/* The guess in the figure's own unit. 0, or -1 with why it is not one. */
static int parse_guess(const char *guess, enum unit u, int64_t *v, char *err, size_t errlen)
{
	uint64_t x;

	if (unit_is_size(u)) {
		if (units_parse_size(guess, &x, err, errlen) < 0)
			return -1;
		*v = u == U_KIB ? (int64_t)(x / 1024) : (int64_t)x;
		return 0;
	}
	if (units_parse_duration(guess, &x, err, errlen) < 0)
		return -1;
	/* To the figure's unit: whole us, tenths of a ms, whole ms. */
	*v = u == U_US ? div_round((int64_t)x, NS_PER_US)
	     : u == U_MS1 ? div_round((int64_t)x, NS_PER_MS / 10) : div_round((int64_t)x, NS_PER_MS);
	return 0;
}

/* Check --predict's guess before anything runs: 0, or -1 with one line in err. */
int predict_check(const struct options *o, char *err, size_t errlen)
{
	char why[128];
	int64_t v;

	if (o->lesson->answer == NULL) {
		snprintf(err, errlen, "--predict: the %s lesson asks no question", o->lesson->name);
		return -1;
	}
	if (parse_guess(o->predict, o->lesson->answer_unit, &v, why, sizeof(why)) == 0)
		return 0;
	snprintf(err, errlen, "--predict: bad value '%s': %s (give %s)", o->predict, why,
		 predict_hint(o->lesson->answer_unit));
	return -1;
}

/* The grade, after the summary: the guess and the figure in the same human form, how far
 * apart, and the lesson's why. Nothing when this run does not have the answer. */
int print_prediction(FILE *out, const struct options *o, const void *facts,
		     const struct figs *fs)
{
	const struct lesson *l = o->lesson;
	const struct figure *f = l->answer ? fig_find(fs, l->answer) : NULL;
	struct story s = { { NULL, 0, 0, 0 }, o, fs, 0 };
	struct figure guess;
	char a[96], b[96], ratio[48], err[128], line[400];

	/* The guess is about one run of a comparison: its figures' prefix. */
	if (o->predict == NULL || f == NULL || f->text ||
	    (l->answer_run && strcmp(o->figure_prefix, l->answer_run) != 0))
		return 0;
	guess = *f;
	if (parse_guess(o->predict, f->unit, &guess.v, err, sizeof(err)) < 0)
		return 0;       /* predict_check said so before the run */
	fig_human(&guess, a, sizeof(a));
	fig_human(f, b, sizeof(b));
	fputs("\nYour prediction\n", out);
	print_wrapped(out, l->question, wrap_cols(o));
	if (f->v == guess.v)
		snprintf(ratio, sizeof(ratio), "exactly your guess");
	else if (f->v == 0)
		snprintf(ratio, sizeof(ratio), "none at all");
	else if (guess.v <= 0 || f->v < 0)
		snprintf(ratio, sizeof(ratio), "more than your guess");
	else if (f->v * 10 >= guess.v * 9 && f->v * 10 <= guess.v * 11)
		snprintf(ratio, sizeof(ratio), "within 10%% of your guess");
	else if (f->v > guess.v)
		snprintf(ratio, sizeof(ratio), "%s times your guess",
			 fmt_fixed(err, sizeof(err), f->v * 10 / guess.v, 10, 1));
	else
		snprintf(ratio, sizeof(ratio), "%" PRId64 "%% of your guess", f->v * 100 / guess.v);
	snprintf(line, sizeof(line), "You guessed %s; the run measured %s (%s): %s.", a, b, f->name,
		 ratio);
	print_wrapped(out, line, wrap_cols(o));
	if (l->why) {
		say(&s, "Why: ");
		l->why(&s, facts);
		if (s.t.oom) {
			free(s.t.s);
			return -1;
		}
		print_wrapped(out, s.t.s ? s.t.s : "", wrap_cols(o));
		free(s.t.s);
	}
	return 0;
}

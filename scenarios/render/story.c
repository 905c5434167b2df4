/* story: the summary paragraph, which tells the lesson with the measured figures: the lesson
 * writes it (its summary()), from pieces every lesson's paragraph may use, kept here. */
#include "render.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define WRAP_COLS 96

void story_buffer(struct text *t, int seen, const char *side, const char *buffer,
		  const char *opt, struct opt req, struct opt act)
{
	char a[48], b[48];

	if (!seen)
		return;
	if (req.has && act.has) {
		text_add(t, "The %s asked for a %s %s buffer; the kernel set %s (", side,
			 fmt_size(a, sizeof(a), req.v), buffer, fmt_size(b, sizeof(b), act.v));
		if (act.v == 2 * req.v)
			text_add(t, "Linux doubles %s; ", opt);
		text_add(t, "the reference document says %s).", REFERENCE_BUF_TEXT);
	} else if (act.has)
		text_add(t, "The %s left its %s buffer to the kernel, which set %s (the reference "
			 "document says %s).", side, buffer, fmt_size(a, sizeof(a), act.v),
			 REFERENCE_BUF_TEXT);
	else if (req.has)
		text_add(t, "The %s asked for a %s %s buffer; its log does not say what the "
			 "kernel set.", side, fmt_size(a, sizeof(a), req.v), buffer);
	else
		text_add(t, "The %s's log does not say how big its %s buffer was.", side, buffer);
}

/* "1,048,576 bytes sent, 1,048,576 received and checked, 0 lost, 0 pattern errors." */
void story_totals(struct text *t, struct opt sent, struct opt received, struct opt lost,
		  struct opt pattern_errors)
{
	const char *sep = " ";
	char a[48];
	int words = 0;

	if (sent.has) {
		text_add(t, "%s%s bytes sent", sep, fmt_count(a, sizeof(a), sent.v));
		sep = ", ";
		words = 1;
	}
	if (received.has) {
		text_add(t, "%s%s%s received%s", sep, fmt_count(a, sizeof(a), received.v),
			 words ? "" : " bytes", pattern_errors.has ? " and checked" : "");
		sep = ", ";
		words = 1;
	}
	if (lost.has) {
		text_add(t, "%s%s lost", sep, fmt_count(a, sizeof(a), lost.v));
		sep = ", ";
	}
	if (pattern_errors.has) {
		text_add(t, "%s%s pattern %s", sep, fmt_count(a, sizeof(a), pattern_errors.v),
			 plural(pattern_errors.v, "error", "errors"));
		sep = ", ";
	}
	if (strcmp(sep, ", ") == 0)
		text_add(t, ".");
}

int print_summary(FILE *out, const struct options *o, const void *facts, const struct figs *fs)
{
	struct story s = { { NULL, 0, 0, 0 }, o, fs, o->trace };

	o->lesson->summary(&s, facts);
	if (s.t.oom) {
		free(s.t.s);
		return -1;
	}
	fputs("\nSummary\n", out);
	/* Traced, on one line: the marks around each figure would break the wrapping. */
	if (o->trace)
		fprintf(out, "%s\n", s.t.s ? s.t.s : "");
	else
		print_wrapped(out, s.t.s ? s.t.s : "", WRAP_COLS);
	free(s.t.s);
	return 0;
}

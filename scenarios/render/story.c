/* story: the summary paragraph, which tells the lesson with its figures: the lesson writes it
 * (its summary()) with say(), from pieces every lesson's paragraph may use, kept here. */
#include "render.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define WRAP_COLS 96

/* "The reader asked for a 64 KiB receive buffer; the kernel set 128 KiB (Linux doubles
 * SO_RCVBUF; the reference document says 64 KB).", from the figures FIG_requested,
 * FIG_actual and FIG_reference. */
void story_buffer(struct story *s, int seen, const char *side, const char *buffer,
		  const char *opt, const char *fig)
{
	char req[64], act[64], ref[64];

	if (!seen)
		return;
	snprintf(req, sizeof(req), "%s_requested", fig);
	snprintf(act, sizeof(act), "%s_actual", fig);
	snprintf(ref, sizeof(ref), "%s_reference", fig);
	if (has(s, req) && has(s, act)) {
		say(s, "The %s asked for a %F %s buffer; the kernel set %F (", side, req, buffer,
		    act);
		if (val(s, act) == 2 * val(s, req))
			say(s, "Linux doubles %s; ", opt);
		say(s, "the reference document says %F).", ref);
	} else if (has(s, act)) {
		say(s, "The %s left its %s buffer to the kernel, which set %F (the reference "
		    "document says %F).", side, buffer, act, ref);
	} else if (has(s, req)) {
		say(s, "The %s asked for a %F %s buffer; its log does not say what the kernel "
		    "set.", side, req, buffer);
	} else {
		say(s, "The %s's log does not say how big its %s buffer was.", side, buffer);
	}
}

/* "1,048,576 bytes sent, 1,048,576 received and checked, 0 lost, 0 pattern errors.", from the
 * figures named (NULL: not told). */
void story_totals(struct story *s, const char *sent, const char *received, const char *lost,
		  const char *pattern_errors)
{
	const char *sep = " ";
	int words = 0, checked = pattern_errors && has(s, pattern_errors);

	if (sent && has(s, sent)) {
		say(s, "%s%F bytes sent", sep, sent);
		sep = ", ";
		words = 1;
	}
	if (received && has(s, received)) {
		say(s, "%s%F%s received%s", sep, received, words ? "" : " bytes",
		    checked ? " and checked" : "");
		sep = ", ";
		words = 1;
	}
	if (lost && has(s, lost)) {
		say(s, "%s%F lost", sep, lost);
		sep = ", ";
	}
	if (checked) {
		say(s, "%s%F pattern %s", sep, pattern_errors,
		    plural(val(s, pattern_errors), "error", "errors"));
		sep = ", ";
	}
	if (strcmp(sep, ", ") == 0)
		say(s, ".");
}

/* Where the paragraphs wrap: WRAP_COLS, or the narrow table's width if less. */
int wrap_cols(const struct options *o)
{
	return o->width > 0 && o->width < WRAP_COLS ? o->width : WRAP_COLS;
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
		fprintf(out, "%s\n", s.t.s ? s.t.s + strspn(s.t.s, " ") : "");
	else
		print_wrapped(out, s.t.s ? s.t.s : "", wrap_cols(o));
	free(s.t.s);
	return 0;
}

/* After the summary: the logs that end without their end event (a program killed, or still
 * running), and a capture's left out for it. */
void print_incomplete(FILE *out, const struct options *o, const struct run *run)
{
	char line[1024];

	for (size_t i = 0; i < run->nlogs; i++) {
		const struct logfile *lg = &run->logs[i];
		int capture = lg->prog && strcmp(lg->prog, CAPTURE_PROG) == 0;

		if (lg->ended || lg->prog == NULL)
			continue;
		snprintf(line, sizeof(line), "Incomplete: %s has no end event (%s was stopped "
			 "before it could log one, or is still running)%s", lg->path, lg->prog,
			 capture ? ": what it saw is not all that crossed the wire, so the wire is "
				   "left out of the lesson" : ": its figures may be partial");
		putc('\n', out);
		print_wrapped(out, line, wrap_cols(o));
	}
}

/* The verdict's paragraph, after the summary: who was slow, and the evidence, from the figures. */
int print_verdict(FILE *out, const struct options *o, const struct figs *fs)
{
	struct story s = { { NULL, 0, 0, 0 }, o, fs, o->trace };

	verdict_say(&s);
	if (s.t.oom) {
		free(s.t.s);
		return -1;
	}
	if (s.t.s == NULL && o->verdict)
		fputs("\nWho was slow\nNot known: no log of a sender that sampled its socket and "
		      "logged its end.\n", out);
	if (s.t.s) {
		fputs("\nWho was slow\n", out);
		if (o->trace)
			fprintf(out, "%s\n", s.t.s + strspn(s.t.s, " "));
		else
			print_wrapped(out, s.t.s, wrap_cols(o));
	}
	free(s.t.s);
	return 0;
}

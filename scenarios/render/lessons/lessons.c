/* The lessons, in the order to teach them: the one place that lists them. Adding a lesson is a
 * file of its own under lessons/, one line here, its script and its test. */
#include "lessons.h"

#include <stdlib.h>
#include <string.h>

extern const struct lesson lesson_window_zero, lesson_blocked_write, lesson_buffer_sizes,
	lesson_slow_network,
	lesson_request_response, lesson_retransmit, lesson_read_timeout, lesson_write_timeout,
	lesson_backpressure;

const struct lesson *const lessons[] = {
	&lesson_window_zero,
	&lesson_blocked_write,
	&lesson_buffer_sizes,
	&lesson_slow_network,
	&lesson_request_response,
	&lesson_retransmit,
	&lesson_read_timeout,
	&lesson_write_timeout,
	&lesson_backpressure,
	NULL,
};

const struct lesson *lesson_find(const char *name)
{
	for (size_t i = 0; lessons[i]; i++)
		if (strcmp(lessons[i]->name, name) == 0)
			return lessons[i];
	return NULL;
}

/* The facts of a whole run: one fold of its events, then what needs them all. */
int facts_of(const struct run *run, const struct options *o, void **facts)
{
	const struct lesson *l = o->lesson;
	struct fold c = { o, run, run->zero_ns, NULL, NULL, o->plot != NULL, 0 };
	int rc = 0;

	*facts = calloc(1, l->facts_size);
	if (*facts == NULL)
		return -1;
	l->start(*facts, &c);
	for (size_t i = 0; i < run->n && rc == 0; i++)
		rc = l->event(*facts, &run->ev[i], &c);
	if (rc == 0)
		rc = l->finish(*facts, &c);
	return rc;
}

void facts_free(const struct lesson *l, void *facts)
{
	if (facts)
		l->release(facts);
	free(facts);
}

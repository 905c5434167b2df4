/* The lessons, in the order to teach them: the one place that lists them. Adding a lesson is a
 * file of its own under lessons/, one line here, its script and its test. */
#include "lessons.h"

#include <string.h>

extern const struct lesson lesson_window_zero, lesson_blocked_write, lesson_request_response,
	lesson_read_timeout, lesson_write_timeout, lesson_backpressure;

const struct lesson *const lessons[] = {
	&lesson_window_zero,
	&lesson_blocked_write,
	&lesson_request_response,
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

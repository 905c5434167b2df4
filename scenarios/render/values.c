/* values: the figures as name=value lines, every name after --figure-prefix, for tests that
 * assert bands and for two runs' figures side by side. A figure the logs do not give is left
 * out, never printed as 0. The lesson says which figures it has (its figures()); here are the
 * ways to print one. */
#include "render.h"

#include <inttypes.h>
#include <stdio.h>

/* A figure that is always known (a count, a flag, the reference document's). */
void fig_int(const struct figout *fo, const char *name, int64_t v)
{
	fprintf(fo->out, "%s%s=%" PRId64 "\n", fo->prefix, name, v);
}

void fig(const struct figout *fo, const char *name, struct opt v)
{
	if (v.has)
		fig_int(fo, name, v.v);
}

/* A figure kept in a finer unit, printed rounded to a coarser one (us -> ms). */
void fig_div(const struct figout *fo, const char *name, struct opt v, int64_t per)
{
	if (v.has)
		fig_int(fo, name, div_round(v.v, per));
}

/* num / den with one decimal, when both are known and den > 0. */
void fig_dec1(const struct figout *fo, const char *name, int has, int64_t num,
		     int64_t den)
{
	char a[48];

	if (has && den > 0)
		fprintf(fo->out, "%s%s=%s\n", fo->prefix, name,
			fmt_fixed(a, sizeof(a), num, den, 1));
}

/* A figure in a finer unit with one decimal of a coarser one (us -> ms: 1023.6). */
void fig_opt_dec1(const struct figout *fo, const char *name, struct opt v, int64_t per)
{
	fig_dec1(fo, name, v.has, v.v, per);
}

void print_figures(FILE *out, const struct options *o, const void *facts)
{
	struct figout fo = { out, o->figure_prefix };

	fputs("\nFigures\n", out);
	o->lesson->figures(&fo, facts);
}

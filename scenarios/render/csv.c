/* csv: --csv, the merged timeline as CSV, one row per event. Its columns are every field name
 * in the order of its first appearance in the timeline: the loader notes each name as it reads
 * a line (columns_note), and each row is read again from its log. */
#include "render.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- CSV columns: every field name, in order of its first appearance in the timeline ---- */

static size_t name_hash(const char *s)
{
	uint64_t h = UINT64_C(14695981039346656037);

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	return (size_t)h;
}

static size_t *columns_slot(const struct columns *c, const char *name)
{
	size_t mask = c->nslot - 1, i = name_hash(name) & mask;

	while (c->slot[i] && strcmp(c->col[c->slot[i] - 1].name, name) != 0)
		i = (i + 1) & mask;
	return &c->slot[i];
}

static long columns_find(const struct columns *c, const char *name)
{
	size_t *s;

	if (c->nslot == 0)
		return -1;
	s = columns_slot(c, name);
	return *s ? (long)(*s - 1) : -1;
}

static int columns_rehash(struct columns *c)
{
	size_t nslot = c->nslot ? c->nslot * 2 : 64;
	size_t *slot = calloc(nslot, sizeof(*slot));

	if (slot == NULL)
		return -1;
	free(c->slot);
	c->slot = slot;
	c->nslot = nslot;
	for (size_t i = 0; i < c->n; i++)
		*columns_slot(c, c->col[i].name) = i + 1;
	return 0;
}

static int key_before(int64_t ta, size_t sa, size_t pa, int64_t tb, size_t sb, size_t pb)
{
	if (ta != tb)
		return ta < tb;
	if (sa != sb)
		return sa < sb;
	return pa < pb;
}

/* Note that field `name` appears in the event (t_ns, seq) at place pos. */
int columns_note(struct columns *c, const char *name, int64_t t_ns, size_t seq, size_t pos)
{
	struct column *col;
	size_t *s;

	if ((c->n + 1) * 2 > c->nslot && columns_rehash(c) < 0)
		return -1;
	s = columns_slot(c, name);
	if (*s) {
		col = &c->col[*s - 1];
		if (key_before(t_ns, seq, pos, col->t_ns, col->seq, col->pos)) {
			col->t_ns = t_ns;
			col->seq = seq;
			col->pos = pos;
		}
		return 0;
	}
	if (grow(&c->col, &c->cap, c->n + 1, sizeof(*c->col)) < 0)
		return -1;
	col = &c->col[c->n];
	col->name = strdup(name);
	if (col->name == NULL)
		return -1;
	col->t_ns = t_ns;
	col->seq = seq;
	col->pos = pos;
	*s = ++c->n;
	return 0;
}

void columns_free(struct columns *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->col[i].name);
	free(c->col);
	free(c->slot);
}

/* ---- --csv ---- */

/* RFC 4180: quoted only when it holds a comma, a quote or a line break. */
static void csv_str(FILE *out, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	putc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', out);
		putc(*s, out);
	}
	putc('"', out);
}

static int column_cmp(const void *a, const void *b, void *arg)
{
	const struct column *col = arg;
	const struct column *x = &col[*(const size_t *)a], *y = &col[*(const size_t *)b];

	if (key_before(x->t_ns, x->seq, x->pos, y->t_ns, y->seq, y->pos))
		return -1;
	return key_before(y->t_ns, y->seq, y->pos, x->t_ns, x->seq, x->pos);
}

static int csv_row(FILE *out, const struct run *run, const struct event *e, const size_t *place,
		   const struct tl_field **cells, char **line, size_t *cap, char *err,
		   size_t errlen)
{
	struct logfile *lg = &run->logs[e->log];
	struct tl_event tev;
	char why[160], t_ms[48];
	const char *prog, *kind;

	if (fseeko(lg->fp, e->off, SEEK_SET) != 0 || getline(line, cap, lg->fp) < 0) {
		snprintf(err, errlen, "read(%s): %s", lg->path,
			 errno ? strerror(errno) : "the file got shorter");
		return -1;
	}
	if (tl_event_parse(*line, &tev, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s: changed while being read: %s", lg->path, why);
		return -1;
	}
	prog = tl_event_str(&tev, "prog");
	kind = tl_event_str(&tev, "kind");
	memset(cells, 0, run->cols.n * sizeof(*cells));
	for (size_t i = 0; i < tev.n; i++) {
		long c = columns_find(&run->cols, tev.f[i].name);

		if (c >= 0)
			cells[place[c]] = &tev.f[i];
	}
	fputs(fmt_fixed(t_ms, sizeof(t_ms), e->t_ns - run->zero_ns, NS_PER_MS, 3), out);
	putc(',', out);
	csv_str(out, prog ? prog : "");
	putc(',', out);
	csv_str(out, kind ? kind : "");
	for (size_t c = 0; c < run->cols.n; c++) {
		putc(',', out);
		if (cells[c] == NULL)
			continue;
		if (cells[c]->is_str)
			csv_str(out, cells[c]->s);
		else
			fprintf(out, "%" PRId64, cells[c]->i);
	}
	putc('\n', out);
	tl_event_free(&tev);
	return 0;
}

int write_csv(FILE *out, const struct run *run, const char *path, char *err, size_t errlen)
{
	size_t ncol = run->cols.n;
	size_t *order = malloc((ncol + 1) * sizeof(*order));
	size_t *place = malloc((ncol + 1) * sizeof(*place));
	const struct tl_field **cells = malloc((ncol + 1) * sizeof(*cells));
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;

	if (order == NULL || place == NULL || cells == NULL) {
		snprintf(err, errlen, "--csv: out of memory");
		rc = -1;
		goto done;
	}
	for (size_t i = 0; i < ncol; i++)
		order[i] = i;
	qsort_r(order, ncol, sizeof(*order), column_cmp, run->cols.col);
	fputs("t_ms,prog,kind", out);
	for (size_t i = 0; i < ncol; i++) {
		place[order[i]] = i;
		putc(',', out);
		csv_str(out, run->cols.col[order[i]].name);
	}
	putc('\n', out);
	for (size_t i = 0; i < run->n && rc == 0; i++) {
		errno = 0;
		rc = csv_row(out, run, &run->ev[i], place, cells, &line, &cap, err, errlen);
	}
	if (rc == 0 && (fflush(out) != 0 || ferror(out))) {
		snprintf(err, errlen, "--csv: write(%s): %s", path, strerror(errno));
		rc = -1;
	}
done:
	free(line);
	free(cells);
	free(place);
	free(order);
	return rc;
}

/* damage_shim: an LD_PRELOAD library that damages the stream a receiver reads, so that a test
 * can prove the receiver notices, at the right offset, the kinds of damage a pattern with a short
 * period would let through (tests/damage.sh).
 *
 * It stands between the program and its one connected TCP socket: read(), recv(), recvfrom()
 * and readv() on that socket (the programs use read(); libevent's buffers use readv) take the
 * bytes from the kernel and hand the program the stream as damaged. Every other descriptor, and
 * every call while FLOWLAB_DAMAGE is unset, goes straight through.
 *
 *   FLOWLAB_DAMAGE      drop, dup, swap or flip
 *   FLOWLAB_DAMAGE_AT   the stream offset where the damaged stretch starts
 *   FLOWLAB_DAMAGE_LEN  its length in bytes (default 1)
 *   FLOWLAB_DAMAGE_LOG  a file to which the shim appends "damaged_at=N" when it damages: N is
 *                       the offset in the stream the program reads of the first byte that is
 *                       not the one sent there (drop, swap, flip: AT; dup: AT + LEN, where the
 *                       repeat begins)
 *
 * drop leaves out bytes [AT, AT+LEN); dup hands them over twice; swap hands over
 * [AT+LEN, AT+2*LEN) before [AT, AT+LEN); flip inverts every bit of [AT, AT+LEN). A stream that
 * ends before a swap is whole hands over what it kept at the end.
 *
 * A test library, not a lesson: a setting it cannot use makes it say so and abort, so that a
 * run the shim did not damage cannot pass for one it did. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

enum mode { M_OFF, M_DROP, M_DUP, M_SWAP, M_FLIP };

/* The bytes taken from the socket at a time. */
#define CHUNK 65536

static struct {
	enum mode mode;
	uint64_t at, len;
	const char *log;
	pthread_mutex_t lock;
	int fd;                    /* the connection, -1 until its first read */
	dev_t dev;
	ino_t ino;
	uint64_t in;               /* bytes taken from the socket: its stream offset */
	uint64_t queued;           /* bytes put in q so far: the program's stream offset */
	uint8_t *q;                /* damaged bytes not yet handed over: q[head, head + qlen) */
	size_t head, qlen, qcap;
	uint8_t *kept;             /* dup, swap: the stretch [at, at + len) */
	int kept_out;              /* it has been put in q */
	int eof;
	int damaged;
	uint8_t chunk[CHUNK];
} st = { .lock = PTHREAD_MUTEX_INITIALIZER, .fd = -1 };

static ssize_t (*real_read)(int, void *, size_t);
static ssize_t (*real_recv)(int, void *, size_t, int);
static ssize_t (*real_recvfrom)(int, void *, size_t, int, struct sockaddr *, socklen_t *);
static ssize_t (*real_readv)(int, const struct iovec *, int);

static void die(const char *what)
{
	char msg[256];
	int n = snprintf(msg, sizeof(msg), "damage_shim: %s\n", what);

	if (n > 0)
		(void)!write(2, msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
	abort();
}

static uint64_t env_u64(const char *name, uint64_t dflt)
{
	const char *s = getenv(name);
	char *end;
	uint64_t v;

	if (s == NULL || *s == '\0')
		return dflt;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0)
		die("FLOWLAB_DAMAGE_AT and FLOWLAB_DAMAGE_LEN are byte counts");
	return v;
}

__attribute__((constructor)) static void shim_init(void)
{
	static const char *const names[] = { "", "drop", "dup", "swap", "flip" };
	const char *m = getenv("FLOWLAB_DAMAGE");

	real_read = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
	real_recv = (ssize_t (*)(int, void *, size_t, int))dlsym(RTLD_NEXT, "recv");
	real_recvfrom = (ssize_t (*)(int, void *, size_t, int, struct sockaddr *,
				      socklen_t *))dlsym(RTLD_NEXT, "recvfrom");
	real_readv = (ssize_t (*)(int, const struct iovec *, int))dlsym(RTLD_NEXT, "readv");
	if (!real_read || !real_recv || !real_recvfrom || !real_readv)
		die("dlsym(RTLD_NEXT): the C library's read, recv, recvfrom or readv not found");
	if (m == NULL || *m == '\0')
		return;
	for (size_t i = 1; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(m, names[i]) == 0)
			st.mode = (enum mode)i;
	if (st.mode == M_OFF)
		die("FLOWLAB_DAMAGE: use drop, dup, swap or flip");
	st.at = env_u64("FLOWLAB_DAMAGE_AT", 0);
	st.len = env_u64("FLOWLAB_DAMAGE_LEN", 1);
	st.log = getenv("FLOWLAB_DAMAGE_LOG");
	if (st.len == 0 || st.len > (64u << 20) || st.at > UINT64_MAX - 2 * st.len)
		die("FLOWLAB_DAMAGE_LEN: from 1 byte to 64M, and AT + 2 * LEN below 2^64");
	if (st.mode == M_DUP || st.mode == M_SWAP) {
		st.kept = malloc(st.len);
		if (st.kept == NULL)
			die("malloc: out of memory");
	}
}

/* Is fd the connection to damage? The first connected TCP socket read is; after that, only it. */
static int is_target(int fd)
{
	struct stat sb;
	int type = 0, domain = 0;
	socklen_t len = sizeof(int);
	struct sockaddr_storage peer;
	socklen_t plen = sizeof(peer);

	int yes = 0;

	if (st.mode == M_OFF || fstat(fd, &sb) < 0 || !S_ISSOCK(sb.st_mode))
		return 0;
	/* fast_peer --io blocking reads on a worker thread, libevent's own sockets on the main */
	pthread_mutex_lock(&st.lock);
	if (st.fd >= 0) {
		yes = fd == st.fd && sb.st_dev == st.dev && sb.st_ino == st.ino;
	} else if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_STREAM &&
		   (len = sizeof(int), getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len)) == 0 &&
		   (domain == AF_INET || domain == AF_INET6) &&
		   getpeername(fd, (struct sockaddr *)&peer, &plen) == 0) {
		st.fd = fd;
		st.dev = sb.st_dev;
		st.ino = sb.st_ino;
		yes = 1;
	}
	pthread_mutex_unlock(&st.lock);
	return yes;
}

/* The program's stream offset of the next byte put in q is where the damage shows: say it. */
static void mark_damage(void)
{
	char line[64];
	int fd, n;

	if (st.damaged)
		return;
	st.damaged = 1;
	if (st.log == NULL)
		return;
	n = snprintf(line, sizeof(line), "damaged_at=%" PRIu64 "\n", st.queued);
	fd = open(st.log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, line, (size_t)n) != n)
		die("cannot write FLOWLAB_DAMAGE_LOG");
	close(fd);
}

static void put(const uint8_t *b, size_t n)
{
	if (n == 0)
		return;
	if (st.head > 0 && st.qlen > 0)
		memmove(st.q, st.q + st.head, st.qlen);
	st.head = 0;
	if (st.qlen + n > st.qcap) {
		size_t cap = (st.qlen + n) * 2;
		uint8_t *q = realloc(st.q, cap);

		if (q == NULL)
			die("realloc: out of memory");
		st.q = q;
		st.qcap = cap;
	}
	memcpy(st.q + st.qlen, b, n);
	st.qlen += n;
	st.queued += n;
}

/* The first n bytes kept of [at, at + len): all of them, or what came before the stream ended. */
static void put_kept(uint64_t n)
{
	if (st.kept_out)
		return;
	st.kept_out = 1;
	put(st.kept, (size_t)n);
}

/* n bytes taken from the socket, at its stream offset st.in: into q, damaged. */
static void feed(const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++, st.in++) {
		uint64_t r = st.in;
		uint8_t c = b[i];
		int in_first = r >= st.at && r - st.at < st.len;
		int in_second = r >= st.at + st.len && r - st.at - st.len < st.len;

		switch (st.mode) {
		case M_OFF:
			put(&c, 1);
			break;
		case M_FLIP:
			if (in_first) {
				mark_damage();
				c ^= 0xff;
			}
			put(&c, 1);
			break;
		case M_DROP:
			if (in_first)
				mark_damage();
			else
				put(&c, 1);
			break;
		case M_DUP:
			put(&c, 1);
			if (in_first) {
				st.kept[r - st.at] = c;
				if (r - st.at == st.len - 1) {
					mark_damage();
					put_kept(st.len);
				}
			}
			break;
		case M_SWAP:
			if (in_first) {
				st.kept[r - st.at] = c;
				break;
			}
			if (in_second && r == st.at + st.len)
				mark_damage();
			put(&c, 1);
			if (in_second && r - st.at - st.len == st.len - 1)
				put_kept(st.len);
			break;
		}
	}
}

/* The damaged stream's next bytes, at most n, as read() would return them. fetch takes bytes
 * from the socket (read, recv, recvfrom with the program's flags). */
static ssize_t serve(int fd, void *buf, size_t n, int flags)
{
	ssize_t got;
	size_t k;

	if (n == 0)
		return 0;
	pthread_mutex_lock(&st.lock);
	while (st.qlen == 0 && !st.eof) {
		got = real_recv(fd, st.chunk, n < CHUNK ? n : CHUNK, flags);
		if (got < 0) {
			int e = errno;

			pthread_mutex_unlock(&st.lock);
			errno = e;
			return -1;
		}
		if (got == 0) {
			st.eof = 1;
			/* A swap the stream ended inside: what was kept still comes. */
			if (st.mode == M_SWAP && st.in > st.at)
				put_kept(st.in - st.at < st.len ? st.in - st.at : st.len);
			break;
		}
		feed(st.chunk, (size_t)got);
	}
	k = n < st.qlen ? n : st.qlen;
	memcpy(buf, st.q + st.head, k);
	st.head += k;
	st.qlen -= k;
	pthread_mutex_unlock(&st.lock);
	return (ssize_t)k;
}

/* Flags the shim can honour: it takes the bytes with them, then damages. */
static void check_flags(int flags, const char *call)
{
	if (flags & ~(MSG_DONTWAIT | MSG_NOSIGNAL | MSG_CMSG_CLOEXEC)) {
		char what[96];

		snprintf(what, sizeof(what), "%s(flags 0x%x) on the damaged connection", call, flags);
		die(what);
	}
}

ssize_t read(int fd, void *buf, size_t n)
{
	if (!is_target(fd))
		return real_read(fd, buf, n);
	return serve(fd, buf, n, 0);
}

ssize_t recv(int fd, void *buf, size_t n, int flags)
{
	if (!is_target(fd))
		return real_recv(fd, buf, n, flags);
	check_flags(flags, "recv");
	return serve(fd, buf, n, flags);
}

ssize_t recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *from,
		 socklen_t *fromlen)
{
	if (!is_target(fd))
		return real_recvfrom(fd, buf, n, flags, from, fromlen);
	check_flags(flags, "recvfrom");
	if (from != NULL && fromlen != NULL)
		*fromlen = 0;           /* a connected stream socket says nothing here either */
	return serve(fd, buf, n, flags);
}

/* Into the first buffer that has room: a short read, which readv() may always return. */
ssize_t readv(int fd, const struct iovec *iov, int iovcnt)
{
	if (!is_target(fd))
		return real_readv(fd, iov, iovcnt);
	for (int i = 0; i < iovcnt; i++)
		if (iov[i].iov_len > 0)
			return serve(fd, iov[i].iov_base, iov[i].iov_len, 0);
	return 0;
}

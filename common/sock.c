/* sock: see sock.h. */
#include "sock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* The caller may look at errno too (EMFILE is not ECONNABORTED): it is left as the call set it. */
static int fail(char *err, size_t errlen, const char *call)
{
	int e = errno;

	snprintf(err, errlen, "%s: %s", call, strerror(e));
	errno = e;
	return -1;
}

int sock_parse_addr(const char *text, struct sock_opts *o, char *hostbuf, size_t hostlen,
		    char *err, size_t errlen)
{
	const char *colon = strrchr(text, ':');
	const char *portstr = text;
	char *end;
	unsigned long port;

	if (colon != NULL) {
		const char *h = text;
		size_t n = (size_t)(colon - text);

		if (n >= 2 && h[0] == '[' && h[n - 1] == ']') {
			h++;
			n -= 2;
		}
		if (n == 0 || n >= hostlen) {
			snprintf(err, errlen, "expected HOST:PORT");
			return -1;
		}
		memcpy(hostbuf, h, n);
		hostbuf[n] = '\0';
		portstr = colon + 1;
	}
	errno = 0;
	port = strtoul(portstr, &end, 10);
	if (*portstr < '0' || *portstr > '9' || *end != '\0' || errno != 0 || port > 65535) {
		snprintf(err, errlen, "the port must be a number from 0 to 65535");
		return -1;
	}
	if (colon != NULL) {
		struct in6_addr a6;

		if (inet_pton(AF_INET, hostbuf, &a6) != 1 && inet_pton(AF_INET6, hostbuf, &a6) != 1) {
			snprintf(err, errlen, "the host must be a numeric IPv4 or IPv6 address");
			return -1;
		}
		o->host = hostbuf;
	}
	o->port = (uint16_t)port;
	return 0;
}

int sock_addr_is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (host == NULL)
		return 1;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, host, &a6) == 1) {
		if (IN6_IS_ADDR_LOOPBACK(&a6))
			return 1;
		return IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127;
	}
	return 0;
}

static int make_addr(const struct sock_opts *o, struct sockaddr_storage *ss, socklen_t *len,
		     char *err, size_t errlen)
{
	const char *host = o->host ? o->host : "127.0.0.1";
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons(o->port);
		*len = sizeof(*in4);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(o->port);
		*len = sizeof(*in6);
		return 0;
	}
	snprintf(err, errlen, "inet_pton(%s): not a numeric address", host);
	return -1;
}

static int set_int(int fd, int level, int opt, uint64_t v, const char *call, char *err,
		   size_t errlen)
{
	/* The kernel clamps to rmem_max/wmem_max; an int is all it takes. */
	int iv = v > (uint64_t)INT32_MAX ? INT32_MAX : (int)v;

	if (setsockopt(fd, level, opt, &iv, sizeof(iv)) < 0)
		return fail(err, errlen, call);
	return 0;
}

/* A TCP socket for o, with its buffers and congestion control set. A listener's congestion
 * control is inherited by the sockets it accepts; a client's is pinned before the handshake. */
static int new_socket(struct sock_opts *o, int family, char *err, size_t errlen)
{
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);

	if (fd < 0)
		return fail(err, errlen, "socket");
	if ((o->rcvbuf && set_int(fd, SOL_SOCKET, SO_RCVBUF, o->rcvbuf,
				  "setsockopt(SO_RCVBUF)", err, errlen) < 0) ||
	    (o->sndbuf && set_int(fd, SOL_SOCKET, SO_SNDBUF, o->sndbuf,
				  "setsockopt(SO_SNDBUF)", err, errlen) < 0)) {
		close(fd);
		return -1;
	}
	o->cc_error[0] = '\0';
	if (o->cc)
		(void)sock_set_cc(fd, o->cc, o->cc_error, sizeof(o->cc_error));
	return fd;
}

static uint16_t port_of(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return 0;
}

int sock_listen(struct sock_opts *o, int *fd, uint16_t *port, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1;
	int s;

	if (make_addr(o, &ss, &len, err, errlen) < 0)
		return -1;
	s = new_socket(o, ss.ss_family, err, errlen);
	if (s < 0)
		return -1;
	/* Best effort: lets a fixed --port be reused at once after a run. */
	(void)setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&ss, len) < 0) {
		fail(err, errlen, "bind");
		goto out;
	}
	if (listen(s, 128) < 0) {
		fail(err, errlen, "listen");
		goto out;
	}
	len = sizeof(ss);
	if (getsockname(s, (struct sockaddr *)&ss, &len) < 0) {
		fail(err, errlen, "getsockname");
		goto out;
	}
	*port = port_of(&ss);
	*fd = s;
	return 0;
out:
	close(s);
	return -1;
}

int sock_connect(struct sock_opts *o, int *fd, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int s;

	if (make_addr(o, &ss, &len, err, errlen) < 0)
		return -1;
	s = new_socket(o, ss.ss_family, err, errlen);
	if (s < 0)
		return -1;
	while (connect(s, (struct sockaddr *)&ss, len) < 0) {
		if (errno == EINTR)
			continue;
		fail(err, errlen, "connect");
		close(s);
		return -1;
	}
	*fd = s;
	return 0;
}

int sock_accept(int lfd, int *fd, char *err, size_t errlen)
{
	int s = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

	if (s < 0)
		return fail(err, errlen, "accept");
	*fd = s;
	return 0;
}

int sock_set_cc(int fd, const char *cc, char *err, size_t errlen)
{
	if (setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, cc, (socklen_t)strlen(cc)) < 0) {
		snprintf(err, errlen, "setsockopt(TCP_CONGESTION, %s): %s", cc, strerror(errno));
		return -1;
	}
	return 0;
}

int sock_get_cc(int fd, char *buf, size_t len, char *err, size_t errlen)
{
	char name[32] = "";
	socklen_t n = sizeof(name) - 1;

	if (getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name, &n) < 0)
		return fail(err, errlen, "getsockopt(TCP_CONGESTION)");
	name[n < sizeof(name) ? n : sizeof(name) - 1] = '\0';
	snprintf(buf, len, "%s", name);
	return 0;
}

int sock_set_nonblock(int fd, int on, char *err, size_t errlen)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0)
		return fail(err, errlen, "fcntl(F_GETFL)");
	flags = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
	if (fcntl(fd, F_SETFL, flags) < 0)
		return fail(err, errlen, "fcntl(F_SETFL,O_NONBLOCK)");
	return 0;
}

int sock_set_timeout(int fd, char which, uint64_t ns, char *err, size_t errlen)
{
	struct timeval tv = {
		.tv_sec = (time_t)(ns / 1000000000u),
		.tv_usec = (suseconds_t)(ns % 1000000000u / 1000u),
	};
	int opt = which == 'r' ? SO_RCVTIMEO : SO_SNDTIMEO;

	if (setsockopt(fd, SOL_SOCKET, opt, &tv, sizeof(tv)) < 0)
		return fail(err, errlen, which == 'r' ? "setsockopt(SO_RCVTIMEO)"
						      : "setsockopt(SO_SNDTIMEO)");
	return 0;
}

int sock_set_user_timeout(int fd, uint64_t ns, char *err, size_t errlen)
{
	unsigned ms = ns / 1000000u > UINT32_MAX ? UINT32_MAX : (unsigned)(ns / 1000000u);

	if (setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &ms, sizeof(ms)) < 0)
		return fail(err, errlen, "setsockopt(TCP_USER_TIMEOUT)");
	return 0;
}

int sock_get_buffers(int fd, int *rcvbuf, int *sndbuf, char *err, size_t errlen)
{
	socklen_t n = sizeof(*rcvbuf);

	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, rcvbuf, &n) < 0)
		return fail(err, errlen, "getsockopt(SO_RCVBUF)");
	n = sizeof(*sndbuf);
	if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, sndbuf, &n) < 0)
		return fail(err, errlen, "getsockopt(SO_SNDBUF)");
	return 0;
}

void sock_ports(int fd, uint16_t *local, uint16_t *peer)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	*local = *peer = 0;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0)
		*local = port_of(&ss);
	len = sizeof(ss);
	if (getpeername(fd, (struct sockaddr *)&ss, &len) == 0)
		*peer = port_of(&ss);
}

int sock_report_port(uint16_t port, const char *path, char *err, size_t errlen)
{
	char tmp[4096];
	FILE *f;
	int fd;

	printf("port=%u\n", (unsigned)port);
	fflush(stdout);
	if (path == NULL)
		return 0;
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	/* A new file, no link followed: nothing planted there is written through. */
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (f == NULL) {
		snprintf(err, errlen, "open(%s): %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	fprintf(f, "%u\n", (unsigned)port);
	if (fclose(f) != 0) {
		snprintf(err, errlen, "fclose(%s): %s", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) < 0) {
		snprintf(err, errlen, "rename(%s): %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* sock: the socket chores every flowlab program does the same way.
 *
 * Buffers are set before listen() or connect(), because the window-scale option is chosen at
 * the handshake: a buffer set afterwards changes how much the kernel keeps but not the scale,
 * and the window the peer sees stops matching. What the kernel really set is read back. */
#ifndef FLOWLAB_SOCK_H
#define FLOWLAB_SOCK_H

#include <stddef.h>
#include <stdint.h>

struct sock_opts {
	const char *host;     /* numeric IPv4 or IPv6 address; NULL = 127.0.0.1 */
	uint16_t port;        /* 0 = let the kernel choose (listening) */
	uint64_t rcvbuf;      /* 0 = leave the kernel's default (autotuning) */
	uint64_t sndbuf;
	const char *cc;       /* TCP_CONGESTION; NULL = the kernel's default */
	/* Filled by sock_listen/sock_connect: why cc could not be set (empty if it was). Not being
	 * allowed a congestion control (EPERM for an unprivileged user outside a namespace) is
	 * not fatal: the run goes on with the kernel's default and says so. */
	char cc_error[160];
};

/* Parse "HOST:PORT" or "[V6]:PORT" or "PORT" (host stays as it was) into o. -1 with a reason. */
int sock_parse_addr(const char *text, struct sock_opts *o, char *hostbuf, size_t hostlen,
		    char *err, size_t errlen);

/* 1 if host (a numeric address, or NULL for the default 127.0.0.1) is a loopback address:
 * 127.0.0.0/8, ::1, or 127.0.0.0/8 mapped into IPv6 (::ffff:127.0.0.1). 0 for any other, and
 * for text that is not a numeric address. */
int sock_addr_is_loopback(const char *host);

/* A listening socket with o's buffers, bound to o->host:o->port; *port gets the real port. */
int sock_listen(struct sock_opts *o, int *fd, uint16_t *port, char *err, size_t errlen);

/* A connected socket with o's buffers (blocking connect; the socket stays blocking). */
int sock_connect(struct sock_opts *o, int *fd, char *err, size_t errlen);

/* accept(), the new socket close-on-exec. */
int sock_accept(int lfd, int *fd, char *err, size_t errlen);

/* Set TCP_CONGESTION. -1 with "setsockopt(TCP_CONGESTION, cubic): Operation not permitted". */
int sock_set_cc(int fd, const char *cc, char *err, size_t errlen);
/* The congestion control in use, into buf. */
int sock_get_cc(int fd, char *buf, size_t len, char *err, size_t errlen);

int sock_set_nonblock(int fd, int on, char *err, size_t errlen);

/* SO_RCVTIMEO (which = 'r') or SO_SNDTIMEO ('w'): a blocking read or write gives up after ns
 * (a partial count if some bytes moved, else -1 with EAGAIN). */
int sock_set_timeout(int fd, char which, uint64_t ns, char *err, size_t errlen);

/* TCP_USER_TIMEOUT: how long written data may stay unacknowledged (and, on Linux >= 5.x, how
 * long a zero window may be probed) before the kernel aborts the connection with ETIMEDOUT. */
int sock_set_user_timeout(int fd, uint64_t ns, char *err, size_t errlen);

/* What the kernel really set: SO_RCVBUF and SO_SNDBUF as getsockopt reads them back. */
int sock_get_buffers(int fd, int *rcvbuf, int *sndbuf, char *err, size_t errlen);

/* Local and peer port of a connected socket (0 where unknown). */
void sock_ports(int fd, uint16_t *local, uint16_t *peer);

/* Announce a listening port: print "port=N" on stdout (flushed) and, if path is not NULL,
 * write "N\n" to path atomically (a temporary file renamed into place) so that a script
 * waiting for the file never reads half of it. */
int sock_report_port(uint16_t port, const char *path, char *err, size_t errlen);

#endif

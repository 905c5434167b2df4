/* request: the facts of a server and one client's request (request_response, read_timeout),
 * folded from the events in one pass: the server's queues and buffers now, the request written
 * and read so far, the row each event makes, and the figures of the whole run. */
#ifndef FLOWLAB_REQUEST_H
#define FLOWLAB_REQUEST_H

#include "lessons.h"

struct request {
	int request_response;       /* the first write is "the request", the first read too */
	int64_t zero_ns;            /* the zero of time, for the paragraph's moments */
	struct cast cast;

	/* The server's socket: what it asked for, what the kernel set. */
	int socket_seen;
	struct opt rcvbuf_requested, rcvbuf_actual, sndbuf_requested, sndbuf_actual;
	char cc[32], cc_requested[32];

	/* Now: what the table shows. */
	struct opt srv_recvq, srv_sendq, srv_rcvbuf, srv_sndbuf;
	struct opt wrote, read;     /* bytes the client wrote, bytes the server read */
	int server_socket, server_stalled;
	int64_t client_writes, client_reads, server_reads;

	/* The request and its answer. */
	struct opt last_write_ns;           /* when the client's last write() returned ... */
	struct opt last_write_start_ns;     /* ... and began */
	int client_stalls;
	struct opt client_stall_us;         /* the client's stalls as planned (for_us), summed ... */
	struct opt client_stalled_ns;       /* ... and as they lasted: to its next write, or its
					     * end (the server may close on it first) */
	struct opt open_stall;              /* a stall no write has ended yet */
	struct opt bytes_before_stall;      /* what the client wrote before its first stall */
	struct opt stall_from, stall_until; /* the client's first stall, as planned */
	struct opt read_start;              /* the server's first read()'s start */
	int read_seen;
	struct opt answer_ns;               /* the server's first write()'s start */
	struct opt server_recvq_max;
	struct opt response_in_sendq_us;    /* the server waited for SIOCOUTQ to read 0 */
	/* The response on the wire: its segment, the client's ACK of it; and the send queue
	 * right after the server's write() returned. */
	struct opt response_write_end_ns, response_sendq_after;
	struct opt response_seg_ns, response_seg_end;   /* the segment's t, its seq + len */
	struct opt response_ack_ns;
	/* The ackwait run's link: it drops the client's ACKs while acks_dropping; what it
	 * dropped, and the server's retransmissions of the response meanwhile. */
	int acks_dropping, link_seen;
	int64_t acks_dropped, response_retransmissions;
	struct opt link_down_ns, link_up_ns;
	int64_t read_timeouts;
	struct opt read_timeout_us;         /* the first read timeout's after_us ... */
	struct opt read_timeout_set_us;     /* the server's read timeout, as set */
	char read_timeout_errno[32];        /* ... and what read() returned (blocking I/O) */
	char close_reason[128];             /* the server's; "" if it did not close */
	struct opt close_at_ns;
	int request_complete;               /* the server wrote a response */
	int client_closed;                  /* the server closed the client on a read timeout */
	struct opt client_eof_at_ns;
	int eof_in_stall;                   /* the client saw the close during its stall */
	int server_ended, client_ended;
	struct opt request_bytes;           /* the client's end: bytes_sent */
	struct opt server_received;         /* the server's end: bytes_received */
	struct opt response_bytes;          /* the server's end: bytes_sent */
	struct opt client_received;         /* the client's end: bytes_received */
	struct opt request_in_buffer_ns;    /* the client's last write to the server's first read */
	struct opt server_waited_ns;        /* its first read's start to its answer, or close */
	struct opt bytes_lost, bytes_unread_at_close;

	/* The picture. */
	struct lesson_plot plot;
	struct opt plot_stall[2];           /* [0] the server's stall, [1] the client's */
	int64_t plot_wrote, plot_read;
};

void request_start(struct request *q, const struct fold *c, int request_response);
int request_event(void *facts, const struct event *e, const struct fold *c);
int request_finish(void *facts, const struct fold *c);
void request_release(void *facts);
int request_sample_row(const struct event *e);
int request_plot(FILE *out, void *facts, const struct options *o, const char *svg,
		 int64_t zero_ns);
void request_figures_end(struct figs *fs, const struct request *q);
void story_request_bytes(struct story *s, const char *const names[4], int short_form);
const char *cell_srv_recvq(char *buf, size_t len, const void *facts);
const char *cell_srv_recvq_short(char *buf, size_t len, const void *facts);

/* The entries of a struct lesson whose facts are a struct request (see FLOW_LESSON). */
#define REQUEST_LESSON \
	.parties = request_parties, .flags = LF_WRITES_AT_START | LF_VERDICT, \
	.facts_size = sizeof(struct request), .event = request_event, \
	.finish = request_finish, .release = request_release, \
	.sample_row = request_sample_row, .plot = request_plot, .status = request_status

extern const struct party_rule request_parties[];
void request_status(char *buf, size_t len, const void *facts);

#endif

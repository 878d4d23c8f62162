/* The engine's control-channel framing: a 4-byte big-endian length, then that many bytes of UTF-8 JSON.
 * Every call is bounded by a timeout; none of them is ever made on OBS's graphics thread. */
#pragma once

#include <obs-data.h>
#include <stdbool.h>
#include <stdint.h>
#include <util/platform.h>

/* Milliseconds on the monotonic clock, for the control channel's deadlines and back-offs. */
static inline int64_t dlf_now_ms(void)
{
	return (int64_t)(os_gettime_ns() / 1000000);
}

/* Replies above this are refused: the plugin never expects large answers. */
#define DLF_WIRE_MAX_MESSAGE (1u << 20)

/* Splits "host:port" (or "[v6]:port", or "host" with default_port). False when malformed. */
bool dlf_parse_address(const char *address, uint16_t default_port, char *host, size_t host_size, uint16_t *port);

/* A connected TCP socket to host:port, or -1 (err gets a one-line reason). */
int dlf_wire_connect(const char *host, uint16_t port, int timeout_ms, char *err, size_t err_size);

bool dlf_wire_send(int fd, obs_data_t *message, int timeout_ms);

/* The next message, parsed; NULL on timeout, a closed or broken connection, an oversized frame or invalid JSON.
 * *timed_out tells a quiet connection apart from a broken one. */
obs_data_t *dlf_wire_recv(int fd, int timeout_ms, bool *timed_out);

void dlf_wire_close(int fd);

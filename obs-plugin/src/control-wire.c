#define _POSIX_C_SOURCE 200809L
#include "control-wire.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <util/bmem.h>
#include <util/platform.h>

static bool wait_fd(int fd, short events, int64_t deadline)
{
	for (;;) {
		int64_t left = deadline - dlf_now_ms();
		if (left < 0)
			left = 0;
		struct pollfd p = {.fd = fd, .events = events};
		int r = poll(&p, 1, (int)left);
		if (r > 0)
			return true;
		if (r == 0 || errno != EINTR)
			return false;
	}
}

static int connect_one(const struct addrinfo *ai, int timeout_ms)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
	if (fd < 0)
		return -1;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return fd;
	if (errno == EINPROGRESS && wait_fd(fd, POLLOUT, dlf_now_ms() + timeout_ms)) {
		int so_error = 0;
		socklen_t len = sizeof(so_error);
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) == 0 && so_error == 0)
			return fd;
		errno = so_error;
	} else if (errno == EINPROGRESS) {
		errno = ETIMEDOUT;
	}
	int saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

int dlf_wire_connect(const char *host, uint16_t port, int timeout_ms, char *err, size_t err_size)
{
	char service[8];
	snprintf(service, sizeof(service), "%u", (unsigned)port);
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
	struct addrinfo *list = NULL;
	int gai = getaddrinfo(host, service, &hints, &list);
	if (gai != 0) {
		snprintf(err, err_size, "cannot resolve %s: %s", host, gai_strerror(gai));
		return -1;
	}
	int fd = -1;
	for (const struct addrinfo *ai = list; ai && fd < 0; ai = ai->ai_next)
		fd = connect_one(ai, timeout_ms);
	if (fd < 0)
		snprintf(err, err_size, "cannot connect to %s:%u: %s", host, (unsigned)port, strerror(errno));
	freeaddrinfo(list);
	if (fd >= 0) {
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	}
	return fd;
}

static bool write_all(int fd, const uint8_t *p, size_t n, int64_t deadline)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
		} else if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (!wait_fd(fd, POLLOUT, deadline))
				return false;
		} else {
			return false;
		}
	}
	return true;
}

/* Returns 1 read, 0 timed out before any byte, -1 broken (or timed out mid-message). */
static int read_all(int fd, uint8_t *p, size_t n, int64_t deadline, bool started)
{
	while (n > 0) {
		ssize_t r = recv(fd, p, n, MSG_DONTWAIT); /* bounded by poll, whatever the socket mode */
		if (r > 0) {
			p += r;
			n -= (size_t)r;
			started = true;
		} else if (r < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (!wait_fd(fd, POLLIN, deadline))
				return started ? -1 : 0;
		} else {
			return -1; /* closed by the engine, or an error */
		}
	}
	return 1;
}

bool dlf_wire_send(int fd, obs_data_t *message, int timeout_ms)
{
	const char *json = obs_data_get_json(message);
	if (!json)
		return false;
	size_t len = strlen(json);
	if (len > DLF_WIRE_MAX_MESSAGE)
		return false;
	uint8_t header[4] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8), (uint8_t)len};
	int64_t deadline = dlf_now_ms() + timeout_ms;
	return write_all(fd, header, 4, deadline) && write_all(fd, (const uint8_t *)json, len, deadline);
}

obs_data_t *dlf_wire_recv(int fd, int timeout_ms, bool *timed_out)
{
	*timed_out = false;
	int64_t deadline = dlf_now_ms() + timeout_ms;
	uint8_t header[4];
	int r = read_all(fd, header, 4, deadline, false);
	if (r == 0) {
		*timed_out = true;
		return NULL;
	}
	if (r < 0)
		return NULL;
	uint32_t len = ((uint32_t)header[0] << 24) | ((uint32_t)header[1] << 16) | ((uint32_t)header[2] << 8) |
		       header[3];
	if (len == 0 || len > DLF_WIRE_MAX_MESSAGE)
		return NULL;
	char *json = bmalloc((size_t)len + 1);
	/* The rest of a started message gets a fresh budget: the engine has begun answering. */
	if (read_all(fd, (uint8_t *)json, len, dlf_now_ms() + 2000, true) != 1) {
		bfree(json);
		return NULL;
	}
	json[len] = '\0';
	obs_data_t *msg = strlen(json) == len ? obs_data_create_from_json(json) : NULL; /* no embedded NULs */
	bfree(json);
	return msg;
}

void dlf_wire_close(int fd)
{
	if (fd >= 0)
		close(fd);
}

bool dlf_parse_address(const char *address, uint16_t default_port, char *host, size_t host_size, uint16_t *port)
{
	if (!address || !*address || host_size == 0)
		return false;
	const char *host_start = address, *host_end, *port_part = NULL;
	if (*address == '[') { /* [::1]:7860 */
		host_start = address + 1;
		host_end = strchr(host_start, ']');
		if (!host_end)
			return false;
		if (host_end[1] == ':')
			port_part = host_end + 2;
		else if (host_end[1] != '\0')
			return false;
	} else {
		host_end = strrchr(address, ':');
		if (host_end && strchr(address, ':') != host_end)
			return false; /* bare IPv6 needs brackets */
		if (host_end)
			port_part = host_end + 1;
		else
			host_end = address + strlen(address);
	}
	size_t len = (size_t)(host_end - host_start);
	if (len == 0 || len >= host_size)
		return false;
	memcpy(host, host_start, len);
	host[len] = '\0';

	*port = default_port;
	if (port_part) {
		char *end = NULL;
		long p = strtol(port_part, &end, 10);
		if (!*port_part || *end != '\0' || p < 1 || p > 65535)
			return false;
		*port = (uint16_t)p;
	}
	return true;
}

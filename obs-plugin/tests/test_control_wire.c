/* The control channel's framing and address parsing: what the plugin accepts from the network and from users. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "control-wire.h"
#include "obs-harness.h"

static void address_is(const char *text, const char *host, uint16_t port)
{
	char h[64];
	uint16_t p = 0;
	CHECK(dlf_parse_address(text, 47654, h, sizeof(h), &p), "'%s' should parse", text);
	CHECK(strcmp(h, host) == 0 && p == port, "'%s' parsed as %s:%u", text, h, (unsigned)p);
}

static void address_refused(const char *text)
{
	char h[64];
	uint16_t p;
	CHECK(!dlf_parse_address(text, 47654, h, sizeof(h), &p), "'%s' should be refused", text);
}

static void raw_send(int fd, const void *bytes, size_t n)
{
	CHECK(write(fd, bytes, n) == (ssize_t)n, "write");
}

static void expect_nothing(int fd, const char *why)
{
	bool timed_out;
	obs_data_t *m = dlf_wire_recv(fd, 200, &timed_out);
	CHECK(m == NULL && !timed_out, "%s must be refused as a broken connection", why);
}

static void pair(int sv[2])
{
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
}

int main(void)
{
	address_is("127.0.0.1:47654", "127.0.0.1", 47654);
	address_is("localhost", "localhost", 47654);
	address_is("engine.lan:9000", "engine.lan", 9000);
	address_is("[::1]:5000", "::1", 5000);
	address_is("[::1]", "::1", 47654);
	address_refused("");
	address_refused("::1");
	address_refused("host:");
	address_refused("host:0");
	address_refused("host:65536");
	address_refused("host:12ab");
	address_refused(":80");
	address_refused("[::1");
	address_refused("[::1]x");

	int sv[2];

	/* A round trip. */
	pair(sv);
	obs_data_t *out = obs_data_create();
	obs_data_set_string(out, "type", "ping");
	obs_data_set_int(out, "id", 7);
	CHECK(dlf_wire_send(sv[0], out, 1000), "send");
	obs_data_release(out);
	bool timed_out;
	obs_data_t *in = dlf_wire_recv(sv[1], 1000, &timed_out);
	CHECK(in && strcmp(obs_data_get_string(in, "type"), "ping") == 0 && obs_data_get_int(in, "id") == 7,
	      "round trip");
	obs_data_release(in);

	/* Quiet is not broken. */
	in = dlf_wire_recv(sv[1], 50, &timed_out);
	CHECK(!in && timed_out, "a quiet connection times out");
	close(sv[0]), close(sv[1]);

	/* Oversized and empty frames, invalid JSON, a truncated body, a NUL inside the JSON. */
	pair(sv);
	raw_send(sv[0], "\x7f\xff\xff\xff", 4);
	expect_nothing(sv[1], "a 2 GiB length");
	close(sv[0]), close(sv[1]);

	pair(sv);
	raw_send(sv[0], "\x00\x10\x00\x01", 4);
	expect_nothing(sv[1], "a length just over 1 MiB");
	close(sv[0]), close(sv[1]);

	pair(sv);
	raw_send(sv[0], "\x00\x00\x00\x00", 4);
	expect_nothing(sv[1], "an empty frame");
	close(sv[0]), close(sv[1]);

	pair(sv);
	raw_send(sv[0], "\x00\x00\x00\x05{oops", 9);
	expect_nothing(sv[1], "invalid JSON");
	close(sv[0]), close(sv[1]);

	pair(sv);
	raw_send(sv[0], "\x00\x00\x00\x09{\"a\":1", 10);
	close(sv[0]);
	expect_nothing(sv[1], "a body cut short by a close");
	close(sv[1]);

	pair(sv);
	raw_send(sv[0], "\x00\x00\x00\x0b{\"a\":1}\0{}x", 15);
	expect_nothing(sv[1], "a NUL inside the JSON");
	close(sv[0]), close(sv[1]);

	printf("control wire: ok\n");
	return 0;
}

/* Request/reply with the engine over the control wire (control-wire.c): each request gets a fresh id and a reply
 * deadline that fits its type, and what the engine says on its own in between goes to an event handler.
 * Worker thread only: a link is never shared. */
#pragma once

#include <obs-data.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum dlf_request_type {
	DLF_REQUEST_HELLO,
	DLF_REQUEST_PING,
	DLF_REQUEST_OPEN_SESSION,
	DLF_REQUEST_CLOSE_SESSION,
	DLF_REQUEST_SET_SOURCE_FACE,
	DLF_REQUEST_SET_OPTIONS,
	DLF_REQUEST_GET_STATS,
};

/* What a message from the engine is, as far as the plugin cares. */
enum dlf_message_type {
	DLF_MESSAGE_OTHER,
	DLF_MESSAGE_WELCOME,
	DLF_MESSAGE_ERROR,
	DLF_MESSAGE_SESSION_CLOSED, /* an event: the engine ended a session itself */
};

struct dlf_link {
	int fd; /* -1 while closed */
	long long next_id;
	int64_t last_traffic_ms; /* when the latest reply arrived */
};

#define DLF_LINK_CLOSED {.fd = -1}

typedef void (*dlf_event_handler)(obs_data_t *event);

bool dlf_link_connect(struct dlf_link *link, const char *host, uint16_t port, char *err, size_t err_size);
bool dlf_link_is_open(const struct dlf_link *link);
void dlf_link_close(struct dlf_link *link);

/* Sends fields as a request of this type (adding the type and a fresh id) and returns the reply carrying that id.
 * NULL: the connection broke or the engine did not answer in time; *why says which, and the caller closes the
 * link. */
obs_data_t *dlf_link_request(struct dlf_link *link, enum dlf_request_type type, obs_data_t *fields,
			     dlf_event_handler on_event, const char **why);

/* Pings the engine when the link is open and nothing was heard from it for a while. False (with *why) when the
 * connection broke. */
bool dlf_link_keep_alive(struct dlf_link *link, dlf_event_handler on_event, const char **why);

enum dlf_message_type dlf_message_type(obs_data_t *message);

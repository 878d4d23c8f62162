#include "engine-link.h"

#include <string.h>

#include "control-wire.h"

#define CONNECT_TIMEOUT_MS 500
#define REPLY_TIMEOUT_MS 5000
#define SLOW_REPLY_TIMEOUT_MS 30000 /* decoding a source image and finding its face, on a busy CPU */
#define PING_EVERY_MS 2000

static const struct {
	const char *name;
	int reply_timeout_ms;
} requests[] = {
	[DLF_REQUEST_HELLO] = {"hello", REPLY_TIMEOUT_MS},
	[DLF_REQUEST_PING] = {"ping", REPLY_TIMEOUT_MS},
	[DLF_REQUEST_OPEN_SESSION] = {"open_session", SLOW_REPLY_TIMEOUT_MS},
	[DLF_REQUEST_CLOSE_SESSION] = {"close_session", REPLY_TIMEOUT_MS},
	[DLF_REQUEST_SET_SOURCE_FACE] = {"set_source_face", SLOW_REPLY_TIMEOUT_MS},
	/* face mapping images are resolved there too */
	[DLF_REQUEST_SET_OPTIONS] = {"set_options", SLOW_REPLY_TIMEOUT_MS},
	[DLF_REQUEST_GET_STATS] = {"get_stats", REPLY_TIMEOUT_MS},
};

bool dlf_link_connect(struct dlf_link *link, const char *host, uint16_t port, char *err, size_t err_size)
{
	link->fd = dlf_wire_connect(host, port, CONNECT_TIMEOUT_MS, err, err_size);
	return link->fd >= 0;
}

bool dlf_link_is_open(const struct dlf_link *link)
{
	return link->fd >= 0;
}

void dlf_link_close(struct dlf_link *link)
{
	if (link->fd >= 0)
		dlf_wire_close(link->fd);
	link->fd = -1;
}

/* The reply to request id, passing events on; NULL with *why when none came in time. */
static obs_data_t *await_reply(struct dlf_link *link, long long id, int timeout_ms, dlf_event_handler on_event,
			       const char **why)
{
	int64_t deadline = dlf_now_ms() + timeout_ms;
	for (;;) {
		int64_t left = deadline - dlf_now_ms();
		bool timed_out = false;
		obs_data_t *msg = left > 0 ? dlf_wire_recv(link->fd, (int)left, &timed_out) : NULL;
		if (!msg) {
			*why = timed_out || left <= 0 ? "the engine did not answer in time"
						      : "the engine closed the connection";
			return NULL;
		}
		if (obs_data_get_int(msg, "id") == id) {
			link->last_traffic_ms = dlf_now_ms();
			return msg;
		}
		if (!obs_data_has_user_value(msg, "id") && on_event)
			on_event(msg);
		obs_data_release(msg); /* an event, or a late reply to an earlier request */
	}
}

obs_data_t *dlf_link_request(struct dlf_link *link, enum dlf_request_type type, obs_data_t *fields,
			     dlf_event_handler on_event, const char **why)
{
	long long id = ++link->next_id;
	obs_data_set_string(fields, "type", requests[type].name);
	obs_data_set_int(fields, "id", id);
	if (!dlf_wire_send(link->fd, fields, REPLY_TIMEOUT_MS)) {
		*why = "the connection to the engine broke";
		return NULL;
	}
	return await_reply(link, id, requests[type].reply_timeout_ms, on_event, why);
}

bool dlf_link_keep_alive(struct dlf_link *link, dlf_event_handler on_event, const char **why)
{
	if (!dlf_link_is_open(link) || dlf_now_ms() - link->last_traffic_ms < PING_EVERY_MS)
		return true;
	obs_data_t *ping = obs_data_create();
	obs_data_t *reply = dlf_link_request(link, DLF_REQUEST_PING, ping, on_event, why);
	obs_data_release(ping);
	bool answered = reply != NULL;
	obs_data_release(reply);
	return answered;
}

enum dlf_message_type dlf_message_type(obs_data_t *message)
{
	const char *type = obs_data_get_string(message, "type");
	if (strcmp(type, "welcome") == 0)
		return DLF_MESSAGE_WELCOME;
	if (strcmp(type, "error") == 0)
		return DLF_MESSAGE_ERROR;
	if (strcmp(type, "session_closed") == 0)
		return DLF_MESSAGE_SESSION_CLOSED;
	return DLF_MESSAGE_OTHER;
}

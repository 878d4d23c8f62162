#define _POSIX_C_SOURCE 200809L
#include "session-sync.h"

#include <stdio.h>
#include <string.h>

#include <obs-module.h>
#include <util/bmem.h>

#include "control-wire.h"
#include "engine-link.h"
#include "engine-shared.h"
#include "engine-supervisor.h"

#define REOPEN_AFTER_MS 2000
/* While the engine fetches a model the options need, its progress is asked for this often (a properties view that
 * is open redraws the status line about once a second). */
#define DOWNLOAD_POLL_MS 1000

/* What service_session takes from the posted state in one lock hold: copies, so the worker never sends while holding
 * the lock. */
struct pending {
	char *channel; /* a channel to open the session on */
	bool channel_gone;
	uint32_t width, height;
	char *face;
	char *options;
};

/* Under lock: everything the filter posted is to be sent again. */
static void mark_all_dirty(struct dlf_session *s)
{
	s->channel_dirty = s->channel != NULL;
	s->face_dirty = s->face_json && s->face_set;
	s->options_dirty = s->options_json != NULL;
}

static void forget_engine_id(struct dlf_session *s)
{
	bfree(s->engine_id);
	s->engine_id = NULL;
	s->warnings_due_ms = 0;
}

/* Under lock. */
static void set_status_error(struct dlf_session *s, const char *text)
{
	snprintf(s->status.error, sizeof(s->status.error), "%s", text);
}

static void show_error(struct dlf_session *s, const char *text)
{
	pthread_mutex_lock(&dlf_engine.lock);
	set_status_error(s, text);
	pthread_mutex_unlock(&dlf_engine.lock);
}

void dlf_sync_show_engine_state(enum dlf_engine_state state, const char *error)
{
	pthread_mutex_lock(&dlf_engine.lock);
	dlf_engine.state = state;
	if (error)
		snprintf(dlf_engine.error, sizeof(dlf_engine.error), "%s", error);
	for (struct dlf_session *s = dlf_engine.sessions; s; s = s->next) {
		s->status.engine = state;
		if (error)
			set_status_error(s, error);
		if (state != DLF_ENGINE_CONNECTED)
			s->status.session_open = false;
	}
	pthread_mutex_unlock(&dlf_engine.lock);
}

void dlf_sync_forget_engine(void)
{
	pthread_mutex_lock(&dlf_engine.lock);
	for (struct dlf_session *s = dlf_engine.sessions; s; s = s->next) {
		forget_engine_id(s);
		mark_all_dirty(s);
	}
	pthread_mutex_unlock(&dlf_engine.lock);
}

void dlf_sync_handle_event(obs_data_t *event)
{
	if (dlf_message_type(event) != DLF_MESSAGE_SESSION_CLOSED)
		return;
	const char *id = obs_data_get_string(event, "session");
	char error[sizeof(((struct dlf_session *)0)->status.error)];
	snprintf(error, sizeof(error), "the engine ended the session: %s", obs_data_get_string(event, "reason"));
	pthread_mutex_lock(&dlf_engine.lock);
	for (struct dlf_session *s = dlf_engine.sessions; s; s = s->next) {
		if (s->engine_id && strcmp(s->engine_id, id) == 0) {
			forget_engine_id(s);
			s->status.session_open = false;
			set_status_error(s, error);
			s->reopen_after_ms = dlf_now_ms() + REOPEN_AFTER_MS;
		}
	}
	pthread_mutex_unlock(&dlf_engine.lock);
}

static bool is_error(obs_data_t *reply)
{
	return dlf_message_type(reply) == DLF_MESSAGE_ERROR;
}

static obs_data_t *session_request(struct dlf_session *s)
{
	obs_data_t *req = obs_data_create();
	if (s->engine_id)
		obs_data_set_string(req, "session", s->engine_id);
	return req;
}

/* Sends req (and releases it), reporting an error reply on s. False only when the connection broke. */
static bool send_for_session(struct dlf_session *s, enum dlf_request_type type, obs_data_t *req,
			     obs_data_t **reply_out)
{
	obs_data_t *reply = dlf_engine_request(type, req);
	obs_data_release(req);
	if (!reply)
		return false;
	if (is_error(reply)) {
		const char *message = obs_data_get_string(reply, "message");
		blog(LOG_WARNING, "[deep-live-face] engine: %s (%s)", message, obs_data_get_string(reply, "code"));
		show_error(s, message);
	}
	if (reply_out)
		*reply_out = reply;
	else
		obs_data_release(reply);
	return true;
}

/* set_options's and get_stats's warnings (what the engine accepted but cannot do, e.g. an enhancer not loaded, or
 * how far it got fetching one) for the status line. While its downloads list is not empty, get_stats is asked again
 * (check_downloads) so the progress moves and the end shows without the user touching anything. */
static void note_warnings(struct dlf_session *s, obs_data_t *reply)
{
	obs_data_array_t *downloads = obs_data_get_array(reply, "downloads");
	s->warnings_due_ms = downloads && obs_data_array_count(downloads) ? dlf_now_ms() + DOWNLOAD_POLL_MS : 0;
	obs_data_array_release(downloads);

	obs_data_array_t *warnings = obs_data_get_array(reply, "warnings");
	size_t count = warnings ? obs_data_array_count(warnings) : 0;
	char text[sizeof(s->status.warning)] = "";
	for (size_t i = 0; i < count; i++) {
		obs_data_t *item = obs_data_array_item(warnings, i);
		const char *line = obs_data_get_string(item, "message");
		if (strncmp(line, "downloading ", 12) != 0) /* progress is no warning, and would fill the log */
			blog(LOG_WARNING, "[deep-live-face] engine: %s", line);
		size_t len = strlen(text);
		snprintf(text + len, sizeof(text) - len, "%s%s", len ? "; " : "", line);
		obs_data_release(item);
	}
	obs_data_array_release(warnings);
	pthread_mutex_lock(&dlf_engine.lock);
	snprintf(s->status.warning, sizeof(s->status.warning), "%s", text);
	pthread_mutex_unlock(&dlf_engine.lock);
}

static bool close_on_engine(struct dlf_session *s)
{
	if (!s->engine_id || !dlf_engine_connected())
		return true;
	bool ok = send_for_session(s, DLF_REQUEST_CLOSE_SESSION, session_request(s), NULL);
	forget_engine_id(s);
	return ok;
}

/* The engine opened the session: remember its id, and say so unless it cannot swap. */
static void session_opened(struct dlf_session *s, obs_data_t *reply, const char *id)
{
	s->engine_id = bstrdup(id);
	/* An engine without its models hands frames back unchanged: say so rather than look healthy. */
	const char *pipeline = obs_data_get_string(reply, "pipeline");
	pthread_mutex_lock(&dlf_engine.lock);
	s->status.session_open = true;
	snprintf(s->status.provider, sizeof(s->status.provider), "%s", obs_data_get_string(reply, "provider"));
	if (strncmp(pipeline, "passthrough", 11) == 0)
		snprintf(s->status.error, sizeof(s->status.error), "the engine does not swap (%s)", pipeline);
	else
		s->status.error[0] = '\0';
	pthread_mutex_unlock(&dlf_engine.lock);
}

static bool open_on_engine(struct dlf_session *s, const char *channel, uint32_t width, uint32_t height)
{
	if (!close_on_engine(s))
		return false;
	obs_data_t *req = session_request(s);
	obs_data_set_string(req, "channel", channel);
	obs_data_set_int(req, "max_width", width);
	obs_data_set_int(req, "max_height", height);
	obs_data_t *reply = NULL;
	if (!send_for_session(s, DLF_REQUEST_OPEN_SESSION, req, &reply))
		return false;
	const char *id = obs_data_get_string(reply, "session");
	if (!is_error(reply) && !*id) { /* a reply we cannot use: never send requests for session "" */
		blog(LOG_WARNING, "[deep-live-face] engine: open_session reply without a session id");
		show_error(s, "the engine opened no session (reply without an id)");
		s->reopen_after_ms = dlf_now_ms() + REOPEN_AFTER_MS;
	} else if (!is_error(reply)) {
		session_opened(s, reply, id);
	} else {
		s->reopen_after_ms = dlf_now_ms() + REOPEN_AFTER_MS; /* try again, in case the engine was busy */
	}
	obs_data_release(reply);
	return true;
}

static bool send_face(struct dlf_session *s, const char *face_json)
{
	obs_data_t *req = session_request(s);
	obs_data_t *face = obs_data_create_from_json(face_json);
	obs_data_apply(req, face);
	obs_data_release(face);
	return send_for_session(s, DLF_REQUEST_SET_SOURCE_FACE, req, NULL);
}

static bool send_options(struct dlf_session *s, const char *options)
{
	obs_data_t *req = session_request(s);
	obs_data_t *opts = obs_data_create_from_json(options);
	obs_data_set_obj(req, "options", opts);
	obs_data_release(opts);
	obs_data_t *reply = NULL;
	bool ok = send_for_session(s, DLF_REQUEST_SET_OPTIONS, req, &reply);
	if (reply && !is_error(reply))
		note_warnings(s, reply);
	obs_data_release(reply);
	return ok;
}

/* The engine is fetching a model the options need: re-read the warnings, which say how far it got. */
static bool check_downloads(struct dlf_session *s)
{
	if (!s->engine_id || !s->warnings_due_ms || dlf_now_ms() < s->warnings_due_ms)
		return true;
	obs_data_t *reply = NULL;
	s->warnings_due_ms = 0; /* an error reply ends the polling; a stats reply sets it again while downloads run */
	bool ok = send_for_session(s, DLF_REQUEST_GET_STATS, session_request(s), &reply);
	if (reply && !is_error(reply))
		note_warnings(s, reply);
	obs_data_release(reply);
	return ok;
}

/* Takes what is to be sent from what the filter posted, in one lock hold. */
static void take_pending(struct dlf_session *s, struct pending *p)
{
	pthread_mutex_lock(&dlf_engine.lock);
	if (s->reopen_after_ms && dlf_now_ms() >= s->reopen_after_ms) {
		s->reopen_after_ms = 0;
		mark_all_dirty(s);
	}
	p->width = s->width;
	p->height = s->height;
	p->channel = s->channel_dirty && s->channel ? bstrdup(s->channel) : NULL;
	p->channel_gone = s->channel_dirty && !s->channel;
	p->face = s->face_dirty && s->face_json ? bstrdup(s->face_json) : NULL;
	p->options = s->options_dirty && s->options_json ? bstrdup(s->options_json) : NULL;
	s->channel_dirty = false;
	/* Faces and options need an open session: they wait for one (the open below, or a later one). */
	bool sendable = s->engine_id || p->channel;
	if (sendable)
		s->face_dirty = s->options_dirty = false;
	pthread_mutex_unlock(&dlf_engine.lock);
	if (!sendable) {
		bfree(p->face);
		bfree(p->options);
		p->face = p->options = NULL;
	}
}

/* The open failed: keep the face and options for the next one. */
static void keep_for_next_open(struct dlf_session *s, const struct pending *p)
{
	pthread_mutex_lock(&dlf_engine.lock);
	s->face_dirty = s->face_dirty || p->face;
	s->options_dirty = s->options_dirty || p->options;
	pthread_mutex_unlock(&dlf_engine.lock);
}

/* Brings one session up to date with what its filter posted. False when the connection broke. */
static bool service_session(struct dlf_session *s)
{
	struct pending p;
	take_pending(s, &p);

	bool ok = true;
	if (p.channel_gone)
		ok = close_on_engine(s);
	if (ok && p.channel)
		ok = open_on_engine(s, p.channel, p.width, p.height);
	if (ok && !s->engine_id && (p.face || p.options))
		keep_for_next_open(s, &p);
	if (ok && p.face && s->engine_id)
		ok = send_face(s, p.face);
	if (ok && p.options && s->engine_id)
		ok = send_options(s, p.options);
	if (ok)
		ok = check_downloads(s);
	bfree(p.channel);
	bfree(p.face);
	bfree(p.options);
	return ok; /* lost mid-way: dlf_sync_forget_engine marked everything to be said again */
}

void dlf_sync_sessions(void)
{
	/* Sessions are only unlinked by this thread, so walking the list between lock holds is safe. */
	pthread_mutex_lock(&dlf_engine.lock);
	struct dlf_session *s = dlf_engine.sessions;
	pthread_mutex_unlock(&dlf_engine.lock);
	while (s && dlf_engine_connected()) {
		if (!service_session(s))
			return;
		pthread_mutex_lock(&dlf_engine.lock);
		s = s->next;
		pthread_mutex_unlock(&dlf_engine.lock);
	}
}

/* Unlinks the first closing session, under lock; NULL when there is none. */
static struct dlf_session *unlink_closing(void)
{
	struct dlf_session *victim = NULL;
	pthread_mutex_lock(&dlf_engine.lock);
	for (struct dlf_session **link = &dlf_engine.sessions; *link; link = &(*link)->next) {
		if ((*link)->closing) {
			victim = *link;
			*link = victim->next;
			break;
		}
	}
	pthread_mutex_unlock(&dlf_engine.lock);
	return victim;
}

void dlf_sync_reap_closing(void)
{
	struct dlf_session *victim;
	while ((victim = unlink_closing()) != NULL) {
		close_on_engine(victim);
		dlf_session_free(victim);
	}
}

void dlf_sync_close_all(void)
{
	pthread_mutex_lock(&dlf_engine.lock);
	for (struct dlf_session *s = dlf_engine.sessions; s; s = s->next)
		s->closing = true;
	pthread_mutex_unlock(&dlf_engine.lock);
	dlf_sync_reap_closing();
}

#define _POSIX_C_SOURCE 200809L
#include "engine-client.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <obs-module.h>
#include <util/bmem.h>
#include <util/platform.h>
#include <util/threading.h>

#include "control-wire.h"
#include "engine-link.h"
#include "engine-token.h"
#include "engine-launcher.h"
#include "filter-settings.h"

#define PROTOCOL_VERSION 1
#define START_WAIT_MS 60000 /* a JVM loading its models takes a while */
#define REOPEN_AFTER_MS 2000
#define BACKOFF_MIN_MS 250
#define BACKOFF_MAX_MS 5000

struct dlf_session {
	struct dlf_session *next;
	/* Posted by the filter, under eng.lock. */
	char *channel;
	uint32_t width, height;
	char *face_path;
	char *options_json;
	bool channel_dirty, face_dirty, options_dirty;
	bool closing;
	void (*release)(void *param);
	void *release_param;
	struct dlf_session_status status;
	/* The worker's own. */
	char *engine_id; /* the engine's name for this session, NULL while none is open */
	int64_t reopen_after_ms; /* the engine ended the session itself: open it again, but not in a tight loop */
};

static struct {
	pthread_mutex_t lock;
	os_event_t *wake;
	pthread_t thread;
	bool started;
	atomic_bool stopping;
	struct dlf_session *sessions;
	/* Configuration, under lock. */
	char address[256];
	bool auto_start;
	char java[1024];
	char jar[1024];
	uint64_t config_gen;
	/* The worker's own. */
	uint64_t applied_gen;
	struct dlf_link link;
	int64_t next_attempt_ms;
	int backoff_ms;
	pid_t child;
	int64_t child_deadline_ms;
	enum dlf_engine_state state;
	char error[256];
} eng = {.lock = PTHREAD_MUTEX_INITIALIZER, .link = DLF_LINK_CLOSED, .child = -1};

static void replace_string(char **dst, const char *src)
{
	bfree(*dst);
	*dst = src ? bstrdup(src) : NULL;
}

static void free_session(struct dlf_session *s);

/* ---- posting from filters ---------------------------------------------------------------------------------- */

static void wake_worker(void)
{
	if (eng.wake)
		os_event_signal(eng.wake);
}

void dlf_engine_configure(const char *address, bool auto_start, const char *java_path, const char *jar_path)
{
	pthread_mutex_lock(&eng.lock);
	bool changed = strcmp(eng.address, address) != 0 || eng.auto_start != auto_start ||
		       strcmp(eng.java, java_path) != 0 || strcmp(eng.jar, jar_path) != 0;
	if (changed) {
		snprintf(eng.address, sizeof(eng.address), "%s", address);
		eng.auto_start = auto_start;
		snprintf(eng.java, sizeof(eng.java), "%s", java_path);
		snprintf(eng.jar, sizeof(eng.jar), "%s", jar_path);
		eng.config_gen++;
	}
	pthread_mutex_unlock(&eng.lock);
	if (changed)
		wake_worker();
}

struct dlf_session *dlf_session_create(void)
{
	struct dlf_session *s = bzalloc(sizeof(*s));
	pthread_mutex_lock(&eng.lock);
	s->status.engine = eng.state;
	snprintf(s->status.error, sizeof(s->status.error), "%s", eng.error);
	s->next = eng.sessions;
	eng.sessions = s;
	pthread_mutex_unlock(&eng.lock);
	return s;
}

void dlf_session_set_channel(struct dlf_session *s, const char *channel_name, uint32_t width, uint32_t height)
{
	pthread_mutex_lock(&eng.lock);
	replace_string(&s->channel, channel_name);
	s->width = width;
	s->height = height;
	s->channel_dirty = true;
	pthread_mutex_unlock(&eng.lock);
	wake_worker();
}

void dlf_session_set_face(struct dlf_session *s, const char *path)
{
	pthread_mutex_lock(&eng.lock);
	bool changed = !s->face_path || strcmp(s->face_path, path) != 0;
	if (changed) {
		replace_string(&s->face_path, path);
		s->face_dirty = true;
	}
	pthread_mutex_unlock(&eng.lock);
	if (changed)
		wake_worker();
}

void dlf_session_set_options(struct dlf_session *s, obs_data_t *options)
{
	const char *json = obs_data_get_json(options);
	pthread_mutex_lock(&eng.lock);
	bool changed = !s->options_json || strcmp(s->options_json, json) != 0;
	if (changed) {
		replace_string(&s->options_json, json);
		s->options_dirty = true;
	}
	pthread_mutex_unlock(&eng.lock);
	if (changed)
		wake_worker();
}

void dlf_session_get_status(struct dlf_session *s, struct dlf_session_status *out)
{
	pthread_mutex_lock(&eng.lock);
	*out = s->status;
	pthread_mutex_unlock(&eng.lock);
}

void dlf_session_close(struct dlf_session *s, void (*release)(void *param), void *param)
{
	pthread_mutex_lock(&eng.lock);
	s->closing = true;
	s->release = release;
	s->release_param = param;
	bool worker = eng.started;
	if (!worker) { /* no worker (it failed to start): no engine to tell, end it here */
		for (struct dlf_session **link = &eng.sessions; *link; link = &(*link)->next) {
			if (*link == s) {
				*link = s->next;
				break;
			}
		}
	}
	pthread_mutex_unlock(&eng.lock);
	if (worker)
		wake_worker();
	else
		free_session(s);
}

/* ---- the worker ----------------------------------------------------------------------------------------------- */

static void set_engine_state(enum dlf_engine_state state, const char *error)
{
	pthread_mutex_lock(&eng.lock);
	eng.state = state;
	if (error)
		snprintf(eng.error, sizeof(eng.error), "%s", error);
	for (struct dlf_session *s = eng.sessions; s; s = s->next) {
		s->status.engine = state;
		if (error)
			snprintf(s->status.error, sizeof(s->status.error), "%s", error);
		if (state != DLF_ENGINE_CONNECTED)
			s->status.session_open = false;
	}
	pthread_mutex_unlock(&eng.lock);
}

static void disconnect(const char *why)
{
	if (dlf_link_is_open(&eng.link)) {
		blog(LOG_WARNING, "[deep-live-face] engine connection lost: %s", why);
		dlf_link_close(&eng.link);
	}
	/* Everything must be said again to whichever engine answers next. */
	pthread_mutex_lock(&eng.lock);
	for (struct dlf_session *s = eng.sessions; s; s = s->next) {
		bfree(s->engine_id);
		s->engine_id = NULL;
		s->channel_dirty = s->channel != NULL;
		s->face_dirty = s->face_path != NULL && *s->face_path;
		s->options_dirty = s->options_json != NULL;
	}
	pthread_mutex_unlock(&eng.lock);
	set_engine_state(eng.child > 0 ? DLF_ENGINE_STARTING : DLF_ENGINE_DISCONNECTED, why);
	eng.next_attempt_ms = dlf_now_ms() + eng.backoff_ms;
	eng.backoff_ms = eng.backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : eng.backoff_ms * 2;
}

/* An event the engine sent on its own: a session it ended (its channel failed, or it shut down). */
static void handle_event(obs_data_t *msg)
{
	if (dlf_message_type(msg) != DLF_MESSAGE_SESSION_CLOSED)
		return;
	const char *id = obs_data_get_string(msg, "session");
	pthread_mutex_lock(&eng.lock);
	for (struct dlf_session *s = eng.sessions; s; s = s->next) {
		if (s->engine_id && strcmp(s->engine_id, id) == 0) {
			bfree(s->engine_id);
			s->engine_id = NULL;
			s->status.session_open = false;
			snprintf(s->status.error, sizeof(s->status.error), "the engine ended the session: %s",
				 obs_data_get_string(msg, "reason"));
			s->reopen_after_ms = dlf_now_ms() + REOPEN_AFTER_MS;
		}
	}
	pthread_mutex_unlock(&eng.lock);
}

/* Sends fields as a request of this type; NULL when the connection broke (and is closed). */
static obs_data_t *request(enum dlf_request_type type, obs_data_t *fields)
{
	const char *why = NULL;
	obs_data_t *reply = dlf_link_request(&eng.link, type, fields, handle_event, &why);
	if (!reply)
		disconnect(why);
	return reply;
}

static bool is_error(obs_data_t *reply)
{
	return dlf_message_type(reply) == DLF_MESSAGE_ERROR;
}

static void session_error(struct dlf_session *s, obs_data_t *reply)
{
	const char *message = obs_data_get_string(reply, "message");
	blog(LOG_WARNING, "[deep-live-face] engine: %s (%s)", message, obs_data_get_string(reply, "code"));
	pthread_mutex_lock(&eng.lock);
	snprintf(s->status.error, sizeof(s->status.error), "%s", message);
	pthread_mutex_unlock(&eng.lock);
}

static bool say_hello(void)
{
	char err[256];
	char *token = dlf_read_engine_token(err, sizeof(err));
	if (!token) {
		disconnect(err);
		return false;
	}
	obs_data_t *hello = obs_data_create();
	obs_data_set_int(hello, "version", PROTOCOL_VERSION);
	obs_data_set_string(hello, "token", token);
	obs_data_set_string(hello, "client", "obs-plugin " DLF_PLUGIN_VERSION);
	bfree(token);
	obs_data_t *reply = request(DLF_REQUEST_HELLO, hello);
	obs_data_release(hello);
	if (!reply)
		return false;
	bool welcomed = dlf_message_type(reply) == DLF_MESSAGE_WELCOME;
	if (!welcomed) {
		snprintf(err, sizeof(err), "the engine refused us: %s", obs_data_get_string(reply, "message"));
		obs_data_release(reply);
		disconnect(err);
		return false;
	}
	obs_data_release(reply);
	return true;
}

static bool is_loopback(const char *host)
{
	return strcmp(host, "127.0.0.1") == 0 || strcmp(host, "localhost") == 0 || strcmp(host, "::1") == 0;
}

static void try_connect(void)
{
	pthread_mutex_lock(&eng.lock);
	char address[256], java[1024], jar[1024];
	snprintf(address, sizeof(address), "%s", eng.address);
	snprintf(java, sizeof(java), "%s", eng.java);
	snprintf(jar, sizeof(jar), "%s", eng.jar);
	bool auto_start = eng.auto_start;
	pthread_mutex_unlock(&eng.lock);

	char host[256], err[512] = "";
	uint16_t port;
	if (!dlf_parse_address(address, DLF_DEFAULT_ENGINE_PORT, host, sizeof(host), &port)) {
		snprintf(err, sizeof(err), "invalid engine address '%s' (expected host:port)", address);
		set_engine_state(DLF_ENGINE_DISCONNECTED, err);
		eng.next_attempt_ms = dlf_now_ms() + BACKOFF_MAX_MS;
		return;
	}

	if (eng.child > 0 && !dlf_engine_alive(eng.child, err, sizeof(err))) {
		blog(LOG_WARNING, "[deep-live-face] %s", err);
		eng.child = -1;
	}

	if (dlf_link_connect(&eng.link, host, port, err, sizeof(err))) {
		if (say_hello()) {
			eng.backoff_ms = BACKOFF_MIN_MS;
			set_engine_state(DLF_ENGINE_CONNECTED, "");
			blog(LOG_INFO, "[deep-live-face] connected to the engine at %s", address);
		}
		return;
	}

	if (eng.child > 0 && dlf_now_ms() < eng.child_deadline_ms) {
		/* Our engine is still starting: poll quickly, without backoff. */
		set_engine_state(DLF_ENGINE_STARTING, NULL);
		eng.next_attempt_ms = dlf_now_ms() + BACKOFF_MIN_MS;
		return;
	}
	if (eng.child > 0) {
		snprintf(err, sizeof(err), "the engine we started did not listen on %s within %d s", address,
			 START_WAIT_MS / 1000);
		dlf_stop_engine(eng.child, 3000);
		eng.child = -1;
	} else if (auto_start && is_loopback(host)) {
		eng.child = dlf_launch_engine(java, jar, port, err, sizeof(err));
		if (eng.child > 0) {
			eng.child_deadline_ms = dlf_now_ms() + START_WAIT_MS;
			set_engine_state(DLF_ENGINE_STARTING, "");
			eng.next_attempt_ms = dlf_now_ms() + BACKOFF_MIN_MS;
			return;
		}
	}
	set_engine_state(DLF_ENGINE_DISCONNECTED, err);
	eng.next_attempt_ms = dlf_now_ms() + eng.backoff_ms;
	eng.backoff_ms = eng.backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : eng.backoff_ms * 2;
}

static obs_data_t *session_request(struct dlf_session *s)
{
	obs_data_t *req = obs_data_create();
	if (s->engine_id)
		obs_data_set_string(req, "session", s->engine_id);
	return req;
}

/* Sends req and reports an error reply on s. False only when the connection broke. */
static bool send_for_session(struct dlf_session *s, enum dlf_request_type type, obs_data_t *req,
			     obs_data_t **reply_out)
{
	obs_data_t *reply = request(type, req);
	obs_data_release(req);
	if (!reply)
		return false;
	if (is_error(reply))
		session_error(s, reply);
	if (reply_out)
		*reply_out = reply;
	else
		obs_data_release(reply);
	return true;
}

/* options_set's warnings (what the engine accepted but cannot do, e.g. an enhancer not loaded) for the status line. */
static void note_warnings(struct dlf_session *s, obs_data_t *reply)
{
	obs_data_array_t *warnings = obs_data_get_array(reply, "warnings");
	size_t count = warnings ? obs_data_array_count(warnings) : 0;
	char text[sizeof(s->status.warning)] = "";
	for (size_t i = 0; i < count; i++) {
		obs_data_t *item = obs_data_array_item(warnings, i);
		const char *line = obs_data_get_string(item, "message");
		blog(LOG_WARNING, "[deep-live-face] engine: %s", line);
		size_t len = strlen(text);
		snprintf(text + len, sizeof(text) - len, "%s%s", len ? "; " : "", line);
		obs_data_release(item);
	}
	obs_data_array_release(warnings);
	pthread_mutex_lock(&eng.lock);
	snprintf(s->status.warning, sizeof(s->status.warning), "%s", text);
	pthread_mutex_unlock(&eng.lock);
}

static bool close_on_engine(struct dlf_session *s)
{
	if (!s->engine_id || !dlf_link_is_open(&eng.link))
		return true;
	bool ok = send_for_session(s, DLF_REQUEST_CLOSE_SESSION, session_request(s), NULL);
	bfree(s->engine_id);
	s->engine_id = NULL;
	return ok;
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
		pthread_mutex_lock(&eng.lock);
		snprintf(s->status.error, sizeof(s->status.error), "the engine opened no session (reply without an id)");
		pthread_mutex_unlock(&eng.lock);
		s->reopen_after_ms = dlf_now_ms() + REOPEN_AFTER_MS;
	} else if (!is_error(reply)) {
		s->engine_id = bstrdup(id);
		/* An engine without its models hands frames back unchanged: say so rather than look healthy. */
		const char *pipeline = obs_data_get_string(reply, "pipeline");
		pthread_mutex_lock(&eng.lock);
		s->status.session_open = true;
		snprintf(s->status.provider, sizeof(s->status.provider), "%s", obs_data_get_string(reply, "provider"));
		if (strncmp(pipeline, "passthrough", 11) == 0)
			snprintf(s->status.error, sizeof(s->status.error), "the engine does not swap (%s)", pipeline);
		else
			s->status.error[0] = '\0';
		pthread_mutex_unlock(&eng.lock);
	} else {
		s->reopen_after_ms = dlf_now_ms() + REOPEN_AFTER_MS; /* try again, in case the engine was busy */
	}
	obs_data_release(reply);
	return true;
}

/* Brings one session up to date with what its filter posted. False when the connection broke. */
static bool service_session(struct dlf_session *s)
{
	pthread_mutex_lock(&eng.lock);
	if (s->reopen_after_ms && dlf_now_ms() >= s->reopen_after_ms) {
		s->reopen_after_ms = 0;
		s->channel_dirty = s->channel != NULL;
		s->face_dirty = s->face_path && *s->face_path;
		s->options_dirty = s->options_json != NULL;
	}
	uint32_t width = s->width, height = s->height;
	char *channel = s->channel_dirty && s->channel ? bstrdup(s->channel) : NULL;
	bool channel_gone = s->channel_dirty && !s->channel;
	char *face = s->face_dirty && s->face_path ? bstrdup(s->face_path) : NULL;
	char *options = s->options_dirty && s->options_json ? bstrdup(s->options_json) : NULL;
	s->channel_dirty = false;
	/* Faces and options need an open session: they wait for one (the open below, or a later one). */
	bool sendable = s->engine_id || channel;
	if (sendable)
		s->face_dirty = s->options_dirty = false;
	pthread_mutex_unlock(&eng.lock);
	if (!sendable) {
		bfree(face);
		bfree(options);
		face = options = NULL;
	}

	bool ok = true;
	if (channel_gone)
		ok = close_on_engine(s);
	if (ok && channel)
		ok = open_on_engine(s, channel, width, height);
	if (ok && !s->engine_id && (face || options)) { /* the open failed: keep them for the next one */
		pthread_mutex_lock(&eng.lock);
		s->face_dirty = s->face_dirty || face;
		s->options_dirty = s->options_dirty || options;
		pthread_mutex_unlock(&eng.lock);
	}
	if (ok && face && s->engine_id) {
		obs_data_t *req = session_request(s);
		if (*face)
			obs_data_set_string(req, "path", face);
		else
			obs_data_set_bool(req, "clear", true); /* the user emptied the picker */
		ok = send_for_session(s, DLF_REQUEST_SET_SOURCE_FACE, req, NULL);
	}
	if (ok && options && s->engine_id) {
		obs_data_t *req = session_request(s);
		obs_data_t *opts = obs_data_create_from_json(options);
		obs_data_set_obj(req, "options", opts);
		obs_data_release(opts);
		obs_data_t *reply = NULL;
		ok = send_for_session(s, DLF_REQUEST_SET_OPTIONS, req, &reply);
		if (reply && !is_error(reply))
			note_warnings(s, reply);
		obs_data_release(reply);
	}
	bfree(channel);
	bfree(face);
	bfree(options);
	return ok; /* lost mid-way: disconnect() marked everything to be said again after reconnecting */
}

static void free_session(struct dlf_session *s)
{
	if (s->release)
		s->release(s->release_param);
	bfree(s->channel);
	bfree(s->face_path);
	bfree(s->options_json);
	bfree(s->engine_id);
	bfree(s);
}

/* Ends sessions whose filters are gone. Runs whether or not the engine is connected. */
static void reap_closing_sessions(void)
{
	for (;;) {
		struct dlf_session *victim = NULL;
		pthread_mutex_lock(&eng.lock);
		for (struct dlf_session **link = &eng.sessions; *link; link = &(*link)->next) {
			if ((*link)->closing) {
				victim = *link;
				*link = victim->next;
				break;
			}
		}
		pthread_mutex_unlock(&eng.lock);
		if (!victim)
			return;
		close_on_engine(victim);
		free_session(victim);
	}
}

static void service_all_sessions(void)
{
	/* Sessions are only unlinked by this thread, so walking the list between lock holds is safe. */
	pthread_mutex_lock(&eng.lock);
	struct dlf_session *s = eng.sessions;
	pthread_mutex_unlock(&eng.lock);
	while (s && dlf_link_is_open(&eng.link)) {
		if (!service_session(s))
			return;
		pthread_mutex_lock(&eng.lock);
		s = s->next;
		pthread_mutex_unlock(&eng.lock);
	}
}

static void keep_alive(void)
{
	const char *why = NULL;
	if (!dlf_link_keep_alive(&eng.link, handle_event, &why))
		disconnect(why);
}

static void *worker_main(void *arg)
{
	(void)arg;
	os_set_thread_name("deep-live-face: engine client");
	eng.backoff_ms = BACKOFF_MIN_MS;
	while (!atomic_load(&eng.stopping)) {
		pthread_mutex_lock(&eng.lock);
		uint64_t gen = eng.config_gen;
		bool wanted = eng.sessions != NULL && eng.address[0];
		pthread_mutex_unlock(&eng.lock);

		reap_closing_sessions();
		if (gen != eng.applied_gen) { /* new address or launcher settings: start over */
			eng.applied_gen = gen;
			if (dlf_link_is_open(&eng.link))
				disconnect("engine settings changed");
			eng.backoff_ms = BACKOFF_MIN_MS;
			eng.next_attempt_ms = 0;
		}
		/* Connect only while some filter needs the engine. */
		if (!dlf_link_is_open(&eng.link) && wanted && dlf_now_ms() >= eng.next_attempt_ms)
			try_connect();
		if (dlf_link_is_open(&eng.link)) {
			service_all_sessions();
			keep_alive();
		}

		int64_t wait = dlf_link_is_open(&eng.link) ? 200 : eng.next_attempt_ms - dlf_now_ms();
		os_event_timedwait(eng.wake, (unsigned long)(wait < 10 ? 10 : wait > 500 ? 500 : wait));
	}

	/* Unloading: end every session that is still around, then stop an engine we started. */
	pthread_mutex_lock(&eng.lock);
	for (struct dlf_session *s = eng.sessions; s; s = s->next)
		s->closing = true;
	pthread_mutex_unlock(&eng.lock);
	reap_closing_sessions();
	dlf_link_close(&eng.link);
	if (eng.child > 0) {
		dlf_stop_engine(eng.child, 5000);
		eng.child = -1;
	}
	return NULL;
}

void dlf_engine_client_start(void)
{
	if (eng.started)
		return;
	if (os_event_init(&eng.wake, OS_EVENT_TYPE_AUTO) != 0)
		return;
	atomic_store(&eng.stopping, false);
	eng.applied_gen = eng.config_gen;
	if (pthread_create(&eng.thread, NULL, worker_main, NULL) != 0) {
		os_event_destroy(eng.wake);
		eng.wake = NULL;
		return;
	}
	pthread_mutex_lock(&eng.lock);
	eng.started = true;
	pthread_mutex_unlock(&eng.lock);
}

void dlf_engine_client_stop(void)
{
	if (!eng.started)
		return;
	atomic_store(&eng.stopping, true);
	os_event_signal(eng.wake);
	pthread_join(eng.thread, NULL);
	pthread_mutex_lock(&eng.lock);
	eng.started = false;
	pthread_mutex_unlock(&eng.lock);
	os_event_destroy(eng.wake);
	eng.wake = NULL;
}

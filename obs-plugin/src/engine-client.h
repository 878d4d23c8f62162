/* The module's one connection to the engine, shared by every Deep Live Face filter.
 *
 * A worker thread owns the connection (engine-supervisor.c): it connects while some filter needs the engine
 * (starting it when configured to), says hello with the token, and after a lost connection reconnects with backoff.
 * It keeps one engine session per filter in step with what the filter posted (session-sync.c): the frame channel,
 * the source face and the options, re-sent after reconnecting. Filters only post changes and read status
 * (engine-client.c); none of that blocks OBS's graphics or UI thread beyond a mutex. The one wait is module unload,
 * which joins the worker (dlf_engine_client_stop). */
#pragma once

#include <obs-data.h>
#include <stdbool.h>
#include <stdint.h>

enum dlf_engine_state {
	DLF_ENGINE_DISCONNECTED,
	DLF_ENGINE_STARTING, /* we launched it and are waiting for it to listen */
	DLF_ENGINE_CONNECTED,
};

struct dlf_session_status {
	enum dlf_engine_state engine;
	bool session_open;
	char provider[32]; /* what the engine's face swap runs on ("CUDA", "CPU"), "" when unknown or none */
	char error[512];   /* the latest problem worth showing the user, "" when none */
	char warning[512]; /* what the engine said it cannot do of the current options (or how far it got fetching
			    * a model they need), "" when nothing */
	char settings_problem[256]; /* what the filter's own settings cannot do as given, "" when nothing */
};

struct dlf_session;

/* Module load: starts the worker thread. */
void dlf_engine_client_start(void);
/* Module unload: closes every session, stops an engine we started, joins the worker; waits for the worker's
 * current request (its socket timeouts bound that wait). */
void dlf_engine_client_stop(void);

/* The latest filter to change these settings wins: there is one engine. */
void dlf_engine_configure(const char *address, bool auto_start, const char *java_path, const char *jar_path,
			  const char *token_file);

struct dlf_session *dlf_session_create(void);
/* The frame channel the engine attaches to and the size of its frames; a new channel re-opens the engine
 * session. NULL: no channel (yet, or any more). */
void dlf_session_set_channel(struct dlf_session *s, const char *channel_name, uint32_t width, uint32_t height);
/* The source face: set_source_face's fields ({"path"}, {"images"} or {"clear": true}; dlf_settings_source_face). */
void dlf_session_set_face(struct dlf_session *s, obs_data_t *face);
/* What the filter's settings cannot do as given (dlf_settings_problem), shown on the status line; "" for nothing. */
void dlf_session_set_settings_problem(struct dlf_session *s, const char *problem);
void dlf_session_set_options(struct dlf_session *s, obs_data_t *options);
void dlf_session_get_status(struct dlf_session *s, struct dlf_session_status *out);

/* Ends the session: the worker sends close_session (bounded), then calls release(param) on its own thread (the
 * filter frees its frame channel there, after the engine let go of it) and frees s. Without a worker (it failed to
 * start) both happen here, on the caller's thread. s is invalid on return. */
void dlf_session_close(struct dlf_session *s, void (*release)(void *param), void *param);

/* What the filters' side of the engine client (engine-client.c, on OBS's threads) shares with the worker thread
 * (engine-supervisor.c and session-sync.c). Private to those three files.
 *
 * Ownership: fields marked "under lock" are read and written only while holding dlf_engine.lock; fields marked
 * "worker's own" are touched only by the worker thread (or, when no worker runs, by whoever ends the session). */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <util/threading.h>

#include "engine-client.h"

struct dlf_session {
	struct dlf_session *next; /* under lock; only the worker unlinks a session while it runs */
	/* Posted by the filter, under lock; the dirty flags are cleared by the worker once it said them. */
	char *channel;
	uint32_t width, height;
	char *face_json; /* set_source_face's fields */
	bool face_set;   /* face_json names a face (not a clear): a new engine session is told it */
	char *options_json;
	bool channel_dirty, face_dirty, options_dirty;
	bool closing;
	void (*release)(void *param);
	void *release_param;
	struct dlf_session_status status; /* written by the worker, read by the filter, under lock */
	/* The worker's own. */
	char *engine_id;         /* the engine's name for this session, NULL while none is open */
	int64_t reopen_after_ms; /* the engine ended the session itself: open it again, but not in a tight loop */
	int64_t warnings_due_ms; /* the engine is fetching a model the options need: ask how far it got from then on */
};

/* Where the engine is and how to start it (dlf_engine_configure). */
struct dlf_engine_config {
	char address[256];
	bool auto_start;
	char java[1024];
	char jar[1024];
	char token_file[1024]; /* the filter's setting: empty for $DLF_TOKEN_FILE or the engine's default */
};

struct dlf_engine_shared {
	pthread_mutex_t lock;
	os_event_t *wake;    /* created and destroyed only while no worker runs (module load and unload) */
	bool worker_running; /* under lock */
	struct dlf_session *sessions; /* under lock */
	/* Under lock; config_gen counts changes. */
	struct dlf_engine_config config;
	uint64_t config_gen;
	/* The engine's state as the worker last saw it, under lock: a new session starts out showing it. */
	enum dlf_engine_state state;
	char error[512];
};

extern struct dlf_engine_shared dlf_engine;

/* Any thread: tells the worker something changed. */
void dlf_engine_wake_worker(void);

/* Calls the session's release, then frees it. s must be unlinked already. */
void dlf_session_free(struct dlf_session *s);

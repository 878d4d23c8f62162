/* Keeps each filter's engine session in step with what the filter posted: opens and closes sessions, sends the
 * source face and the options, reopens a session the engine ended, and ends sessions whose filters are gone.
 * Worker thread only. */
#pragma once

#include <obs-data.h>

#include "engine-client.h"

/* Brings every session up to date; stops early when the connection breaks. */
void dlf_sync_sessions(void);

/* Ends sessions whose filters are gone (telling the engine when connected) and frees them. */
void dlf_sync_reap_closing(void);

/* Unloading: ends every session that is still around. */
void dlf_sync_close_all(void);

/* The connection is gone: every session has to be said again to whichever engine answers next. */
void dlf_sync_forget_engine(void);

/* Publishes the engine's state to every session's status; error NULL leaves their errors as they are. */
void dlf_sync_show_engine_state(enum dlf_engine_state state, const char *error);

/* An event the engine sent on its own (a session it ended: its channel failed, or it shut down). */
void dlf_sync_handle_event(obs_data_t *event);

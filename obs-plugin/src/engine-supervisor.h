/* The worker thread and the engine it talks to: connects while some filter needs the engine, starts it when
 * configured to (engine-launcher.c), says hello with the token, keeps the connection alive, and after a lost
 * connection reconnects with backoff. dlf_engine_client_start/stop (engine-client.h) are defined here.
 * Worker thread only, except start and stop (module load and unload). */
#pragma once

#include <obs-data.h>
#include <stdbool.h>

#include "engine-link.h"

bool dlf_engine_connected(void);

/* Sends fields as a request of this type. NULL when the connection broke: it is then closed, and every session
 * marked to be said again after reconnecting. */
obs_data_t *dlf_engine_request(enum dlf_request_type type, obs_data_t *fields);

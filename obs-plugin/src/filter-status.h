/* The filter's one status line for the properties view, in the user's language. */
#pragma once

#include <stddef.h>

#include "engine-client.h"

/* fps and latency_ms are the filter's own measurements (frame-timings.c); they are shown only while the session
 * is open. */
void dlf_filter_status_text(const struct dlf_session_status *st, double fps, double latency_ms, char *out,
			    size_t size);

/* The graphics-thread half of the filter: each video_render renders the filter's target into a texture, hands the
 * previous frame's pixels to the engine through the frame channel, picks up the newest processed frame, and draws
 * it (or what the fallback policy says). Every channel call here has a zero timeout: OBS never waits on the engine. */
#pragma once

#include <obs-module.h>

#include "filter-settings.h"
#include "frame-timings.h"

struct dlf_session;
struct dlf_pump;
typedef struct dlf_channel dlf_channel;

/* A processed frame older than this no longer counts as the engine keeping up. */
#define DLF_FRESH_NS 500000000ull

/* Graphics context required for create and destroy_graphics. */
struct dlf_pump *dlf_pump_create(struct dlf_session *session, struct dlf_timings *timings);
void dlf_pump_destroy_graphics(struct dlf_pump *p);
/* The channel (NULL if none), now the caller's to close; then frees p. */
dlf_channel *dlf_pump_destroy(struct dlf_pump *p);

/* False: nothing was drawn and the filter must skip itself (obs_source_skip_video_filter), so OBS draws the source
 * as it is: only with the fallback "original" (or no source to draw). With the others a frame the pump cannot show
 * is drawn black, never the source. */
bool dlf_pump_render(struct dlf_pump *p, obs_source_t *filter, enum dlf_fallback fallback);

/* For the status line: is an engine attached to our channel right now? */
bool dlf_pump_engine_attached(struct dlf_pump *p);

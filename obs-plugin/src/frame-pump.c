#include "frame-pump.h"

#include <stdatomic.h>
#include <string.h>

#include <dlf/frame_channel.h>
#include <graphics/vec4.h>
#include <util/platform.h>

#include "engine-client.h"

#define STAGE_RING 2  /* map the surface staged one frame ago: the GPU finished it meanwhile */
#define OUTPUT_RING 2 /* upload into the texture the last frame did not draw: no wait on a draw in flight */
#define CHANNEL_RETRY_NS 2000000000ull /* after a failed dlf_channel_create */

struct dlf_pump {
	struct dlf_session *session;
	struct dlf_timings *timings;

	gs_texrender_t *texrender;
	gs_stagesurf_t *stage[STAGE_RING];
	uint64_t staged_ns[STAGE_RING]; /* when each surface was staged; 0 = holds nothing to send */
	uint32_t stage_next;
	gs_texture_t *output[OUTPUT_RING];
	uint32_t output_current; /* which one holds the newest processed frame */
	uint64_t output_ns;   /* when it arrived; 0 = none yet */
	bool output_unswapped; /* it is a frame the engine handed back unswapped: the real face, for "original" only */
	uint32_t width, height;

	dlf_channel *channel;
	uint64_t channel_retry_ns;
	atomic_bool attached;
};

struct dlf_pump *dlf_pump_create(struct dlf_session *session, struct dlf_timings *timings)
{
	struct dlf_pump *p = bzalloc(sizeof(*p));
	p->session = session;
	p->timings = timings;
	p->texrender = gs_texrender_create(GS_BGRA, GS_ZS_NONE);
	return p;
}

static void free_surfaces(struct dlf_pump *p)
{
	for (int i = 0; i < STAGE_RING; i++) {
		gs_stagesurface_destroy(p->stage[i]);
		p->stage[i] = NULL;
		p->staged_ns[i] = 0;
	}
	for (int i = 0; i < OUTPUT_RING; i++) {
		gs_texture_destroy(p->output[i]);
		p->output[i] = NULL;
	}
	p->output_ns = 0;
	p->output_unswapped = false;
	p->width = p->height = 0;
}

void dlf_pump_destroy_graphics(struct dlf_pump *p)
{
	free_surfaces(p);
	gs_texrender_destroy(p->texrender);
	p->texrender = NULL;
}

dlf_channel *dlf_pump_destroy(struct dlf_pump *p)
{
	dlf_channel *channel = p->channel;
	bfree(p);
	return channel;
}

bool dlf_pump_engine_attached(struct dlf_pump *p)
{
	return atomic_load(&p->attached);
}

/* New frame size: new surfaces, and a channel whose slots fit the new frames (the engine re-attaches by name). */
/* New surfaces for w×h; on failure none are left (the next frame tries again). */
static bool resize(struct dlf_pump *p, uint32_t w, uint32_t h)
{
	free_surfaces(p);
	for (int i = 0; i < STAGE_RING; i++) {
		p->stage[i] = gs_stagesurface_create(w, h, GS_BGRA);
		if (!p->stage[i]) {
			free_surfaces(p);
			return false;
		}
	}
	for (int i = 0; i < OUTPUT_RING; i++) {
		p->output[i] = gs_texture_create(w, h, GS_BGRA, 1, NULL, GS_DYNAMIC);
		if (!p->output[i]) {
			free_surfaces(p);
			return false;
		}
	}
	p->width = w;
	p->height = h;
	if (p->channel) {
		dlf_channel_close(p->channel);
		p->channel = NULL;
		dlf_session_set_channel(p->session, NULL, 0, 0);
	}
	p->channel_retry_ns = 0;
	return true;
}

static void ensure_channel(struct dlf_pump *p, uint64_t now)
{
	if (p->channel || now < p->channel_retry_ns)
		return;
	/* 5 slots: the engine's staged pipeline holds a few frames at once (one per busy stage), and OBS still needs a
	 * free slot to write the next frame into and one to read the newest result from. */
	dlf_channel_params params = {.slot_count = 5, .max_frame_bytes = (uint64_t)p->width * p->height * 4};
	int rc = dlf_channel_create(&params, &p->channel);
	if (rc != DLF_OK) {
		blog(LOG_WARNING, "[deep-live-face] cannot create the frame channel (%ux%u): %s", p->width, p->height,
		     dlf_status_message(rc));
		p->channel = NULL;
		p->channel_retry_ns = now + CHANNEL_RETRY_NS;
		return;
	}
	dlf_session_set_channel(p->session, dlf_channel_name(p->channel), p->width, p->height);
}

static bool render_target(struct dlf_pump *p, obs_source_t *filter, obs_source_t *target)
{
	/* As obs_source_process_filter_begin does: a parent that draws with OBS's default effect is drawn through it
	 * (rendering it plainly while its filters run would draw without any effect). */
	uint32_t flags = obs_source_get_output_flags(target);
	bool default_draw = target == obs_filter_get_parent(filter) && !(flags & OBS_SOURCE_CUSTOM_DRAW) &&
			    !(flags & OBS_SOURCE_ASYNC);

	gs_texrender_reset(p->texrender);
	if (!gs_texrender_begin(p->texrender, p->width, p->height))
		return false;
	struct vec4 clear;
	vec4_zero(&clear);
	gs_clear(GS_CLEAR_COLOR, &clear, 0.0f, 0);
	gs_ortho(0.0f, (float)p->width, 0.0f, (float)p->height, -100.0f, 100.0f);
	/* Copy the source's pixels as they are (alpha included) rather than blending them onto the clear colour. */
	gs_blend_state_push();
	gs_blend_function(GS_BLEND_ONE, GS_BLEND_ZERO);
	if (default_draw)
		obs_source_default_render(target);
	else
		obs_source_video_render(target);
	gs_blend_state_pop();
	gs_texrender_end(p->texrender);
	return true;
}

/* Takes every processed frame waiting in the channel, uploads the newest if it may be shown, gives all slots back. */
static void collect_processed(struct dlf_pump *p, uint64_t now, enum dlf_fallback fallback)
{
	dlf_frame newest, f;
	bool have = false;
	while (dlf_producer_receive(p->channel, &f, 0) == DLF_OK) {
		if (have)
			dlf_producer_release(p->channel, &newest);
		newest = f;
		have = true;
	}
	if (!have)
		return;
	bool fits = newest.width == p->width && newest.height == p->height && newest.format == DLF_PIXEL_BGRA &&
		    newest.stride >= newest.width * 4 && (uint64_t)newest.stride * newest.height <= newest.capacity;
	/* Swapped, or no face in it: always fit to show. Handed back unswapped (no identity yet, no swapper): it shows
	 * the streamer's real face, so only "show the original" may draw it. */
	bool swapped = newest.result == DLF_RESULT_PROCESSED || newest.result == DLF_RESULT_UNCHANGED;
	bool unswapped = newest.result == DLF_RESULT_UNSWAPPED;
	if (fits && (swapped || unswapped))
		dlf_timings_add_processed(p->timings, now - newest.timestamp_ns, now); /* the engine keeps up either way */
	if (fits && (swapped || (unswapped && fallback == DLF_FALLBACK_ORIGINAL))) {
		p->output_current = (p->output_current + 1) % OUTPUT_RING;
		gs_texture_set_image(p->output[p->output_current], newest.data, newest.stride, false);
		p->output_ns = now;
		p->output_unswapped = unswapped;
	}
	dlf_producer_release(p->channel, &newest);
}

/* Copies the frame staged one render ago into a free slot. Never waits: no slot, no copy (the frame is dropped). */
static void send_previous(struct dlf_pump *p)
{
	uint32_t prev = (p->stage_next + STAGE_RING - 1) % STAGE_RING;
	uint64_t captured = p->staged_ns[prev];
	if (!captured)
		return;
	p->staged_ns[prev] = 0;
	uint8_t *data;
	uint32_t linesize;
	if (!gs_stagesurface_map(p->stage[prev], &data, &linesize))
		return;
	dlf_frame f;
	uint32_t row = p->width * 4;
	if (linesize >= row && dlf_producer_begin(p->channel, &f, 0) == DLF_OK) {
		if (f.capacity >= (uint64_t)row * p->height) {
			if (linesize == row) {
				memcpy(f.data, data, (size_t)row * p->height);
			} else {
				for (uint32_t y = 0; y < p->height; y++)
					memcpy(f.data + (size_t)y * row, data + (size_t)y * linesize, row);
			}
		}
		f.width = p->width;
		f.height = p->height;
		f.stride = row;
		f.format = DLF_PIXEL_BGRA;
		f.timestamp_ns = captured;
		f.checksum = 0;
		dlf_producer_submit(p->channel, &f); /* a size that does not fit is refused and the slot freed */
	}
	gs_stagesurface_unmap(p->stage[prev]);
}

static void draw_texture(gs_texture_t *tex, uint32_t w, uint32_t h)
{
	gs_effect_t *effect = obs_get_base_effect(OBS_EFFECT_DEFAULT);
	const bool previous = gs_framebuffer_srgb_enabled();
	gs_enable_framebuffer_srgb(true);
	gs_blend_state_push();
	gs_blend_function(GS_BLEND_ONE, GS_BLEND_INVSRCALPHA);
	gs_effect_set_texture_srgb(gs_effect_get_param_by_name(effect, "image"), tex);
	while (gs_effect_loop(effect, "Draw"))
		gs_draw_sprite(tex, 0, w, h);
	gs_blend_state_pop();
	gs_enable_framebuffer_srgb(previous);
}

static void draw_black(uint32_t w, uint32_t h)
{
	gs_effect_t *effect = obs_get_base_effect(OBS_EFFECT_SOLID);
	struct vec4 black;
	vec4_set(&black, 0.0f, 0.0f, 0.0f, 1.0f);
	gs_effect_set_vec4(gs_effect_get_param_by_name(effect, "color"), &black);
	while (gs_effect_loop(effect, "Solid"))
		gs_draw_sprite(NULL, 0, w, h);
}

/* The pump cannot show this frame (no texture, a source too large, a graphics allocation refused). Skipping the
 * filter would make OBS draw the source as it is, the real face, so only "original" skips; the others draw black. */
static bool cannot_render(enum dlf_fallback fallback, uint32_t w, uint32_t h)
{
	if (fallback == DLF_FALLBACK_ORIGINAL || w == 0 || h == 0)
		return false;
	draw_black(w, h);
	return true;
}

bool dlf_pump_render(struct dlf_pump *p, obs_source_t *filter, enum dlf_fallback fallback)
{
	uint64_t start = os_gettime_ns();
	obs_source_t *target = obs_filter_get_target(filter);
	if (!target)
		return false; /* nothing to draw either way */
	uint32_t w = obs_source_get_base_width(target), h = obs_source_get_base_height(target);
	if (!p->texrender || w == 0 || h == 0 || w > DLF_MAX_DIMENSION || h > DLF_MAX_DIMENSION)
		return cannot_render(fallback, w, h);
	if ((w != p->width || h != p->height) && !resize(p, w, h))
		return cannot_render(fallback, w, h);
	ensure_channel(p, start);
	bool attached = false;
	if (p->channel) {
		collect_processed(p, start, fallback);
		attached = dlf_producer_has_consumer(p->channel);
		if (attached)
			send_previous(p);
	}
	atomic_store(&p->attached, attached);
	if (!attached) {
		memset(p->staged_ns, 0, sizeof(p->staged_ns)); /* an engine that attaches later gets no stale frame */
		/* No engine and "show the original": OBS draws the source itself, in one pass, not read back and drawn
		 * again. (The other fallbacks draw the last swapped frame or black and need no source picture.) */
		if (fallback == DLF_FALLBACK_ORIGINAL)
			return false;
	}

	gs_texture_t *input = NULL;
	if (attached) {
		if (!render_target(p, filter, target))
			return cannot_render(fallback, w, h);
		input = gs_texrender_get_texture(p->texrender);
		gs_stage_texture(p->stage[p->stage_next], input);
		p->staged_ns[p->stage_next] = start;
		p->stage_next = (p->stage_next + 1) % STAGE_RING;
	}

	/* An unswapped frame kept from while the fallback was "original" is not drawn under the others. */
	bool have_output = p->output_ns && (!p->output_unswapped || fallback == DLF_FALLBACK_ORIGINAL);
	bool fresh = attached && have_output && start - p->output_ns < DLF_FRESH_NS;
	if (fresh || (fallback == DLF_FALLBACK_LAST_SWAPPED && have_output))
		draw_texture(p->output[p->output_current], w, h);
	else if (fallback == DLF_FALLBACK_ORIGINAL && input)
		draw_texture(input, w, h);
	else
		draw_black(w, h); /* black, or "last swapped" before the first swapped frame: never the real face */

	dlf_timings_add_render(p->timings, os_gettime_ns() - start);
	return true;
}

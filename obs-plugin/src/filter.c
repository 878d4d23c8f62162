/* The "Deep Live Face" video filter: OBS's callbacks, tying the settings, the engine session and the frame pump. */
#include "filter.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include <dlf/frame_channel.h>
#include <util/platform.h>

#include "engine-client.h"
#include "filter-settings.h"
#include "filter-status.h"
#include "frame-pump.h"
#include "frame-timings.h"

struct dlf_filter {
	obs_source_t *source;
	struct dlf_session *session;
	struct dlf_pump *pump;
	struct dlf_timings timings;
	atomic_int fallback;
	char shown_status[1024]; /* the status (without rates) the properties view last showed */
	struct dlf_shown_rates shown_rates; /* and the fps and latency it showed */
	float since_status_check;
	float since_refresh;
};

/* An open properties view is redrawn at once when the engine's state or problem changes, and at most this often
 * when only the fps or latency moved noticeably (dlf_rates_moved): a redraw rebuilds every widget. */
#define RATES_REFRESH_S 5.0f

static const char *filter_name(void *type_data)
{
	(void)type_data;
	return obs_module_text("DeepLiveFace");
}

static void filter_update(void *data, obs_data_t *settings)
{
	struct dlf_filter *f = data;
	atomic_store(&f->fallback, (int)dlf_settings_fallback(settings));
	dlf_engine_configure(obs_data_get_string(settings, S_ENGINE_ADDRESS), obs_data_get_bool(settings, S_AUTO_START),
			     obs_data_get_string(settings, S_JAVA_PATH), obs_data_get_string(settings, S_JAR_PATH),
			     obs_data_get_string(settings, S_TOKEN_FILE));
	obs_data_t *face = dlf_settings_source_face(settings);
	dlf_session_set_face(f->session, face);
	obs_data_release(face);
	char problem[sizeof(((struct dlf_session_status *)0)->settings_problem)];
	dlf_settings_problem(settings, problem, sizeof(problem));
	dlf_session_set_settings_problem(f->session, problem);
	obs_data_t *options = dlf_settings_engine_options(settings);
	dlf_session_set_options(f->session, options);
	obs_data_release(options);
}

/* proc "get_timings": what the filter costs the render thread and how old the frames it draws are (bench). */
static void proc_get_timings(void *data, calldata_t *cd)
{
	struct dlf_filter *f = data;
	struct dlf_timing_summary render, latency;
	dlf_timings_summarize(&f->timings, &render, &latency);
	calldata_set_int(cd, "render_samples", render.samples);
	calldata_set_float(cd, "render_mean_us", render.mean_us);
	calldata_set_float(cd, "render_p50_us", render.p50_us);
	calldata_set_float(cd, "render_p99_us", render.p99_us);
	calldata_set_float(cd, "render_max_us", render.max_us);
	calldata_set_int(cd, "latency_samples", latency.samples);
	calldata_set_float(cd, "latency_mean_us", latency.mean_us);
	calldata_set_float(cd, "latency_p50_us", latency.p50_us);
	calldata_set_float(cd, "latency_p99_us", latency.p99_us);
	calldata_set_float(cd, "latency_max_us", latency.max_us);
}

static void proc_reset_timings(void *data, calldata_t *cd)
{
	(void)cd;
	struct dlf_filter *f = data;
	dlf_timings_reset(&f->timings);
}

static void *filter_create(obs_data_t *settings, obs_source_t *source)
{
	struct dlf_filter *f = bzalloc(sizeof(*f));
	f->source = source;
	dlf_timings_init(&f->timings);
	f->session = dlf_session_create();
	obs_enter_graphics();
	f->pump = dlf_pump_create(f->session, &f->timings);
	obs_leave_graphics();

	proc_handler_t *ph = obs_source_get_proc_handler(source);
	proc_handler_add(ph,
			 "void get_timings(out int render_samples, out float render_mean_us, out float render_p50_us,"
			 " out float render_p99_us, out float render_max_us, out int latency_samples,"
			 " out float latency_mean_us, out float latency_p50_us, out float latency_p99_us,"
			 " out float latency_max_us)",
			 proc_get_timings, f);
	proc_handler_add(ph, "void reset_timings()", proc_reset_timings, f);

	filter_update(f, settings);
	return f;
}

/* Runs on the engine client's thread once the engine let go of the session. */
static void release_channel(void *channel)
{
	dlf_channel_close(channel);
}

static void filter_destroy(void *data)
{
	struct dlf_filter *f = data;
	obs_enter_graphics();
	dlf_pump_destroy_graphics(f->pump);
	obs_leave_graphics();
	dlf_channel *channel = dlf_pump_destroy(f->pump);
	dlf_session_close(f->session, channel ? release_channel : NULL, channel);
	dlf_timings_free(&f->timings);
	bfree(f);
}

static void filter_remove(void *data, obs_source_t *parent)
{
	(void)parent;
	struct dlf_filter *f = data;
	/* Off the source: the engine can stop working for us now; the channel itself goes in destroy. */
	dlf_session_set_channel(f->session, NULL, 0, 0);
}

/* The status line; with_rates adds fps and latency (the tick compares texts and leaves them out, so a changing
 * rate alone does not rebuild the properties). */
static void status_text(struct dlf_filter *f, bool with_rates, char *out, size_t size)
{
	struct dlf_session_status st;
	dlf_session_get_status(f->session, &st);
	double fps = 0.0, latency_ms = 0.0;
	if (with_rates)
		dlf_timings_status(&f->timings, &fps, &latency_ms, os_gettime_ns());
	st.session_open = st.session_open && dlf_pump_engine_attached(f->pump);
	dlf_filter_status_text(&st, fps, latency_ms, out, size);
}

/* "Refresh status": reads the status again and rewrites the line of the view that was clicked. */
static bool refresh_status(obs_properties_t *props, obs_property_t *p, void *data)
{
	(void)p;
	if (!data)
		return false;
	char text[1024];
	status_text(data, true, text, sizeof(text));
	dlf_settings_show_status(props, text);
	return true;
}

static obs_properties_t *filter_properties(void *data)
{
	char text[1024];
	if (data)
		status_text(data, true, text, sizeof(text));
	else
		snprintf(text, sizeof(text), "%s", obs_module_text("Status.Disconnected"));
	return dlf_settings_properties(text, refresh_status, data);
}

/* Keeps an open properties view's status line current (see RATES_REFRESH_S). */
static void filter_tick(void *data, float seconds)
{
	struct dlf_filter *f = data;
	f->since_status_check += seconds;
	f->since_refresh += seconds;
	if (f->since_status_check < 1.0f)
		return;
	f->since_status_check = 0.0f;
	char text[1024];
	status_text(f, false, text, sizeof(text));
	double fps, latency_ms;
	dlf_timings_status(&f->timings, &fps, &latency_ms, os_gettime_ns());
	bool rates_moved = f->since_refresh >= RATES_REFRESH_S && dlf_rates_moved(&f->shown_rates, fps, latency_ms);
	if (strcmp(text, f->shown_status) != 0 || rates_moved) {
		snprintf(f->shown_status, sizeof(f->shown_status), "%s", text);
		f->shown_rates = (struct dlf_shown_rates){fps, latency_ms};
		f->since_refresh = 0.0f;
		obs_source_update_properties(f->source);
	}
}

static void filter_render(void *data, gs_effect_t *effect)
{
	(void)effect;
	struct dlf_filter *f = data;
	if (!dlf_pump_render(f->pump, f->source, (enum dlf_fallback)atomic_load(&f->fallback)))
		obs_source_skip_video_filter(f->source);
}

struct obs_source_info dlf_filter_info = {
	.id = DLF_FILTER_ID,
	.type = OBS_SOURCE_TYPE_FILTER,
	.output_flags = OBS_SOURCE_VIDEO | OBS_SOURCE_SRGB,
	.get_name = filter_name,
	.create = filter_create,
	.destroy = filter_destroy,
	.get_defaults = dlf_settings_defaults,
	.get_properties = filter_properties,
	.update = filter_update,
	.video_tick = filter_tick,
	.video_render = filter_render,
	.filter_remove = filter_remove,
};

/* obs-filter-bench: what the Deep Live Face filter costs OBS, measured inside a real libobs.
 *
 * OBS's own render thread draws a W×H source with the filter at 30 fps while an engine hands frames back
 * (the stand-in engine in --noop mode by default: the transport alone; --engine-jar J runs a real engine's
 * `serve`). Prints one JSON object:
 *   filter_render_*_us  time the filter's video_render takes on OBS's render thread (render the target into a
 *                       texture, read back the previous frame, copy it into the channel, upload and draw the
 *                       processed frame), per frame: mean, p50, p99;
 *   latency_*_us        capture in video_render -> that frame's processed pixels drawn;
 *   obs_frame_time_*    OBS's average render-thread frame time without a filter, with OBS's own sharpness
 *                       filter (one render-to-texture pass, for scale) and with ours.
 *
 *   obs-filter-bench [--size 1920x1080] [--seconds 10] [--engine-jar PATH]
 * Run it under xvfb-run (run-headless.sh does). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <util/platform.h>

#include "engine-process.h"
#include "obs-harness.h"

static pid_t engine = -1;

static void kill_engine(void)
{
	engine_kill(engine);
	engine = -1;
}

static double timing(calldata_t *cd, const char *name)
{
	return calldata_float(cd, name);
}

static obs_source_t *solid_source(uint32_t w, uint32_t h)
{
	obs_data_t *s = obs_data_create();
	obs_data_set_int(s, "width", w);
	obs_data_set_int(s, "height", h);
	obs_data_set_int(s, "color", 0xFF8040C0);
	obs_source_t *source = obs_source_create_private("color_source_v3", "bench", s);
	obs_data_release(s);
	return source;
}

static double average_frame_time_us(int seconds)
{
	/* OBS averages its recent frames; sample it once a second and average the samples. */
	double sum = 0;
	for (int i = 0; i < seconds; i++) {
		os_sleep_ms(1000);
		sum += (double)obs_get_average_frame_time_ns() / 1000.0;
	}
	return seconds ? sum / seconds : 0.0;
}

int main(int argc, char **argv)
{
	uint32_t w = 1920, h = 1080;
	int seconds = 10;
	const char *jar = getenv("DLF_ENGINE_JAR");
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--size") == 0 && i + 1 < argc)
			sscanf(argv[++i], "%ux%u", &w, &h);
		else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
			seconds = atoi(argv[++i]);
		else if (strcmp(argv[i], "--engine-jar") == 0 && i + 1 < argc)
			jar = argv[++i];
		else {
			fprintf(stderr, "usage: %s [--size WxH] [--seconds N] [--engine-jar PATH]\n", argv[0]);
			return 2;
		}
	}
	CHECK(w >= 16 && h >= 16 && w <= 7680 && h <= 4320 && seconds > 0, "bad --size or --seconds");

	char runtime[] = "/tmp/dlf-obs-bench-XXXXXX";
	CHECK(mkdtemp(runtime), "mkdtemp");
	setenv("XDG_RUNTIME_DIR", runtime, 1);
	uint16_t port = engine_free_port();
	char port_arg[8];
	snprintf(port_arg, sizeof(port_arg), "%u", (unsigned)port);
	harness_on_failure = kill_engine;
	if (jar && *jar) {
		char *cmd[] = {"java", "-jar", (char *)jar, "serve", "--port", port_arg, NULL};
		engine = engine_start(cmd, port, 120000);
	} else {
		char *cmd[] = {STAND_IN_ENGINE, "--port", port_arg, "--noop", NULL};
		engine = engine_start(cmd, port, 10000);
	}
	CHECK(engine > 0, "the engine did not start");

	CHECK(harness_start(w, h), "libobs did not start");
	obs_source_t *source = solid_source(w, h);
	CHECK(source && obs_source_get_width(source) == w, "cannot create a %ux%u colour source", w, h);
	obs_set_output_source(0, source);

	int baseline_seconds = seconds < 4 ? seconds : 4;
	double without_us = average_frame_time_us(baseline_seconds);

	/* For scale: a stock OBS filter that also renders its target into a texture and draws it once. */
	obs_source_t *stock = obs_source_create_private("sharpness_filter_v2", "stock", NULL);
	CHECK(stock, "cannot create OBS's sharpness filter");
	obs_source_filter_add(source, stock);
	double stock_us = average_frame_time_us(baseline_seconds);
	obs_source_filter_remove(source, stock);
	obs_source_release(stock);

	char address[64];
	snprintf(address, sizeof(address), "127.0.0.1:%u", (unsigned)port);
	obs_data_t *settings = obs_data_create();
	obs_data_set_string(settings, "engine_address", address);
	obs_data_set_bool(settings, "auto_start", false);
	obs_source_t *filter = obs_source_create_private("deep_live_face_filter", "Deep Live Face", settings);
	obs_data_release(settings);
	obs_source_filter_add(source, filter);

	/* Warm up until processed frames come back, then measure from a clean slate. */
	proc_handler_t *ph = obs_source_get_proc_handler(filter);
	calldata_t cd = {0};
	for (int i = 0; i < 300; i++) {
		os_sleep_ms(100);
		calldata_clear(&cd);
		proc_handler_call(ph, "get_timings", &cd);
		if (calldata_int(&cd, "latency_samples") > 30)
			break;
	}
	CHECK(calldata_int(&cd, "latency_samples") > 30, "no processed frames came back from the engine");
	proc_handler_call(ph, "reset_timings", &cd);
	uint32_t lagged_before = obs_get_lagged_frames(), total_before = obs_get_total_frames();
	double with_us = average_frame_time_us(seconds);
	calldata_clear(&cd);
	proc_handler_call(ph, "get_timings", &cd);
	uint32_t lagged = obs_get_lagged_frames() - lagged_before, total = obs_get_total_frames() - total_before;

	printf("{\"size\":\"%ux%u\",\"fps\":30,\"engine\":\"%s\",\"frames\":%lld,"
	       "\"filter_render_mean_us\":%.1f,\"filter_render_p50_us\":%.1f,\"filter_render_p99_us\":%.1f,"
	       "\"filter_render_max_us\":%.1f,\"latency_frames\":%lld,\"latency_mean_us\":%.1f,"
	       "\"latency_p50_us\":%.1f,\"latency_p99_us\":%.1f,\"obs_frame_time_without_filter_us\":%.1f,"
	       "\"obs_frame_time_with_stock_sharpness_filter_us\":%.1f,\"obs_frame_time_with_filter_us\":%.1f,"
	       "\"obs_frames\":%u,\"obs_lagged_frames\":%u}\n",
	       w, h, jar && *jar ? "jar" : "stand-in-noop", calldata_int(&cd, "render_samples"),
	       timing(&cd, "render_mean_us"), timing(&cd, "render_p50_us"), timing(&cd, "render_p99_us"),
	       timing(&cd, "render_max_us"), calldata_int(&cd, "latency_samples"), timing(&cd, "latency_mean_us"),
	       timing(&cd, "latency_p50_us"), timing(&cd, "latency_p99_us"), without_us, stock_us, with_us, total,
	       lagged);
	calldata_free(&cd);

	obs_set_output_source(0, NULL);
	obs_source_filter_remove(source, filter);
	obs_source_release(filter);
	obs_source_release(source);
	kill_engine();
	harness_stop();
	char path[4300];
	snprintf(path, sizeof(path), "%s/deep-live-face/token", runtime);
	unlink(path);
	snprintf(path, sizeof(path), "%s/deep-live-face", runtime);
	rmdir(path);
	rmdir(runtime);
	return 0;
}

#define _POSIX_C_SOURCE 200809L
#include "obs-harness.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <graphics/vec4.h>
#include <obs-nix-platform.h>
#include <util/platform.h>

/* Set by CMake: where Debian keeps libobs's modules and their data, and our freshly built plugin. */
#ifndef OBS_PLUGIN_BIN_DIR
#error OBS_PLUGIN_BIN_DIR must be defined
#endif

void (*harness_on_failure)(void);

void harness_fail(const char *file, int line, const char *fmt, ...)
{
	fprintf(stderr, "FAILED %s:%d: ", file, line);
	va_list args;
	va_start(args, fmt);
	vfprintf(stderr, fmt, args);
	va_end(args);
	fprintf(stderr, "\n");
	fflush(stderr);
	if (harness_on_failure)
		harness_on_failure();
	_exit(1);
}

static bool load_module(const char *bin, const char *data)
{
	obs_module_t *module = NULL;
	int rc = obs_open_module(&module, bin, data);
	if (rc != MODULE_SUCCESS) {
		fprintf(stderr, "harness: cannot open module %s (code %d)\n", bin, rc);
		return false;
	}
	if (!obs_init_module(module)) {
		fprintf(stderr, "harness: module %s failed to initialise\n", bin);
		return false;
	}
	return true;
}

/* libobs's EGL-on-X11 backend needs the X display; libX11 comes with libobs, opened here so tests need no -dev. */
static void *open_x_display(void)
{
	void *x11 = dlopen("libX11.so.6", RTLD_NOW | RTLD_GLOBAL);
	if (!x11)
		return NULL;
	void *(*open_display)(const char *);
	void *symbol = dlsym(x11, "XOpenDisplay");
	memcpy(&open_display, &symbol, sizeof(symbol)); /* object to function pointer, the POSIX way */
	return open_display ? open_display(NULL) : NULL;
}

bool harness_start(uint32_t w, uint32_t h)
{
	return harness_start_plugin(w, h, DLF_PLUGIN_FILE);
}

bool harness_start_plugin(uint32_t w, uint32_t h, const char *plugin_file)
{
	if (!getenv("DISPLAY")) {
		fprintf(stderr, "harness: no DISPLAY (run under xvfb-run)\n");
		return false;
	}
	void *display = open_x_display();
	if (!display) {
		fprintf(stderr, "harness: cannot open X display %s\n", getenv("DISPLAY"));
		return false;
	}
	obs_set_nix_platform(OBS_NIX_PLATFORM_X11_EGL);
	obs_set_nix_platform_display(display);
	if (!obs_startup("en-US", NULL, NULL)) {
		fprintf(stderr, "harness: obs_startup failed\n");
		return false;
	}
	struct obs_video_info ovi = {
		.graphics_module = "libobs-opengl.so.29",
		.fps_num = 30,
		.fps_den = 1,
		.base_width = w,
		.base_height = h,
		.output_width = w,
		.output_height = h,
		.output_format = VIDEO_FORMAT_NV12,
		.adapter = 0,
		.gpu_conversion = true,
		.colorspace = VIDEO_CS_709,
		.range = VIDEO_RANGE_PARTIAL,
		.scale_type = OBS_SCALE_BICUBIC,
	};
	int rc = obs_reset_video(&ovi);
	if (rc != OBS_VIDEO_SUCCESS) {
		fprintf(stderr, "harness: obs_reset_video failed (%d)\n", rc);
		return false;
	}
	return load_module(OBS_PLUGIN_BIN_DIR "/image-source.so", OBS_PLUGIN_DATA_DIR "/image-source") &&
	       load_module(OBS_PLUGIN_BIN_DIR "/obs-filters.so", OBS_PLUGIN_DATA_DIR "/obs-filters") &&
	       load_module(plugin_file, DLF_PLUGIN_DATA);
}

void harness_stop(void)
{
	obs_shutdown();
}

bool harness_render_source(obs_source_t *source, uint32_t w, uint32_t h, uint8_t *out)
{
	bool ok = false;
	obs_enter_graphics();
	gs_texrender_t *tr = gs_texrender_create(GS_BGRA, GS_ZS_NONE);
	gs_stagesurf_t *stage = gs_stagesurface_create(w, h, GS_BGRA);
	if (tr && stage && gs_texrender_begin(tr, w, h)) {
		struct vec4 clear;
		vec4_zero(&clear);
		gs_clear(GS_CLEAR_COLOR, &clear, 0.0f, 0);
		gs_ortho(0.0f, (float)w, 0.0f, (float)h, -100.0f, 100.0f);
		gs_blend_state_push();
		gs_blend_function(GS_BLEND_ONE, GS_BLEND_ZERO);
		obs_source_video_render(source);
		gs_blend_state_pop();
		gs_texrender_end(tr);
		gs_stage_texture(stage, gs_texrender_get_texture(tr));
		uint8_t *data;
		uint32_t linesize;
		if (gs_stagesurface_map(stage, &data, &linesize)) {
			for (uint32_t y = 0; y < h; y++)
				memcpy(out + (size_t)y * w * 4, data + (size_t)y * linesize, (size_t)w * 4);
			gs_stagesurface_unmap(stage);
			ok = true;
		}
	}
	gs_stagesurface_destroy(stage);
	gs_texrender_destroy(tr);
	obs_leave_graphics();
	return ok;
}

obs_source_t *harness_image_source(const char *path)
{
	obs_data_t *settings = obs_data_create();
	obs_data_set_string(settings, "file", path);
	obs_source_t *source = obs_source_create_private("image_source", "photo", settings);
	obs_data_release(settings);
	if (!source) {
		fprintf(stderr, "harness: cannot create an image_source\n");
		return NULL;
	}
	for (int i = 0; i < 200 && obs_source_get_width(source) == 0; i++)
		os_sleep_ms(10);
	if (obs_source_get_width(source) == 0) {
		fprintf(stderr, "harness: image_source did not load %s\n", path);
		obs_source_release(source);
		return NULL;
	}
	return source;
}

const char *harness_shared_dir(bool *must_fail)
{
	const char *ci = getenv("CI");
	const char *require = getenv("DLF_REQUIRE_SHARED");
	*must_fail = (ci && strcmp(ci, "true") == 0) || (require && strcmp(require, "1") == 0);
	const char *dir = getenv("DLF_SHARED_DIR");
	static char fallback[4096];
	if (!dir || !*dir) {
		snprintf(fallback, sizeof(fallback), "%s", DLF_DEFAULT_SHARED_DIR);
		dir = fallback;
	}
	char photos[4200];
	snprintf(photos, sizeof(photos), "%s/photos", dir);
	struct stat st;
	if (stat(photos, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "harness: test photos not found at %s (set DLF_SHARED_DIR)\n", photos);
		return NULL;
	}
	return dir;
}

const char *harness_engine_jar(bool must_fail)
{
	const char *jar = getenv("DLF_ENGINE_JAR");
	if (!jar || access(jar, R_OK) != 0) {
		fprintf(stderr, "%s: set DLF_ENGINE_JAR to the engine jar\n", must_fail ? "error" : "skipped");
		return NULL;
	}
	return jar;
}

bool harness_private_runtime(char *dir_template)
{
	if (!mkdtemp(dir_template))
		return false;
	return setenv("XDG_RUNTIME_DIR", dir_template, 1) == 0;
}

void harness_remove_runtime(const char *dir)
{
	char path[4300];
	snprintf(path, sizeof(path), "%s/deep-live-face/token", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/deep-live-face", dir);
	rmdir(path);
	rmdir(dir);
}

bool harness_write_bmp(const char *path, const uint8_t *bgra, uint32_t w, uint32_t h)
{
	uint32_t row = (w * 3 + 3) & ~3u; /* BMP rows are padded to 4 bytes */
	uint32_t pixels = row * h;
	uint8_t header[54] = {'B', 'M'};
	/* file size, pixel offset, info size, width, height (negative: top row first), image size, 72 dpi */
	uint32_t fields[][2] = {{2, 54 + pixels}, {10, 54}, {14, 40}, {18, w}, {22, (uint32_t) - (int32_t)h},
				{34, pixels},     {38, 2835}, {42, 2835}};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		for (int b = 0; b < 4; b++)
			header[fields[i][0] + b] = (uint8_t)(fields[i][1] >> (8 * b));
	header[26] = 1;  /* planes */
	header[28] = 24; /* bits per pixel */
	FILE *f = fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "harness: cannot write %s\n", path);
		return false;
	}
	bool ok = fwrite(header, 1, sizeof(header), f) == sizeof(header);
	uint8_t *line = calloc(1, row);
	for (uint32_t y = 0; ok && y < h; y++) {
		for (uint32_t x = 0; x < w; x++)
			memcpy(line + x * 3, bgra + ((size_t)y * w + x) * 4, 3);
		ok = fwrite(line, 1, row, f) == row;
	}
	free(line);
	ok = fclose(f) == 0 && ok;
	if (!ok)
		fprintf(stderr, "harness: cannot write %s\n", path);
	return ok;
}

/* Polls the status line until it contains text (or, with wanted false, until it does not). */
static bool poll_status(obs_source_t *filter, const char *text, bool wanted, int timeout_ms)
{
	uint64_t deadline = os_gettime_ns() / 1000000 + (uint64_t)timeout_ms;
	char last[1024] = "";
	do {
		obs_properties_t *props = obs_source_properties(filter);
		const char *status = obs_property_description(obs_properties_get(props, "status"));
		snprintf(last, sizeof(last), "%s", status ? status : "");
		obs_properties_destroy(props);
		if ((strstr(last, text) != NULL) == wanted)
			return true;
		os_sleep_ms(50);
	} while (os_gettime_ns() / 1000000 < deadline);
	fprintf(stderr, "status is '%s', expected it %s '%s'\n", last, wanted ? "to contain" : "not to contain", text);
	return false;
}

bool harness_status_contains(obs_source_t *filter, const char *text, int timeout_ms)
{
	return poll_status(filter, text, true, timeout_ms);
}

bool harness_status_lacks(obs_source_t *filter, const char *text, int timeout_ms)
{
	return poll_status(filter, text, false, timeout_ms);
}

/* A headless libobs for tests: Debian's libobs 29 with its OpenGL module on the X display (Xvfb in CI), only the
 * modules a test needs (never obs_load_all_modules: frontend-tools aborts without a Qt application). */
#pragma once

#include <obs.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Starts libobs with a canvas of w×h and loads image-source, obs-filters and the built Deep Live Face plugin.
 * Prints why and returns false when it cannot. */
bool harness_start(uint32_t w, uint32_t h);
/* The same with the plugin loaded from plugin_file (a copy laid out as an install would put it). */
bool harness_start_plugin(uint32_t w, uint32_t h, const char *plugin_file);
void harness_stop(void);

/* Renders source once, as OBS would, and reads its w×h BGRA pixels back into out (w*h*4 bytes, tightly packed).
 * Runs on the calling thread inside the graphics context. */
bool harness_render_source(obs_source_t *source, uint32_t w, uint32_t h, uint8_t *out);

/* An image_source showing the photo at path, fully loaded; NULL (with a message) on failure. */
obs_source_t *harness_image_source(const char *path);

/* Writes w×h BGRA pixels (tightly packed, top row first) as a 24-bit BMP, which OBS and the engine both read
 * losslessly. False (with a message) when it cannot. */
bool harness_write_bmp(const char *path, const uint8_t *bgra, uint32_t w, uint32_t h);

/* Polls the filter's status line until it contains text, up to timeout_ms; prints the last line when it never did. */
bool harness_status_contains(obs_source_t *filter, const char *text, int timeout_ms);
/* The same until the line no longer contains text. */
bool harness_status_lacks(obs_source_t *filter, const char *text, int timeout_ms);

/* The directory of the shared test data (photos/, models/), or NULL: a message says whether that is a failure
 * (in CI, DLF_REQUIRE_SHARED=1 or CI=true) or a reason to skip. */
const char *harness_shared_dir(bool *must_fail);

/* The engine jar the real-engine tests run ($DLF_ENGINE_JAR, set by `mvn verify`), or NULL with a message saying
 * whether its absence is a failure (must_fail, as from harness_shared_dir) or a reason to skip. */
const char *harness_engine_jar(bool must_fail);

/* Makes a private XDG_RUNTIME_DIR from dir_template ("/tmp/name-XXXXXX", rewritten in place), so the engine
 * writes its token there and the plugin reads it from there. False when it cannot. */
bool harness_private_runtime(char *dir_template);

/* Removes what an engine left in a private runtime dir (its token and the token's folder), then the dir. */
void harness_remove_runtime(const char *dir);

/* Test outcome helpers: exit codes ctest understands (77 = skipped). */
#define HARNESS_SKIP 77

/* Set by a test to stop what it started (an engine process) when a check fails. */
extern void (*harness_on_failure)(void);

/* Reports a failed check, cleans up, and leaves at once: libobs's threads are not wound down. */
void harness_fail(const char *file, int line, const char *fmt, ...);

#define CHECK(cond, ...)                                           \
	do {                                                       \
		if (!(cond))                                       \
			harness_fail(__FILE__, __LINE__, __VA_ARGS__); \
	} while (0)

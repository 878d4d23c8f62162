/* "Start the engine automatically": the plugin launches the engine itself (here the stand-in, posing as java),
 * waits for it, swaps through it, launches it again after it crashed, and stops it when OBS unloads the module.
 * With a "Token file" set, the engine it starts writes the token there and the plugin reads it from there. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <util/platform.h>

#include "engine-process.h"
#include "obs-harness.h"

static uint32_t W, H;
static obs_source_t *photo;

static void kill_children(void);

static bool output_differs(const uint8_t *original, uint8_t *frame)
{
	CHECK(harness_render_source(photo, W, H, frame), "readback");
	return memcmp(original, frame, (size_t)W * H * 4) != 0;
}

static bool wait_until(bool want_swapped, const uint8_t *original, uint8_t *frame, int timeout_ms)
{
	uint64_t deadline = os_gettime_ns() / 1000000 + (uint64_t)timeout_ms;
	do {
		if (output_differs(original, frame) == want_swapped)
			return true;
		os_sleep_ms(50);
	} while (os_gettime_ns() / 1000000 < deadline);
	return false;
}

/* The engine the plugin started: our child named after the stand-in. */
static pid_t find_engine(void)
{
	DIR *d = opendir("/proc");
	pid_t found = -1;
	for (struct dirent *e = d ? readdir(d) : NULL; e && found < 0; e = readdir(d)) {
		char path[300], buf[512];
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		int pid = 0, ppid = 0;
		char comm[64] = "", state;
		if (fgets(buf, sizeof(buf), f) && sscanf(buf, "%d (%63[^)]) %c %d", &pid, comm, &state, &ppid) == 4 &&
		    ppid == getpid() && strncmp(comm, "dlf-stand-in", 12) == 0 && state != 'Z')
			found = pid;
		fclose(f);
	}
	if (d)
		closedir(d);
	return found;
}

static void kill_children(void)
{
	pid_t pid = find_engine();
	if (pid > 0)
		kill(pid, SIGKILL);
}

int main(void)
{
	bool must_fail;
	const char *shared = harness_shared_dir(&must_fail);
	if (!shared)
		return must_fail ? 1 : HARNESS_SKIP;
	char target_path[4200], face_path[4200];
	snprintf(target_path, sizeof(target_path), "%s/photos/Rob_Lowe_0001.jpg", shared);
	snprintf(face_path, sizeof(face_path), "%s/photos/Rob_Lowe_0002.jpg", shared);
	char runtime[] = "/tmp/dlf-obs-auto-XXXXXX";
	CHECK(harness_private_runtime(runtime), "cannot make a private runtime dir");
	setenv("DLF_STAND_IN_RECT", "40,40,100,100", 1);
	uint16_t port = engine_free_port();
	harness_on_failure = kill_children;

	CHECK(harness_start(320, 180), "libobs did not start");
	photo = harness_image_source(target_path);
	CHECK(photo, "no image source");
	W = obs_source_get_width(photo);
	H = obs_source_get_height(photo);
	size_t bytes = (size_t)W * H * 4;
	uint8_t *original = malloc(bytes), *frame = malloc(bytes);
	CHECK(harness_render_source(photo, W, H, original), "readback");

	char address[64];
	snprintf(address, sizeof(address), "127.0.0.1:%u", (unsigned)port);
	obs_data_t *settings = obs_data_create();
	obs_data_set_string(settings, "face_image", face_path);
	obs_data_set_string(settings, "engine_address", address);
	obs_data_set_bool(settings, "auto_start", true);
	obs_data_set_string(settings, "java_path", STAND_IN_ENGINE);
	obs_data_set_string(settings, "jar_path", target_path); /* any readable file: the stand-in ignores it */
	obs_data_set_string(settings, "fallback", "original");
	char token_dir[4200], token_path[4300], default_token[4300];
	snprintf(token_dir, sizeof(token_dir), "%s/elsewhere", runtime);
	snprintf(token_path, sizeof(token_path), "%s/token", token_dir);
	snprintf(default_token, sizeof(default_token), "%s/deep-live-face/token", runtime);
	obs_data_set_string(settings, "token_file", token_path);
	obs_source_t *filter = obs_source_create_private("deep_live_face_filter", "Deep Live Face", settings);
	obs_data_release(settings);
	obs_source_filter_add(photo, filter);

	CHECK(wait_until(true, original, frame, 20000), "the plugin did not start the engine and swap through it");
	pid_t first = find_engine();
	CHECK(first > 0, "no engine process under OBS");
	printf("auto start: the plugin started the engine (pid %d) and swaps through it\n", (int)first);
	CHECK(os_file_exists(token_path), "the engine was not told the token file: nothing at %s", token_path);
	CHECK(!os_file_exists(default_token), "the engine wrote its token to the default %s, not the setting's",
	      default_token);
	printf("auto start: the engine wrote its token to the filter's token file, which the plugin read\n");

	kill(first, SIGKILL);
	CHECK(wait_until(false, original, frame, 5000), "fallback original after the engine crashed");
	CHECK(wait_until(true, original, frame, 30000), "the plugin did not start the engine again after a crash");
	pid_t second = find_engine();
	CHECK(second > 0 && second != first, "expected a new engine process, got %d (first %d)", (int)second, (int)first);
	printf("auto start: after a crash the plugin started it again (pid %d)\n", (int)second);

	obs_source_filter_remove(photo, filter);
	obs_source_release(filter);
	obs_source_release(photo);
	harness_stop(); /* unloads the module: it stops the engine it started */
	CHECK(kill(second, 0) == -1 && errno == ESRCH, "the engine (pid %d) outlived OBS", (int)second);
	printf("auto start: unloading the module stopped the engine\n");

	unlink(token_path);
	rmdir(token_dir);
	harness_remove_runtime(runtime);
	free(original), free(frame);
	return 0;
}

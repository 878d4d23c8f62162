/* The stall policy, inside a real libobs against the real engine: with the fallback "last swapped" or "black", no
 * frame that shows the streamer's face unswapped ever reaches the screen, whatever keeps the engine from swapping
 * it. One case per reason:
 *   1. the first frames of a newly added filter (the engine is still reading the face image);
 *   2. the engine killed and started again (a new session, the face image sent again);
 *   3. the engine hung for 3 s (SIGSTOP), then resumed;
 *   4. a filter without a face image;
 *   5. a filter made with a face image that has no face in it (as OBS restarts with one);
 *   6. an engine without a swapper (the model missing).
 * Every frame OBS renders is read back and checked: the face's pixels must not be the original ones. The face is
 * where the engine's first swap changed the picture, learned with the fallback "original". */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <util/platform.h>

#include "engine-process.h"
#include "obs-harness.h"
#include "real-engine.h"

static uint32_t W, H;
static obs_source_t *photo;
static uint8_t *original, *frame;
static uint32_t face[4]; /* x0 y0 x1 y1 (exclusive): the middle of what the first swap changed */
static pid_t engine = -1;
static char runtime[] = "/tmp/dlf-obs-noleak-XXXXXX";

static void clean_up(void)
{
	engine_kill(engine);
	engine = -1;
	char command[128];
	snprintf(command, sizeof(command), "rm -rf '%s'", runtime);
	if (system(command) != 0)
		fprintf(stderr, "could not remove %s\n", runtime);
}

static uint64_t now_ms(void)
{
	return os_gettime_ns() / 1000000;
}

static void render(void)
{
	CHECK(harness_render_source(photo, W, H, frame), "could not read the rendered source back");
}

/* The share of the face's pixels that are exactly the original's: 1 for the real face, about 0 for a swap or black. */
static double real_face_share(void)
{
	size_t same = 0, all = 0;
	for (uint32_t y = face[1]; y < face[3]; y++)
		for (uint32_t x = face[0]; x < face[2]; x++, all++) {
			size_t i = ((size_t)y * W + x) * 4;
			same += memcmp(frame + i, original + i, 4) == 0;
		}
	return all ? (double)same / (double)all : 1.0;
}

static bool face_is_black(void)
{
	for (uint32_t y = face[1]; y < face[3]; y++)
		for (uint32_t x = face[0]; x < face[2]; x++) {
			const uint8_t *p = frame + ((size_t)y * W + x) * 4;
			if (p[0] | p[1] | p[2])
				return false;
		}
	return true;
}

/* A frame showing at least this share of the original face pixel for pixel shows the real face. */
#define REAL_FACE 0.5

static bool status_has(obs_source_t *filter, const char *text)
{
	obs_properties_t *props = obs_source_properties(filter);
	const char *status = obs_property_description(obs_properties_get(props, "status"));
	bool has = status && strstr(status, text);
	if (!has && text)
		fprintf(stderr, "  (status: %s)\n", status ? status : "none");
	obs_properties_destroy(props);
	return has;
}

/* Renders one frame and fails the test if it shows the real face. */
static void render_and_check(const char *what, int frame_number, uint64_t start)
{
	render();
	double share = real_face_share();
	CHECK(share < REAL_FACE, "%s: frame %d (%llu ms in) shows the real face (%.0f%% of its pixels)", what,
	      frame_number, (unsigned long long)(now_ms() - start), share * 100);
}

/* Renders at about 30 fps, failing on the first frame that shows the real face: until the status line contains
 * status (NULL: at once) and then for hold_ms. Returns the frames checked. */
static int watch(obs_source_t *filter, const char *status, int hold_ms, int timeout_ms, const char *what)
{
	uint64_t start = now_ms(), deadline = start + (uint64_t)timeout_ms, until = 0, next_status = 0;
	int frames = 0;
	for (;;) {
		render_and_check(what, ++frames, start);
		uint64_t now = now_ms();
		if (!until && (!status || (now >= next_status && status_has(filter, status))))
			until = now + (uint64_t)hold_ms;
		if (!until && status && now >= next_status)
			next_status = now + 250;
		if (until && now >= until)
			break;
		CHECK(until || now < deadline, "%s: the status never said '%s'", what, status);
		os_sleep_ms(30);
	}
	return frames;
}

/* Renders until the engine's swap shows (failing on any frame with the real face); returns the milliseconds it took. */
static uint64_t watch_until_swapped(const char *what)
{
	uint64_t start = now_ms(), deadline = start + 60000;
	int frames = 0;
	for (;;) {
		render_and_check(what, ++frames, start);
		if (!face_is_black())
			break;
		CHECK(now_ms() < deadline, "%s: never swapped", what);
		os_sleep_ms(30);
	}
	printf("no real face: %s: %d frames black, then swapped after %llu ms\n", what, frames - 1,
	       (unsigned long long)(now_ms() - start));
	return now_ms() - start;
}

static obs_source_t *add_filter(const char *address, const char *face_image, const char *fallback)
{
	obs_data_t *settings = obs_data_create();
	if (face_image)
		obs_data_set_string(settings, "face_image", face_image);
	obs_data_set_string(settings, "engine_address", address);
	obs_data_set_bool(settings, "auto_start", false);
	if (fallback)
		obs_data_set_string(settings, "fallback", fallback);
	obs_source_t *filter = obs_source_create_private("deep_live_face_filter", "Deep Live Face", settings);
	obs_data_release(settings);
	CHECK(filter, "cannot create the filter");
	obs_source_filter_add(photo, filter);
	return filter;
}

static void remove_filter(obs_source_t *filter)
{
	obs_source_filter_remove(photo, filter);
	obs_source_release(filter);
}

/* With the fallback "original", waits for the first swap and takes the middle half of the pixels it changed as the
 * face; checks that a swapped frame is told apart from the real face. */
static void learn_the_face(const char *address, const char *face_image)
{
	obs_source_t *filter = add_filter(address, face_image, "original");
	face[0] = 0, face[1] = 0, face[2] = W, face[3] = H;
	uint64_t deadline = now_ms() + 60000;
	uint32_t x0, y0, x1, y1;
	for (;;) {
		render();
		x0 = W, y0 = H, x1 = y1 = 0;
		for (uint32_t y = 0; y < H; y++)
			for (uint32_t x = 0; x < W; x++) {
				size_t i = ((size_t)y * W + x) * 4;
				if (memcmp(frame + i, original + i, 4) != 0) {
					x0 = x < x0 ? x : x0, y0 = y < y0 ? y : y0;
					x1 = x > x1 ? x : x1, y1 = y > y1 ? y : y1;
				}
			}
		if (x1 > x0 + 8 && y1 > y0 + 8)
			break;
		CHECK(now_ms() < deadline, "the engine never swapped the face");
		os_sleep_ms(50);
	}
	face[0] = x0 + (x1 - x0) / 4, face[2] = x1 - (x1 - x0) / 4;
	face[1] = y0 + (y1 - y0) / 4, face[3] = y1 - (y1 - y0) / 4;
	double swapped = real_face_share();
	memcpy(frame, original, (size_t)W * H * 4);
	CHECK(real_face_share() == 1.0, "the original is the real face");
	CHECK(swapped < REAL_FACE / 2, "a swapped frame keeps %.0f%% of the face's pixels: too close to tell apart",
	      swapped * 100);
	printf("no real face: the face is x %u..%u, y %u..%u; a swapped frame keeps %.1f%% of its pixels\n", face[0],
	       face[2], face[1], face[3], swapped * 100);
	remove_filter(filter);
}

/* A grey picture without a face, as a 24-bit BMP. */
static void write_faceless_image(const char *path)
{
	enum { SIDE = 128 };
	static uint8_t grey[SIDE * SIDE * 4];
	memset(grey, 128, sizeof(grey));
	CHECK(harness_write_bmp(path, grey, SIDE, SIDE), "cannot write %s", path);
}

int main(void)
{
	bool must_fail;
	const char *shared = harness_shared_dir(&must_fail);
	if (!shared)
		return must_fail ? 1 : HARNESS_SKIP;
	const char *jar = harness_engine_jar(must_fail);
	if (!jar)
		return must_fail ? 1 : HARNESS_SKIP;
	char target[4200], face_image[4200], faceless[128], no_swapper[128];
	snprintf(target, sizeof(target), "%s/photos/obama.jpg", shared);
	snprintf(face_image, sizeof(face_image), "%s/photos/Rob_Lowe_0002.jpg", shared);

	CHECK(harness_private_runtime(runtime), "cannot make a private runtime dir");
	harness_on_failure = clean_up;
	snprintf(faceless, sizeof(faceless), "%s/faceless.bmp", runtime);
	snprintf(no_swapper, sizeof(no_swapper), "%s/missing/inswapper_128.onnx", runtime);
	write_faceless_image(faceless);
	real_engine_prepare(runtime, shared);
	uint16_t port = engine_free_port();
	CHECK(port, "no free port");
	char address[64];
	snprintf(address, sizeof(address), "127.0.0.1:%u", (unsigned)port);

	CHECK(harness_start(320, 180), "libobs did not start");
	photo = harness_image_source(target);
	CHECK(photo, "no image source for %s", target);
	W = obs_source_get_width(photo);
	H = obs_source_get_height(photo);
	original = malloc((size_t)W * H * 4);
	frame = malloc((size_t)W * H * 4);
	render();
	memcpy(original, frame, (size_t)W * H * 4);

	engine = real_engine_start(jar, port, NULL);
	learn_the_face(address, face_image);

	/* 1. A newly added filter, with the default fallback ("last swapped"): black until the first swap. */
	obs_source_t *filter = add_filter(address, face_image, NULL);
	watch_until_swapped("a newly added filter");

	/* 2. The engine dies and comes back: the last swap stays until the new session swaps. */
	engine_kill(engine);
	engine = -1;
	watch(filter, NULL, 1000, 0, "the engine killed");
	engine = real_engine_start(jar, port, NULL);
	int frames = watch(filter, "Engine connected", 3000, 60000, "the engine restarted");
	printf("no real face: the engine killed and restarted: %d frames checked\n", frames);

	/* 3. The engine hangs for 3 s, then goes on; with the fallback "black". */
	obs_data_t *black = obs_data_create();
	obs_data_set_string(black, "fallback", "black");
	obs_source_update(filter, black);
	obs_data_release(black);
	kill(engine, SIGSTOP);
	watch(filter, NULL, 3000, 0, "the engine hung");
	kill(engine, SIGCONT);
	frames = watch(filter, "Engine connected", 3000, 30000, "the engine resumed");
	printf("no real face: the engine hung for 3 s and resumed: %d frames checked\n", frames);
	remove_filter(filter);

	/* 4. A filter without a face image. */
	filter = add_filter(address, NULL, NULL);
	frames = watch(filter, "Engine connected", 3000, 30000, "no face image");
	printf("no real face: no face image: %d frames checked\n", frames);
	remove_filter(filter);

	/* 5. A filter made with a face image that has no face, as OBS starts with it. */
	filter = add_filter(address, faceless, NULL);
	frames = watch(filter, "no face in source image", 3000, 30000, "a face image without a face");
	printf("no real face: a face image without a face: %d frames checked\n", frames);
	remove_filter(filter);

	/* 6. An engine that has no swapper. */
	engine_kill(engine);
	engine = real_engine_start(jar, port, no_swapper);
	filter = add_filter(address, face_image, NULL);
	frames = watch(filter, "Engine connected", 3000, 60000, "no swapper loaded");
	printf("no real face: no swapper loaded: %d frames checked\n", frames);
	remove_filter(filter);

	engine_kill(engine);
	engine = -1;
	obs_source_release(photo);
	harness_stop();
	clean_up();
	free(original), free(frame);
	printf("no real face: ok\n");
	return 0;
}

/* Per-person faces inside a real libobs against the real engine. A picture of two people side by side; the filter's
 * face mapping names one of them (a photo of that person → a face image):
 *   1. only that person's face changes; the other person's half of the picture stays exactly as it was, frame after
 *      frame;
 *   2. a person without a face image is named on the status line;
 *   3. with the mapping emptied and a face image set, both people are swapped: the mapping was what kept the second
 *      person as they were.
 * The two people are two LFW photos that the test recogniser (arcface_512, a fixed projection) tells far apart
 * (cosine −0.59); the mapped person's reference photo is their half of the picture, written out as a BMP. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <util/platform.h>

#include "engine-process.h"
#include "obs-harness.h"
#include "real-engine.h"

static uint32_t W, H, HALF; /* the picture, and where its right half starts */
static obs_source_t *picture;
static uint8_t *original, *frame;
static pid_t engine = -1;
static char runtime[] = "/tmp/dlf-obs-mapping-XXXXXX";

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
	CHECK(harness_render_source(picture, W, H, frame), "could not read the rendered picture back");
}

/* Pixels that differ from the original in the left and in the right half. */
static void count_changes(size_t *left, size_t *right)
{
	*left = *right = 0;
	for (uint32_t y = 0; y < H; y++)
		for (uint32_t x = 0; x < W; x++) {
			size_t i = ((size_t)y * W + x) * 4;
			if (memcmp(frame + i, original + i, 4) != 0)
				(*(x < HALF ? left : right))++;
		}
}

/* Renders until the given half has changed, up to timeout_ms. */
static bool wait_for_change(bool right_half, int timeout_ms)
{
	uint64_t deadline = now_ms() + (uint64_t)timeout_ms;
	size_t left, right;
	do {
		render();
		count_changes(&left, &right);
		if ((right_half ? right : left) > 0)
			return true;
		os_sleep_ms(50);
	} while (now_ms() < deadline);
	return false;
}

/* A photo rendered by OBS at its own size into out (malloc'd BGRA); its size in *w, *h. */
static uint8_t *render_photo(const char *path, uint32_t *w, uint32_t *h)
{
	obs_source_t *source = harness_image_source(path);
	CHECK(source, "no image source for %s", path);
	*w = obs_source_get_width(source);
	*h = obs_source_get_height(source);
	uint8_t *out = malloc((size_t)*w * *h * 4);
	CHECK(harness_render_source(source, *w, *h, out), "could not render %s", path);
	obs_source_release(source);
	return out;
}

/* The two photos side by side as one BMP at picture_path; the left one alone at left_path. */
static void write_pictures(const char *left_photo, const char *right_photo, const char *picture_path,
			   const char *left_path)
{
	uint32_t lw, lh, rw, rh;
	uint8_t *l = render_photo(left_photo, &lw, &lh);
	uint8_t *r = render_photo(right_photo, &rw, &rh);
	CHECK(lw == rw && lh == rh, "the two photos differ in size (%ux%u, %ux%u)", lw, lh, rw, rh);
	uint8_t *both = malloc((size_t)2 * lw * lh * 4);
	for (uint32_t y = 0; y < lh; y++) {
		memcpy(both + ((size_t)y * 2 * lw) * 4, l + (size_t)y * lw * 4, (size_t)lw * 4);
		memcpy(both + ((size_t)y * 2 * lw + lw) * 4, r + (size_t)y * rw * 4, (size_t)rw * 4);
	}
	CHECK(harness_write_bmp(picture_path, both, 2 * lw, lh), "cannot write the picture");
	CHECK(harness_write_bmp(left_path, l, lw, lh), "cannot write the reference photo");
	free(l), free(r), free(both);
}

/* An editable list's value, as OBS stores it: [{"value": path}, …]. */
static void set_list(obs_data_t *settings, const char *key, const char *const *paths, size_t n)
{
	obs_data_array_t *items = obs_data_array_create();
	for (size_t i = 0; i < n; i++) {
		obs_data_t *item = obs_data_create();
		obs_data_set_string(item, "value", paths[i]);
		obs_data_array_push_back(items, item);
		obs_data_release(item);
	}
	obs_data_set_array(settings, key, items);
	obs_data_array_release(items);
}

static void update_lists(obs_source_t *filter, const char *person, const char *face)
{
	obs_data_t *s = obs_data_create();
	set_list(s, "map_people", &person, person ? 1 : 0);
	set_list(s, "map_faces", &face, face ? 1 : 0);
	obs_source_update(filter, s);
	obs_data_release(s);
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
	char person_a[4200], person_b[4200], face_image[4200], picture_path[128], reference[128];
	snprintf(person_a, sizeof(person_a), "%s/photos/Rob_Lowe_0001.jpg", shared);
	snprintf(person_b, sizeof(person_b), "%s/photos/Rob_Lowe_0002.jpg", shared);
	snprintf(face_image, sizeof(face_image), "%s/photos/obama.jpg", shared);

	CHECK(harness_private_runtime(runtime), "cannot make a private runtime dir");
	harness_on_failure = clean_up;
	snprintf(picture_path, sizeof(picture_path), "%s/two-people.bmp", runtime);
	snprintf(reference, sizeof(reference), "%s/person-a.bmp", runtime);
	real_engine_prepare(runtime, shared);
	uint16_t port = engine_free_port();
	CHECK(port, "no free port");
	char address[64];
	snprintf(address, sizeof(address), "127.0.0.1:%u", (unsigned)port);

	CHECK(harness_start(320, 180), "libobs did not start");
	write_pictures(person_a, person_b, picture_path, reference);
	picture = harness_image_source(picture_path);
	CHECK(picture, "no image source for %s", picture_path);
	W = obs_source_get_width(picture);
	H = obs_source_get_height(picture);
	HALF = W / 2;
	original = malloc((size_t)W * H * 4);
	frame = malloc((size_t)W * H * 4);
	render();
	memcpy(original, frame, (size_t)W * H * 4);

	engine = real_engine_start(jar, port, NULL);
	obs_data_t *settings = obs_data_create();
	obs_data_set_string(settings, "engine_address", address);
	obs_data_set_bool(settings, "auto_start", false);
	obs_data_set_string(settings, "fallback", "original"); /* what the engine gives back, as it is */
	const char *people[] = {reference}, *faces[] = {face_image};
	set_list(settings, "map_people", people, 1);
	set_list(settings, "map_faces", faces, 1);
	obs_source_t *filter = obs_source_create_private("deep_live_face_filter", "Deep Live Face", settings);
	obs_data_release(settings);
	CHECK(filter, "cannot create the filter");
	obs_source_filter_add(picture, filter);

	/* 1. Only the mapped person. */
	CHECK(wait_for_change(false, 60000), "the mapped person (left) was never swapped");
	size_t left = 0, right = 0;
	for (int i = 0; i < 20; i++) {
		render();
		count_changes(&left, &right);
		CHECK(right == 0, "frame %d: %zu pixels of the person who is not mapped (right half) changed", i, right);
		CHECK(left > 1000, "frame %d: the mapped person's face is not swapped (%zu pixels changed)", i, left);
		os_sleep_ms(50);
	}
	printf("face mapping: only the mapped person swapped (%zu pixels), the other untouched in 20 frames\n", left);

	/* 2. A person without a face image is named on the status line. */
	update_lists(filter, reference, NULL);
	CHECK(harness_status_contains(filter, "give one face image per person; people / face images: 1 / 0", 5000),
	      "a person without a face image is not on the status line");
	update_lists(filter, reference, face_image);
	CHECK(harness_status_lacks(filter, "face image per person", 3000), "the problem stayed after it was fixed");
	printf("face mapping: a person without a face image is named on the status line\n");

	/* 3. No mapping, a face image: everyone is swapped. */
	obs_data_t *everyone = obs_data_create();
	obs_data_set_string(everyone, "face_image", face_image);
	set_list(everyone, "map_people", NULL, 0);
	set_list(everyone, "map_faces", NULL, 0);
	obs_source_update(filter, everyone);
	obs_data_release(everyone);
	CHECK(wait_for_change(true, 30000), "without the mapping the second person was not swapped");
	printf("face mapping: emptied, both people are swapped\n");

	obs_source_filter_remove(picture, filter);
	obs_source_release(filter);
	obs_source_release(picture);
	engine_kill(engine);
	engine = -1;
	harness_stop();
	clean_up();
	free(original), free(frame);
	printf("face mapping: ok\n");
	return 0;
}

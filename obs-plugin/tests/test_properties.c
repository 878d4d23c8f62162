/* The properties a streamer sees and their defaults. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "obs-harness.h"

static obs_property_t *require_property(obs_properties_t *props, const char *name, enum obs_property_type type)
{
	obs_property_t *p = obs_properties_get(props, name);
	CHECK(p != NULL, "property %s is missing", name);
	CHECK(obs_property_get_type(p) == type, "property %s has type %d, expected %d", name,
	      (int)obs_property_get_type(p), (int)type);
	return p;
}

static void require_list(obs_property_t *p, const char *const *values, size_t n)
{
	CHECK(obs_property_list_item_count(p) == n, "%s has %zu items, expected %zu", obs_property_name(p),
	      obs_property_list_item_count(p), n);
	for (size_t i = 0; i < n; i++)
		CHECK(strcmp(obs_property_list_item_string(p, i), values[i]) == 0, "%s item %zu is %s, expected %s",
		      obs_property_name(p), i, obs_property_list_item_string(p, i), values[i]);
}

int main(void)
{
	CHECK(harness_start(320, 180), "libobs did not start");

	obs_data_t *defaults = obs_get_source_defaults("deep_live_face_filter");
	CHECK(defaults != NULL, "no defaults for the filter");
	CHECK(strcmp(obs_data_get_string(defaults, "fallback"), "last_swapped") == 0,
	      "default fallback must keep the last swapped frame (the real face never leaks), got %s",
	      obs_data_get_string(defaults, "fallback"));
	CHECK(strcmp(obs_data_get_string(defaults, "swap_mode"), "all") == 0, "default swap mode");
	CHECK(strcmp(obs_data_get_string(defaults, "enhancer"), "off") == 0, "default enhancer");
	CHECK(obs_data_get_int(defaults, "mouth_mask") == 0, "default mouth mask");
	CHECK(fabs(obs_data_get_double(defaults, "opacity") - 1.0) < 1e-9, "default opacity");
	CHECK(obs_data_get_int(defaults, "pixel_boost") == 128, "default pixel boost: off (128)");
	CHECK(!obs_data_get_bool(defaults, "occlusion_mask"), "default occlusion mask: off (it needs a model)");
	CHECK(strcmp(obs_data_get_string(defaults, "swapper"), "") == 0, "default swapper: the engine's own");
	CHECK(strcmp(obs_data_get_string(defaults, "engine_address"), "127.0.0.1:47654") == 0, "default address");
	CHECK(obs_data_get_bool(defaults, "auto_start"), "auto start is on by default");
	CHECK(strcmp(obs_data_get_string(defaults, "java_path"), "") == 0, "default java: empty, the engine's own");
	CHECK(strcmp(obs_data_get_string(defaults, "token_file"), "") == 0,
	      "default token file: empty, $DLF_TOKEN_FILE or where `serve` writes it by default");
	obs_data_release(defaults);

	obs_properties_t *props = obs_get_source_properties("deep_live_face_filter");
	CHECK(props != NULL, "no properties");
	obs_property_t *face = require_property(props, "face_image", OBS_PROPERTY_PATH);
	CHECK(obs_property_path_type(face) == OBS_PATH_FILE, "face image is a file picker");
	CHECK(strstr(obs_property_path_filter(face), "*.png") && strstr(obs_property_path_filter(face), "*.webp"),
	      "face image filter: %s", obs_property_path_filter(face));
	/* Several photos of one person, and per-person faces: lists of files. */
	const char *lists[] = {"face_images_more", "map_people", "map_faces"};
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		obs_property_t *list = require_property(props, lists[i], OBS_PROPERTY_EDITABLE_LIST);
		CHECK(obs_property_editable_list_type(list) == OBS_EDITABLE_LIST_TYPE_FILES, "%s lists files", lists[i]);
		CHECK(strstr(obs_property_editable_list_filter(list), "*.jpg"), "%s filter: %s", lists[i],
		      obs_property_editable_list_filter(list));
	}
	require_list(require_property(props, "swap_mode", OBS_PROPERTY_LIST), (const char *const[]){"all", "one"}, 2);
	require_list(require_property(props, "enhancer", OBS_PROPERTY_LIST),
		     (const char *const[]){"off", "gfpgan", "gpen256", "gpen512"}, 4);
	obs_property_t *mouth = require_property(props, "mouth_mask", OBS_PROPERTY_INT);
	CHECK(obs_property_int_min(mouth) == 0 && obs_property_int_max(mouth) == 100, "mouth mask 0-100");
	obs_property_t *opacity = require_property(props, "opacity", OBS_PROPERTY_FLOAT);
	CHECK(obs_property_float_min(opacity) == 0.0 && obs_property_float_max(opacity) == 1.0, "opacity 0-1");
	require_property(props, "sharpness", OBS_PROPERTY_FLOAT);
	require_property(props, "color_correction", OBS_PROPERTY_BOOL);
	/* Exactly the sizes the engine's pixel_boost accepts (swap/PixelBoost.SIZES). */
	obs_property_t *boost = require_property(props, "pixel_boost", OBS_PROPERTY_LIST);
	CHECK(obs_property_list_format(boost) == OBS_COMBO_FORMAT_INT && obs_property_list_item_count(boost) == 3 &&
		      obs_property_list_item_int(boost, 0) == 128 && obs_property_list_item_int(boost, 1) == 256 &&
		      obs_property_list_item_int(boost, 2) == 512,
	      "pixel boost offers 128 (off), 256 and 512");
	require_property(props, "occlusion_mask", OBS_PROPERTY_BOOL);
	/* The engine's own, then the manifest's swap models (SwapSettingsTest checks them against the manifest). */
	obs_property_t *swapper = require_property(props, "swapper", OBS_PROPERTY_LIST);
	require_list(swapper,
		     (const char *const[]){"", "inswapper_128", "inswapper_128_fp16", "hyperswap_1a_256", "hyperswap_1b_256",
					   "hyperswap_1c_256"},
		     6);
	for (size_t i = 0; i < obs_property_list_item_count(swapper); i++)
		CHECK(strncmp(obs_property_list_item_name(swapper, i), "Swapper.", 8) != 0, "swapper item %zu has text: %s",
		      i, obs_property_list_item_name(swapper, i));
	require_list(require_property(props, "fallback", OBS_PROPERTY_LIST),
		     (const char *const[]){"last_swapped", "original", "black"}, 3);
	require_property(props, "engine_address", OBS_PROPERTY_TEXT);
	require_property(props, "auto_start", OBS_PROPERTY_BOOL);
	require_property(props, "java_path", OBS_PROPERTY_PATH);
	require_property(props, "jar_path", OBS_PROPERTY_PATH);
	obs_property_t *token = require_property(props, "token_file", OBS_PROPERTY_PATH);
	CHECK(obs_property_path_type(token) == OBS_PATH_FILE_SAVE,
	      "token file: a file the engine may not have written yet, so a save dialog");
	obs_property_t *status = require_property(props, "status", OBS_PROPERTY_TEXT);
	CHECK(obs_property_text_type(status) == OBS_TEXT_INFO, "status is read-only text");
	for (obs_property_t *p = obs_properties_first(props); p; obs_property_next(&p))
		CHECK(obs_property_description(p) && *obs_property_description(p) &&
			      strncmp(obs_property_description(p), "Status.", 7) != 0,
		      "property %s has no translated label", obs_property_name(p));
	obs_properties_destroy(props);

	harness_stop();
	printf("properties: ok\n");
	return 0;
}

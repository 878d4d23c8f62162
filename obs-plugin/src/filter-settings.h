/* The filter's settings: property names, defaults, the properties view, and what the engine is told. */
#pragma once

#include <obs-module.h>

#define DLF_FILTER_ID "deep_live_face_filter"

/* Setting keys (stable: they are saved in users' scene collections). */
#define S_FACE_IMAGE "face_image"
#define S_FACE_IMAGES_MORE "face_images_more" /* more photos of the same person: one identity, averaged */
#define S_MAP_PEOPLE "map_people"             /* face mapping: a photo of each person to swap... */
#define S_MAP_FACES "map_faces"               /* ...and the face each of them gets, in the same order */
#define S_SWAP_MODE "swap_mode"
#define S_ENHANCER "enhancer"
#define S_MOUTH_MASK "mouth_mask"
#define S_OPACITY "opacity"
#define S_SHARPNESS "sharpness"
#define S_COLOR_CORRECTION "color_correction"
#define S_PIXEL_BOOST "pixel_boost"
#define S_OCCLUSION_MASK "occlusion_mask"
#define S_SWAPPER "swapper" /* a swap model's manifest name; "" for the engine's own */
#define S_FALLBACK "fallback"
#define S_ENGINE_ADDRESS "engine_address"
#define S_AUTO_START "auto_start"
#define S_JAVA_PATH "java_path"
#define S_JAR_PATH "jar_path"
#define S_TOKEN_FILE "token_file"
#define S_STATUS "status"

/* The engine's limits (pipeline/SwapSettings: MAX_MAPPINGS, MAX_PHOTOS_PER_PERSON). */
#define DLF_MAX_MAPPINGS 16
#define DLF_MAX_PHOTOS_PER_PERSON 8

#define DLF_DEFAULT_ENGINE_PORT 47654 /* the engine's `serve` default */
#define DLF_DEFAULT_ENGINE_ADDRESS "127.0.0.1:47654"

/* What to draw when no fresh processed frame is at hand (engine behind, gone, or not started). */
enum dlf_fallback {
	DLF_FALLBACK_LAST_SWAPPED, /* default: the streamer's real face never leaks */
	DLF_FALLBACK_ORIGINAL,
	DLF_FALLBACK_BLACK,
};

void dlf_settings_defaults(obs_data_t *settings);

/* Builds the properties view; status_text is the current status line (shown read-only). The "Refresh status"
 * button calls refresh(props, property, data), which should re-read the status and show it with
 * dlf_settings_show_status, then return true so the view redraws. */
obs_properties_t *dlf_settings_properties(const char *status_text, obs_property_clicked_t refresh, void *data);

/* Puts status_text on the view's status line (an error when it reports a problem). */
void dlf_settings_show_status(obs_properties_t *props, const char *status_text);

enum dlf_fallback dlf_settings_fallback(obs_data_t *settings);

/* The engine's set_options body for these settings, face_mapping included (caller releases). */
obs_data_t *dlf_settings_engine_options(obs_data_t *settings);

/* The engine's set_source_face fields for these settings (caller releases): {"path"} for one photo, {"images"} for
 * several photos of the same person, {"clear": true} for none. */
obs_data_t *dlf_settings_source_face(obs_data_t *settings);

/* What of these settings cannot be used as given (a person in the face mapping without a face image, more photos
 * than the engine takes), for the status line; "" when nothing. */
void dlf_settings_problem(obs_data_t *settings, char *out, size_t size);

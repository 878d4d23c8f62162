#include "filter-settings.h"

#include <stdio.h>
#include <string.h>

#define FALLBACK_LAST "last_swapped"
#define FALLBACK_ORIGINAL "original"
#define FALLBACK_BLACK "black"

#define IMAGE_FILTER "(*.png *.jpg *.jpeg *.bmp *.webp)"

/* The engine's pixel_boost sizes (swap/PixelBoost.SIZES): 128 is the swapper's own size, i.e. off. */
#define PIXEL_BOOST_OFF 128

/* The swap models a filter may choose: "" is the engine's own, the others are models/manifest.json's swap models
 * (the engine refuses HyperSwap's, whose licence allows research use only, and says so on the status line). */
static const char *const SWAPPER_MODELS[] = {"", "inswapper_128", "inswapper_128_fp16", "hyperswap_1a_256",
					     "hyperswap_1b_256", "hyperswap_1c_256"};
static const char *const SWAPPER_LABELS[] = {"Swapper.Engine", "Swapper.Inswapper", "Swapper.InswapperFp16",
					     "Swapper.Hyperswap1a", "Swapper.Hyperswap1b", "Swapper.Hyperswap1c"};
#define SWAPPER_COUNT (sizeof(SWAPPER_MODELS) / sizeof(SWAPPER_MODELS[0]))

void dlf_settings_defaults(obs_data_t *settings)
{
	obs_data_set_default_string(settings, S_FACE_IMAGE, "");
	obs_data_set_default_string(settings, S_SWAP_MODE, "all");
	obs_data_set_default_string(settings, S_ENHANCER, "off");
	obs_data_set_default_int(settings, S_MOUTH_MASK, 0);
	obs_data_set_default_double(settings, S_OPACITY, 1.0);
	obs_data_set_default_double(settings, S_SHARPNESS, 0.0);
	obs_data_set_default_bool(settings, S_COLOR_CORRECTION, false);
	obs_data_set_default_int(settings, S_PIXEL_BOOST, PIXEL_BOOST_OFF);
	obs_data_set_default_bool(settings, S_OCCLUSION_MASK, false);
	obs_data_set_default_string(settings, S_SWAPPER, "");
	obs_data_set_default_string(settings, S_FALLBACK, FALLBACK_LAST);
	obs_data_set_default_string(settings, S_ENGINE_ADDRESS, DLF_DEFAULT_ENGINE_ADDRESS);
	obs_data_set_default_bool(settings, S_AUTO_START, true);
	/* Both empty: the installed engine bundle with its own Java runtime (engine-bundle.h); each is an override. */
	obs_data_set_default_string(settings, S_JAVA_PATH, "");
	obs_data_set_default_string(settings, S_JAR_PATH, "");
	/* Empty: $DLF_TOKEN_FILE, else the engine's own default (engine-token.h). */
	obs_data_set_default_string(settings, S_TOKEN_FILE, "");
}

/* The paths of an editable list of files, in order, leaving out empty and hidden entries; at most max. Returns
 * how many it holds in all (which may be more than max). */
static size_t list_paths(obs_data_t *settings, const char *key, const char **out, size_t max, obs_data_array_t **keep)
{
	obs_data_array_t *items = obs_data_get_array(settings, key);
	size_t n = 0;
	for (size_t i = 0; items && i < obs_data_array_count(items); i++) {
		obs_data_t *item = obs_data_array_item(items, i);
		const char *path = obs_data_get_string(item, "value");
		if (*path && !obs_data_get_bool(item, "hidden")) {
			if (n < max)
				out[n] = path; /* valid while items is: the caller releases *keep when done */
			n++;
		}
		obs_data_release(item);
	}
	*keep = items;
	return n;
}

static obs_data_t *image_at(const char *path)
{
	obs_data_t *image = obs_data_create();
	obs_data_set_string(image, "path", path);
	return image;
}

/* Face mapping: the i-th person's photo with the i-th face image, as far as both lists go (up to 16 pairs). */
static void put_face_mapping(obs_data_t *settings, obs_data_t *o)
{
	const char *people[DLF_MAX_MAPPINGS], *faces[DLF_MAX_MAPPINGS];
	obs_data_array_t *keep_people, *keep_faces;
	size_t n_people = list_paths(settings, S_MAP_PEOPLE, people, DLF_MAX_MAPPINGS, &keep_people);
	size_t n_faces = list_paths(settings, S_MAP_FACES, faces, DLF_MAX_MAPPINGS, &keep_faces);
	size_t pairs = n_people < n_faces ? n_people : n_faces;
	if (pairs > DLF_MAX_MAPPINGS)
		pairs = DLF_MAX_MAPPINGS;
	obs_data_array_t *mapping = obs_data_array_create();
	for (size_t i = 0; i < pairs; i++) {
		obs_data_t *entry = obs_data_create();
		obs_data_t *reference = image_at(people[i]), *source = image_at(faces[i]);
		obs_data_set_obj(entry, "reference", reference);
		obs_data_set_obj(entry, "source", source);
		obs_data_release(reference);
		obs_data_release(source);
		obs_data_array_push_back(mapping, entry);
		obs_data_release(entry);
	}
	obs_data_set_array(o, "face_mapping", mapping); /* always: an emptied list ends the mapping */
	obs_data_array_release(mapping);
	obs_data_array_release(keep_people);
	obs_data_array_release(keep_faces);
}

obs_data_t *dlf_settings_source_face(obs_data_t *settings)
{
	obs_data_t *face = obs_data_create();
	const char *first = obs_data_get_string(settings, S_FACE_IMAGE);
	const char *more[DLF_MAX_PHOTOS_PER_PERSON];
	obs_data_array_t *keep;
	size_t n_more = list_paths(settings, S_FACE_IMAGES_MORE, more, DLF_MAX_PHOTOS_PER_PERSON, &keep);
	if (n_more > DLF_MAX_PHOTOS_PER_PERSON)
		n_more = DLF_MAX_PHOTOS_PER_PERSON;
	if (!*first && n_more == 0) {
		obs_data_set_bool(face, "clear", true); /* the user emptied the picker */
	} else if (n_more == 0) {
		obs_data_set_string(face, "path", first);
	} else {
		/* The face image first (its face is the one the engine describes), then the others, 8 in all at most. */
		obs_data_array_t *images = obs_data_array_create();
		size_t total = 0;
		if (*first) {
			obs_data_t *image = image_at(first);
			obs_data_array_push_back(images, image);
			obs_data_release(image);
			total++;
		}
		for (size_t i = 0; i < n_more && total < DLF_MAX_PHOTOS_PER_PERSON; i++, total++) {
			obs_data_t *image = image_at(more[i]);
			obs_data_array_push_back(images, image);
			obs_data_release(image);
		}
		obs_data_set_array(face, "images", images);
		obs_data_array_release(images);
	}
	obs_data_array_release(keep);
	return face;
}

void dlf_settings_problem(obs_data_t *settings, char *out, size_t size)
{
	const char *unused[DLF_MAX_MAPPINGS];
	obs_data_array_t *keep_people, *keep_faces, *keep_more;
	size_t n_people = list_paths(settings, S_MAP_PEOPLE, unused, DLF_MAX_MAPPINGS, &keep_people);
	size_t n_faces = list_paths(settings, S_MAP_FACES, unused, DLF_MAX_MAPPINGS, &keep_faces);
	size_t n_more = list_paths(settings, S_FACE_IMAGES_MORE, unused, DLF_MAX_MAPPINGS, &keep_more);
	obs_data_array_release(keep_people);
	obs_data_array_release(keep_faces);
	obs_data_array_release(keep_more);
	size_t photos = n_more + (*obs_data_get_string(settings, S_FACE_IMAGE) ? 1 : 0);
	out[0] = '\0';
	if (n_people != n_faces)
		snprintf(out, size, "%s: %zu / %zu", obs_module_text("Problem.MappingCounts"), n_people, n_faces);
	else if (n_people > DLF_MAX_MAPPINGS)
		snprintf(out, size, "%s (%zu)", obs_module_text("Problem.TooManyPeople"), n_people);
	else if (n_more > 0 && photos > DLF_MAX_PHOTOS_PER_PERSON)
		snprintf(out, size, "%s (%zu)", obs_module_text("Problem.TooManyPhotos"), photos);
}

static bool auto_start_changed(obs_properties_t *props, obs_property_t *p, obs_data_t *settings)
{
	(void)p;
	bool on = obs_data_get_bool(settings, S_AUTO_START);
	obs_property_set_visible(obs_properties_get(props, S_JAVA_PATH), on);
	obs_property_set_visible(obs_properties_get(props, S_JAR_PATH), on);
	return true;
}

void dlf_settings_show_status(obs_properties_t *props, const char *status_text)
{
	obs_property_t *status = obs_properties_get(props, S_STATUS);
	obs_property_set_description(status, status_text);
	obs_property_text_set_info_type(status, strstr(status_text, obs_module_text("Status.ErrorPrefix"))
							? OBS_TEXT_INFO_ERROR
							: OBS_TEXT_INFO_NORMAL);
}

obs_properties_t *dlf_settings_properties(const char *status_text, obs_property_clicked_t refresh, void *data)
{
	obs_properties_t *props = obs_properties_create();

	obs_properties_add_text(props, S_STATUS, status_text, OBS_TEXT_INFO);
	dlf_settings_show_status(props, status_text);
	/* OBS redraws the view from these same properties when the button returns true: refresh rewrites the line. */
	obs_properties_add_button2(props, "refresh_status", obs_module_text("RefreshStatus"), refresh, data);

	obs_properties_add_path(props, S_FACE_IMAGE, obs_module_text("FaceImage"), OBS_PATH_FILE, IMAGE_FILTER, NULL);
	obs_property_t *more = obs_properties_add_editable_list(props, S_FACE_IMAGES_MORE, obs_module_text("MorePhotos"),
								OBS_EDITABLE_LIST_TYPE_FILES, IMAGE_FILTER, NULL);
	obs_property_set_long_description(more, obs_module_text("MorePhotos.Tip"));
	obs_property_t *people = obs_properties_add_editable_list(props, S_MAP_PEOPLE, obs_module_text("MapPeople"),
								  OBS_EDITABLE_LIST_TYPE_FILES, IMAGE_FILTER, NULL);
	obs_property_set_long_description(people, obs_module_text("MapPeople.Tip"));
	obs_property_t *faces = obs_properties_add_editable_list(props, S_MAP_FACES, obs_module_text("MapFaces"),
								 OBS_EDITABLE_LIST_TYPE_FILES, IMAGE_FILTER, NULL);
	obs_property_set_long_description(faces, obs_module_text("MapFaces.Tip"));

	obs_property_t *swapper = obs_properties_add_list(props, S_SWAPPER, obs_module_text("Swapper"),
							  OBS_COMBO_TYPE_LIST, OBS_COMBO_FORMAT_STRING);
	for (size_t i = 0; i < SWAPPER_COUNT; i++)
		obs_property_list_add_string(swapper, obs_module_text(SWAPPER_LABELS[i]), SWAPPER_MODELS[i]);
	obs_property_set_long_description(swapper, obs_module_text("Swapper.Tip"));

	obs_property_t *mode = obs_properties_add_list(props, S_SWAP_MODE, obs_module_text("SwapMode"),
						       OBS_COMBO_TYPE_LIST, OBS_COMBO_FORMAT_STRING);
	obs_property_list_add_string(mode, obs_module_text("SwapMode.All"), "all");
	obs_property_list_add_string(mode, obs_module_text("SwapMode.One"), "one");

	obs_property_t *enh = obs_properties_add_list(props, S_ENHANCER, obs_module_text("Enhancer"),
						      OBS_COMBO_TYPE_LIST, OBS_COMBO_FORMAT_STRING);
	obs_property_list_add_string(enh, obs_module_text("Enhancer.Off"), "off");
	obs_property_list_add_string(enh, "GFPGAN", "gfpgan");
	obs_property_list_add_string(enh, "GPEN-256", "gpen256");
	obs_property_list_add_string(enh, "GPEN-512", "gpen512");

	obs_properties_add_int_slider(props, S_MOUTH_MASK, obs_module_text("MouthMask"), 0, 100, 1);
	obs_properties_add_float_slider(props, S_OPACITY, obs_module_text("Opacity"), 0.0, 1.0, 0.01);
	obs_properties_add_float_slider(props, S_SHARPNESS, obs_module_text("Sharpness"), 0.0, 1.0, 0.01);
	obs_properties_add_bool(props, S_COLOR_CORRECTION, obs_module_text("ColorCorrection"));
	obs_property_t *boost = obs_properties_add_list(props, S_PIXEL_BOOST, obs_module_text("PixelBoost"),
							OBS_COMBO_TYPE_LIST, OBS_COMBO_FORMAT_INT);
	obs_property_list_add_int(boost, obs_module_text("PixelBoost.Off"), PIXEL_BOOST_OFF);
	obs_property_list_add_int(boost, obs_module_text("PixelBoost.256"), 256);
	obs_property_list_add_int(boost, obs_module_text("PixelBoost.512"), 512);
	obs_property_set_long_description(boost, obs_module_text("PixelBoost.Tip"));
	obs_property_t *occlusion = obs_properties_add_bool(props, S_OCCLUSION_MASK, obs_module_text("OcclusionMask"));
	obs_property_set_long_description(occlusion, obs_module_text("OcclusionMask.Tip"));

	obs_property_t *fb = obs_properties_add_list(props, S_FALLBACK, obs_module_text("Fallback"),
						     OBS_COMBO_TYPE_LIST, OBS_COMBO_FORMAT_STRING);
	obs_property_list_add_string(fb, obs_module_text("Fallback.LastSwapped"), FALLBACK_LAST);
	obs_property_list_add_string(fb, obs_module_text("Fallback.Original"), FALLBACK_ORIGINAL);
	obs_property_list_add_string(fb, obs_module_text("Fallback.Black"), FALLBACK_BLACK);

	obs_properties_add_text(props, S_ENGINE_ADDRESS, obs_module_text("EngineAddress"), OBS_TEXT_DEFAULT);
	obs_property_t *autostart = obs_properties_add_bool(props, S_AUTO_START, obs_module_text("AutoStart"));
	obs_property_set_modified_callback(autostart, auto_start_changed);
	obs_properties_add_path(props, S_JAVA_PATH, obs_module_text("JavaPath"), OBS_PATH_FILE, NULL, NULL);
	obs_properties_add_path(props, S_JAR_PATH, obs_module_text("JarPath"), OBS_PATH_FILE, "(*.jar)", NULL);
	/* Advanced, so last. A save dialog: the file may not exist until the engine writes it. */
	obs_properties_add_path(props, S_TOKEN_FILE, obs_module_text("TokenFile"), OBS_PATH_FILE_SAVE, NULL, NULL);
	return props;
}

enum dlf_fallback dlf_settings_fallback(obs_data_t *settings)
{
	const char *v = obs_data_get_string(settings, S_FALLBACK);
	if (strcmp(v, FALLBACK_ORIGINAL) == 0)
		return DLF_FALLBACK_ORIGINAL;
	if (strcmp(v, FALLBACK_BLACK) == 0)
		return DLF_FALLBACK_BLACK;
	return DLF_FALLBACK_LAST_SWAPPED;
}

static double clamp(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* The chosen swap model if it is one the list offers, else the engine's own: a hand-edited scene collection cannot
 * have every set_options refused. */
static const char *known_swapper(const char *name)
{
	for (size_t i = 0; i < SWAPPER_COUNT; i++)
		if (strcmp(name, SWAPPER_MODELS[i]) == 0)
			return SWAPPER_MODELS[i];
	return "";
}

obs_data_t *dlf_settings_engine_options(obs_data_t *settings)
{
	obs_data_t *o = obs_data_create();
	obs_data_set_bool(o, "many_faces", strcmp(obs_data_get_string(settings, S_SWAP_MODE), "one") != 0);
	obs_data_set_string(o, "enhancer", obs_data_get_string(settings, S_ENHANCER));
	obs_data_set_int(o, "mouth_mask", (long long)clamp((double)obs_data_get_int(settings, S_MOUTH_MASK), 0, 100));
	obs_data_set_double(o, "opacity", clamp(obs_data_get_double(settings, S_OPACITY), 0.0, 1.0));
	obs_data_set_double(o, "sharpness", clamp(obs_data_get_double(settings, S_SHARPNESS), 0.0, 1.0));
	obs_data_set_bool(o, "color_correction", obs_data_get_bool(settings, S_COLOR_CORRECTION));
	long long boost = obs_data_get_int(settings, S_PIXEL_BOOST);
	obs_data_set_int(o, "pixel_boost", boost == 256 || boost == 512 ? boost : PIXEL_BOOST_OFF);
	obs_data_set_bool(o, "occlusion_mask", obs_data_get_bool(settings, S_OCCLUSION_MASK));
	obs_data_set_string(o, "swapper", known_swapper(obs_data_get_string(settings, S_SWAPPER)));
	put_face_mapping(settings, o);
	return o;
}

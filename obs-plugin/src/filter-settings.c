#include "filter-settings.h"

#include <string.h>

#define FALLBACK_LAST "last_swapped"
#define FALLBACK_ORIGINAL "original"
#define FALLBACK_BLACK "black"

/* The engine's pixel_boost sizes (swap/PixelBoost.SIZES): 128 is the swapper's own size, i.e. off. */
#define PIXEL_BOOST_OFF 128

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
	obs_data_set_default_string(settings, S_FALLBACK, FALLBACK_LAST);
	obs_data_set_default_string(settings, S_ENGINE_ADDRESS, DLF_DEFAULT_ENGINE_ADDRESS);
	obs_data_set_default_bool(settings, S_AUTO_START, true);
	/* Both empty: the installed engine bundle with its own Java runtime (engine-bundle.h); each is an override. */
	obs_data_set_default_string(settings, S_JAVA_PATH, "");
	obs_data_set_default_string(settings, S_JAR_PATH, "");
	/* Empty: $DLF_TOKEN_FILE, else the engine's own default (engine-token.h). */
	obs_data_set_default_string(settings, S_TOKEN_FILE, "");
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

	obs_properties_add_path(props, S_FACE_IMAGE, obs_module_text("FaceImage"), OBS_PATH_FILE,
				"(*.png *.jpg *.jpeg *.bmp *.webp)", NULL);

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
	return o;
}

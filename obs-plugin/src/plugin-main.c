#include <obs-module.h>

#include "engine-bundle.h"
#include "engine-client.h"
#include "filter.h"

OBS_DECLARE_MODULE()
OBS_MODULE_USE_DEFAULT_LOCALE("deep-live-face", "en-US")

MODULE_EXPORT const char *obs_module_description(void)
{
	return "Deep Live Face: real-time face swap through the Deep Live Face engine";
}

bool obs_module_load(void)
{
	/* Before the worker starts: it reads where the bundle is. */
	dlf_engine_bundle_init(obs_get_module_binary_path(obs_current_module()));
	obs_register_source(&dlf_filter_info);
	dlf_engine_client_start();
	blog(LOG_INFO, "[deep-live-face] module loaded (version %s)", DLF_PLUGIN_VERSION);
	return true;
}

void obs_module_unload(void)
{
	/* OBS destroyed every filter before this: the worker closes what is left and stops an engine it started. */
	dlf_engine_client_stop();
	dlf_engine_bundle_free();
}

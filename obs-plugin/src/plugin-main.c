#include <obs-module.h>

/* The module entry points. The filter itself registers here once it exists (see the OBS filter issue). */
OBS_DECLARE_MODULE()
OBS_MODULE_USE_DEFAULT_LOCALE("deep-live-face", "en-US")

bool obs_module_load(void)
{
	blog(LOG_INFO, "[deep-live-face] module loaded");
	return true;
}

/* Where the installed engine bundle is, so the filter's automatic start needs no path typed in. The plugin's install
 * puts the bundle (java-engine/tools/build-bundle.sh: runtime/, lib/, bin/deep-live-face-engine) beside the plugin:
 *   per user:  ~/.config/obs-studio/plugins/deep-live-face/{bin/64bit/deep-live-face.so, engine/}
 *   package:   <prefix>/lib/<triplet>/obs-plugins/deep-live-face.so and <prefix>/lib/deep-live-face/engine/
 * and, whatever the plugin's own place, /usr/lib/deep-live-face/engine (the Debian package's). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#define DLF_SYSTEM_ENGINE_DIR "/usr/lib/deep-live-face/engine"

/* Module load: remembers where the plugin's own .so lies (NULL or relative: only the system place is searched). */
void dlf_engine_bundle_init(const char *module_binary_path);
void dlf_engine_bundle_free(void);

/* The first bundle found, as its folder (out gets e.g. ".../engine"). False with a one-line err that names where it
 * looked and how to fix it. Any thread after init. */
bool dlf_find_engine_bundle(char *out, size_t out_size, char *err, size_t err_size);

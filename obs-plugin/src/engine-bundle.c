#define _POSIX_C_SOURCE 200809L
#include "engine-bundle.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <util/bmem.h>

/* Set at module load, read-only afterwards: the bundle's place relative to the plugin, or NULL. */
static char *beside_plugin;

/* path without its last n components ("/a/b/c", 2 → "/a"); false when it has too few. */
static bool strip_components(char *path, int n)
{
	for (int i = 0; i < n; i++) {
		char *slash = strrchr(path, '/');
		if (!slash || slash == path)
			return false;
		*slash = '\0';
	}
	return true;
}

/* Copies path with each run of slashes made one: OBS names a packaged module "/usr//lib/...", and the engine's
 * command line, logged and shown to the user, should read as the path they would type. */
static void copy_collapsing_slashes(char *out, const char *path)
{
	for (; *path; path++) {
		if (*path != '/' || path[1] != '/')
			*out++ = *path;
	}
	*out = '\0';
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

void dlf_engine_bundle_init(const char *module_binary_path)
{
	dlf_engine_bundle_free();
	if (!module_binary_path || module_binary_path[0] != '/')
		return;
	size_t size = strlen(module_binary_path) + 64;
	char *dir = bmalloc(size);
	copy_collapsing_slashes(dir, module_binary_path);
	if (!strip_components(dir, 1)) {
		bfree(dir);
		return;
	}
	char *root = bstrdup(dir);
	if (ends_with(dir, "/bin/64bit") && strip_components(root, 2)) {
		/* OBS's per-user plugin layout: <plugin>/bin/64bit/<name>.so, the bundle in <plugin>/engine. */
		snprintf(dir, size, "%s/engine", root);
	} else if (strip_components(root, 2)) {
		/* A packaged plugin: <prefix>/lib/<triplet>/obs-plugins/<name>.so, the bundle in
		 * <prefix>/lib/deep-live-face/engine (also for /usr/local, /opt/...). */
		snprintf(dir, size, "%s/deep-live-face/engine", root);
	} else {
		bfree(dir);
		dir = NULL;
	}
	bfree(root);
	beside_plugin = dir;
}

void dlf_engine_bundle_free(void)
{
	bfree(beside_plugin);
	beside_plugin = NULL;
}

static bool is_bundle(const char *dir)
{
	char launcher[4096];
	snprintf(launcher, sizeof(launcher), "%s/bin/deep-live-face-engine", dir);
	return access(launcher, X_OK) == 0;
}

bool dlf_find_engine_bundle(char *out, size_t out_size, char *err, size_t err_size)
{
	const char *places[] = {beside_plugin, DLF_SYSTEM_ENGINE_DIR};
	for (size_t i = 0; i < sizeof(places) / sizeof(places[0]); i++) {
		if (places[i] && is_bundle(places[i])) {
			snprintf(out, out_size, "%s", places[i]);
			return true;
		}
	}
	if (beside_plugin && strcmp(beside_plugin, DLF_SYSTEM_ENGINE_DIR) != 0)
		snprintf(err, err_size, "engine not installed: not in %s nor %s; reinstall the plugin, or set the engine jar",
			 beside_plugin, DLF_SYSTEM_ENGINE_DIR);
	else
		snprintf(err, err_size, "engine not installed: not in %s; reinstall the plugin, or set the engine jar",
			 DLF_SYSTEM_ENGINE_DIR);
	return false;
}

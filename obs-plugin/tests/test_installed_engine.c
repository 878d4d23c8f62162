/* Zero configuration: a filter with the Java and jar fields empty starts the engine from the bundle installed beside
 * the plugin (engine-bundle.h), and says where it looked when there is none. The plugin and the bundle are laid out
 * as `cmake --install` puts them for one user: plugins/deep-live-face/{bin/64bit/deep-live-face.so, engine/}.
 * The bundle is $DLF_ENGINE_BUNDLE (a built java-engine/target/bundle/deep-live-face-engine) when set; else one made
 * of its parts: the real launcher script and option file, the engine jar ($DLF_ENGINE_JAR) and this machine's JDK as
 * the runtime, so CI checks the launcher and the lookup without building the bundle. */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <util/platform.h>

#include "engine-process.h"
#include "obs-harness.h"

#ifndef BUNDLE_SOURCE_DIR
#error BUNDLE_SOURCE_DIR must be defined
#endif

static char root[] = "/tmp/dlf-obs-installed-XXXXXX";
static char runtime[] = "/tmp/dlf-obs-installed-run-XXXXXX";

static pid_t find_process_with_arg(const char *arg, bool only_ours);

static void clean_up(void)
{
	char command[256];
	/* An engine the module started is its child; it stops it on unload, and on a failed check this kills it. */
	char jar[1200];
	snprintf(jar, sizeof(jar), "%s/plugins/deep-live-face/engine/lib/deep-live-face-engine.jar", root);
	pid_t engine = find_process_with_arg(jar, true);
	if (engine > 0)
		kill(engine, SIGKILL);
	snprintf(command, sizeof(command), "rm -rf '%s' '%s'", root, runtime);
	if (system(command) != 0)
		fprintf(stderr, "could not remove %s\n", root);
}

static void run(const char *command)
{
	CHECK(system(command) == 0, "setting up the install failed: %s", command);
}

/* The JDK the `java` on PATH belongs to (its bin/java resolved through symlinks, two folders up). */
static bool find_jdk(char *out)
{
	const char *path = getenv("PATH");
	char copy[8192];
	snprintf(copy, sizeof(copy), "%s", path ? path : "/usr/bin");
	for (char *save = NULL, *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		char java[PATH_MAX + 8];
		snprintf(java, sizeof(java), "%s/java", dir);
		if (access(java, X_OK) == 0 && realpath(java, out)) {
			for (int i = 0; i < 2; i++)
				*strrchr(out, '/') = '\0';
			return true;
		}
	}
	return false;
}

static void lay_out_bundle(const char *engine_dir, const char *jar)
{
	char command[8 * PATH_MAX];
	const char *built = getenv("DLF_ENGINE_BUNDLE");
	if (built && *built) {
		snprintf(command, sizeof(command), "cp -a '%s' '%s'", built, engine_dir);
		run(command);
		printf("installed engine: the built bundle %s\n", built);
		return;
	}
	char jdk[PATH_MAX];
	CHECK(find_jdk(jdk), "no java on PATH to stand in for the bundle's runtime");
	snprintf(command, sizeof(command),
		 "mkdir -p '%s/lib' && cp -a '%s/bin' '%s/conf' '%s/' && ln -s '%s' '%s/lib/deep-live-face-engine.jar'"
		 " && ln -s '%s' '%s/runtime'",
		 engine_dir, BUNDLE_SOURCE_DIR, BUNDLE_SOURCE_DIR, engine_dir, jar, engine_dir, jdk, engine_dir);
	run(command);
	printf("installed engine: the launcher from %s, %s and the JDK %s\n", BUNDLE_SOURCE_DIR, jar, jdk);
}

/* The pid of a running process (our child when only_ours) whose arguments include arg, or -1. */
static pid_t find_process_with_arg(const char *arg, bool only_ours)
{
	DIR *d = opendir("/proc");
	pid_t found = -1;
	for (struct dirent *e = d ? readdir(d) : NULL; e && found < 0; e = readdir(d)) {
		char path[300], buf[8192];
		int pid = 0, ppid = 0;
		char state = 0;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		bool ok = fgets(buf, sizeof(buf), f) && sscanf(buf, "%d (%*[^)]) %c %d", &pid, &state, &ppid) == 3;
		fclose(f);
		if (!ok || state == 'Z' || (only_ours && ppid != getpid()))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cmdline", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = '\0';
		for (size_t i = 0; i < n; i += strlen(buf + i) + 1)
			if (strcmp(buf + i, arg) == 0)
				found = pid;
	}
	if (d)
		closedir(d);
	return found;
}

static bool status_has(obs_source_t *filter, const char *text)
{
	obs_properties_t *props = obs_source_properties(filter);
	const char *status = obs_property_description(obs_properties_get(props, "status"));
	bool has = status && strstr(status, text);
	obs_properties_destroy(props);
	return has;
}

static bool wait_for_status(obs_source_t *filter, const char *text, int timeout_ms)
{
	for (int waited = 0; waited < timeout_ms; waited += 100) {
		if (status_has(filter, text))
			return true;
		os_sleep_ms(100);
	}
	obs_properties_t *props = obs_source_properties(filter);
	fprintf(stderr, "  (status: %s)\n", obs_property_description(obs_properties_get(props, "status")));
	obs_properties_destroy(props);
	return false;
}

/* A filter on a photo with only the engine's address set: Java and jar stay at their empty defaults. */
static obs_source_t *add_filter(obs_source_t *photo, uint16_t port)
{
	char address[64];
	snprintf(address, sizeof(address), "127.0.0.1:%u", (unsigned)port);
	obs_data_t *settings = obs_data_create();
	obs_data_set_string(settings, "engine_address", address);
	obs_source_t *filter = obs_source_create_private("deep_live_face_filter", "Deep Live Face", settings);
	obs_data_release(settings);
	obs_source_filter_add(photo, filter);
	return filter;
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
	CHECK(mkdtemp(root), "cannot make a temporary folder");
	harness_on_failure = clean_up;
	CHECK(harness_private_runtime(runtime), "cannot make a private runtime dir");
	char models[1024], plugin_dir[1024], engine_dir[1100], plugin[1200], command[8 * PATH_MAX];
	snprintf(models, sizeof(models), "%s/models", root);
	setenv("DLF_MODELS_DIR", models, 1); /* no production models: the engine serves, naming what is missing */
	snprintf(plugin_dir, sizeof(plugin_dir), "%s/plugins/deep-live-face", root);
	snprintf(engine_dir, sizeof(engine_dir), "%s/engine", plugin_dir);
	snprintf(plugin, sizeof(plugin), "%s/bin/64bit/deep-live-face.so", plugin_dir);
	snprintf(command, sizeof(command), "mkdir -p '%s/bin/64bit' '%s' && cp '%s' '%s'", plugin_dir, models,
		 DLF_PLUGIN_FILE, plugin);
	run(command);

	char target_path[4200];
	snprintf(target_path, sizeof(target_path), "%s/photos/Rob_Lowe_0001.jpg", shared);
	CHECK(harness_start_plugin(320, 180, plugin), "libobs did not start with the installed plugin");
	obs_source_t *photo = harness_image_source(target_path);
	CHECK(photo, "no image source");

	/* Nothing installed beside the plugin yet: the status line says where it looked and what to do. */
	uint16_t port = engine_free_port();
	obs_source_t *filter = add_filter(photo, port);
	CHECK(wait_for_status(filter, engine_dir, 10000), "the status line does not say where it looked for the engine");
	CHECK(status_has(filter, "reinstall the plugin"), "the status line does not say how to fix a missing engine");
	printf("installed engine: without a bundle the status line names %s and the fix\n", engine_dir);
	obs_source_filter_remove(photo, filter);
	obs_source_release(filter);

	/* Installed: a new filter with nothing configured starts the engine from the bundle and connects. */
	lay_out_bundle(engine_dir, jar);
	port = engine_free_port();
	filter = add_filter(photo, port);
	CHECK(wait_for_status(filter, "Engine connected", 120000),
	      "a filter with empty Java and jar fields did not start the installed engine");
	char engine_jar[1200];
	snprintf(engine_jar, sizeof(engine_jar), "%s/lib/deep-live-face-engine.jar", engine_dir);
	pid_t engine = find_process_with_arg(engine_jar, true);
	CHECK(engine > 0, "the engine OBS runs is not the installed bundle's (no child runs %s)", engine_jar);
	printf("installed engine: an unconfigured filter started %s/bin/deep-live-face-engine and connected\n",
	       engine_dir);

	obs_source_filter_remove(photo, filter);
	obs_source_release(filter);
	obs_source_release(photo);
	harness_stop(); /* unloads the module: it stops the engine it started */
	CHECK(find_process_with_arg(engine_jar, false) < 0, "the installed engine (pid %d) outlived OBS", (int)engine);
	clean_up();
	return 0;
}

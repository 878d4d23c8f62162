#define _POSIX_C_SOURCE 200809L
#include "engine-launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <obs-module.h>
#include <util/dstr.h>
#include <util/platform.h>

#include "engine-bundle.h"

extern char **environ;

/* A Java the user chose, or NULL for "the engine's own" (the setting empty, or "java", its old default). */
static const char *chosen_java(const char *java)
{
	return java && *java && strcmp(java, "java") != 0 ? java : NULL;
}

/* The command that starts the engine, into argv (program first): an engine jar the user set, run by their Java (or
 * the one on PATH); else the installed bundle's launcher, or its jar under the user's Java. False with err set. */
static bool engine_command(const char *java, const char *jar, char *bundle_path, size_t path_size, const char **argv,
			   int *argc, char *err, size_t err_size)
{
	struct stat st;
	if (jar && *jar) {
		if (stat(jar, &st) != 0 || !S_ISREG(st.st_mode)) {
			snprintf(err, err_size, "engine jar not found: %s (clear the field to use the installed engine)",
				 jar);
			return false;
		}
		argv[(*argc)++] = chosen_java(java) ? java : "java";
		argv[(*argc)++] = "-jar";
		argv[(*argc)++] = jar;
		return true;
	}
	char bundle[4096];
	if (!dlf_find_engine_bundle(bundle, sizeof(bundle), err, err_size))
		return false;
	if (chosen_java(java)) {
		snprintf(bundle_path, path_size, "%s/lib/deep-live-face-engine.jar", bundle);
		argv[(*argc)++] = java;
		argv[(*argc)++] = "-jar";
	} else {
		snprintf(bundle_path, path_size, "%s/bin/deep-live-face-engine", bundle);
	}
	argv[(*argc)++] = bundle_path;
	return true;
}

pid_t dlf_launch_engine(const char *java, const char *jar, uint16_t port, const char *token_file, char *err,
			size_t err_size)
{
	const char *argv[12];
	int argc = 0;
	char bundle_path[4200];
	if (!engine_command(java, jar, bundle_path, sizeof(bundle_path), argv, &argc, err, err_size))
		return -1;
	char port_arg[8], owner_arg[24];
	snprintf(port_arg, sizeof(port_arg), "%u", (unsigned)port);
	/* The engine stops when OBS ends, also when OBS crashes or is killed and never unloads this module. */
	snprintf(owner_arg, sizeof(owner_arg), "%ld", (long)getpid());
	argv[argc++] = "serve";
	argv[argc++] = "--port";
	argv[argc++] = port_arg;
	argv[argc++] = "--token-file";
	argv[argc++] = token_file;
	argv[argc++] = "--owner-pid";
	argv[argc++] = owner_arg;
	argv[argc] = NULL;

	/* The engine's output goes to a log beside the plugin's config when OBS gives us a folder, so users can read
	 * why it stopped; otherwise it shares OBS's own stdout/stderr. */
	posix_spawn_file_actions_t actions;
	posix_spawn_file_actions_init(&actions);
	char *log_path = obs_module_config_path("engine.log");
	if (log_path && log_path[0] != '/') { /* no config folder from the host (a bare libobs): no log file */
		bfree(log_path);
		log_path = NULL;
	}
	if (log_path) {
		char *dir = obs_module_config_path("");
		if (dir)
			os_mkdirs(dir);
		bfree(dir);
		posix_spawn_file_actions_addopen(&actions, 1, log_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
		posix_spawn_file_actions_adddup2(&actions, 1, 2);
	}
	posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);

	pid_t pid = -1;
	int rc = posix_spawnp(&pid, argv[0], &actions, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	if (rc != 0) {
		snprintf(err, err_size, "cannot start the engine with '%s': %s (%s)", argv[0], strerror(rc),
			 jar && *jar ? "set the Java path" : "reinstall the plugin");
		bfree(log_path);
		return -1;
	}
	struct dstr command = {0};
	for (int i = 0; i < argc; i++)
		dstr_catf(&command, i ? " %s" : "%s", argv[i]);
	blog(LOG_INFO, "[deep-live-face] started the engine (pid %d): %s%s%s", (int)pid, command.array,
	     log_path ? ", log: " : "", log_path ? log_path : "");
	dstr_free(&command);
	bfree(log_path);
	return pid;
}

bool dlf_engine_alive(pid_t pid, char *err, size_t err_size)
{
	if (pid <= 0)
		return false;
	int status = 0;
	pid_t r = waitpid(pid, &status, WNOHANG);
	if (r == 0)
		return true;
	if (r == pid && WIFEXITED(status))
		snprintf(err, err_size, "the engine exited with status %d (see engine.log)", WEXITSTATUS(status));
	else if (r == pid && WIFSIGNALED(status))
		snprintf(err, err_size, "the engine was killed by signal %d", WTERMSIG(status));
	return false;
}

void dlf_stop_engine(pid_t pid, int timeout_ms)
{
	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	for (int waited = 0; waited < timeout_ms; waited += 20) {
		if (waitpid(pid, NULL, WNOHANG) != 0)
			return;
		os_sleep_ms(20);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

#define _POSIX_C_SOURCE 200809L
#include "real-engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine-process.h"
#include "obs-harness.h"

#ifndef SYNTHETIC_MODELS_TOOL
#error SYNTHETIC_MODELS_TOOL must be defined
#endif

static char shared[4096];
static char synthetic[4200];

void real_engine_prepare(const char *dir, const char *shared_dir)
{
	snprintf(shared, sizeof(shared), "%s", shared_dir);
	snprintf(synthetic, sizeof(synthetic), "%s/models", dir);
	if (getenv("DLF_ENGINE_ARGS"))
		return; /* the caller's own models */
	/* No production models either (enhancers, landmarks), whatever this machine has downloaded: the tests know
	 * exactly what the engine can do. */
	char none[4200];
	snprintf(none, sizeof(none), "%s/no-production-models", dir);
	CHECK(setenv("DLF_MODELS_DIR", none, 1) == 0, "cannot set DLF_MODELS_DIR");
	char command[8600];
	snprintf(command, sizeof(command), "/usr/bin/python3 '%s' '%s' >/dev/null", SYNTHETIC_MODELS_TOOL, synthetic);
	CHECK(system(command) == 0, "could not write the synthetic models (%s; needs python3-onnx)", command);
}

pid_t real_engine_start(const char *jar, uint16_t port, const char *swapper)
{
	char port_arg[8];
	snprintf(port_arg, sizeof(port_arg), "%u", (unsigned)port);
	char *argv[40] = {"java", "-jar", (char *)jar, "serve", "--port", port_arg};
	int argc = 6;
	static char args[16384];
	const char *given = getenv("DLF_ENGINE_ARGS");
	char test_swapper[4300];
	snprintf(test_swapper, sizeof(test_swapper), "%s/inswapper_128.onnx", synthetic);
	if (given)
		snprintf(args, sizeof(args), "%s", given);
	else
		snprintf(args, sizeof(args), "--detector %s/models/scrfd_2.5g_bnkps.onnx --recognizer %s/arcface_512.onnx"
					     " --swapper %s",
			 shared, synthetic, swapper ? swapper : test_swapper);
	for (char *save = NULL, *t = strtok_r(args, " ", &save); t && argc < 39; t = strtok_r(NULL, " ", &save))
		argv[argc++] = t;
	argv[argc] = NULL;
	pid_t pid = engine_start(argv, port, 120000);
	CHECK(pid > 0, "the engine (%s serve) did not start listening", jar);
	return pid;
}

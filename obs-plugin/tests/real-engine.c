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
static char manifest[4300];

/* The engine's manifest in these tests: one optional model, GFPGANv1.4, on a loopback port nothing listens on, so
 * picking it starts a fetch that fails at once and never reaches the network; and one swap model whose licence
 * forbids its use, as the production manifest's HyperSwap entries do. */
static void write_unreachable_manifest(const char *path)
{
	FILE *f = fopen(path, "w");
	CHECK(f, "cannot write %s", path);
	fputs("{\"version\": 1, \"models\": [{\"name\": \"GFPGANv1.4\", \"file\": \"GFPGANv1.4.onnx\", "
	      "\"stage\": \"enhance\", \"size\": null, \"sha256\": null, "
	      "\"urls\": [\"http://127.0.0.1:1/GFPGANv1.4.onnx\"], \"licence\": {\"short\": \"test\", \"text\": "
	      "\"test\"}}, {\"name\": \"hyperswap_1a_256\", \"file\": \"hyperswap_1a_256.onnx\", \"stage\": \"swap\", "
	      "\"urls\": [\"http://127.0.0.1:1/hyperswap_1a_256.onnx\"], \"licence\": {\"short\": \"ResearchRAIL-MS\", "
	      "\"text\": \"research only\", \"forbids\": \"it allows research use only\"}}]}\n",
	      f);
	CHECK(fclose(f) == 0, "cannot write %s", path);
}

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
	snprintf(manifest, sizeof(manifest), "%s/manifest.json", synthetic);
	write_unreachable_manifest(manifest);
}

pid_t real_engine_start(const char *jar, uint16_t port, const char *swapper)
{
	char port_arg[8];
	snprintf(port_arg, sizeof(port_arg), "%u", (unsigned)port);
	char *argv[40] = {"java", "-jar", (char *)jar, "serve", "--port", port_arg};
	int argc = 6;
	static char args[20000];
	const char *given = getenv("DLF_ENGINE_ARGS");
	char test_swapper[4300];
	snprintf(test_swapper, sizeof(test_swapper), "%s/inswapper_128.onnx", synthetic);
	if (given)
		snprintf(args, sizeof(args), "%s", given);
	else
		snprintf(args, sizeof(args), "--detector %s/models/scrfd_2.5g_bnkps.onnx --recognizer %s/arcface_512.onnx"
					     " --swapper %s --manifest %s",
			 shared, synthetic, swapper ? swapper : test_swapper, manifest);
	for (char *save = NULL, *t = strtok_r(args, " ", &save); t && argc < 39; t = strtok_r(NULL, " ", &save))
		argv[argc++] = t;
	argv[argc] = NULL;
	pid_t pid = engine_start(argv, port, 120000);
	CHECK(pid > 0, "the engine (%s serve) did not start listening", jar);
	return pid;
}

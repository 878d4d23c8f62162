/* The real engine for the plugin's tests: `java -jar $DLF_ENGINE_JAR serve` with small test models (the real SCRFD
 * from ../shared, the synthetic recogniser and swapper that java-engine/tools/synthetic_models.py writes), or with
 * $DLF_ENGINE_ARGS instead when set. */
#pragma once

#include <stdint.h>
#include <sys/types.h>

/* Writes the synthetic models into dir/models (needs python3-onnx); remembers shared_dir for the detector; points
 * the engine at an empty production model folder (no enhancers, no landmarks). Fails the test when it cannot. */
void real_engine_prepare(const char *dir, const char *shared_dir);

/* Starts the jar's serve on 127.0.0.1:port with the test models, or with swapper instead of the test swapper when
 * not NULL (a file that does not exist plays a missing model). Waits until it listens; fails the test if not. */
pid_t real_engine_start(const char *jar, uint16_t port, const char *swapper);

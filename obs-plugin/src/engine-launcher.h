/* Starts the engine as a child of OBS and stops it again. Worker thread only. The engine is the installed bundle
 * (engine-bundle.h: `<bundle>/bin/deep-live-face-engine serve --port P`) unless the user set an engine jar
 * (`<java> -jar <jar> serve --port P`); a Java set without a jar runs the bundle's jar. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The child's pid, or -1 (err gets a one-line reason the user can act on). java and jar may be empty. */
pid_t dlf_launch_engine(const char *java, const char *jar, uint16_t port, char *err, size_t err_size);

/* True while the child runs; once it has exited, reaps it and describes how in err. */
bool dlf_engine_alive(pid_t pid, char *err, size_t err_size);

/* SIGTERM (the engine shuts down cleanly), then SIGKILL after timeout_ms. */
void dlf_stop_engine(pid_t pid, int timeout_ms);

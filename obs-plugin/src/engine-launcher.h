/* Starts the engine as a child of OBS and stops it again. Worker thread only. The engine is the installed bundle
 * (engine-bundle.h: `<bundle>/bin/deep-live-face-engine serve --port P --token-file T`) unless the user set an engine
 * jar (`<java> -jar <jar> serve --port P --token-file T`); a Java set without a jar runs the bundle's jar. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The child's pid, or -1 (err gets a one-line reason the user can act on). java and jar may be empty; token_file is
 * where the filter reads the token (engine-token.h), so the engine writes it there. */
pid_t dlf_launch_engine(const char *java, const char *jar, uint16_t port, const char *token_file, char *err,
			size_t err_size);

/* True while the child runs; once it has exited, reaps it and describes how in err. */
bool dlf_engine_alive(pid_t pid, char *err, size_t err_size);

/* SIGTERM (the engine shuts down cleanly), then SIGKILL after timeout_ms. */
void dlf_stop_engine(pid_t pid, int timeout_ms);

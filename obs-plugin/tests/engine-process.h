/* Starting and killing the engine a test talks to: the stand-in (default) or a real engine jar. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* A TCP port on 127.0.0.1 that was free a moment ago. */
uint16_t engine_free_port(void);

/* Starts argv[0] with argv and waits until something listens on 127.0.0.1:port (up to timeout_ms). */
pid_t engine_start(char *const argv[], uint16_t port, int timeout_ms);

/* SIGKILL, as a crash would; reaps it. */
void engine_kill(pid_t pid);

/* The token the engine writes for its clients, found where the engine puts it. Worker thread only. */
#pragma once

#include <stddef.h>

/* The token (bfree it), or NULL (err gets a one-line reason the user can act on). */
char *dlf_read_engine_token(char *err, size_t err_size);

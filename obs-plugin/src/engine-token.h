/* The token the engine writes for its clients, found where the engine puts it. Worker thread only. */
#pragma once

#include <stddef.h>

/* Where the token is: token_file when set (the filter's "Token file"), else $DLF_TOKEN_FILE, else the engine's own
 * default, as `serve` chooses it: $XDG_RUNTIME_DIR/deep-live-face/token when that folder exists, else
 * ~/.config/deep-live-face/token. An engine the filter starts is told this path (--token-file). */
void dlf_engine_token_path(const char *token_file, char *path, size_t path_size);

/* The token at path (bfree it), or NULL (err gets a one-line reason the user can act on). */
char *dlf_read_engine_token(const char *path, char *err, size_t err_size);

#include "engine-token.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <util/bmem.h>
#include <util/dstr.h>
#include <util/platform.h>

#define MAX_TOKEN_CHARS 4096

/* $DLF_TOKEN_FILE, else the place the engine chooses: $XDG_RUNTIME_DIR when it exists, else ~/.config. */
static void token_path(struct dstr *path)
{
	const char *explicit_path = getenv("DLF_TOKEN_FILE");
	const char *runtime = getenv("XDG_RUNTIME_DIR");
	const char *home = getenv("HOME");
	if (explicit_path && *explicit_path)
		dstr_copy(path, explicit_path);
	else if (runtime && *runtime && os_file_exists(runtime))
		dstr_printf(path, "%s/deep-live-face/token", runtime);
	else
		dstr_printf(path, "%s/.config/deep-live-face/token", home ? home : "");
}

static void trim_end(char *text)
{
	size_t n = strlen(text);
	while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' '))
		text[--n] = '\0';
}

char *dlf_read_engine_token(char *err, size_t err_size)
{
	struct dstr path = {0};
	token_path(&path);
	char *token = os_quick_read_utf8_file(path.array);
	if (!token || !*token || strlen(token) > MAX_TOKEN_CHARS) {
		snprintf(err, err_size, "cannot read the engine's token at %s (is the engine running as you?)",
			 path.array);
		bfree(token);
		token = NULL;
	} else {
		trim_end(token);
	}
	dstr_free(&path);
	return token;
}

#define _POSIX_C_SOURCE 200809L
#include "engine-token.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <util/bmem.h>
#include <util/platform.h>

#define MAX_TOKEN_CHARS 4096

static bool is_directory(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

void dlf_engine_token_path(const char *token_file, char *path, size_t path_size)
{
	const char *from_env = getenv("DLF_TOKEN_FILE");
	const char *runtime = getenv("XDG_RUNTIME_DIR");
	const char *home = getenv("HOME");
	if (token_file && *token_file)
		snprintf(path, path_size, "%s", token_file);
	else if (from_env && *from_env)
		snprintf(path, path_size, "%s", from_env);
	else if (runtime && *runtime && is_directory(runtime)) /* the engine's TokenFile.standard */
		snprintf(path, path_size, "%s/deep-live-face/token", runtime);
	else
		snprintf(path, path_size, "%s/.config/deep-live-face/token", home ? home : "");
}

static void trim_end(char *text)
{
	size_t n = strlen(text);
	while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' '))
		text[--n] = '\0';
}

char *dlf_read_engine_token(const char *path, char *err, size_t err_size)
{
	char *token = os_quick_read_utf8_file(path);
	if (!token || !*token || strlen(token) > MAX_TOKEN_CHARS) {
		snprintf(err, err_size, "cannot read the engine's token at %s (is the engine running as you?)", path);
		bfree(token);
		token = NULL;
	} else {
		trim_end(token);
	}
	return token;
}

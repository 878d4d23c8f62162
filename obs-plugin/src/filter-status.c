#include "filter-status.h"

#include <stdio.h>
#include <string.h>

#include <obs-module.h>

static const char *engine_state_text(enum dlf_engine_state state)
{
	switch (state) {
	case DLF_ENGINE_CONNECTED:
		return obs_module_text("Status.Connected");
	case DLF_ENGINE_STARTING:
		return obs_module_text("Status.Starting");
	default:
		return obs_module_text("Status.Disconnected");
	}
}

/* Adds " · Error: <problem>" to the line. */
static void append_problem(char *out, size_t size, const char *problem)
{
	size_t len = strlen(out);
	snprintf(out + len, size - len, " · %s %s", obs_module_text("Status.ErrorPrefix"), problem);
}

void dlf_filter_status_text(const struct dlf_session_status *st, double fps, double latency_ms, char *out,
			    size_t size)
{
	const char *state = engine_state_text(st->engine);
	bool running = st->engine == DLF_ENGINE_CONNECTED && st->session_open;
	if (running && st->provider[0])
		snprintf(out, size, "%s · %s · %.1f fps · %.0f ms", state, st->provider, fps, latency_ms);
	else if (running)
		snprintf(out, size, "%s · %.1f fps · %.0f ms", state, fps, latency_ms);
	else
		snprintf(out, size, "%s", state);
	if (st->settings_problem[0])
		append_problem(out, size, st->settings_problem);
	if (st->error[0])
		append_problem(out, size, st->error);
	if (st->warning[0] && st->engine == DLF_ENGINE_CONNECTED && strncmp(st->warning, "downloading ", 12) == 0) {
		size_t len = strlen(out); /* a model being fetched is progress, not a problem */
		snprintf(out + len, size - len, " · %s", st->warning);
	} else if (st->warning[0] && st->engine == DLF_ENGINE_CONNECTED) {
		append_problem(out, size, st->warning);
	}
}

/* The filters' side of the engine client: filters post what they want and read their status; nothing here waits on
 * the engine. Runs on OBS's threads and touches shared state only under dlf_engine.lock. */
#define _POSIX_C_SOURCE 200809L
#include "engine-client.h"

#include <stdio.h>
#include <string.h>

#include <util/bmem.h>

#include "engine-shared.h"

struct dlf_engine_shared dlf_engine = {.lock = PTHREAD_MUTEX_INITIALIZER};

void dlf_engine_wake_worker(void)
{
	if (dlf_engine.wake)
		os_event_signal(dlf_engine.wake);
}

static void replace_string(char **dst, const char *src)
{
	bfree(*dst);
	*dst = src ? bstrdup(src) : NULL;
}

/* Under lock: stores value and marks it to be sent when it differs from what is stored. True when it did. */
static bool post_string(char **stored, bool *dirty, const char *value)
{
	if (*stored && strcmp(*stored, value) == 0)
		return false;
	replace_string(stored, value);
	*dirty = true;
	return true;
}

void dlf_engine_configure(const char *address, bool auto_start, const char *java_path, const char *jar_path,
			  const char *token_file)
{
	pthread_mutex_lock(&dlf_engine.lock);
	struct dlf_engine_config *c = &dlf_engine.config;
	bool changed = strcmp(c->address, address) != 0 || c->auto_start != auto_start ||
		       strcmp(c->java, java_path) != 0 || strcmp(c->jar, jar_path) != 0 ||
		       strcmp(c->token_file, token_file) != 0;
	if (changed) {
		snprintf(c->address, sizeof(c->address), "%s", address);
		c->auto_start = auto_start;
		snprintf(c->java, sizeof(c->java), "%s", java_path);
		snprintf(c->jar, sizeof(c->jar), "%s", jar_path);
		snprintf(c->token_file, sizeof(c->token_file), "%s", token_file);
		dlf_engine.config_gen++;
	}
	pthread_mutex_unlock(&dlf_engine.lock);
	if (changed)
		dlf_engine_wake_worker();
}

struct dlf_session *dlf_session_create(void)
{
	struct dlf_session *s = bzalloc(sizeof(*s));
	pthread_mutex_lock(&dlf_engine.lock);
	s->status.engine = dlf_engine.state;
	snprintf(s->status.error, sizeof(s->status.error), "%s", dlf_engine.error);
	s->next = dlf_engine.sessions;
	dlf_engine.sessions = s;
	pthread_mutex_unlock(&dlf_engine.lock);
	return s;
}

void dlf_session_set_channel(struct dlf_session *s, const char *channel_name, uint32_t width, uint32_t height)
{
	pthread_mutex_lock(&dlf_engine.lock);
	replace_string(&s->channel, channel_name);
	s->width = width;
	s->height = height;
	s->channel_dirty = true;
	pthread_mutex_unlock(&dlf_engine.lock);
	dlf_engine_wake_worker();
}

void dlf_session_set_face(struct dlf_session *s, obs_data_t *face)
{
	const char *json = obs_data_get_json(face);
	bool set = !obs_data_get_bool(face, "clear");
	pthread_mutex_lock(&dlf_engine.lock);
	bool changed = post_string(&s->face_json, &s->face_dirty, json);
	s->face_set = set;
	pthread_mutex_unlock(&dlf_engine.lock);
	if (changed)
		dlf_engine_wake_worker();
}

void dlf_session_set_settings_problem(struct dlf_session *s, const char *problem)
{
	pthread_mutex_lock(&dlf_engine.lock);
	snprintf(s->status.settings_problem, sizeof(s->status.settings_problem), "%s", problem);
	pthread_mutex_unlock(&dlf_engine.lock);
}

void dlf_session_set_options(struct dlf_session *s, obs_data_t *options)
{
	const char *json = obs_data_get_json(options);
	pthread_mutex_lock(&dlf_engine.lock);
	bool changed = post_string(&s->options_json, &s->options_dirty, json);
	pthread_mutex_unlock(&dlf_engine.lock);
	if (changed)
		dlf_engine_wake_worker();
}

void dlf_session_get_status(struct dlf_session *s, struct dlf_session_status *out)
{
	pthread_mutex_lock(&dlf_engine.lock);
	*out = s->status;
	pthread_mutex_unlock(&dlf_engine.lock);
}

/* Under lock. */
static void unlink_session(struct dlf_session *s)
{
	for (struct dlf_session **link = &dlf_engine.sessions; *link; link = &(*link)->next) {
		if (*link == s) {
			*link = s->next;
			return;
		}
	}
}

void dlf_session_close(struct dlf_session *s, void (*release)(void *param), void *param)
{
	pthread_mutex_lock(&dlf_engine.lock);
	s->closing = true;
	s->release = release;
	s->release_param = param;
	bool worker = dlf_engine.worker_running;
	if (!worker) /* no worker (it failed to start): no engine to tell, end it here */
		unlink_session(s);
	pthread_mutex_unlock(&dlf_engine.lock);
	if (worker)
		dlf_engine_wake_worker();
	else
		dlf_session_free(s);
}

void dlf_session_free(struct dlf_session *s)
{
	if (s->release)
		s->release(s->release_param);
	bfree(s->channel);
	bfree(s->face_json);
	bfree(s->options_json);
	bfree(s->engine_id);
	bfree(s);
}

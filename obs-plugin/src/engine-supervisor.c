#define _POSIX_C_SOURCE 200809L
#include "engine-supervisor.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include <obs-module.h>
#include <util/bmem.h>
#include <util/platform.h>

#include "control-wire.h"
#include "engine-launcher.h"
#include "engine-shared.h"
#include "engine-token.h"
#include "filter-settings.h"
#include "session-sync.h"

#define PROTOCOL_VERSION 1
#define START_WAIT_MS 60000 /* a JVM loading its models takes a while */
#define BACKOFF_MIN_MS 250
#define BACKOFF_MAX_MS 5000

/* The worker's own, except thread and stopping (start and stop, on module load and unload). */
static struct {
	pthread_t thread;
	atomic_bool stopping;
	uint64_t applied_gen; /* the dlf_engine.config_gen this connection was made for */
	struct dlf_link link;
	int64_t next_attempt_ms;
	int backoff_ms;
	pid_t child; /* an engine we started, or -1 */
	int64_t child_deadline_ms;
} sup = {.link = DLF_LINK_CLOSED, .child = -1};

/* The next connection attempt after a failure: later each time, up to BACKOFF_MAX_MS. */
static void back_off(void)
{
	sup.next_attempt_ms = dlf_now_ms() + sup.backoff_ms;
	sup.backoff_ms = sup.backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : sup.backoff_ms * 2;
}

static void disconnect(const char *why)
{
	if (dlf_link_is_open(&sup.link)) {
		blog(LOG_WARNING, "[deep-live-face] engine connection lost: %s", why);
		dlf_link_close(&sup.link);
	}
	dlf_sync_forget_engine();
	dlf_sync_show_engine_state(sup.child > 0 ? DLF_ENGINE_STARTING : DLF_ENGINE_DISCONNECTED, why);
	back_off();
}

bool dlf_engine_connected(void)
{
	return dlf_link_is_open(&sup.link);
}

obs_data_t *dlf_engine_request(enum dlf_request_type type, obs_data_t *fields)
{
	const char *why = NULL;
	obs_data_t *reply = dlf_link_request(&sup.link, type, fields, dlf_sync_handle_event, &why);
	if (!reply)
		disconnect(why);
	return reply;
}

static bool say_hello(const char *token_path)
{
	char err[256];
	char *token = dlf_read_engine_token(token_path, err, sizeof(err));
	if (!token) {
		disconnect(err);
		return false;
	}
	obs_data_t *hello = obs_data_create();
	obs_data_set_int(hello, "version", PROTOCOL_VERSION);
	obs_data_set_string(hello, "token", token);
	obs_data_set_string(hello, "client", "obs-plugin " DLF_PLUGIN_VERSION);
	bfree(token);
	obs_data_t *reply = dlf_engine_request(DLF_REQUEST_HELLO, hello);
	obs_data_release(hello);
	if (!reply)
		return false;
	bool welcomed = dlf_message_type(reply) == DLF_MESSAGE_WELCOME;
	if (!welcomed) {
		snprintf(err, sizeof(err), "the engine refused us: %s", obs_data_get_string(reply, "message"));
		obs_data_release(reply);
		disconnect(err);
		return false;
	}
	obs_data_release(reply);
	return true;
}

static bool is_loopback(const char *host)
{
	return strcmp(host, "127.0.0.1") == 0 || strcmp(host, "localhost") == 0 || strcmp(host, "::1") == 0;
}

/* Connection refused: wait for an engine we started, give up on it, or start one. err says why when it fails. */
static void handle_refusal(const struct dlf_engine_config *c, const char *host, uint16_t port,
			   const char *token_path, char *err, size_t err_size)
{
	if (sup.child > 0 && dlf_now_ms() < sup.child_deadline_ms) {
		/* Our engine is still starting: poll quickly, without backoff. */
		dlf_sync_show_engine_state(DLF_ENGINE_STARTING, NULL);
		sup.next_attempt_ms = dlf_now_ms() + BACKOFF_MIN_MS;
		return;
	}
	if (sup.child > 0) {
		snprintf(err, err_size, "the engine we started did not listen on %s within %d s", c->address,
			 START_WAIT_MS / 1000);
		dlf_stop_engine(sup.child, 3000);
		sup.child = -1;
	} else if (c->auto_start && is_loopback(host)) {
		sup.child = dlf_launch_engine(c->java, c->jar, port, token_path, err, err_size);
		if (sup.child > 0) {
			sup.child_deadline_ms = dlf_now_ms() + START_WAIT_MS;
			dlf_sync_show_engine_state(DLF_ENGINE_STARTING, "");
			sup.next_attempt_ms = dlf_now_ms() + BACKOFF_MIN_MS;
			return;
		}
	}
	dlf_sync_show_engine_state(DLF_ENGINE_DISCONNECTED, err);
	back_off();
}

static void try_connect(void)
{
	pthread_mutex_lock(&dlf_engine.lock);
	struct dlf_engine_config c = dlf_engine.config;
	pthread_mutex_unlock(&dlf_engine.lock);

	char host[256], err[512] = "";
	uint16_t port;
	if (!dlf_parse_address(c.address, DLF_DEFAULT_ENGINE_PORT, host, sizeof(host), &port)) {
		snprintf(err, sizeof(err), "invalid engine address '%s' (expected host:port)", c.address);
		dlf_sync_show_engine_state(DLF_ENGINE_DISCONNECTED, err);
		sup.next_attempt_ms = dlf_now_ms() + BACKOFF_MAX_MS;
		return;
	}

	if (sup.child > 0 && !dlf_engine_alive(sup.child, err, sizeof(err))) {
		blog(LOG_WARNING, "[deep-live-face] %s", err);
		sup.child = -1;
	}

	/* One place for the token: where an engine we start writes it is where we read it. */
	char token_path[4096];
	dlf_engine_token_path(c.token_file, token_path, sizeof(token_path));
	if (!dlf_link_connect(&sup.link, host, port, err, sizeof(err))) {
		handle_refusal(&c, host, port, token_path, err, sizeof(err));
		return;
	}
	if (say_hello(token_path)) {
		sup.backoff_ms = BACKOFF_MIN_MS;
		dlf_sync_show_engine_state(DLF_ENGINE_CONNECTED, "");
		blog(LOG_INFO, "[deep-live-face] connected to the engine at %s", c.address);
	}
}

static void keep_alive(void)
{
	const char *why = NULL;
	if (!dlf_link_keep_alive(&sup.link, dlf_sync_handle_event, &why))
		disconnect(why);
}

/* New address or launcher settings: start over. */
static void apply_config_change(uint64_t gen)
{
	sup.applied_gen = gen;
	if (dlf_link_is_open(&sup.link))
		disconnect("engine settings changed");
	sup.backoff_ms = BACKOFF_MIN_MS;
	sup.next_attempt_ms = 0;
}

static void wait_for_work(void)
{
	int64_t wait = dlf_link_is_open(&sup.link) ? 200 : sup.next_attempt_ms - dlf_now_ms();
	os_event_timedwait(dlf_engine.wake, (unsigned long)(wait < 10 ? 10 : wait > 500 ? 500 : wait));
}

/* Unloading: end every session that is still around, then stop an engine we started. */
static void shut_down(void)
{
	dlf_sync_close_all();
	dlf_link_close(&sup.link);
	if (sup.child > 0) {
		dlf_stop_engine(sup.child, 5000);
		sup.child = -1;
	}
}

static void *worker_main(void *arg)
{
	(void)arg;
	os_set_thread_name("deep-live-face: engine client");
	sup.backoff_ms = BACKOFF_MIN_MS;
	while (!atomic_load(&sup.stopping)) {
		pthread_mutex_lock(&dlf_engine.lock);
		uint64_t gen = dlf_engine.config_gen;
		bool wanted = dlf_engine.sessions != NULL && dlf_engine.config.address[0];
		pthread_mutex_unlock(&dlf_engine.lock);

		dlf_sync_reap_closing();
		if (gen != sup.applied_gen)
			apply_config_change(gen);
		/* Connect only while some filter needs the engine. */
		if (!dlf_link_is_open(&sup.link) && wanted && dlf_now_ms() >= sup.next_attempt_ms)
			try_connect();
		if (dlf_link_is_open(&sup.link)) {
			dlf_sync_sessions();
			keep_alive();
		}
		wait_for_work();
	}
	shut_down();
	return NULL;
}

void dlf_engine_client_start(void)
{
	if (dlf_engine.worker_running)
		return;
	if (os_event_init(&dlf_engine.wake, OS_EVENT_TYPE_AUTO) != 0)
		return;
	atomic_store(&sup.stopping, false);
	sup.applied_gen = dlf_engine.config_gen;
	if (pthread_create(&sup.thread, NULL, worker_main, NULL) != 0) {
		os_event_destroy(dlf_engine.wake);
		dlf_engine.wake = NULL;
		return;
	}
	pthread_mutex_lock(&dlf_engine.lock);
	dlf_engine.worker_running = true;
	pthread_mutex_unlock(&dlf_engine.lock);
}

void dlf_engine_client_stop(void)
{
	if (!dlf_engine.worker_running)
		return;
	atomic_store(&sup.stopping, true);
	os_event_signal(dlf_engine.wake);
	pthread_join(sup.thread, NULL);
	pthread_mutex_lock(&dlf_engine.lock);
	dlf_engine.worker_running = false;
	pthread_mutex_unlock(&dlf_engine.lock);
	os_event_destroy(dlf_engine.wake);
	dlf_engine.wake = NULL;
}

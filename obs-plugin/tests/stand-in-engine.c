/* dlf-stand-in-engine: plays the engine's part for the plugin's tests and benchmark.
 *
 * It speaks the engine's control protocol (hello with the token, open_session, set_source_face, set_options,
 * get_stats, close_session, ping; unknown fields refused like the engine does) and consumes each session's frame
 * channel. Once a session has a source face it inverts the colour of the pixels inside --rect (alpha kept) and
 * leaves every other pixel alone: a result a test can predict exactly; before that, frames go back UNSWAPPED.
 * --noop hands frames back untouched as UNCHANGED, as if no face were in them (for latency figures). It writes a fresh token where the engine would.
 * SIGUSR1 toggles an engine whose swap fails: every frame goes back FAILED, its pixels untouched (the real face).
 *
 *   dlf-stand-in-engine --port P [--rect x,y,w,h] [--noop] [--token-file F] [--owner-pid PID, ignored]
 * It also answers to the plugin's engine launcher's `<java> -jar <jar> serve --port P` (java pointing at this
 * program; -jar and serve are ignored) and then takes the rectangle from $DLF_STAND_IN_RECT.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dlf/frame_channel.h>
#include <obs-data.h>

static struct {
	uint32_t rect_x, rect_y, rect_w, rect_h;
	bool noop;
	char token[65];
} config = {.rect_x = 0, .rect_y = 0, .rect_w = 0, .rect_h = 0};

struct session {
	char id[16];
	char channel_name[DLF_NAME_MAX];
	pthread_t thread;
	atomic_bool stop;
	atomic_bool has_face;
	atomic_bool ended; /* the consumer thread ended on its own (producer gone) */
	atomic_ullong frames;
	bool running;
};

#define MAX_SESSIONS 8

/* Toggled by SIGUSR1: every frame fails, as when the engine's swap throws. */
static volatile sig_atomic_t failing;

static void on_usr1(int sig)
{
	(void)sig;
	failing = !failing;
}

/* ---- framing ---- */

static bool read_full(int fd, void *buf, size_t n)
{
	uint8_t *p = buf;
	while (n) {
		ssize_t r = read(fd, p, n);
		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			return false;
		}
		p += r;
		n -= (size_t)r;
	}
	return true;
}

static bool write_full(int fd, const void *buf, size_t n)
{
	const uint8_t *p = buf;
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0) {
			if (w < 0 && errno == EINTR)
				continue;
			return false;
		}
		p += w;
		n -= (size_t)w;
	}
	return true;
}

static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

static bool send_message(int fd, obs_data_t *m)
{
	const char *json = obs_data_get_json(m);
	size_t len = strlen(json);
	uint8_t header[4] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8), (uint8_t)len};
	pthread_mutex_lock(&write_lock);
	bool ok = write_full(fd, header, 4) && write_full(fd, json, len);
	pthread_mutex_unlock(&write_lock);
	return ok;
}

static obs_data_t *reply(const char *type, obs_data_t *request)
{
	obs_data_t *r = obs_data_create();
	obs_data_set_string(r, "type", type);
	obs_data_set_int(r, "id", obs_data_get_int(request, "id"));
	return r;
}

static obs_data_t *error_reply(obs_data_t *request, const char *code, const char *message)
{
	obs_data_t *r = reply("error", request);
	obs_data_set_string(r, "code", code);
	obs_data_set_string(r, "message", message);
	return r;
}

/* The engine refuses fields it does not know; so does the stand-in, to keep the plugin honest. */
static const char *unknown_field(obs_data_t *m, const char *const *allowed)
{
	for (obs_data_item_t *item = obs_data_first(m); item; obs_data_item_next(&item)) {
		const char *name = obs_data_item_get_name(item);
		bool ok = false;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = strcmp(*a, name) == 0;
		if (!ok) {
			obs_data_item_release(&item);
			return name;
		}
	}
	return NULL;
}

/* ---- the consumer ---- */

static void invert_rect(const dlf_frame *f)
{
	uint32_t x1 = config.rect_x + config.rect_w, y1 = config.rect_y + config.rect_h;
	if (x1 > f->width)
		x1 = f->width;
	if (y1 > f->height)
		y1 = f->height;
	for (uint32_t y = config.rect_y; y < y1; y++) {
		uint8_t *row = f->data + (size_t)y * f->stride;
		for (uint32_t x = config.rect_x; x < x1; x++) {
			row[x * 4 + 0] = (uint8_t)(255 - row[x * 4 + 0]);
			row[x * 4 + 1] = (uint8_t)(255 - row[x * 4 + 1]);
			row[x * 4 + 2] = (uint8_t)(255 - row[x * 4 + 2]);
		}
	}
}

static void *consume(void *arg)
{
	struct session *s = arg;
	dlf_channel *ch = NULL;
	int rc = dlf_channel_attach(s->channel_name, &ch);
	if (rc != DLF_OK) {
		fprintf(stderr, "stand-in: cannot attach %s: %s\n", s->channel_name, dlf_status_message(rc));
		atomic_store(&s->ended, true);
		return NULL;
	}
	while (!atomic_load(&s->stop)) {
		dlf_frame f;
		rc = dlf_consumer_acquire(ch, &f, 100000000ull);
		if (rc == DLF_E_TIMEOUT)
			continue;
		if (rc != DLF_OK)
			break; /* producer gone or we were replaced */
		bool fail = failing;
		bool swap = !fail && !config.noop && atomic_load(&s->has_face);
		if (swap)
			invert_rect(&f);
		/* As the engine: without a source face the frame goes back with the real face in it, marked so.
		 * --noop plays an engine that found no face: untouched, and fit to show. */
		int32_t result = fail ? DLF_RESULT_FAILED
			       : swap ? DLF_RESULT_PROCESSED
			       : config.noop ? DLF_RESULT_UNCHANGED
					     : DLF_RESULT_UNSWAPPED;
		dlf_consumer_complete(ch, &f, result, 0);
		atomic_fetch_add(&s->frames, 1);
	}
	dlf_channel_close(ch);
	atomic_store(&s->ended, true);
	return NULL;
}

static void stop_session(struct session *s)
{
	if (!s->running)
		return;
	atomic_store(&s->stop, true);
	pthread_join(s->thread, NULL);
	s->running = false;
	s->id[0] = '\0';
}

static struct session *find_session(struct session *sessions, obs_data_t *m)
{
	const char *id = obs_data_get_string(m, "session");
	for (int i = 0; i < MAX_SESSIONS; i++)
		if (sessions[i].running && strcmp(sessions[i].id, id) == 0)
			return &sessions[i];
	return NULL;
}

/* ---- one connection ---- */

static const char *const SESSION_ONLY[] = {"type", "id", "session", NULL};
static const char *const OPEN_FIELDS[] = {"type", "id", "channel", "max_width", "max_height", NULL};
static const char *const SOURCE_FIELDS[] = {"type", "id", "session", "path", "image", "clear", NULL};
static const char *const OPTIONS_FIELDS[] = {"type", "id", "session", "options", NULL};
static const char *const OPTION_NAMES[] = {"many_faces", "face_mapping", "mapping_threshold", "enhancer",
					   "enhancer_blend", "mouth_mask", "opacity", "sharpness",
					   "color_correction", "detect_every", "pixel_boost", "occlusion_mask",
					   "swapper", NULL};
static const char *const PING_FIELDS[] = {"type", "id", NULL};
static const char *const HELLO_FIELDS[] = {"type", "id", "version", "token", "client", NULL};

static obs_data_t *answer(obs_data_t *m, struct session *sessions, int *next_session)
{
	const char *type = obs_data_get_string(m, "type");
	const char *bad;
	char text[300];
	if (strcmp(type, "ping") == 0) {
		if ((bad = unknown_field(m, PING_FIELDS)))
			goto unknown;
		return reply("pong", m);
	}
	if (strcmp(type, "open_session") == 0) {
		if ((bad = unknown_field(m, OPEN_FIELDS)))
			goto unknown;
		const char *channel = obs_data_get_string(m, "channel");
		if (!*channel || strlen(channel) >= DLF_NAME_MAX)
			return error_reply(m, "bad_request", "channel must be a channel name");
		for (int i = 0; i < MAX_SESSIONS; i++) {
			struct session *s = &sessions[i];
			if (s->running && atomic_load(&s->ended))
				stop_session(s);
			if (s->running)
				continue;
			memset(s, 0, sizeof(*s));
			snprintf(s->id, sizeof(s->id), "s%d", ++*next_session);
			snprintf(s->channel_name, sizeof(s->channel_name), "%s", channel);
			s->running = pthread_create(&s->thread, NULL, consume, s) == 0;
			obs_data_t *r = reply("session_opened", m);
			obs_data_set_string(r, "session", s->id);
			obs_data_set_string(r, "channel", channel);
			printf("stand-in: session %s on %s (%lldx%lld)\n", s->id, channel,
			       obs_data_get_int(m, "max_width"), obs_data_get_int(m, "max_height"));
			fflush(stdout);
			return r;
		}
		return error_reply(m, "limit", "too many sessions");
	}
	if (strcmp(type, "set_source_face") == 0 || strcmp(type, "set_options") == 0 ||
	    strcmp(type, "get_stats") == 0 || strcmp(type, "close_session") == 0) {
		bool face = strcmp(type, "set_source_face") == 0;
		bool options = strcmp(type, "set_options") == 0;
		if ((bad = unknown_field(m, face ? SOURCE_FIELDS : options ? OPTIONS_FIELDS : SESSION_ONLY)))
			goto unknown;
		struct session *s = find_session(sessions, m);
		if (!s)
			return error_reply(m, "not_found", "no open session on this connection");
		if (face) {
			if (obs_data_get_bool(m, "clear")) {
				atomic_store(&s->has_face, false);
				return reply("source_face_set", m);
			}
			const char *path = obs_data_get_string(m, "path");
			if (access(path, R_OK) != 0) {
				snprintf(text, sizeof(text), "cannot read the source image %s", path);
				return error_reply(m, "bad_image", text);
			}
			atomic_store(&s->has_face, true);
			printf("stand-in: source face %s\n", path);
			fflush(stdout);
			return reply("source_face_set", m);
		}
		if (options) {
			obs_data_t *o = obs_data_get_obj(m, "options");
			bad = o ? unknown_field(o, OPTION_NAMES) : "options";
			obs_data_release(o);
			if (bad)
				goto unknown;
			printf("stand-in: options set\n");
			fflush(stdout);
			return reply("options_set", m);
		}
		if (strcmp(type, "get_stats") == 0) {
			obs_data_t *r = reply("stats", m);
			obs_data_set_int(r, "frames", (long long)atomic_load(&s->frames));
			return r;
		}
		obs_data_t *r = reply("session_closed", m);
		obs_data_set_string(r, "session", s->id);
		printf("stand-in: session %s closed\n", s->id);
		fflush(stdout);
		stop_session(s);
		return r;
	}
	snprintf(text, sizeof(text), "unknown message type '%.64s'", type);
	return error_reply(m, "unknown_type", text);
unknown:
	snprintf(text, sizeof(text), "unknown field '%.64s'", bad);
	return error_reply(m, "bad_request", text);
}

static obs_data_t *read_message(int fd)
{
	uint8_t header[4];
	if (!read_full(fd, header, 4))
		return NULL;
	uint32_t len = ((uint32_t)header[0] << 24) | ((uint32_t)header[1] << 16) | ((uint32_t)header[2] << 8) |
		       header[3];
	if (len == 0 || len > (1u << 20))
		return NULL;
	char *json = malloc((size_t)len + 1);
	if (!json || !read_full(fd, json, len)) {
		free(json);
		return NULL;
	}
	json[len] = '\0';
	obs_data_t *m = obs_data_create_from_json(json);
	free(json);
	return m;
}

static void *serve_connection(void *arg)
{
	int fd = (int)(intptr_t)arg;
	struct session sessions[MAX_SESSIONS];
	memset(sessions, 0, sizeof(sessions));
	int next_session = 0;

	obs_data_t *hello = read_message(fd);
	bool welcome = hello && strcmp(obs_data_get_string(hello, "type"), "hello") == 0 &&
		       !unknown_field(hello, HELLO_FIELDS) && obs_data_get_int(hello, "version") == 1 &&
		       strcmp(obs_data_get_string(hello, "token"), config.token) == 0;
	if (hello) {
		obs_data_t *r = welcome ? reply("welcome", hello) : error_reply(hello, "auth", "bad token or version");
		if (welcome)
			obs_data_set_int(r, "version", 1);
		send_message(fd, r);
		obs_data_release(r);
		obs_data_release(hello);
	}
	while (welcome) {
		obs_data_t *m = read_message(fd);
		if (!m)
			break;
		obs_data_t *r = answer(m, sessions, &next_session);
		bool sent = send_message(fd, r);
		obs_data_release(r);
		obs_data_release(m);
		if (!sent)
			break;
	}
	/* The client is gone: its sessions end, as in the engine. */
	for (int i = 0; i < MAX_SESSIONS; i++)
		stop_session(&sessions[i]);
	close(fd);
	return NULL;
}

/* ---- startup ---- */

static bool write_token(const char *path)
{
	uint8_t raw[32];
	int r = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (r < 0 || !read_full(r, raw, sizeof(raw))) {
		if (r >= 0)
			close(r);
		return false;
	}
	close(r);
	for (int i = 0; i < 32; i++)
		snprintf(config.token + i * 2, 3, "%02x", raw[i]);
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		mkdir(dir, 0700);
	}
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return false;
	bool ok = write(fd, config.token, 64) == 64 && write(fd, "\n", 1) == 1;
	close(fd);
	return ok && rename(tmp, path) == 0;
}

static void on_term(int sig)
{
	(void)sig;
	_exit(0);
}

int main(int argc, char **argv)
{
	int port = 0;
	const char *token_file = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--port") == 0 && i + 1 < argc)
			port = atoi(argv[++i]);
		else if (strcmp(argv[i], "--rect") == 0 && i + 1 < argc)
			sscanf(argv[++i], "%u,%u,%u,%u", &config.rect_x, &config.rect_y, &config.rect_w, &config.rect_h);
		else if (strcmp(argv[i], "--noop") == 0)
			config.noop = true;
		else if (strcmp(argv[i], "--token-file") == 0 && i + 1 < argc)
			token_file = argv[++i];
		else if (strcmp(argv[i], "-jar") == 0 && i + 1 < argc)
			i++;
		else if (strcmp(argv[i], "--owner-pid") == 0 && i + 1 < argc)
			i++; /* the tests stop the stand-in themselves */
		else if (strcmp(argv[i], "serve") == 0)
			continue;
		else {
			fprintf(stderr, "usage: %s --port P [--rect x,y,w,h] [--noop] [--token-file F] [--owner-pid PID]\n", argv[0]);
			return 2;
		}
	}
	const char *rect = getenv("DLF_STAND_IN_RECT");
	if (config.rect_w == 0 && rect)
		sscanf(rect, "%u,%u,%u,%u", &config.rect_x, &config.rect_y, &config.rect_w, &config.rect_h);
	if (port <= 0 || port > 65535) {
		fprintf(stderr, "stand-in: --port is required\n");
		return 2;
	}
	char default_token[4096];
	if (!token_file) {
		const char *runtime = getenv("XDG_RUNTIME_DIR");
		if (runtime && *runtime)
			snprintf(default_token, sizeof(default_token), "%s/deep-live-face/token", runtime);
		else
			snprintf(default_token, sizeof(default_token), "%s/.config/deep-live-face/token", getenv("HOME"));
		token_file = default_token;
	}
	if (!write_token(token_file)) {
		fprintf(stderr, "stand-in: cannot write the token to %s\n", token_file);
		return 1;
	}
	signal(SIGTERM, on_term);
	signal(SIGPIPE, SIG_IGN);
	struct sigaction toggle = {.sa_handler = on_usr1};
	sigemptyset(&toggle.sa_mask);
	toggle.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &toggle, NULL);

	int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	if (bind(listener, (struct sockaddr *)&addr, sizeof(addr)) != 0 || listen(listener, 8) != 0) {
		fprintf(stderr, "stand-in: cannot listen on 127.0.0.1:%d: %s\n", port, strerror(errno));
		return 1;
	}
	printf("stand-in: listening on 127.0.0.1:%d, token in %s\n", port, token_file);
	fflush(stdout);
	for (;;) {
		int fd = accept(listener, NULL, NULL);
		if (fd < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		pthread_t t;
		if (pthread_create(&t, NULL, serve_connection, (void *)(intptr_t)fd) == 0)
			pthread_detach(t);
		else
			close(fd);
	}
}

/* A peer killed with SIGKILL never hangs the other side: a consumer killed mid-frame is noticed within a second and
 * its slot taken back while the producer keeps going; a restarted consumer attaches again; a killed producer is
 * noticed by the consumer, and its leftover channel is removed by the next create. */
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "consumer_loop.h"

enum { W = 64, H = 64 };

static void wait_for_byte(int fd)
{
	char byte;
	CHECK(read(fd, &byte, 1) == 1);
}

static void send_frame(dlf_channel *producer, uint32_t seed)
{
	dlf_frame frame;
	CHECK_STATUS(DLF_OK, dlf_producer_begin(producer, &frame, 0));
	fixture_fill(&frame, W, H, seed);
	CHECK_STATUS(DLF_OK, dlf_producer_submit(producer, &frame));
}

static void a_consumer_killed_mid_frame_is_evicted_within_a_second_and_a_new_one_attaches(void)
{
	dlf_channel *producer = fixture_producer(W, H);
	int ready[2];
	CHECK(pipe(ready) == 0);
	send_frame(producer, 1);
	pid_t child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		dlf_channel *consumer = NULL;
		dlf_frame frame;
		if (dlf_channel_attach(dlf_channel_name(producer), &consumer) != DLF_OK ||
		    dlf_consumer_acquire(consumer, &frame, 5000 * MS) != DLF_OK)
			_exit(1);
		CHECK(write(ready[1], "x", 1) == 1);
		for (;;)
			pause(); /* holding the slot PROCESSING until killed */
	}
	wait_for_byte(ready[0]);
	CHECK(dlf_producer_has_consumer(producer));
	uint32_t held = UINT32_MAX;
	for (uint32_t i = 0; i < dlf_channel_slot_count(producer); i++)
		if (fixture_state(producer, i) == DLF_SLOT_PROCESSING)
			held = i;
	CHECK(held != UINT32_MAX);

	CHECK(kill(child, SIGKILL) == 0); /* not reaped yet: the producer must not rely on the pid vanishing */
	uint64_t killed_at = dlf_now_ns();
	uint32_t seed = 2;
	while (dlf_producer_has_consumer(producer) || fixture_state(producer, held) != DLF_SLOT_FREE) {
		/* The producer carries on meanwhile, never blocking beyond its zero timeout. */
		uint64_t before = dlf_now_ns();
		dlf_frame frame;
		if (dlf_producer_begin(producer, &frame, 0) == DLF_OK) {
			fixture_fill(&frame, W, H, seed++);
			CHECK_STATUS(DLF_OK, dlf_producer_submit(producer, &frame));
		}
		CHECK(dlf_now_ns() - before < 250 * MS); /* wide: a loaded machine may preempt it */
		CHECK(dlf_now_ns() - killed_at < 3000 * MS); /* 5x the ~600 ms it takes: the 500 ms peer timeout, heartbeat, polling */
		usleep(5000);
	}
	fprintf(stderr, "dead consumer evicted after %llu ms\n",
		(unsigned long long)((dlf_now_ns() - killed_at) / MS));
	dlf_channel_stats stats;
	dlf_channel_stats_get(producer, &stats);
	CHECK(stats.evictions == 1);
	CHECK(waitpid(child, NULL, 0) == child);

	/* The engine restarts: a new consumer attaches to the same channel and frames flow again. */
	child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		struct consumer_report seen = run_consumer(dlf_channel_name(producer));
		_exit(seen.corrupted == 0 && seen.frames > 0 ? 0 : 1);
	}
	while (!dlf_producer_has_consumer(producer))
		usleep(1000);
	struct producer_report sent = run_producer(producer, W, H, 200);
	CHECK(sent.received > 0 && sent.corrupted == 0);
	dlf_channel_close(producer);
	int status;
	CHECK(waitpid(child, &status, 0) == child);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(ready[0]);
	close(ready[1]);
}

static void a_killed_producer_is_noticed_within_a_second_and_its_channel_removed_later(void)
{
	int pipefd[2];
	CHECK(pipe(pipefd) == 0);
	pid_t child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		dlf_channel *producer = fixture_producer(W, H);
		send_frame(producer, 1);
		CHECK(write(pipefd[1], dlf_channel_name(producer), DLF_NAME_MAX) == DLF_NAME_MAX);
		for (;;)
			pause();
	}
	char name[DLF_NAME_MAX];
	CHECK(read(pipefd[0], name, DLF_NAME_MAX) == DLF_NAME_MAX);
	dlf_channel *consumer = NULL;
	CHECK_STATUS(DLF_OK, dlf_channel_attach(name, &consumer));
	dlf_frame frame;
	CHECK_STATUS(DLF_OK, dlf_consumer_acquire(consumer, &frame, 1000 * MS));

	CHECK(kill(child, SIGKILL) == 0);
	uint64_t killed_at = dlf_now_ns();
	int status;
	do
		status = dlf_consumer_acquire(consumer, &frame, 100 * MS);
	while (status == DLF_E_TIMEOUT);
	CHECK_STATUS(DLF_E_PEER_GONE, status);
	CHECK(dlf_now_ns() - killed_at < 3000 * MS); /* 5x the ~600 ms it takes: the 500 ms peer timeout, heartbeat, polling */
	dlf_channel_close(consumer);

	/* The dead producer never unlinked its channel; once its pid is gone, the next create removes it. */
	CHECK(waitpid(child, NULL, 0) == child);
	char path[DLF_NAME_MAX + 16];
	snprintf(path, sizeof path, "/dev/shm%s", name);
	struct stat st;
	CHECK(stat(path, &st) == 0);
	dlf_channel *next = fixture_producer(W, H);
	CHECK(stat(path, &st) != 0);
	dlf_channel_close(next);
	close(pipefd[0]);
	close(pipefd[1]);
}

int main(void)
{
	a_consumer_killed_mid_frame_is_evicted_within_a_second_and_a_new_one_attaches();
	a_killed_producer_is_noticed_within_a_second_and_its_channel_removed_later();
	return 0;
}

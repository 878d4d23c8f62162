/* A producer and a consumer running at once, as threads and as separate processes: every frame arrives whole and
 * in order, and every processed frame comes back whole. */
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include "consumer_loop.h"

enum { W = 320, H = 180, FRAMES = 3000 };

static void *consumer_thread(void *arg)
{
	static struct consumer_report report;
	report = run_consumer(arg);
	return &report;
}

static void producer_and_consumer_threads_exchange_frames_untorn(void)
{
	dlf_channel *producer = fixture_producer(W, H);
	pthread_t thread;
	CHECK(pthread_create(&thread, NULL, consumer_thread, (void *)dlf_channel_name(producer)) == 0);
	while (!dlf_producer_has_consumer(producer))
		usleep(1000);
	struct producer_report sent = run_producer(producer, W, H, FRAMES);
	dlf_channel_close(producer);
	void *result;
	pthread_join(thread, &result);
	struct consumer_report *seen = result;

	CHECK(sent.corrupted == 0 && seen->corrupted == 0 && seen->out_of_order == 0);
	CHECK(sent.received + sent.dropped == FRAMES);
	CHECK(seen->frames == sent.received);
	CHECK(seen->end_status == DLF_E_PEER_GONE);
	fprintf(stderr, "threads: %llu received, %llu dropped\n", (unsigned long long)sent.received,
		(unsigned long long)sent.dropped);
}

static void producer_and_consumer_processes_exchange_frames_untorn(void)
{
	dlf_channel *producer = fixture_producer(W, H);
	pid_t child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		/* The child must not touch the parent's handle: its heartbeat thread does not exist here. */
		struct consumer_report seen = run_consumer(dlf_channel_name(producer));
		_exit(seen.corrupted == 0 && seen.out_of_order == 0 && seen.frames > 0 &&
			      seen.end_status == DLF_E_PEER_GONE
		      ? 0
		      : 1);
	}
	while (!dlf_producer_has_consumer(producer))
		usleep(1000);
	struct producer_report sent = run_producer(producer, W, H, FRAMES);
	dlf_channel_close(producer);
	int status;
	CHECK(waitpid(child, &status, 0) == child);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(sent.corrupted == 0 && sent.received + sent.dropped == FRAMES && sent.received > 0);
	fprintf(stderr, "processes: %llu received, %llu dropped\n", (unsigned long long)sent.received,
		(unsigned long long)sent.dropped);
}

int main(void)
{
	producer_and_consumer_threads_exchange_frames_untorn();
	producer_and_consumer_processes_exchange_frames_untorn();
	return 0;
}

/* dlf-test-producer: plays OBS's part of a frame channel so the engine can be tried and measured without OBS. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "dlf/frame_channel.h"
#include "options.h"
#include "ppm.h"

#define NS_PER_S 1000000000ull
#define VARIANTS 8 /* distinct source frames, so consecutive frames differ */

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

/* What one in-flight slot carries, to judge what comes back. */
struct in_flight {
	uint64_t sequence;
	uint64_t sent_at;
	uint64_t expected_checksum;
};

struct run {
	struct options options;
	dlf_channel *channel;
	uint32_t stride;
	uint8_t *variants[VARIANTS];
	uint64_t variant_checksums[VARIANTS];
	struct in_flight slots[DLF_MAX_SLOTS];
	uint64_t *latencies_ns;
	uint64_t received;
	uint64_t corrupted;
	uint64_t rejected;
	uint64_t skipped; /* begin found no slot */
	uint64_t write_failures;
};

/* Source frames: the moving test pattern, or the image tiled and shifted a little per variant. */
static const char *prepare_variants(struct run *run)
{
	struct bgra_image image = {0};
	if (run->options.image_path != NULL) {
		const char *error = ppm_read(run->options.image_path, &image);
		if (error != NULL)
			return error;
	}
	uint32_t w = run->options.width, h = run->options.height;
	for (int v = 0; v < VARIANTS; v++) {
		uint8_t *frame = malloc((size_t)run->stride * h);
		if (frame == NULL)
			return "out of memory";
		for (uint32_t y = 0; y < h; y++) {
			uint8_t *row = frame + (size_t)y * run->stride;
			for (uint32_t x = 0; x < w; x++) {
				uint8_t *px = row + (size_t)x * 4;
				if (image.pixels != NULL) {
					uint32_t sx = (x + (uint32_t)v * 8) % image.width, sy = y % image.height;
					memcpy(px, image.pixels + ((size_t)sy * image.width + sx) * 4, 4);
				} else {
					px[0] = (uint8_t)(x + (uint32_t)v * 16);
					px[1] = (uint8_t)(y + (uint32_t)v * 8);
					px[2] = (uint8_t)((x / 32 + y / 32) % 2 ? 220 : 40);
					px[3] = 255;
				}
			}
		}
		run->variants[v] = frame;
		run->variant_checksums[v] = dlf_frame_checksum(frame, w, h, run->stride, DLF_PIXEL_BGRA);
	}
	free(image.pixels);
	return NULL;
}

static void judge(struct run *run, const dlf_frame *frame)
{
	struct in_flight *sent = &run->slots[frame->slot];
	if (frame->sequence != sent->sequence) {
		run->corrupted++;
		return;
	}
	run->latencies_ns[run->received++] = now_ns() - sent->sent_at;
	if (frame->result == DLF_RESULT_REJECTED || frame->result == DLF_RESULT_FAILED) {
		run->rejected++;
		return;
	}
	uint64_t actual = 0;
	if (run->options.verify != VERIFY_NONE)
		actual = dlf_frame_checksum(frame->data, frame->width, frame->height, frame->stride, frame->format);
	if ((run->options.verify == VERIFY_IDENTITY && actual != sent->expected_checksum) ||
	    (run->options.verify == VERIFY_CHECKSUM && actual != frame->checksum))
		run->corrupted++;
	if (run->options.out_dir != NULL) {
		char path[4096];
		snprintf(path, sizeof path, "%s/frame-%06llu.ppm", run->options.out_dir,
			 (unsigned long long)frame->sequence);
		if (ppm_write(path, frame->data, frame->width, frame->height, frame->stride) != 0)
			run->write_failures++;
	}
}

/* Receives results until `deadline`; returns the status of the last receive. */
static int receive_until(struct run *run, uint64_t deadline)
{
	for (;;) {
		uint64_t now = now_ns();
		uint64_t left = deadline > now ? deadline - now : 0;
		dlf_frame frame;
		int status = dlf_producer_receive(run->channel, &frame, left);
		if (status != DLF_OK)
			return status;
		judge(run, &frame);
		dlf_producer_release(run->channel, &frame);
		if (left == 0)
			return status;
	}
}

static int send_frame(struct run *run, uint32_t index)
{
	dlf_frame frame;
	if (dlf_producer_begin(run->channel, &frame, 0) != DLF_OK) {
		run->skipped++;
		return -1;
	}
	uint64_t start = now_ns();
	int v = (int)(index % VARIANTS);
	memcpy(frame.data, run->variants[v], (size_t)run->stride * run->options.height);
	frame.width = run->options.width;
	frame.height = run->options.height;
	frame.stride = run->stride;
	frame.format = DLF_PIXEL_BGRA;
	frame.timestamp_ns = start;
	frame.checksum = run->variant_checksums[v];
	if (dlf_producer_submit(run->channel, &frame) != DLF_OK)
		return -1;
	run->slots[frame.slot] = (struct in_flight){frame.sequence, start, run->variant_checksums[v]};
	return 0;
}

/* Frames submitted whose results may still come: not received and not lost inside the channel. */
static uint64_t outstanding(struct run *run)
{
	dlf_channel_stats stats;
	dlf_channel_stats_get(run->channel, &stats);
	uint64_t lost = stats.dropped - run->skipped;
	return stats.submitted - stats.received - (lost < stats.submitted ? lost : stats.submitted);
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static double percentile_us(const uint64_t *sorted, uint64_t count, double p)
{
	if (count == 0)
		return 0;
	uint64_t rank = (uint64_t)(p * (double)(count - 1) + 0.5);
	return (double)sorted[rank] / 1000.0;
}

static int wait_for_engine(struct run *run)
{
	fprintf(stderr, "dlf-test-producer: waiting up to %u s for an engine to attach to %s\n",
		run->options.wait_seconds, dlf_channel_name(run->channel));
	uint64_t deadline = now_ns() + (uint64_t)run->options.wait_seconds * NS_PER_S;
	while (!dlf_producer_has_consumer(run->channel)) {
		if (now_ns() >= deadline)
			return -1;
		dlf_frame unused;
		/* An attach wakes this wait; it returns no frame since none was sent yet. */
		dlf_producer_receive(run->channel, &unused, 100 * 1000 * 1000);
	}
	return 0;
}

static int publish_name(const struct run *run)
{
	printf("%s\n", dlf_channel_name(run->channel));
	fflush(stdout);
	if (run->options.name_file == NULL)
		return 0;
	FILE *file = fopen(run->options.name_file, "w");
	if (file == NULL || fprintf(file, "%s\n", dlf_channel_name(run->channel)) < 0 || fclose(file) != 0) {
		fprintf(stderr, "dlf-test-producer: cannot write %s: %s\n", run->options.name_file, strerror(errno));
		return -1;
	}
	return 0;
}

static void print_report(struct run *run)
{
	qsort(run->latencies_ns, run->received, sizeof(uint64_t), compare_u64);
	uint64_t dropped = run->options.frames - (run->received < run->options.frames ? run->received : run->options.frames);
	printf("{\"frames\":%u,\"width\":%u,\"height\":%u,\"fps\":%u,\"received\":%llu,\"dropped\":%llu,"
	       "\"corrupted\":%llu,\"rejected\":%llu,\"p50_us\":%.1f,\"p99_us\":%.1f,\"max_us\":%.1f}\n",
	       run->options.frames, run->options.width, run->options.height, run->options.fps,
	       (unsigned long long)run->received, (unsigned long long)dropped, (unsigned long long)run->corrupted,
	       (unsigned long long)run->rejected, percentile_us(run->latencies_ns, run->received, 0.50),
	       percentile_us(run->latencies_ns, run->received, 0.99),
	       percentile_us(run->latencies_ns, run->received, 1.0));
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct run run = {0};
	int parsed = options_parse(argc, argv, &run.options);
	if (parsed != 0)
		return parsed == 2 ? 0 : 2;
	const struct options *o = &run.options;
	if (o->out_dir != NULL && mkdir(o->out_dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "dlf-test-producer: cannot create --out-dir %s: %s\n", o->out_dir, strerror(errno));
		return 2;
	}
	run.stride = o->width * 4;
	const char *error = prepare_variants(&run);
	if (error != NULL) {
		fprintf(stderr, "dlf-test-producer: %s: %s\n", o->image_path ? o->image_path : "frames", error);
		return 2;
	}
	run.latencies_ns = calloc(o->frames, sizeof(uint64_t));
	dlf_channel_params params = {.slot_count = o->slots, .max_frame_bytes = (uint64_t)run.stride * o->height};
	int status = run.latencies_ns ? dlf_channel_create(&params, &run.channel) : DLF_E_SYSTEM;
	if (status != DLF_OK) {
		fprintf(stderr, "dlf-test-producer: cannot create a channel: %s\n", dlf_status_message(status));
		return 2;
	}
	if (publish_name(&run) != 0) {
		dlf_channel_close(run.channel);
		return 2;
	}
	if (wait_for_engine(&run) != 0) {
		fprintf(stderr, "dlf-test-producer: no engine attached within %u s; start one with the channel name above\n",
			o->wait_seconds);
		dlf_channel_close(run.channel);
		return 2;
	}

	uint64_t period = o->fps ? NS_PER_S / o->fps : 0;
	uint64_t next = now_ns();
	for (uint32_t i = 0; i < o->frames; i++) {
		receive_until(&run, next); /* results that arrive before the next frame is due */
		if (send_frame(&run, i) == 0 && period == 0) {
			/* As fast as possible: the next frame goes once this one is back (or a second passed). */
			uint64_t before = run.received;
			uint64_t deadline = now_ns() + NS_PER_S;
			while (run.received == before && now_ns() < deadline && outstanding(&run) > 0)
				receive_until(&run, deadline > now_ns() + 10000000 ? now_ns() + 10000000 : deadline);
		}
		next = period ? next + period : now_ns();
	}
	/* Collect what is still in flight; give up after a second without progress. */
	uint64_t last_progress = now_ns();
	while (outstanding(&run) > 0 && now_ns() - last_progress < NS_PER_S) {
		uint64_t before = run.received;
		receive_until(&run, now_ns() + 100000000);
		if (run.received != before)
			last_progress = now_ns();
	}
	dlf_channel_close(run.channel);
	print_report(&run);
	if (run.write_failures > 0)
		fprintf(stderr, "dlf-test-producer: %llu frames could not be written to %s\n",
			(unsigned long long)run.write_failures, o->out_dir);
	for (int v = 0; v < VARIANTS; v++)
		free(run.variants[v]);
	free(run.latencies_ns);
	return run.corrupted == 0 && run.received > 0 && run.write_failures == 0 ? 0 : 1;
}

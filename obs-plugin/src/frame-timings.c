#include "frame-timings.h"

#include <stdlib.h>
#include <string.h>

#include <util/bmem.h>

void dlf_timings_init(struct dlf_timings *t)
{
	memset(t, 0, sizeof(*t));
	pthread_mutex_init(&t->lock, NULL);
}

void dlf_timings_free(struct dlf_timings *t)
{
	pthread_mutex_destroy(&t->lock);
}

void dlf_timings_reset(struct dlf_timings *t)
{
	pthread_mutex_lock(&t->lock);
	t->render.count = t->render.next = 0;
	t->latency.count = t->latency.next = 0;
	pthread_mutex_unlock(&t->lock);
}

static void ring_add(struct dlf_timing_ring *r, uint64_t ns)
{
	r->ns[r->next] = ns;
	r->next = (r->next + 1) % DLF_TIMING_SAMPLES;
	if (r->count < DLF_TIMING_SAMPLES)
		r->count++;
}

void dlf_timings_add_render(struct dlf_timings *t, uint64_t ns)
{
	pthread_mutex_lock(&t->lock);
	ring_add(&t->render, ns);
	pthread_mutex_unlock(&t->lock);
}

void dlf_timings_add_processed(struct dlf_timings *t, uint64_t latency_ns, uint64_t now_ns)
{
	pthread_mutex_lock(&t->lock);
	ring_add(&t->latency, latency_ns);
	if (now_ns - t->fps_window_start_ns >= 1000000000ull) {
		t->fps = t->fps_window_start_ns
				 ? (double)t->fps_window_frames * 1e9 / (double)(now_ns - t->fps_window_start_ns)
				 : 0.0;
		t->fps_window_start_ns = now_ns;
		t->fps_window_frames = 0;
	}
	t->fps_window_frames++;
	pthread_mutex_unlock(&t->lock);
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void summarize(const struct dlf_timing_ring *r, uint64_t *scratch, struct dlf_timing_summary *out)
{
	memset(out, 0, sizeof(*out));
	if (r->count == 0)
		return;
	memcpy(scratch, r->ns, r->count * sizeof(uint64_t));
	qsort(scratch, r->count, sizeof(uint64_t), compare_u64);
	double sum = 0;
	for (uint32_t i = 0; i < r->count; i++)
		sum += (double)scratch[i];
	out->samples = r->count;
	out->mean_us = sum / r->count / 1000.0;
	out->p50_us = (double)scratch[r->count / 2] / 1000.0;
	out->p99_us = (double)scratch[(uint32_t)((r->count - 1) * 0.99)] / 1000.0;
	out->max_us = (double)scratch[r->count - 1] / 1000.0;
}

void dlf_timings_summarize(struct dlf_timings *t, struct dlf_timing_summary *render, struct dlf_timing_summary *latency)
{
	uint64_t *scratch = bmalloc(DLF_TIMING_SAMPLES * sizeof(uint64_t));
	pthread_mutex_lock(&t->lock);
	summarize(&t->render, scratch, render);
	summarize(&t->latency, scratch, latency);
	pthread_mutex_unlock(&t->lock);
	bfree(scratch);
}

void dlf_timings_status(struct dlf_timings *t, double *fps, double *latency_ms, uint64_t now_ns)
{
	pthread_mutex_lock(&t->lock);
	/* No processed frame for two seconds: the rate is zero, whatever the last window said. */
	*fps = now_ns - t->fps_window_start_ns > 2000000000ull ? 0.0 : t->fps;
	uint64_t sum = 0;
	uint32_t n = t->latency.count < 30 ? t->latency.count : 30;
	for (uint32_t i = 0; i < n; i++)
		sum += t->latency.ns[(t->latency.next + DLF_TIMING_SAMPLES - 1 - i) % DLF_TIMING_SAMPLES];
	*latency_ms = n ? (double)sum / n / 1e6 : 0.0;
	pthread_mutex_unlock(&t->lock);
}

static double distance(double a, double b)
{
	return a > b ? a - b : b - a;
}

bool dlf_rates_moved(const struct dlf_shown_rates *shown, double fps, double latency_ms)
{
	double fps_moved = distance(fps, shown->fps);
	double latency_moved = distance(latency_ms, shown->latency_ms);
	return (fps_moved > 1.0 && fps_moved > 0.1 * shown->fps) ||
	       (latency_moved > 5.0 && latency_moved > 0.2 * shown->latency_ms);
}

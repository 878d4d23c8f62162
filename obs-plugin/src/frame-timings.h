/* Rolling samples of what the filter costs OBS's render thread and how old the frames it draws are.
 * The render thread adds; the UI thread (status line) and the bench harness (proc "get_timings") read. */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define DLF_TIMING_SAMPLES 4096

struct dlf_timing_ring {
	uint64_t ns[DLF_TIMING_SAMPLES];
	uint32_t count; /* valid samples, up to DLF_TIMING_SAMPLES */
	uint32_t next;
};

struct dlf_timings {
	pthread_mutex_t lock;
	struct dlf_timing_ring render;  /* duration of each video_render call */
	struct dlf_timing_ring latency; /* capture in video_render -> processed frame drawn */
	uint64_t fps_window_start_ns;
	uint64_t fps_window_frames;
	double fps; /* processed frames drawn per second, over the last full second */
};

struct dlf_timing_summary {
	uint32_t samples;
	double mean_us;
	double p50_us;
	double p99_us;
	double max_us;
};

void dlf_timings_init(struct dlf_timings *t);
void dlf_timings_free(struct dlf_timings *t);
void dlf_timings_reset(struct dlf_timings *t);
void dlf_timings_add_render(struct dlf_timings *t, uint64_t ns);
void dlf_timings_add_processed(struct dlf_timings *t, uint64_t latency_ns, uint64_t now_ns);
void dlf_timings_summarize(struct dlf_timings *t, struct dlf_timing_summary *render, struct dlf_timing_summary *latency);
/* fps over the last second and the latest latency mean (ms), for the status line. */
void dlf_timings_status(struct dlf_timings *t, double *fps, double *latency_ms, uint64_t now_ns);

/* The rates an open properties view shows. */
struct dlf_shown_rates {
	double fps;
	double latency_ms;
};
/* Whether the rates now differ from those shown enough to redraw the view: the fps by more than 1 and 10 %, or the
 * latency by more than 5 ms and 20 %. A redraw rebuilds every widget, so not for a change nobody would notice. */
bool dlf_rates_moved(const struct dlf_shown_rates *shown, double fps, double latency_ms);

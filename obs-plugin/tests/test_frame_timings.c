/* When an open properties view redraws its status line for the rates alone: for a change a person would notice in
 * the fps or in the latency, never for the jitter of every second. */
#include <stdio.h>

#include "frame-timings.h"
#include "obs-harness.h"

static bool moved(double shown_fps, double shown_latency, double fps, double latency)
{
	struct dlf_shown_rates shown = {shown_fps, shown_latency};
	return dlf_rates_moved(&shown, fps, latency);
}

int main(void)
{
	CHECK(!moved(30, 40, 30, 40), "the same rates: no redraw");
	CHECK(!moved(30, 40, 30.8, 43), "jitter: no redraw");
	CHECK(moved(30, 40, 20, 40), "the fps fell by a third: redraw");
	CHECK(moved(0.5, 0, 20, 40), "frames started to flow: redraw (the stale '0.5 fps' of issue 14.10)");
	CHECK(!moved(5, 40, 5.9, 40), "under 1 fps of change: no redraw, whatever the ratio");
	CHECK(moved(30, 40, 30, 90), "the latency alone more than doubled: redraw");
	CHECK(moved(30, 90, 30, 40), "and when it falls back: redraw");
	CHECK(!moved(30, 40, 30, 46), "6 ms on 40 (15 %): no redraw");
	CHECK(!moved(30, 2, 30, 6), "4 ms on 2 (200 %) is under 5 ms: no redraw");
	CHECK(moved(30, 0, 30, 35), "the first latency measured: redraw");
	printf("frame timings: the rates redraw the view only for noticeable changes\n");
	return 0;
}

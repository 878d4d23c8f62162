#!/usr/bin/env python3
"""Top Java heap allocation sites per live-pipeline stage thread, from a JFR recording.

JDK 17's `jfr` has no `view allocation-by-site` (that came in JDK 21), so this reads
`jfr print --json --events jdk.ObjectAllocationSample` and sums the samples' weights by thread
stage (the part of the thread name after the last '-': analysis, swap, composite, enhance, ...),
allocated class and allocation site (the innermost app.deeplive frame, plus the frame that
allocated when that is a library's). See java-engine/docs/performance.md for how to record.

Usage: jfr print --json --stack-depth 64 --events jdk.ObjectAllocationSample rec.jfr > rec.json
       python3 jfr_allocation_sites.py rec.json --frames 208 [--top 8] [--threads swap,composite]
"""
import argparse
import collections
import json
import sys

APP = "app/deeplive/"


def frame_name(frame):
    method = frame["method"]
    cls = method["type"]["name"].split("/")[-1]
    return "%s.%s:%s" % (cls, method["name"], frame.get("lineNumber", "?"))


def site_of(stack):
    frames = (stack or {}).get("frames") or []
    if not frames:
        return "(no stack)"
    top = frame_name(frames[0])
    for frame in frames:
        if frame["method"]["type"]["name"].startswith(APP):
            own = frame_name(frame)
            return own if frame is frames[0] else "%s <- %s" % (top, own)
    return top


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", help="output of jfr print --json --events jdk.ObjectAllocationSample")
    parser.add_argument("--frames", type=int, required=True,
                        help="frames the stages processed in the recording (warmup + frames of the bench)")
    parser.add_argument("--top", type=int, default=8, help="sites per stage (default 8)")
    parser.add_argument("--threads", default="analysis,swap,composite,enhance",
                        help="comma-separated stage thread suffixes (default analysis,swap,composite,enhance)")
    args = parser.parse_args()
    if args.frames < 1:
        sys.exit("--frames must be at least 1")
    stages = args.threads.split(",")
    with open(args.json) as f:
        events = json.load(f)["recording"]["events"]
    by_stage = collections.defaultdict(collections.Counter)
    for event in events:
        values = event["values"]
        thread = (values.get("eventThread") or {}).get("javaName") or ""
        stage = thread.rsplit("-", 1)[-1]
        if stage not in stages:
            continue
        cls = values["objectClass"]["name"].replace("/", ".")
        by_stage[stage][(cls, site_of(values.get("stackTrace")))] += values["weight"]
    for stage in stages:
        sites = by_stage.get(stage, collections.Counter())
        total = sum(sites.values())
        print("%s: ~%d bytes/frame sampled" % (stage, total // args.frames))
        for (cls, site), weight in sites.most_common(args.top):
            print("  %8d  %-40s %s" % (weight // args.frames, cls, site))


if __name__ == "__main__":
    main()

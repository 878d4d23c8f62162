package app.deeplive.engine.cli;

import app.deeplive.engine.channel.FrameResult;
import app.deeplive.engine.channel.LeasedFrameChannel;
import app.deeplive.engine.channel.ProducerChannel;
import app.deeplive.engine.live.ChannelIntake;
import app.deeplive.engine.live.LatencyHistogram;
import app.deeplive.engine.live.LiveFaceSwap;
import app.deeplive.engine.live.PipelineStats;
import app.deeplive.engine.live.StagedPipeline;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One run of {@code bench pipeline}: an in-process producer plays OBS on a real shared-memory frame channel (every
 * frame fully written into its slot, stamped, submitted; results received and released) while a {@link LiveFaceSwap}
 * consumes it. Latency is the producer's: submit → processed frame back.
 *
 * <p>The input is a camera: frames at a fixed rate, whether or not the pipeline keeps up (as OBS delivers them). With
 * no rate given, the warm-up runs closed-loop (a new frame as each comes back), then as long again to measure the
 * stages once started, and the measured part runs a camera at {@value #OUTPACE} × the ideal rate that showed, so the input always outpaces the pipeline, frames are
 * dropped at its entry, and the figures show its own throughput and latency, not the producer's pacing.
 */
final class PipelineBenchRun {
    private static final int SLOTS = 16;
    static final double OUTPACE = 2.0;

    /** What the run measured. */
    record Figures(long processed, long droppedAtEntry, long droppedByChannel, long wallNanos, double p50Millis,
            double p99Millis, PipelineStats pipeline, long detections, long trackedFrames, int admissionLimit,
            Map<String, Long> allocatedBytes, long facesSwapped, long framesSwapped, long recognitions, long detectorRuns,
            long detectorBusyNanos, double inputFps, long submitted, long noSlot, long returnedNotProcessed) {}

    private final int width;
    private final int height;
    private final ByteBuffer image;
    private double inputFps;

    PipelineBenchRun(int width, int height, ByteBuffer image, double inputFps) {
        this.width = width;
        this.height = height;
        this.image = image;
        this.inputFps = inputFps;
    }

    /**
     * @param pipelineOn builds the live pipeline on the intake it is given (not yet started)
     */
    Figures run(Function<ChannelIntake, LiveFaceSwap> pipelineOn, int warmup, int frames) {
        try (ProducerChannel producer = ProducerChannel.create(SLOTS, (long) width * height * 4);
                LeasedFrameChannel consumer = LeasedFrameChannel.attach(producer.name())) {
            LiveFaceSwap live = pipelineOn.apply(new ChannelIntake(consumer)).start();
            try {
                Loop loop = new Loop(producer, live.pipeline());
                loop.until(warmup);
                if (inputFps == 0) {
                    // The first frames carry the models' start-up (seconds on a GPU): judge the rate on later ones.
                    live.pipeline().resetStats();
                    loop.processed = 0;
                    loop.until(Math.max(8, warmup));
                    inputFps = Math.max(5, OUTPACE * live.pipeline().stats().idealFps());
                    loop.nextDue = System.nanoTime();
                }
                live.pipeline().resetStats();
                long detections = live.detections();
                long tracked = live.trackedFrames();
                long channelDrops = producer.stats().dropped();
                List<Thread> threads = live.pipeline().threads();
                long facesBefore = live.facesSwapped();
                long framesSwappedBefore = live.framesSwapped();
                long recognitionsBefore = live.recognitions();
                long detectorRuns = live.detectorRuns();
                long detectorBusy = live.detectorBusyNanos();
                long[] allocated = allocated(threads);
                loop.latency.reset();
                loop.processed = 0;
                loop.submitted = 0;
                loop.noSlot = 0;
                loop.notProcessed = 0;
                long start = System.nanoTime();
                loop.until(frames);
                long wall = System.nanoTime() - start;
                long[] allocatedAfter = allocated(threads);
                PipelineStats stats = live.pipeline().stats();
                Map<String, Long> perFrame = new LinkedHashMap<>();
                for (int i = 0; i < threads.size(); i++) {
                    String name = i == 0 ? "entry" : live.pipeline().stageNames().get(i - 1);
                    perFrame.put(name, (allocatedAfter[i] - allocated[i]) / Math.max(1, loop.processed));
                }
                return new Figures(loop.processed, stats.dropped(), producer.stats().dropped() - channelDrops, wall,
                        loop.latency.percentileNanos(50) / 1e6, loop.latency.percentileNanos(99) / 1e6, stats,
                        live.detections() - detections, live.trackedFrames() - tracked,
                        live.pipeline().admissionLimit(), perFrame, live.facesSwapped() - facesBefore,
                        live.framesSwapped() - framesSwappedBefore,
                        live.recognitions() - recognitionsBefore, live.detectorRuns() - detectorRuns, live.detectorBusyNanos() - detectorBusy, inputFps,
                        loop.submitted, loop.noSlot, loop.notProcessed);
            } finally {
                live.close();
            }
        }
    }

    private static long[] allocated(List<Thread> threads) {
        long[] out = new long[threads.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = AllocationCounter.threadBytes(threads.get(i));
        }
        return out;
    }

    /**
     * The producer's loop: paced at the input rate, or (as fast as the pipeline takes frames) keeping one frame more
     * outstanding than the pipeline lets in, so a fresh frame is always waiting at its entry without the producer
     * churning out frames that would only be dropped.
     */
    private final class Loop {
        final ProducerChannel producer;
        final StagedPipeline pipeline;
        final LatencyHistogram latency = new LatencyHistogram();
        long processed;
        /** Frames written and submitted; frames not sent because no slot was free; results other than PROCESSED. */
        long submitted;
        long noSlot;
        long notProcessed;
        int outstanding;
        long nextDue = System.nanoTime();

        Loop(ProducerChannel producer, StagedPipeline pipeline) {
            this.producer = producer;
            this.pipeline = pipeline;
        }

        void until(long processedFrames) {
            long period = inputFps > 0 ? (long) (1e9 / inputFps) : 0;
            while (processed < processedFrames) {
                long now = System.nanoTime();
                boolean due = inputFps > 0 ? now >= nextDue : outstanding < pipeline.admissionLimit() + 1;
                if (due) {
                    nextDue = Math.max(nextDue + period, now - period);
                    ProducerChannel.Slot slot = producer.begin(Duration.ZERO);
                    if (slot != null) {
                        slot.pixels().put(0, image, 0, image.capacity()); // OBS's copy of the frame
                        producer.submit(slot, width, height, width * 4, System.nanoTime(), 0);
                        outstanding++;
                        submitted++;
                    } else {
                        noSlot++; // a camera frame lost at the producer (the channel counts it as dropped too)
                    }
                    continue;
                }
                long wait = inputFps > 0 ? Math.max(0, nextDue - now) : 5_000_000;
                ProducerChannel.Returned r = producer.receive(Duration.ofNanos(Math.min(wait, 5_000_000)));
                if (r == null) {
                    continue;
                }
                if (r.result() == FrameResult.PROCESSED) {
                    processed++;
                    latency.record(System.nanoTime() - r.timestampNanos());
                } else {
                    notProcessed++; // back unchanged, skipped or failed: no output frame
                }
                producer.release(r);
                outstanding--;
            }
        }
    }
}

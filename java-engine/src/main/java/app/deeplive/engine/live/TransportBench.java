package app.deeplive.engine.live;

import app.deeplive.engine.channel.FrameChecksum;
import app.deeplive.engine.channel.FrameResult;
import app.deeplive.engine.channel.LeasedFrameChannel;
import app.deeplive.engine.channel.ProducerChannel;
import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.image.PixelFormat;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;

/**
 * Measures the frame channel and the consumer sessions run: a producer thread (as the OBS plugin) copies a frame into
 * a slot, a {@link StagedPipeline} over a {@link ChannelIntake} with the one {@link Passthrough} stage hands it back
 * (UNSWAPPED), the producer copies the result out. Latency runs
 * from the start of the copy in to the end of the copy out; the floor to compare with is two plain copies of one
 * frame, measured in the same run. Every returned frame is checked against its checksum (outside the timing).
 */
public final class TransportBench {
    private static final Duration WAIT = Duration.ofSeconds(2);
    private static final int WARMUP_FRAMES = 30;
    private static final int MEMCPY_ROUNDS = 50;

    /** The figures one run produces; latencies in microseconds. */
    public record Figures(int width, int height, int frames, long corrupted, long dropped, double p50Us,
            double p99Us, double maxUs, double memcpy2Us) {
        /** The aim: p99 within two double copies plus 200 µs. */
        public double targetP99Us() {
            return 2 * memcpy2Us + 200;
        }
    }

    private final int width;
    private final int height;
    private final int stride;
    private final int bytes;

    public TransportBench(int width, int height) {
        long size = (long) width * 4 * height;
        if (width <= 0 || height <= 0 || size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("frame size " + width + "x" + height + " out of range");
        }
        this.width = width;
        this.height = height;
        this.stride = width * 4;
        this.bytes = (int) size;
    }

    public Figures run(int frames) throws InterruptedException {
        ByteBuffer[] sources = {pattern(1), pattern(2)};
        long[] checksums = {checksum(sources[0]), checksum(sources[1])};
        ByteBuffer received = ByteBuffer.allocateDirect(bytes);
        double memcpy2Us = memcpy2Micros(sources[0], received);

        long[] latencies = new long[frames];
        int measured = 0;
        long corrupted = 0;
        long lost = 0;
        try (ProducerChannel producer = ProducerChannel.create(3, bytes);
                LeasedFrameChannel consumer = LeasedFrameChannel.attach(producer.name())) {
            StagedPipeline engine = StagedPipeline.builder("bench-transport", new ChannelIntake(consumer))
                    .stage(Passthrough.stage()).build().start();
            try {
                for (int i = -WARMUP_FRAMES; i < frames; i++) {
                    int variant = Math.floorMod(i, 2);
                    long start = System.nanoTime();
                    ProducerChannel.Slot slot = producer.begin(WAIT);
                    if (slot == null) {
                        lost++;
                        continue;
                    }
                    slot.pixels().put(0, sources[variant], 0, bytes);
                    long sequence = producer.submit(slot, width, height, stride, start, 0);
                    ProducerChannel.Returned back = receive(producer, sequence);
                    if (back == null) {
                        lost++;
                        continue;
                    }
                    received.put(0, back.view().pixels(), 0, bytes);
                    long end = System.nanoTime();
                    producer.release(back);
                    if (i < 0) {
                        continue;
                    }
                    latencies[measured++] = end - start;
                    if (checksum(received) != checksums[variant] || back.result() != FrameResult.UNSWAPPED) {
                        corrupted++;
                    }
                }
            } finally {
                engine.close(); // every lent frame goes back before the channel is released
            }
        }
        long[] sorted = Arrays.copyOf(latencies, measured);
        Arrays.sort(sorted);
        return new Figures(width, height, frames, corrupted, frames - measured, micros(percentile(sorted, 0.50)),
                micros(percentile(sorted, 0.99)), micros(measured == 0 ? 0 : sorted[measured - 1]), memcpy2Us);
    }

    /** The result for {@code sequence}; anything older that turns up late is released and skipped. */
    private static ProducerChannel.Returned receive(ProducerChannel producer, long sequence) {
        for (;;) {
            ProducerChannel.Returned back = producer.receive(WAIT);
            if (back == null || back.sequence() == sequence) {
                return back;
            }
            producer.release(back);
        }
    }

    /** Median time of copying a frame twice (in and out, as the transport does), in microseconds. */
    private double memcpy2Micros(ByteBuffer source, ByteBuffer target) {
        ByteBuffer middle = ByteBuffer.allocateDirect(bytes);
        long[] times = new long[MEMCPY_ROUNDS];
        for (int round = -5; round < MEMCPY_ROUNDS; round++) {
            long start = System.nanoTime();
            middle.put(0, source, 0, bytes);
            target.put(0, middle, 0, bytes);
            long time = System.nanoTime() - start;
            if (round >= 0) {
                times[round] = time;
            }
        }
        Arrays.sort(times);
        return micros(percentile(times, 0.50));
    }

    private ByteBuffer pattern(int seed) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes);
        long value = 0x9e3779b97f4a7c15L * seed;
        for (int i = 0; i + 8 <= bytes; i += 8) {
            value ^= value << 13;
            value ^= value >>> 7;
            value ^= value << 17;
            buffer.putLong(i, value);
        }
        return buffer;
    }

    private long checksum(ByteBuffer pixels) {
        try (FrameView view = FrameView.wrap(pixels, width, height, stride, PixelFormat.BGRA)) {
            return FrameChecksum.of(view);
        }
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.round(p * (sorted.length - 1))];
    }

    private static double micros(long nanos) {
        return Math.round(nanos / 100.0) / 10.0;
    }
}

package app.deeplive.engine.models;

import java.io.PrintStream;
import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bars on stderr, in MiB; {@link #forTerminal()} stays quiet when stderr is not a terminal (CI logs). */
public final class ConsoleProgress implements Progress {
    private static final long MIB = 1 << 20;

    private final PrintStream out;

    public ConsoleProgress(PrintStream out) {
        this.out = out;
    }

    public static Progress forTerminal() {
        return System.console() != null ? new ConsoleProgress(System.err) : Progress.NONE;
    }

    @Override
    public Bar start(String label, long total, long initial) {
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(label)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit("MiB", MIB)
                .showSpeed()
                .setConsumer(new ConsoleProgressBarConsumer(out))
                .startsFrom(initial, Duration.ZERO)
                .build();
        return new Bar() {
            @Override
            public void step(long bytes) {
                bar.stepBy(bytes);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }
}

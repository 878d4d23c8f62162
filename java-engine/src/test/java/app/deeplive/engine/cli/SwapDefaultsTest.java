package app.deeplive.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import app.deeplive.engine.SettingRange;
import app.deeplive.engine.blend.BlendOptions;
import app.deeplive.engine.pipeline.SwapSettings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** An option left out on the command line means what a live session means when set_options leaves it out. */
class SwapDefaultsTest {
    @Test
    void swapsOptionsLeftOutAreTheLiveSessionsDefaults() {
        SwapCommand swap = new SwapCommand();
        new CommandLine(swap).parseArgs("--source", "a.jpg", "--target", "b.jpg", "--output", "c.jpg");
        BlendOptions blend = SwapSettings.DEFAULT.blend();
        assertEquals(blend.opacity(), swap.opacity);
        assertEquals(blend.sharpness(), swap.sharpness);
        assertEquals(blend.mouthMask(), swap.mouthMask);
        assertEquals(SwapSettings.DEFAULT.pixelBoost(), swap.pixelBoost);
    }

    @Test
    void thePipelineBenchRunsALiveSessionsDefaults() {
        PipelineBenchCommand bench = new PipelineBenchCommand();
        new CommandLine(bench).parseArgs();
        assertEquals(SwapSettings.DEFAULT.detectEveryK(), bench.detectEvery);
        assertEquals(SwapSettings.DEFAULT.pixelBoost(), bench.pixelBoost);
    }

    @Test
    void swapsHelpShowsTheRangesTheEngineChecks() {
        var options = new CommandLine(new SwapCommand()).getCommandSpec();
        assertEquals(label(BlendOptions.OPACITY), options.findOption("--opacity").paramLabel());
        assertEquals(label(BlendOptions.SHARPNESS), options.findOption("--sharpness").paramLabel());
        assertEquals(label(BlendOptions.MOUTH_MASK), options.findOption("--mouth-mask").paramLabel());
    }

    private static String label(SettingRange range) {
        return SettingRange.plain(range.min()) + ".." + SettingRange.plain(range.max());
    }
}

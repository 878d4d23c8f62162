package app.deeplive.engine.cli;

import app.deeplive.engine.SettingRange;
import app.deeplive.engine.blend.BlendOptions;
import app.deeplive.engine.pipeline.SwapSettings;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The defaults of the swap options the commands share with a live session, taken from {@link SwapSettings#DEFAULT}
 * so the command line and set_options cannot drift apart; help shows them through {@code ${DEFAULT-VALUE}}.
 */
final class SwapDefaults implements IDefaultValueProvider {
    private static final BlendOptions BLEND = SwapSettings.DEFAULT.blend();
    private static final Map<String, String> BY_OPTION = Map.of(
            "--opacity", SettingRange.plain(BLEND.opacity()),
            "--sharpness", SettingRange.plain(BLEND.sharpness()),
            "--mouth-mask", Integer.toString(BLEND.mouthMask()),
            "--pixel-boost", Integer.toString(SwapSettings.DEFAULT.pixelBoost()),
            "--detect-every", Integer.toString(SwapSettings.DEFAULT.detectEveryK()));

    @Override
    public String defaultValue(ArgSpec arg) {
        return arg instanceof OptionSpec option ? BY_OPTION.get(option.longestName()) : null;
    }
}

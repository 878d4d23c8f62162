package app.deeplive.engine.session;

import app.deeplive.engine.pipeline.SwapSettings;

/**
 * A session's settings as the swap pipeline takes them, converted only when the session's snapshot changes, so a
 * steady stream allocates nothing for it. Used by one thread (the one that reads the settings for each frame).
 */
final class SwapSettingsCache {
    private SessionSettings converted;
    private SwapSettings swapSettings;

    SwapSettings of(SessionSettings settings) {
        if (settings != converted) {
            swapSettings = SwapFramePipeline.convert(settings);
            converted = settings;
        }
        return swapSettings;
    }
}

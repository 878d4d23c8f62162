package app.deeplive.engine.session;

import app.deeplive.engine.blend.BlendOptions;
import app.deeplive.engine.enhance.EnhancerKind;
import app.deeplive.engine.pipeline.SwapSettings;
import app.deeplive.engine.swap.Identity;
import java.util.ArrayList;
import java.util.List;

/**
 * A session's settings as the swap pipeline takes them, converted only when the session's snapshot changes, so a
 * steady stream allocates nothing for it. Used by one thread (the one that reads the settings for each frame).
 */
final class SwapSettingsCache {
    private SessionSettings converted;
    private SwapSettings swapSettings;

    SwapSettings of(SessionSettings settings) {
        if (settings != converted) {
            swapSettings = convert(settings);
            converted = settings;
        }
        return swapSettings;
    }

    static SwapSettings convert(SessionSettings s) {
        SessionOptions o = s.options();
        List<app.deeplive.engine.pipeline.FaceMapping> mappings = new ArrayList<>();
        for (FaceMapping m : o.faceMapping()) {
            mappings.add(new app.deeplive.engine.pipeline.FaceMapping(identity(m.reference()), identity(m.source())));
        }
        BlendOptions blend = new BlendOptions(o.opacity(), o.sharpness(), o.colorCorrection(),
                (int) Math.round(o.mouthMask()));
        return new SwapSettings(s.sourceFace() == null ? null : identity(s.sourceFace()), o.manyFaces(), mappings,
                o.mappingThreshold(), enhancer(o.enhancer()), o.enhancerBlend(), blend, o.detectEvery());
    }

    private static Identity identity(SourceFace face) {
        float[] e = new float[face.embeddingSize()];
        face.embedding().get(e);
        return new Identity(e);
    }

    static EnhancerKind enhancer(Enhancer e) {
        return switch (e) {
            case OFF -> null;
            case GFPGAN -> EnhancerKind.GFPGAN;
            case GPEN256 -> EnhancerKind.GPEN256;
            case GPEN512 -> EnhancerKind.GPEN512;
        };
    }
}

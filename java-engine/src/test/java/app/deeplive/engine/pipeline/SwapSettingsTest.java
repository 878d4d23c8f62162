package app.deeplive.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.SettingRange;
import app.deeplive.engine.blend.BlendOptions;
import app.deeplive.engine.enhance.EnhancerKind;
import app.deeplive.engine.swap.PixelBoost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The one swap-settings type: each range is checked where it is defined, a live session starts from the documented
 * defaults, the enhancer's protocol names round-trip, and the OBS plugin never sends a value the engine refuses.
 */
class SwapSettingsTest {
    @Test
    void rangesAreCheckedWhereTheyAreDefined() {
        BlendOptions full = BlendOptions.DEFAULT.withOpacity(0.5).withMouthMask(100).withSharpness(10);
        assertEquals(0.5, SwapSettings.DEFAULT.withBlend(full).withDetectEveryK(60).blend().opacity());
        assertThrows(IllegalArgumentException.class, () -> BlendOptions.DEFAULT.withOpacity(1.01));
        assertThrows(IllegalArgumentException.class, () -> BlendOptions.DEFAULT.withOpacity(-0.01));
        assertThrows(IllegalArgumentException.class, () -> BlendOptions.DEFAULT.withOpacity(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> BlendOptions.DEFAULT.withMouthMask(101));
        assertThrows(IllegalArgumentException.class, () -> BlendOptions.DEFAULT.withSharpness(10.1));
        assertThrows(IllegalArgumentException.class, () -> SwapSettings.DEFAULT.withDetectEveryK(0));
        assertThrows(IllegalArgumentException.class, () -> SwapSettings.DEFAULT.withDetectEveryK(61));
        assertThrows(IllegalArgumentException.class, () -> SwapSettings.DEFAULT.withMappingThreshold(1.5));
    }

    @Test
    void aLiveSessionStartsWithNobodyToSwapInTheLargestFaceAndTheDetectorOnEveryFifthFrame() {
        SwapSettings d = SwapSettings.DEFAULT;
        assertTrue(!d.swapsAnything() && !d.manyFaces() && d.mappings().isEmpty());
        assertEquals(0.35, d.mappingThreshold());
        assertNull(d.enhancer());
        assertEquals(BlendOptions.DEFAULT, d.blend());
        assertEquals(5, d.detectEveryK());
    }

    @Test
    void enhancerNamesRoundTripAndUnknownOnesSayWhatIsAccepted() {
        assertNull(EnhancerKind.fromWire("off"));
        assertEquals("off", EnhancerKind.wireName(null));
        for (EnhancerKind k : EnhancerKind.values()) {
            assertEquals(k, EnhancerKind.fromWire(EnhancerKind.wireName(k)));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EnhancerKind.fromWire("GFPGAN"));
        assertEquals("enhancer must be one of off, gfpgan, gpen256, gpen512, got 'GFPGAN'", e.getMessage());
    }

    /** The plugin sends at most as many mapped people and photos of one person as the engine takes. */
    @Test
    void theObsPluginsListLimitsAreTheEngines() throws IOException {
        String h = Files.readString(pluginSettings().resolveSibling("filter-settings.h"));
        assertEquals(SwapSettings.MAX_MAPPINGS, define(h, "DLF_MAX_MAPPINGS"));
        assertEquals(SwapSettings.MAX_PHOTOS_PER_PERSON, define(h, "DLF_MAX_PHOTOS_PER_PERSON"));
    }

    private static int define(String source, String name) {
        Matcher m = Pattern.compile("#define " + name + " (\\d+)").matcher(source);
        assertTrue(m.find(), "no " + name + " in filter-settings.h");
        return Integer.parseInt(m.group(1));
    }

    /** The plugin's pixel boost list and its default are sizes the engine accepts. */
    @Test
    void theObsPluginsPixelBoostSizesAreTheEngines() throws IOException {
        String c = Files.readString(pluginSettings());
        Matcher off = Pattern.compile("#define PIXEL_BOOST_OFF (\\d+)").matcher(c);
        assertTrue(off.find(), "no PIXEL_BOOST_OFF in filter-settings.c");
        assertEquals(SwapSettings.NO_PIXEL_BOOST, Integer.parseInt(off.group(1)));
        Matcher item = Pattern.compile("obs_property_list_add_int\\(boost, [^,]+, (\\w+)\\)").matcher(c);
        List<Integer> offered = new ArrayList<>();
        while (item.find()) {
            offered.add(item.group(1).equals("PIXEL_BOOST_OFF") ? SwapSettings.NO_PIXEL_BOOST
                    : Integer.parseInt(item.group(1)));
        }
        assertEquals(PixelBoost.SIZES, offered);
        assertEquals(128, SwapSettings.DEFAULT.pixelBoost(), "a live session starts with pixel boost off");
        assertThrows(IllegalArgumentException.class, () -> SwapSettings.DEFAULT.withPixelBoost(384));
    }

    /** The plugin offers the engine's own swapper ("") and exactly the manifest's swap models, in its order. */
    @Test
    void theObsPluginsSwappersAreTheManifestsSwapModels() throws IOException {
        Matcher list = Pattern.compile("SWAPPER_MODELS\\[\\] = \\{([^}]*)\\}").matcher(Files.readString(pluginSettings()));
        assertTrue(list.find(), "no SWAPPER_MODELS in filter-settings.c");
        List<String> offered = new ArrayList<>();
        Matcher name = Pattern.compile("\"([^\"]*)\"").matcher(list.group(1));
        while (name.find()) {
            offered.add(name.group(1));
        }
        List<String> expected = new ArrayList<>(List.of(""));
        expected.addAll(app.deeplive.engine.models.ModelFiles.manifest().namesOf(app.deeplive.engine.models.Stage.SWAP));
        assertEquals(expected, offered);
        assertEquals(null, SwapSettings.DEFAULT.swapper(), "a live session starts with the engine's own swapper");
    }

    /**
     * The plugin clamps each number it sends (obs-plugin/src/filter-settings.c); a clamp wider than the engine's
     * range would have set_options refused, so every clamp must lie inside the range defined here. (The plugin may
     * offer less: its sharpness slider stops at 1 where the engine, for {@code swap --sharpness}, takes up to 10.)
     */
    @Test
    void theObsPluginsClampsLieInsideTheEnginesRanges() throws IOException {
        Path source = pluginSettings();
        String c = Files.readString(source);
        Map<String, SettingRange> ranges = Map.of("opacity", BlendOptions.OPACITY, "sharpness", BlendOptions.SHARPNESS,
                "mouth_mask", BlendOptions.MOUTH_MASK);
        for (SettingRange range : ranges.values()) {
            Matcher m = Pattern.compile("\"" + range.name() + "\",[^;]*clamp\\([^;]*,\\s*([0-9.]+),\\s*([0-9.]+)\\)")
                    .matcher(c);
            assertTrue(m.find(), "no clamp for " + range.name() + " in " + source);
            double lo = Double.parseDouble(m.group(1));
            double hi = Double.parseDouble(m.group(2));
            assertTrue(range.contains(lo) && range.contains(hi),
                    "the plugin clamps " + range.name() + " to " + lo + ".." + hi + ", outside the engine's " + range);
        }
    }

    private static Path pluginSettings() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("obs-plugin/src/filter-settings.c");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("obs-plugin/src/filter-settings.c not found above " + Path.of("").toAbsolutePath());
    }
}

package app.deeplive.engine.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.UserFacingException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ModelManifestTest {
    private static final String SHA = "a".repeat(64);

    /** A valid manifest with one direct model; {@code extra} is spliced into that model's object. */
    private static String manifest(String extra) {
        return """
                {"version": 1, "models": [
                  {"name": "swapper", "file": "swapper.onnx", "stage": "swap", "size": 10, "sha256": "%s",
                   "urls": ["https://example.org/swapper.onnx"],
                   "licence": {"short": "non-commercial", "text": "research only"}%s}
                ]}""".formatted(SHA, extra);
    }

    private static String errorOf(String json) {
        return assertThrows(UserFacingException.class, () -> ModelManifest.parse(json, "test.json")).getMessage();
    }

    @Test
    void theBundledManifestListsEveryProductionModelWithItsStage() {
        ModelManifest m = ModelManifest.bundled();

        Map<String, Stage> stages = m.models().stream().collect(Collectors.toMap(ModelEntry::name, ModelEntry::stage));
        assertEquals(Map.ofEntries(
                Map.entry("det_10g", Stage.DETECT), Map.entry("w600k_r50", Stage.RECOGNIZE),
                Map.entry("2d106det", Stage.LANDMARKS), Map.entry("inswapper_128", Stage.SWAP),
                Map.entry("inswapper_128_fp16", Stage.SWAP), Map.entry("GFPGANv1.4", Stage.ENHANCE),
                Map.entry("GPEN-BFR-256", Stage.ENHANCE), Map.entry("GPEN-BFR-512", Stage.ENHANCE),
                Map.entry("xseg_1", Stage.OCCLUDE), Map.entry("xseg_2", Stage.OCCLUDE), Map.entry("xseg_3", Stage.OCCLUDE),
                Map.entry("hyperswap_1a_256", Stage.SWAP), Map.entry("hyperswap_1b_256", Stage.SWAP),
                Map.entry("hyperswap_1c_256", Stage.SWAP)), stages);
    }

    /** Only HyperSwap's licence forbids this product's use, and it says why. */
    @Test
    void theHyperSwapModelsAreListedWithALicenceThatForbidsOurUse() {
        for (ModelEntry e : ModelManifest.bundled().models()) {
            boolean hyperswap = e.name().startsWith("hyperswap_");
            assertEquals(!hyperswap, e.licence().permitsUse(), e.name());
            if (hyperswap) {
                assertEquals("ResearchRAIL-MS", e.licence().shortName());
                assertEquals(64, e.sha256().length(), e.name() + " has its hash pinned");
                assertEquals(Integer.valueOf(256), e.inputSize());
            }
        }
    }

    @Test
    void theBundledManifestTakesTheBuffaloModelsFromOneZip() {
        ModelManifest m = ModelManifest.bundled();

        assertEquals(List.of("det_10g", "w600k_r50", "2d106det"),
                m.membersOf("buffalo_l").stream().map(ModelEntry::name).toList());
        Archive zip = m.archive("buffalo_l");
        assertEquals("80ffe37d8a5940d59a7384c201a2a38d4741f2f3c51eef46ebb28218a7b0ca2f", zip.sha256());
        assertEquals("https://github.com/deepinsight/insightface/releases/download/v0.7/buffalo_l.zip",
                zip.urls().get(0).toString());
    }

    @Test
    void everyBundledHashHasASourceAndTheSwapperAndEnhancersTheirInputSize() {
        for (ModelEntry e : ModelManifest.bundled().models()) {
            if (e.sha256() != null) {
                assertNotNull(e.hashSource(), e.name());
            }
            assertNotNull(e.licence().text(), e.name());
            if (e.stage() == Stage.SWAP || e.stage() == Stage.ENHANCE) {
                assertNotNull(e.inputSize(), e.name());
            }
        }
        assertEquals(128, ModelManifest.bundled().require("inswapper_128").inputSize());
        assertEquals(512, ModelManifest.bundled().require("GFPGANv1.4").inputSize());
        assertEquals(256, ModelManifest.bundled().require("GPEN-BFR-256").inputSize());
    }

    @Test
    void theKnownHashesFromThePipelineReferenceArePinned() {
        ModelManifest m = ModelManifest.bundled();
        assertEquals("5838f7fe053675b1c7a08b633df49e7af5495cee0493c7dcf6697200b85b5b91", m.require("det_10g").sha256());
        assertEquals(16_923_827L, m.require("det_10g").size());
        assertEquals("4c06341c33c2ca1f86781dab0e829f88ad5b64be9fba56e56bc9ebdefc619e43", m.require("w600k_r50").sha256());
        assertEquals("6d51a9278a1f650cffefc18ba53f38bf2769bf4bbff89267822cf72945f8a38b",
                m.require("inswapper_128_fp16").sha256());
    }

    @Test
    void unknownFieldsAreTolerated() {
        ModelManifest m = ModelManifest.parse(manifest(", \"quantisation\": \"int8\", \"notes\": {\"a\": 1}"), "t");

        assertEquals("swapper.onnx", m.require("swapper").file());
    }

    @Test
    void aMissingRequiredFieldIsNamedWithItsModel() {
        String json = manifest("").replace("\"file\": \"swapper.onnx\", ", "");

        assertEquals("model manifest test.json: models[0] (\"swapper\"): missing required field \"file\"",
                errorOf(json));
    }

    @Test
    void aMalformedSha256IsRejected() {
        String msg = errorOf(manifest("").replace(SHA, "ABC"));

        assertTrue(msg.contains("\"sha256\" must be 64 lower-case hex digits or null"), msg);
    }

    @Test
    void duplicateModelNamesAreRejected() {
        String one = manifest("");
        String model = one.substring(one.indexOf('{', 2), one.lastIndexOf('}', one.lastIndexOf(']')) + 1);
        String two = one.replace(model, model + ",\n" + model.replace("swapper.onnx", "other.onnx"));

        assertTrue(errorOf(two).contains("duplicate model name \"swapper\""), errorOf(two));
    }

    @Test
    void anUnknownStageIsRejected() {
        assertTrue(errorOf(manifest("").replace("\"swap\"", "\"paint\"")).contains("unknown stage \"paint\""));
    }

    @Test
    void aFileNameMayNotLeaveTheModelDirectory() {
        String msg = errorOf(manifest("").replace("\"swapper.onnx\"", "\"../swapper.onnx\""));

        assertTrue(msg.contains("must be a plain file name"), msg);
    }

    @Test
    void aModelWithoutUrlsOrArchiveIsRejected() {
        String msg = errorOf(manifest("").replace("\"urls\": [\"https://example.org/swapper.onnx\"],", ""));

        assertTrue(msg.contains("missing required field \"urls\""), msg);
    }

    @Test
    void onlyHttpUrlsAreAccepted() {
        String msg = errorOf(manifest("").replace("https://example.org", "file:///etc"));

        assertTrue(msg.contains("must be http(s) with a host"), msg);
    }

    @Test
    void anArchiveMustBeDeclared() {
        String msg = errorOf(manifest(", \"archive\": {\"name\": \"pack\", \"member\": \"swapper.onnx\"}"));

        assertTrue(msg.contains("archive \"pack\" is not listed under \"archives\""), msg);
    }

    @Test
    void brokenJsonIsAOneLineError() {
        String msg = errorOf("{\"version\": 1, \"models\": [");

        assertTrue(msg.startsWith("model manifest test.json is not valid JSON"), msg);
        assertEquals(-1, msg.indexOf('\n'), msg);
    }

    @Test
    void anUnknownModelNameListsTheKnownOnes() {
        ModelManifest m = ModelManifest.parse(manifest(""), "t");

        String msg = assertThrows(UserFacingException.class, () -> m.require("nope")).getMessage();
        assertEquals("unknown model 'nope'; known models: swapper", msg);
    }
}

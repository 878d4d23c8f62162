package app.deeplive.engine.live;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import app.deeplive.engine.onnx.LoadedModel;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.onnx.OrtSessions;
import app.deeplive.engine.testing.SyntheticModels;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The benchmark's stand-ins have the production I/O, a dynamic batch, and the compute they were asked for. */
class CostMatchedModelsTest {

    @Test
    void theStandInsHaveProductionIoAndTheRequestedCost() throws Exception {
        SyntheticModels.requireGenerator();
        Path dir = CostMatchedModels.generate(CostMatchedModels.projectDir(), 0.02);
        JsonNode cost = new ObjectMapper().readTree(dir.resolve(CostMatchedModels.REPORT).toFile());
        JsonNode swap = cost.get(CostMatchedModels.SWAPPER);
        assertEquals(174.7 * 0.02, swap.get("target_gflops_per_face").asDouble(), 1e-3);
        assertEquals(1.0, swap.get("graph_gflops_per_face").asDouble() / swap.get("target_gflops_per_face").asDouble(),
                0.05, "swapper cost within 5 % of the target");
        JsonNode enhance = cost.get(CostMatchedModels.ENHANCER);
        assertEquals(1.0, enhance.get("graph_gflops_per_face").asDouble()
                / enhance.get("target_gflops_per_face").asDouble(), 0.05, "enhancer cost within 5 % of the target");

        try (LoadedModel swapper = OrtSessions.open(dir.resolve(CostMatchedModels.SWAPPER), OrtConfig.cpu());
                LoadedModel enhancer = OrtSessions.open(dir.resolve(CostMatchedModels.ENHANCER), OrtConfig.cpu())) {
            assertEquals("target", swapper.inputs().get(0).name());
            assertArrayEquals(new long[] {-1, 3, 128, 128}, swapper.inputs().get(0).shape(), "dynamic batch");
            assertEquals("source", swapper.inputs().get(1).name());
            assertArrayEquals(new long[] {-1, 512}, swapper.inputs().get(1).shape());
            assertArrayEquals(new long[] {-1, 3, 128, 128}, swapper.outputs().get(0).shape());
            assertArrayEquals(new long[] {-1, 3, 256, 256}, enhancer.inputs().get(0).shape());
            assertArrayEquals(new long[] {-1, 3, 256, 256}, enhancer.outputs().get(0).shape());
        }
    }
}

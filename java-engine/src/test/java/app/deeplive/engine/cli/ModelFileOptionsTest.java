package app.deeplive.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import app.deeplive.engine.models.ModelEntry;
import app.deeplive.engine.models.ModelFiles;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The option a hint names for passing one's own model file exists, in serve and in swap, for every model. */
class ModelFileOptionsTest {
    @Test
    void everyProductionModelsHintNamesAnOptionOfServeAndSwap() {
        CommandLine main = Main.commandLine();
        for (ModelEntry m : ModelFiles.manifest().models()) {
            String option = m.fileOption().split(" ")[0];
            for (String command : new String[] {"serve", "swap"}) {
                assertNotNull(main.getSubcommands().get(command).getCommandSpec().findOption(option),
                        command + " lacks " + option + ", which the hint for " + m.name() + " names");
            }
        }
    }

    @Test
    void anEnhancersHintNamesItsKind() {
        assertEquals("--enhancer-model gfpgan=FILE", ModelFiles.manifest().require("GFPGANv1.4").fileOption());
        assertEquals("--enhancer-model gpen512=FILE", ModelFiles.manifest().require("GPEN-BFR-512").fileOption());
        assertEquals("--landmarks FILE", ModelFiles.manifest().require("2d106det").fileOption());
    }

    @Test
    void anEnhancerModelIsKindEqualsFileOrAFileWhoseNameMayHoldAnEqualsSign() {
        assertEquals(new EnhancerModelArg(app.deeplive.engine.enhance.EnhancerKind.GPEN256, java.nio.file.Path.of("/m/g.onnx")),
                EnhancerModelArg.parse("gpen256=/m/g.onnx"));
        assertEquals(new EnhancerModelArg(null, java.nio.file.Path.of("/m/a=b.onnx")), EnhancerModelArg.parse("/m/a=b.onnx"));
    }
}

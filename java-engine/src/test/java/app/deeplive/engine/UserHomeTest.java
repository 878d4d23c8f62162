package app.deeplive.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UserHomeTest {
    @Test
    void isHomeFromTheEnvironmentAsTheFilterReadsIt() {
        assertEquals(Path.of("/tmp/streamer"), UserHome.of(Map.of("HOME", "/tmp/streamer")));
    }

    @Test
    void withoutAUsableHomeItIsJavasUserHome() {
        Path javas = Path.of(System.getProperty("user.home"));
        assertEquals(javas, UserHome.of(Map.of()));
        assertEquals(javas, UserHome.of(Map.of("HOME", "")));
        assertEquals(javas, UserHome.of(Map.of("HOME", "relative/home")));
    }
}

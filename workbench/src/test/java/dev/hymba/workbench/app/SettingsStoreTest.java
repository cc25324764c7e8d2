package dev.hymba.workbench.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class SettingsStoreTest {
    @TempDir Path dir;
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-03T21:10:00Z"), ZoneOffset.UTC);

    @Test
    void missingFileGivesDefaultsWithoutComplaint() {
        SettingsStore.Loaded l = new SettingsStore(dir.resolve("none"), clock).load();
        assertThat(l.settings()).isEqualTo(Settings.defaults());
        assertThat(l.problem()).isEmpty();
    }

    @Test
    void saveThenLoadRoundTrips() throws Exception {
        SettingsStore s = new SettingsStore(dir, clock);
        Settings v = Settings.defaults().withRecentModel("/m/a").withRecentModel("/m/b").withExport("/out", 800, 600, 300);
        s.save(v);
        assertThat(s.load().settings()).isEqualTo(v);
        assertThat(v.recentModels()).containsExactly("/m/b", "/m/a");
    }

    @Test
    void recentListMovesReopenedModelToTopAndIsBounded() {
        Settings s = Settings.defaults();
        for (int i = 0; i < 12; i++) s = s.withRecentModel("m" + i);
        s = s.withRecentModel("m5");
        assertThat(s.recentModels()).hasSize(Settings.MAX_RECENT).startsWith("m5", "m11", "m10").doesNotHaveDuplicates();
        assertThat(s.recentModels()).doesNotContain("m0", "m1");
    }

    @Test
    void unreadableFileGivesDefaultsAMessageAndIsKept() throws Exception {
        Files.writeString(dir.resolve("settings.json"), "{\"recentModels\": [\"/m/a\", ");
        SettingsStore s = new SettingsStore(dir, clock);
        SettingsStore.Loaded l = s.load();
        assertThat(l.settings()).isEqualTo(Settings.defaults());
        Path kept = dir.resolve("settings.unreadable-20261203-211000.json");
        assertThat(l.problem()).get().asString().contains("settings.json could not be read", "using defaults", kept.toString());
        assertThat(Files.readString(kept)).isEqualTo("{\"recentModels\": [\"/m/a\", ");
        s.save(l.settings()); // saving afterwards must not touch the kept file
        assertThat(kept).exists();
    }

    @Test
    void unknownFieldsFromANewerVersionAreIgnored() throws Exception {
        Files.writeString(dir.resolve("settings.json"), "{\"recentModels\":[\"x\"],\"futureThing\":3}");
        SettingsStore.Loaded l = new SettingsStore(dir, clock).load();
        assertThat(l.problem()).isEmpty();
        assertThat(l.settings().recentModels()).containsExactly("x");
        assertThat(l.settings().exportDpi()).isEqualTo(150);
        assertThat(IntStream.of(l.settings().exportWidth())).containsExactly(1200);
    }
}

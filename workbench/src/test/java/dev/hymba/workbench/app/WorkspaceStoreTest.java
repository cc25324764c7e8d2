package dev.hymba.workbench.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkspaceStoreTest {
    @TempDir Path dir;

    @Test
    void roundTripsEverything() {
        Workspace w = new Workspace(1, "/models/hymba-mini", "The cat sat on the mat", "{\"layers\":{\"5\":{\"attention\":\"global\"}}}",
                "attention", Map.of("attention", Map.of("layer", "5", "head", "2", "colorScale", "log")));
        Path f = dir.resolve("ws.json");
        WorkspaceStore.save(w, f);
        assertThat(WorkspaceStore.open(f)).isEqualTo(w);
    }

    @Test
    void brokenFileNamesTheFileAndTheProblem() throws Exception {
        Path f = dir.resolve("broken.json");
        Files.writeString(f, "{\"version\":1, \"model\": ");
        assertThatThrownBy(() -> WorkspaceStore.open(f)).isInstanceOf(WorkspaceException.class)
                .hasMessageStartingWith("Workspace file " + f + " is not a readable workspace: ");
        assertThatThrownBy(() -> WorkspaceStore.open(dir.resolve("nope.json"))).hasMessageContaining("does not exist");
    }

    @Test
    void newerVersionIsRefusedClearly() throws Exception {
        Path f = dir.resolve("new.json");
        Files.writeString(f, "{\"version\":7}");
        assertThatThrownBy(() -> WorkspaceStore.open(f)).hasMessageContaining("has version 7, this workbench reads up to version 1");
    }

    @Test
    void saveIntoMissingFolderFailsWithoutPartialFile() {
        assertThatThrownBy(() -> WorkspaceStore.save(new Workspace(1, "", "", "", "", Map.of()), dir.resolve("no/ws.json")))
                .isInstanceOf(WorkspaceException.class).hasMessageContaining("Cannot save workspace to");
    }
}

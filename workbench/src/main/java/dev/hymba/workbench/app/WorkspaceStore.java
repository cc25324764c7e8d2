package dev.hymba.workbench.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Saves and opens workspace files. Opening never changes anything on failure: it throws with a clear message. */
public final class WorkspaceStore {
    private WorkspaceStore() {}

    public static void save(Workspace w, Path file) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            Path tmp = Files.createTempFile(parent, ".workspace", ".tmp");
            try {
                SettingsStore.JSON.writeValue(tmp.toFile(), w);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new WorkspaceException("Cannot save workspace to " + file + ": " + SettingsStore.firstLine(e), e);
        }
    }

    public static Workspace open(Path file) {
        Workspace w;
        try {
            w = SettingsStore.JSON.readValue(file.toFile(), Workspace.class);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new WorkspaceException("Workspace file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new WorkspaceException("Workspace file " + file + " is not a readable workspace: " + SettingsStore.firstLine(e), e);
        }
        if (w == null) throw new WorkspaceException("Workspace file " + file + " is empty", null);
        if (w.version() > Workspace.CURRENT_VERSION)
            throw new WorkspaceException("Workspace file " + file + " has version " + w.version()
                    + ", this workbench reads up to version " + Workspace.CURRENT_VERSION, null);
        return w;
    }
}

package dev.hymba.workbench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks output locations before any long work, so a bad path fails in a second, not after a run. */
final class OutputPaths {
    private OutputPaths() {}

    static void checkWritableFile(Path file, String option) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file)) throw new IllegalArgumentException(option + " " + file + ": is a folder, expected a file");
        if (parent == null || !Files.isDirectory(parent)) throw new IllegalArgumentException(option + " " + file + ": folder " + parent + " does not exist");
        if (!Files.isWritable(parent)) throw new IllegalArgumentException(option + " " + file + ": folder " + parent + " is not writable");
    }

    static void checkWritableDir(Path dir, String option) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new IllegalArgumentException(option + " " + dir + ": exists and is not a folder");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + dir + ": cannot create the folder (" + e.getMessage() + ")");
        }
        if (!Files.isWritable(dir)) throw new IllegalArgumentException(option + " " + dir + ": folder is not writable");
    }
}

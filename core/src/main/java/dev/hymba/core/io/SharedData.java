package dev.hymba.core.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Locates the read-only {@code shared/} folder (golden reference data, docs, the real tokenizer files) that lies
 * beside the checkout. It is read in place and never copied into the repository.
 * Order: system property {@code hymba.shared}, env {@code HYMBA_SHARED}, then {@code shared/} beside any ancestor
 * of the working directory (covers module directories, worktrees and CI clones).
 */
public final class SharedData {
    private SharedData() {}

    public static Optional<Path> locate() {
        for (String s : new String[]{System.getProperty("hymba.shared"), System.getenv("HYMBA_SHARED")}) {
            if (s != null && !s.isBlank() && Files.isDirectory(Path.of(s))) return Optional.of(Path.of(s).toAbsolutePath());
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared");
            if (Files.isRegularFile(c.resolve("golden").resolve("README.md"))) return Optional.of(c);
        }
        return Optional.empty();
    }

    /** {@code shared/golden}, if present. */
    public static Optional<Path> golden() { return locate().map(p -> p.resolve("golden")); }
}

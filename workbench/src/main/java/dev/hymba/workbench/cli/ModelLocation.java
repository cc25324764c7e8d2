package dev.hymba.workbench.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where a model folder is: the --model option, else the bundled sample (samples/models/hymba-mini). */
public final class ModelLocation {
    public static final String DEFAULT_SAMPLE = "hymba-mini";

    private ModelLocation() {}

    public static Path resolve(Path option) {
        if (option != null) {
            if (!Files.isDirectory(option)) throw new IllegalArgumentException("--model " + option + ": not a folder");
            if (!Files.isRegularFile(option.resolve("config.json"))) throw new IllegalArgumentException("--model " + option + ": no config.json in that folder");
            return option;
        }
        return bundledSample().orElseThrow(() -> new IllegalArgumentException(
                "no --model given and the bundled sample samples/models/" + DEFAULT_SAMPLE + " was not found"));
    }

    /** The bundled sample, looked up from hymba.home (set by the launcher) or the working directory upwards. */
    public static java.util.Optional<Path> bundledSample() {
        String home = System.getProperty("hymba.home");
        if (home != null) {
            Path p = Path.of(home, "samples", "models", DEFAULT_SAMPLE);
            if (Files.isRegularFile(p.resolve("config.json"))) return java.util.Optional.of(p);
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("samples").resolve("models").resolve(DEFAULT_SAMPLE);
            if (Files.isRegularFile(p.resolve("config.json"))) return java.util.Optional.of(p);
        }
        return java.util.Optional.empty();
    }
}

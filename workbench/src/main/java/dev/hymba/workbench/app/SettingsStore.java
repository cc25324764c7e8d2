package dev.hymba.workbench.app;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Reads and writes {@code settings.json} in the workbench folder (~/.hymba-workbench by default). An unreadable file
 * never stops the app and is never overwritten: it is kept under a new name, defaults are used, and the caller gets a
 * message to show.
 */
public final class SettingsStore {
    private static final Logger LOG = LoggerFactory.getLogger(SettingsStore.class);
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES); // newer versions may add fields

    private final Path folder;
    private final Clock clock;

    public SettingsStore(Path folder, Clock clock) {
        this.folder = folder;
        this.clock = clock;
    }

    public static Path defaultFolder() { return Path.of(System.getProperty("user.home"), ".hymba-workbench"); }

    public Path file() { return folder.resolve("settings.json"); }

    /** Loaded settings plus, when the file could not be used, a message for the user. */
    public record Loaded(Settings settings, Optional<String> problem) {}

    public Loaded load() {
        Path f = file();
        if (!Files.exists(f)) return new Loaded(Settings.defaults(), Optional.empty());
        try {
            Settings s = JSON.readValue(f.toFile(), Settings.class);
            if (s == null) throw new IOException("the file is empty");
            return new Loaded(s, Optional.empty());
        } catch (IOException | RuntimeException e) {
            String kept = keepUnreadable(f);
            String msg = "Settings file " + f + " could not be read (" + firstLine(e) + "); using defaults. " + kept;
            LOG.warn(msg);
            return new Loaded(Settings.defaults(), Optional.of(msg));
        }
    }

    /** Writes atomically (temporary file, then move), so a crash never leaves half a file. */
    public void save(Settings s) throws IOException {
        Files.createDirectories(folder);
        Path tmp = Files.createTempFile(folder, "settings", ".tmp");
        try {
            JSON.writeValue(tmp.toFile(), s);
            Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private String keepUnreadable(Path f) {
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(clock.instant());
        Path kept = f.resolveSibling("settings.unreadable-" + stamp + ".json");
        try {
            Files.move(f, kept, StandardCopyOption.REPLACE_EXISTING);
            return "The unreadable file was kept as " + kept + ".";
        } catch (IOException e) {
            return "The unreadable file could not be moved aside (" + e.getMessage() + ") and was left as it is.";
        }
    }

    static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}

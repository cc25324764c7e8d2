package dev.hymba.core.model;

import dev.hymba.core.io.Npy;
import dev.hymba.core.io.SharedData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Access to one golden reference set in ../shared/golden (read in place). */
public record GoldenSet(Path dir) {
    public static GoldenSet of(String name) {
        assumeTrue(SharedData.golden().isPresent(), "../shared/golden is absent: golden parity tests skipped");
        return new GoldenSet(SharedData.golden().get().resolve(name));
    }

    public Npy.Array array(String file) {
        try {
            return Npy.read(dir.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int[] inputIds() { return array("input_ids.npy").intData(); }
}

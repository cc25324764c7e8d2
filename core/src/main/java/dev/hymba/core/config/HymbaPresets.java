package dev.hymba.core.config;

import java.util.List;
import java.util.Locale;

/**
 * Built-in configs for random-weight checkpoints ({@code hymba init --like NAME}). They are written out in code so
 * they need no files at run time; tests prove they equal the real configs they copy.
 */
public final class HymbaPresets {
    private HymbaPresets() {}

    public static final List<String> NAMES = List.of("hymba-1.5b", "tiny");

    /** Exactly the released Hymba-1.5B (Base and Instruct) config.json, architecture reference §1. */
    public static HymbaConfig hymba15b() {
        return new HymbaConfig(32001, 1600, 32, 25, 5, 5504, 1e-6, true, true, 10000.0, "ntk", 8192, 2048,
                128, 1024, List.of(0, 15, 31),
                List.of(List.of(1, 2), List.of(3, 4), List.of(5, 6), List.of(7, 8), List.of(9, 10), List.of(11, 12),
                        List.of(13, 14), List.of(16, 17, 18), List.of(19, 20), List.of(21, 22), List.of(23, 24),
                        List.of(25, 26), List.of(27, 28), List.of(29, 30)),
                16, 4, 2, 100, true, false, true, "silu", "silu", 1, 2, 0, FusionMode.FUSED);
    }

    /**
     * The architecture of the golden set {@code tiny-a}: every feature (meta tokens, SWA with a window shorter than
     * typical prompts, GQA 4→2, one KV-reuse group, 3 global layers) at 6 layers of width 64 and a 512-token vocab.
     */
    public static HymbaConfig tiny() {
        return new HymbaConfig(512, 64, 6, 4, 2, 176, 1e-6, true, true, 10000.0, "ntk", 256, 64,
                8, 16, List.of(0, 3, 5), List.of(List.of(1, 2)),
                8, 4, 2, 4, true, false, true, "silu", "silu", 1, 2, 0, FusionMode.FUSED);
    }

    /** The preset of this name (case-insensitive), or a ConfigException listing the known names. */
    public static HymbaConfig byName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "hymba-1.5b" -> hymba15b();
            case "tiny" -> tiny();
            default -> throw new ConfigException("preset: '" + name + "' is not one of " + String.join(", ", NAMES));
        };
    }
}

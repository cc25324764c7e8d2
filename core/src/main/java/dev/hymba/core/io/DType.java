package dev.hymba.core.io;

import java.util.Optional;

/** Element types a safetensors file may hold; only the float ones are loadable as weights. */
public enum DType {
    F32(4), BF16(2), F16(2), F64(8), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private final int bytes;

    DType(int bytes) { this.bytes = bytes; }

    public int bytes() { return bytes; }

    public boolean isFloatingWeight() { return this == F32 || this == BF16 || this == F16; }

    public static Optional<DType> parse(String name) {
        for (DType d : values()) if (d.name().equals(name)) return Optional.of(d);
        return Optional.empty();
    }
}

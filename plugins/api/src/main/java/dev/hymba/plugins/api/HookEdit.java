package dev.hymba.plugins.api;

/**
 * One edit an intervention makes during a forward pass: at every hook point whose name matches
 * {@code hookPointPattern} (a regular expression over names such as {@code layers.3.attn.out}), the value
 * (row-major, {@code shape}) is replaced by what {@link Editor#edit} returns (same length).
 */
public record HookEdit(String hookPointPattern, Editor editor) {
    @FunctionalInterface
    public interface Editor {
        float[] edit(String hookPoint, float[] value, int[] shape);
    }
}

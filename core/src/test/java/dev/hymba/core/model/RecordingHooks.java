package dev.hymba.core.model;

import dev.hymba.core.hook.Hooks;

import java.util.*;
import java.util.function.Predicate;

/** Test hook that copies every value of the points it is asked to watch. */
public final class RecordingHooks implements Hooks {
    private final Predicate<String> watch;
    public final Map<String, float[]> values = new LinkedHashMap<>();
    public final Map<String, int[]> shapes = new LinkedHashMap<>();

    public RecordingHooks(Predicate<String> watch) { this.watch = watch; }

    @Override public boolean wants(String point) { return watch.test(point); }

    @Override public float[] apply(String point, float[] value, int[] shape) {
        values.put(point, value.clone());
        shapes.put(point, shape.clone());
        return value;
    }
}

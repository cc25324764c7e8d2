package dev.hymba.plugins.bundled;

import dev.hymba.plugins.api.AnalysisContext;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Typed reads of plugin parameters with messages that name the parameter, the value and what was expected. */
final class Params {
    private Params() {}

    static String text(AnalysisContext c, String name) {
        String v = c.parameters().get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    static Integer optInt(AnalysisContext c, String name) {
        String v = text(c, name);
        if (v == null) return null;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter " + name + "=" + v + " is not an integer");
        }
    }

    static int intIn(AnalysisContext c, String name, int dflt, int min, int max) {
        Integer v = optInt(c, name);
        int r = v == null ? dflt : v;
        if (r < min || r > max) throw new IllegalArgumentException("parameter " + name + "=" + r + " is outside " + min + ".." + max);
        return r;
    }

    static String choice(AnalysisContext c, String name, String dflt, String... allowed) {
        String v = text(c, name);
        String r = v == null ? dflt : v.toLowerCase(Locale.ROOT);
        if (!Arrays.asList(allowed).contains(r))
            throw new IllegalArgumentException("parameter " + name + "=" + r + " is not one of " + String.join(", ", allowed));
        return r;
    }

    /** A comma-separated list of integers, or null when absent. */
    static int[] ints(AnalysisContext c, String name) {
        String v = text(c, name);
        if (v == null) return null;
        try {
            return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter " + name + "=" + v + " is not a comma-separated list of integers");
        }
    }

    /** A position parameter: −1 (default) = the last prompt position; negative values count from the end. */
    static int position(AnalysisContext c, String name, int length) {
        int p = intIn(c, name, -1, -length, length - 1);
        return p < 0 ? length + p : p;
    }

    static String fmt(double v) { return Double.toString(v); }

    static List<String> row(Object... cells) { return Arrays.stream(cells).map(String::valueOf).toList(); }
}

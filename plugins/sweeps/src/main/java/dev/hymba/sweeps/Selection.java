package dev.hymba.sweeps;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Which layers (or heads, blocks) a grid entry covers: {@code "all"}, one integer, a list of integers, or an
 * inclusive range {@code "a-b"}. Indices are checked against the model when the grid is expanded.
 */
public record Selection(boolean all, List<Integer> values) {
    public static final Selection ALL = new Selection(true, List.of());
    private static final Pattern RANGE = Pattern.compile("(\\d+)-(\\d+)");

    public Selection {
        values = List.copyOf(new TreeSet<>(values));
    }

    static Selection parse(JsonNode v, String path) {
        if (v.isTextual()) {
            String s = v.textValue().trim();
            if (s.equals("all")) return ALL;
            Matcher m = RANGE.matcher(s);
            if (m.matches()) {
                int a = Integer.parseInt(m.group(1)), b = Integer.parseInt(m.group(2));
                if (a > b) throw new SweepSpecException(path, "range \"" + s + "\" is empty (" + a + " > " + b + ")");
                return new Selection(false, IntStream.rangeClosed(a, b).boxed().toList());
            }
            throw new SweepSpecException(path, "\"" + s + "\" is not \"all\", an integer, a list or a range like \"0-3\"");
        }
        if (v.isIntegralNumber()) return new Selection(false, List.of(nonNegative(v, path)));
        if (v.isArray()) {
            if (v.isEmpty()) throw new SweepSpecException(path, "the list is empty");
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                int x = nonNegative(v.get(i), path + "[" + i + "]");
                if (out.contains(x)) throw new SweepSpecException(path + "[" + i + "]", x + " is listed twice");
                out.add(x);
            }
            return new Selection(false, out);
        }
        throw new SweepSpecException(path, "expected \"all\", an integer, a list or a range like \"0-3\", got " + Json.kind(v) + " " + v);
    }

    private static int nonNegative(JsonNode v, String path) {
        int i = Json.integer(v, path);
        if (i < 0) throw new SweepSpecException(path, i + " must be >= 0");
        return i;
    }

    /** The selected indices in 0..n−1, ascending; an index ≥ n is an error at {@code path}. */
    public List<Integer> resolve(int n, String path) {
        if (all) return IntStream.range(0, n).boxed().toList();
        for (int v : values) if (v >= n) throw new SweepSpecException(path, v + " is out of range 0.." + (n - 1));
        return values;
    }
}

package dev.hymba.plugins.host;

import dev.hymba.plugins.api.AnalysisResult;

import java.util.HashMap;
import java.util.Map;

/** Checks a plugin's result before the host shows it, so bad data is reported instead of breaking a chart. */
public final class ResultValidator {
    private ResultValidator() {}

    /** Returns null when the result is usable, else the first problem found. */
    public static String problem(AnalysisResult r) {
        if (r == null) return "the result is null";
        if (r.title() == null) return "the result has no title";
        Map<String, AnalysisResult.NamedArray> arrays = new HashMap<>();
        for (AnalysisResult.NamedArray a : r.arrays()) {
            if (a.name() == null || a.data() == null || a.shape() == null) return "an array has no name, data or shape";
            long n = 1;
            for (int s : a.shape()) {
                if (s < 0) return "array '" + a.name() + "' has a negative dimension";
                n *= s;
            }
            if (n != a.data().length) return "array '" + a.name() + "' has " + a.data().length + " values but its shape " + java.util.Arrays.toString(a.shape()) + " needs " + n;
            for (int i = 0; i < a.data().length; i++)
                if (Float.isNaN(a.data()[i])) return "array '" + a.name() + "' holds NaN at index " + i;
            if (arrays.put(a.name(), a) != null) return "two arrays are named '" + a.name() + "'";
        }
        for (AnalysisResult.Table t : r.tables()) {
            for (int i = 0; i < t.rows().size(); i++)
                if (t.rows().get(i).size() != t.columns().size())
                    return "table '" + t.name() + "' row " + i + " has " + t.rows().get(i).size() + " cells for " + t.columns().size() + " columns";
        }
        for (AnalysisResult.Figure f : r.figures()) {
            AnalysisResult.NamedArray a = arrays.get(f.arrayName());
            if (a == null) return "figure '" + f.title() + "' refers to a missing array '" + f.arrayName() + "'";
            int rows = a.shape().length == 2 ? a.shape()[0] : 1;
            int cols = a.shape().length == 2 ? a.shape()[1] : a.shape().length == 1 ? a.shape()[0] : -1;
            if (cols < 0) return "figure '" + f.title() + "' needs a 1-D or 2-D array";
            if (f.columnLabels() != null && !f.columnLabels().isEmpty() && f.columnLabels().size() != cols)
                return "figure '" + f.title() + "' has " + f.columnLabels().size() + " column labels for " + cols + " columns";
            if (f.rowLabels() != null && !f.rowLabels().isEmpty() && f.rowLabels().size() != rows)
                return "figure '" + f.title() + "' has " + f.rowLabels().size() + " row labels for " + rows + " rows";
        }
        return null;
    }
}

package dev.hymba.plugins.api;

import java.util.*;

/**
 * What an analysis returns: named tables, named arrays (row-major with a shape) and figure descriptions that the
 * host renders with its own charts (so every plugin figure gets the same export path).
 */
public record AnalysisResult(String title, List<Table> tables, List<NamedArray> arrays, List<Figure> figures, List<String> notes) {
    public AnalysisResult {
        tables = List.copyOf(tables);
        arrays = List.copyOf(arrays);
        figures = List.copyOf(figures);
        notes = List.copyOf(notes);
    }

    /** A table of typed-as-text cells; numbers are formatted by the plugin with full precision. */
    public record Table(String name, List<String> columns, List<List<String>> rows) {
        public Table {
            columns = List.copyOf(columns);
            rows = rows.stream().map(List::copyOf).toList();
        }
    }

    public record NamedArray(String name, float[] data, int[] shape) {}

    /**
     * A figure: kind HEATMAP uses array (2-D) with row/column labels; BAR and LINE use array (1-D or 2-D: series ×
     * categories) with column labels as categories and row labels as series.
     */
    public record Figure(String title, Kind kind, String arrayName, List<String> rowLabels, List<String> columnLabels, String xLabel, String yLabel) {
        public enum Kind { HEATMAP, BAR, LINE }
    }

    public static Builder builder(String title) { return new Builder(title); }

    public static final class Builder {
        private final String title;
        private final List<Table> tables = new ArrayList<>();
        private final List<NamedArray> arrays = new ArrayList<>();
        private final List<Figure> figures = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();

        private Builder(String title) { this.title = title; }

        public Builder table(String name, List<String> columns, List<List<String>> rows) { tables.add(new Table(name, columns, rows)); return this; }
        public Builder array(String name, float[] data, int... shape) { arrays.add(new NamedArray(name, data, shape)); return this; }
        public Builder figure(Figure f) { figures.add(f); return this; }
        public Builder note(String n) { notes.add(n); return this; }
        public AnalysisResult build() { return new AnalysisResult(title, tables, arrays, figures, notes); }
    }
}

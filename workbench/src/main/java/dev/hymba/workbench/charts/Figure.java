package dev.hymba.workbench.charts;

import org.jfree.chart.JFreeChart;

import java.util.Map;
import java.util.Objects;

/**
 * A chart ready for export: its name (used for file names), the chart, the data behind it and the view settings that
 * shaped it.
 */
public record Figure(String name, JFreeChart chart, CsvWritable data, Map<String, String> settings) {
    public Figure {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(chart, "chart");
        Objects.requireNonNull(data, "data");
        settings = Map.copyOf(settings);
    }

    public static Figure of(String name, AttentionHeatmap heatmap) {
        return new Figure(name, heatmap.chart(), heatmap.data(), heatmap.settings());
    }
}

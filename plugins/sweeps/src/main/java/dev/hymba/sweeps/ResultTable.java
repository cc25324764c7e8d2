package dev.hymba.sweeps;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/**
 * A sweep's result: one row per (prompt, ablation) in plan order, with the metric columns of the spec. Built by
 * {@link #assemble}, which drops duplicate rows (a rerun task) and refuses an incomplete or foreign set of rows.
 */
public record ResultTable(List<String> metrics, List<ResultRow> rows) {
    private static final Logger LOG = LoggerFactory.getLogger(ResultTable.class);
    public static final List<String> KEY_COLUMNS = List.of("prompt_index", "prompt_id", "ablation_index", "ablation", "family", "layer", "unit");

    public ResultTable {
        metrics = List.copyOf(metrics);
        rows = List.copyOf(rows);
    }

    /** Raised when rows are missing; {@link #missing()} lists (prompt id, ablation) pairs. */
    public static final class IncompleteException extends IllegalStateException {
        private final List<String> missing;

        IncompleteException(List<String> missing, long expected) {
            super(missing.size() + " of " + expected + " result rows are missing, e.g. " + missing.subList(0, Math.min(5, missing.size())));
            this.missing = List.copyOf(missing);
        }

        public List<String> missing() { return missing; }
    }

    /**
     * The complete table of a plan from rows in any order, possibly with duplicates (rows of a task that ran twice
     * are identical: same key, same values — a differing duplicate is kept once and logged).
     *
     * @throws IncompleteException   when a (prompt, ablation) of the plan has no row
     * @throws IllegalStateException when a row does not belong to the plan
     */
    public static ResultTable assemble(SweepPlan plan, Collection<ResultRow> rows) {
        Map<String, ResultRow> byKey = dedupe(plan, rows);
        List<String> missing = new ArrayList<>();
        List<ResultRow> ordered = new ArrayList<>(byKey.size());
        for (Prompt p : plan.prompts())
            for (Ablation a : plan.ablations()) {
                ResultRow r = byKey.get(p.id() + "\u0000" + a.key());
                if (r == null) missing.add(p.id() + " × " + a.key());
                else ordered.add(r);
            }
        if (!missing.isEmpty()) throw new IncompleteException(missing, plan.expectedRows());
        return new ResultTable(plan.metricNames(), ordered);
    }

    /** The rows so far (partial), deduplicated and in plan order: what a live view shows. */
    public static ResultTable partial(SweepPlan plan, Collection<ResultRow> rows) {
        List<ResultRow> ordered = new ArrayList<>(dedupe(plan, rows).values());
        ordered.sort(Comparator.comparingInt(ResultRow::promptIndex).thenComparingInt(ResultRow::ablationIndex));
        return new ResultTable(plan.metricNames(), ordered);
    }

    private static Map<String, ResultRow> dedupe(SweepPlan plan, Collection<ResultRow> rows) {
        Map<String, ResultRow> byKey = new HashMap<>();
        int dupes = 0;
        for (ResultRow r : rows) {
            if (r.promptIndex() < 0 || r.promptIndex() >= plan.prompts().size() || !plan.prompts().get(r.promptIndex()).id().equals(r.promptId())
                    || r.ablationIndex() < 0 || r.ablationIndex() >= plan.ablations().size()
                    || !plan.ablations().get(r.ablationIndex()).key().equals(r.ablation()))
                throw new IllegalStateException("row " + r + " does not belong to this sweep plan " + plan.hash());
            if (r.values().length != plan.spec().metrics().size())
                throw new IllegalStateException("row " + r + " has " + r.values().length + " values for " + plan.spec().metrics().size() + " metrics");
            ResultRow prev = byKey.putIfAbsent(r.key(), r);
            if (prev != null) {
                dupes++;
                if (!prev.equals(r)) LOG.warn("rerun gave different values for {} × {}: kept {}, dropped {}", r.promptId(), r.ablation(), prev, r);
            }
        }
        if (dupes > 0) LOG.info("dropped {} duplicate result rows (rerun tasks)", dupes);
        return byKey;
    }

    public List<String> header() {
        List<String> h = new ArrayList<>(KEY_COLUMNS);
        h.addAll(metrics);
        return h;
    }

    public String toCsv() { return toCsv(rows); }

    String toCsv(List<ResultRow> subset) {
        StringBuilder sb = new StringBuilder(Csv.line(header()));
        for (ResultRow r : subset) {
            List<String> f = new ArrayList<>(List.of(Integer.toString(r.promptIndex()), r.promptId(), Integer.toString(r.ablationIndex()),
                    r.ablation(), r.family(), Integer.toString(r.layer()), Integer.toString(r.unit())));
            for (double v : r.values()) f.add(Double.toString(v));
            sb.append(Csv.line(f));
        }
        return sb.toString();
    }

    public void writeCsv(Path file) { Csv.writeAtomically(file, toCsv()); }

    /** Reads a table written by {@link #writeCsv} (or a task part); the metric columns come from its header. */
    public static ResultTable readCsv(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read " + file, ex);
        }
        return fromCsv(text, file.toString());
    }

    public static ResultTable fromCsv(String text, String source) {
        List<List<String>> recs = Csv.parse(text, source);
        if (recs.isEmpty()) throw new IllegalArgumentException(source + ": empty, expected a header line");
        List<String> header = recs.getFirst();
        int k = KEY_COLUMNS.size();
        if (header.size() < k || !header.subList(0, k).equals(KEY_COLUMNS))
            throw new IllegalArgumentException(source + ": header " + header + " does not start with " + KEY_COLUMNS);
        List<ResultRow> rows = new ArrayList<>();
        for (int i = 1; i < recs.size(); i++) {
            List<String> f = recs.get(i);
            if (f.size() != header.size())
                throw new IllegalArgumentException(source + " record " + (i + 1) + ": " + f.size() + " fields, header has " + header.size());
            double[] v = new double[header.size() - k];
            for (int m = 0; m < v.length; m++) v[m] = Double.parseDouble(f.get(k + m));
            rows.add(new ResultRow(Integer.parseInt(f.get(0)), f.get(1), Integer.parseInt(f.get(2)), f.get(3), f.get(4),
                    Integer.parseInt(f.get(5)), Integer.parseInt(f.get(6)), v));
        }
        return new ResultTable(header.subList(k, header.size()), rows);
    }

    /** Per ablation: how many prompts, and the mean of each metric over them (NaN values skipped). */
    public record SummaryRow(int ablationIndex, String ablation, String family, int layer, int unit, int prompts, double[] means) {}

    public List<SummaryRow> summary() {
        Map<Integer, List<ResultRow>> by = new TreeMap<>();
        for (ResultRow r : rows) by.computeIfAbsent(r.ablationIndex(), x -> new ArrayList<>()).add(r);
        List<SummaryRow> out = new ArrayList<>();
        for (List<ResultRow> g : by.values()) {
            ResultRow f = g.getFirst();
            double[] means = new double[metrics.size()];
            for (int m = 0; m < means.length; m++) {
                double s = 0;
                int n = 0;
                for (ResultRow r : g) if (!Double.isNaN(r.value(m))) { s += r.value(m); n++; }
                means[m] = n == 0 ? Double.NaN : s / n;
            }
            out.add(new SummaryRow(f.ablationIndex(), f.ablation(), f.family(), f.layer(), f.unit(), g.size(), means));
        }
        return out;
    }

    public String summaryCsv() {
        List<String> h = new ArrayList<>(List.of("ablation_index", "ablation", "family", "layer", "unit", "prompts"));
        for (String m : metrics) h.add("mean_" + m);
        StringBuilder sb = new StringBuilder(Csv.line(h));
        for (SummaryRow s : summary()) {
            List<String> f = new ArrayList<>(List.of(Integer.toString(s.ablationIndex()), s.ablation(), s.family(),
                    Integer.toString(s.layer()), Integer.toString(s.unit()), Integer.toString(s.prompts())));
            for (double v : s.means()) f.add(Double.toString(v));
            sb.append(Csv.line(f));
        }
        return sb.toString();
    }

    public void writeSummaryCsv(Path file) { Csv.writeAtomically(file, summaryCsv()); }
}

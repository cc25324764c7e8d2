package dev.hymba.workbench.charts;

import org.jfree.chart.axis.NumberAxis;

import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.List;

/**
 * A number axis over token positions whose tick labels are the tokens ("12 the"). Integer tick units only, chosen by
 * JFreeChart so labels never overlap; at T = 1,152 that means every n-th token, zooming in shows them all.
 */
public final class TokenAxis extends NumberAxis {
    private static final int MAX_LABEL = 12;

    public TokenAxis(String label, List<String> tokens) {
        super(label);
        setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        setAutoRangeIncludesZero(false);
        setLowerMargin(0);
        setUpperMargin(0);
        setNumberFormatOverride(new TokenFormat(List.copyOf(tokens)));
    }

    /** Formats integer positions as "position piece"; other values (never ticks) as empty. */
    static final class TokenFormat extends NumberFormat {
        private final List<String> tokens;

        TokenFormat(List<String> tokens) { this.tokens = tokens; }

        @Override
        public StringBuffer format(double number, StringBuffer to, FieldPosition pos) {
            long i = Math.round(number);
            if (Math.abs(number - i) > 1e-9 || i < 0 || i >= tokens.size()) return to;
            String t = tokens.get((int) i);
            if (t.length() > MAX_LABEL) t = t.substring(0, MAX_LABEL - 1) + "\u2026";
            return to.append(i).append(' ').append(t);
        }

        @Override
        public StringBuffer format(long number, StringBuffer to, FieldPosition pos) { return format((double) number, to, pos); }

        @Override
        public Number parse(String source, ParsePosition pos) { return null; }
    }
}

package dev.hymba.workbench.charts;

/**
 * The cell under the pointer: row and column positions and labels and the exact stored value. For attention maps
 * the row is the query, the column the key and the value the probability.
 */
public record CellHover(int query, String queryToken, int key, String keyToken, float probability, Names names) {
    /** How rows, columns and values are called in the hover text. */
    public record Names(String row, String column, String value) {
        public static final Names ATTENTION = new Names("query", "key", "p");
    }

    public CellHover(int query, String queryToken, int key, String keyToken, float probability) {
        this(query, queryToken, key, keyToken, probability, Names.ATTENTION);
    }

    /** Float.toString is the shortest decimal that reads back to the same float: the exact stored value. */
    public String text() {
        return names.row() + " " + query + " \u201c" + queryToken + "\u201d \u2192 " + names.column() + " " + key
                + " \u201c" + keyToken + "\u201d   " + names.value() + " = " + Float.toString(probability);
    }
}

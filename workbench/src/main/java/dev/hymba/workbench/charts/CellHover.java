package dev.hymba.workbench.charts;

/** The cell under the pointer: query and key positions and labels, and the exact stored probability. */
public record CellHover(int query, String queryToken, int key, String keyToken, float probability) {
    /** Float.toString is the shortest decimal that reads back to the same float: the exact stored value. */
    public String text() {
        return "query " + query + " \u201c" + queryToken + "\u201d \u2192 key " + key + " \u201c" + keyToken + "\u201d   p = "
                + Float.toString(probability);
    }
}

package dev.hymba.workbench.run;

/** A dense rows x cols float matrix, row-major (for example SSM state magnitudes, position x channel). */
public record Matrix(int rows, int cols, float[] values) {
    public Matrix {
        if (rows <= 0 || cols <= 0 || values.length != (long) rows * cols)
            throw new IllegalArgumentException("matrix " + rows + "x" + cols + " needs " + (long) rows * cols + " values, got " + values.length);
    }

    public float get(int r, int c) { return values[r * cols + c]; }
}

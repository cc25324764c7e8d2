package dev.hymba.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Minimal NumPy .npy reader/writer for little-endian float32, int32 and int64 arrays in C order. */
public final class Npy {
    private Npy() {}

    /** An array read from a .npy file: data widened to float (floats) or long (integers). */
    public record Array(String descr, long[] shape, float[] floats, long[] longs) {
        public int size() { return floats != null ? floats.length : longs.length; }
        public int[] intData() {
            if (longs == null) throw new IllegalStateException("not an integer array: " + descr);
            return Arrays.stream(longs).mapToInt(Math::toIntExact).toArray();
        }
    }

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    public static Array read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 10 || all[0] != (byte) 0x93 || all[1] != 'N' || all[2] != 'U' || all[3] != 'M' || all[4] != 'P' || all[5] != 'Y')
            throw new IOException(file + ": not a .npy file (bad magic)");
        int major = all[6];
        ByteBuffer bb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen, start;
        if (major == 1) { headerLen = Short.toUnsignedInt(bb.getShort(8)); start = 10; }
        else { headerLen = bb.getInt(8); start = 12; }
        if (start + headerLen > all.length) throw new IOException(file + ": truncated .npy header");
        String header = new String(all, start, headerLen, StandardCharsets.ISO_8859_1);
        Matcher md = DESCR.matcher(header), mo = ORDER.matcher(header), ms = SHAPE.matcher(header);
        if (!md.find() || !mo.find() || !ms.find()) throw new IOException(file + ": malformed .npy header: " + header.trim());
        if (mo.group(1).equals("True")) throw new IOException(file + ": Fortran-order arrays are not supported");
        String descr = md.group(1);
        long[] shape = Arrays.stream(ms.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
        long count = 1;
        for (long s : shape) count *= s;
        int n = Math.toIntExact(count);
        int dataStart = start + headerLen;
        ByteBuffer data = ByteBuffer.wrap(all, dataStart, all.length - dataStart).slice().order(ByteOrder.LITTLE_ENDIAN);
        int itemSize = switch (descr) { case "<f4", "<i4" -> 4; case "<i8", "<f8" -> 8; default -> throw new IOException(file + ": unsupported dtype " + descr + " (need <f4, <f8, <i4 or <i8)"); };
        if ((long) n * itemSize > data.remaining()) throw new IOException(file + ": truncated .npy data (" + data.remaining() + " bytes for " + n + " items of " + descr + ")");
        switch (descr) {
            case "<f4" -> { float[] f = new float[n]; data.asFloatBuffer().get(f); return new Array(descr, shape, f, null); }
            case "<f8" -> { float[] f = new float[n]; for (int i = 0; i < n; i++) f[i] = (float) data.getDouble(8 * i); return new Array(descr, shape, f, null); }
            case "<i4" -> { long[] l = new long[n]; for (int i = 0; i < n; i++) l[i] = data.getInt(4 * i); return new Array(descr, shape, null, l); }
            default -> { long[] l = new long[n]; data.asLongBuffer().get(l); return new Array(descr, shape, null, l); }
        }
    }

    public static void writeFloat32(Path file, float[] data, long... shape) throws IOException {
        check(data.length, shape);
        try (OutputStream out = Files.newOutputStream(file)) {
            writeHeader(out, "<f4", shape);
            ByteBuffer bb = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : data) {
                if (!bb.hasRemaining()) { out.write(bb.array(), 0, bb.position()); bb.clear(); }
                bb.putFloat(v);
            }
            out.write(bb.array(), 0, bb.position());
        }
    }

    public static void writeInt32(Path file, int[] data, long... shape) throws IOException {
        check(data.length, shape);
        try (OutputStream out = Files.newOutputStream(file)) {
            writeHeader(out, "<i4", shape);
            ByteBuffer bb = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
            for (int v : data) bb.putInt(v);
            out.write(bb.array());
        }
    }

    private static void check(int n, long[] shape) {
        long c = 1;
        for (long s : shape) c *= s;
        if (c != n) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has " + c + " elements, data has " + n);
    }

    private static void writeHeader(OutputStream out, String descr, long[] shape) throws IOException {
        StringBuilder sh = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) { sh.append(shape[i]); if (shape.length == 1 || i < shape.length - 1) sh.append(shape.length == 1 ? "," : ", "); }
        sh.append(")");
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + sh + ", }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer bb = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        bb.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.write(bb.array());
        out.write(header.getBytes(StandardCharsets.ISO_8859_1));
    }
}

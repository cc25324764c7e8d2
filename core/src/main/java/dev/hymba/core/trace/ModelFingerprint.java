package dev.hymba.core.trace;

import dev.hymba.core.io.CheckpointFiles;
import dev.hymba.core.io.SafetensorsFile;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A cheap, stable identity of a checkpoint: SHA-256 over config.json, every safetensors header and every file size.
 * Hashing the multi-GB data itself would take longer than loading; the headers pin names, dtypes, shapes and offsets.
 */
public final class ModelFingerprint {
    private ModelFingerprint() {}

    public static String of(Path modelDir) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(Files.readAllBytes(modelDir.resolve("config.json")));
            try (CheckpointFiles files = CheckpointFiles.open(modelDir)) {
                for (SafetensorsFile f : files.files()) {
                    try (FileChannel ch = FileChannel.open(f.path(), StandardOpenOption.READ)) {
                        long size = ch.size();
                        java.nio.ByteBuffer lenBuf = java.nio.ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                        ch.read(lenBuf, 0);
                        long headerLen = lenBuf.getLong(0);
                        java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate((int) Math.min(headerLen, SafetensorsFile.MAX_HEADER_BYTES));
                        ch.read(header, 8);
                        md.update(f.path().getFileName().toString().getBytes());
                        md.update(header.array());
                        md.update(Long.toString(size).getBytes());
                    }
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new IllegalStateException("cannot fingerprint " + modelDir + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.hymba.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/**
 * The weight files of a Hugging Face model folder: {@code model.safetensors}, or
 * {@code model.safetensors.index.json} plus its shards. Tensor lookups go to the shard that holds them.
 */
public final class CheckpointFiles implements AutoCloseable {
    public static final String SINGLE = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";

    private final Path dir;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> byTensor;

    private CheckpointFiles(Path dir, List<SafetensorsFile> files, Map<String, SafetensorsFile> byTensor) {
        this.dir = dir;
        this.files = files;
        this.byTensor = byTensor;
    }

    public static CheckpointFiles open(Path dir) {
        Path single = dir.resolve(SINGLE), index = dir.resolve(INDEX);
        List<SafetensorsFile> opened = new ArrayList<>();
        try {
            Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
            if (Files.isRegularFile(index)) {
                JsonNode map = readIndex(index);
                Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
                for (var it = map.fields(); it.hasNext(); ) {
                    var e = it.next();
                    if (!e.getValue().isTextual()) throw new CheckpointException(index + ": weight_map entry for '" + e.getKey() + "' is " + e.getValue().getNodeType() + ", not a file name");
                    String shard = e.getValue().asText();
                    if (shard.isEmpty() || shard.contains("/") || shard.contains("\\") || shard.equals("..")) throw new CheckpointException(index + ": shard name '" + shard + "' must be a plain file name");
                    SafetensorsFile f = shards.get(shard);
                    if (f == null) {
                        Path p;
                        try {
                            p = dir.resolve(shard);
                        } catch (java.nio.file.InvalidPathException ex) {
                            throw new CheckpointException(index + ": shard name '" + shard + "' is not a valid file name");
                        }
                        if (!Files.isRegularFile(p)) throw new CheckpointException(index + ": shard '" + shard + "' (for tensor '" + e.getKey() + "') does not exist");
                        f = SafetensorsFile.open(p);
                        opened.add(f);
                        shards.put(shard, f);
                    }
                    if (f.info(e.getKey()).isEmpty()) throw new CheckpointException(index + ": tensor '" + e.getKey() + "' is mapped to " + shard + " but that file does not contain it");
                    byTensor.put(e.getKey(), f);
                }
                for (SafetensorsFile f : shards.values())
                    for (String t : f.tensors().keySet()) byTensor.putIfAbsent(t, f);
            } else if (Files.isRegularFile(single)) {
                SafetensorsFile f = SafetensorsFile.open(single);
                opened.add(f);
                for (String t : f.tensors().keySet()) byTensor.put(t, f);
            } else {
                throw new CheckpointException(dir + ": no " + SINGLE + " or " + INDEX + " found");
            }
            return new CheckpointFiles(dir, List.copyOf(opened), Collections.unmodifiableMap(byTensor));
        } catch (RuntimeException e) {
            opened.forEach(SafetensorsFile::close);
            throw e;
        }
    }

    private static JsonNode readIndex(Path index) {
        try {
            JsonNode root = new ObjectMapper().readTree(Files.readString(index));
            JsonNode map = root == null ? null : root.get("weight_map");
            if (map == null || !map.isObject()) throw new CheckpointException(index + ": missing 'weight_map' object");
            return map;
        } catch (IOException e) {
            throw new CheckpointException(index + ": not readable JSON (" + e.getMessage().split("\n")[0] + ")");
        }
    }

    public Path dir() { return dir; }

    public Set<String> names() { return byTensor.keySet(); }

    public Optional<TensorInfo> info(String name) {
        SafetensorsFile f = byTensor.get(name);
        return f == null ? Optional.empty() : f.info(name);
    }

    /** Which file holds a tensor (for error messages). */
    public Optional<Path> fileOf(String name) { return Optional.ofNullable(byTensor.get(name)).map(SafetensorsFile::path); }

    public float[] readFloats(String name) { return file(name).readFloats(name); }

    public void readInto(String name, float[] dst, int offset) { file(name).readInto(name, dst, offset); }

    private SafetensorsFile file(String name) {
        SafetensorsFile f = byTensor.get(name);
        if (f == null) throw new CheckpointException(dir + ": no tensor '" + name + "' in the checkpoint");
        return f;
    }

    public List<SafetensorsFile> files() { return files; }

    @Override
    public void close() { files.forEach(SafetensorsFile::close); }
}

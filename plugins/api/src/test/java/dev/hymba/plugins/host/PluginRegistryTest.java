package dev.hymba.plugins.host;

import dev.hymba.plugins.api.AnalysisPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Drop-in jars are compiled at test time from source, exactly as a third party would build them. */
class PluginRegistryTest {
    @TempDir Path tmp;

    private static String analysisSource(String cls, String id, String apiVersion, String ctorBody) {
        return """
            package thirdparty;
            import dev.hymba.plugins.api.*;
            public class %s implements AnalysisPlugin {
                public %s() { %s }
                public PluginInfo info() { return new PluginInfo("%s", "%s", "1.0", "%s", "test plugin"); }
                public AnalysisResult analyze(AnalysisContext c) { return AnalysisResult.builder("%s").note("hello").build(); }
            }
            """.formatted(cls, cls, ctorBody, id, cls, apiVersion, id);
    }

    private Path jar(String jarName, boolean withServices, String... classAndSource) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src-" + jarName + "/thirdparty"));
        Path out = Files.createDirectories(tmp.resolve("out-" + jarName));
        List<String> files = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        for (int i = 0; i < classAndSource.length; i += 2) {
            Path f = src.resolve(classAndSource[i] + ".java");
            Files.writeString(f, classAndSource[i + 1]);
            files.add(f.toString());
            classes.add("thirdparty." + classAndSource[i]);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-cp", System.getProperty("java.class.path")));
        args.addAll(files);
        assertThat(javac.run(null, null, null, args.toArray(String[]::new))).as("plugin sources compile").isZero();
        Path jar = Files.createDirectories(tmp.resolve("plugins")).resolve(jarName);
        try (JarOutputStream jos = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> walk = Files.walk(out)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                jos.putNextEntry(new JarEntry(out.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, jos);
                jos.closeEntry();
            }
            if (withServices) {
                jos.putNextEntry(new JarEntry("META-INF/services/dev.hymba.plugins.api.HymbaPlugin"));
                jos.write(String.join("\n", classes).getBytes());
                jos.closeEntry();
            }
        }
        return jar;
    }

    @Test
    void discoversADropInJarAndRunsIt() throws IOException {
        jar("good.jar", true, "Good", analysisSource("Good", "good-one", "1.0", ""));
        try (PluginRegistry reg = PluginRegistry.discover(getClass().getClassLoader(), tmp.resolve("plugins"))) {
            assertThat(reg.refusals()).isEmpty();
            LoadedPlugin p = reg.find("good-one").orElseThrow();
            assertThat(p.origin()).isEqualTo("good.jar");
            AnalysisPlugin a = (AnalysisPlugin) p.plugin();
            PluginOutcome o = PluginRunner.run(a, new SimpleContext(java.util.Map.of(), null), java.time.Duration.ofSeconds(5));
            assertThat(o).isInstanceOf(PluginOutcome.Success.class);
            assertThat(((PluginOutcome.Success) o).result().notes()).containsExactly("hello");
        }
    }

    @Test
    void refusesIncompatibleApiVersionsNamingPluginJarAndVersions() throws IOException {
        jar("future.jar", true, "Future", analysisSource("Future", "from-the-future", "2.0", ""));
        jar("newer-minor.jar", true, "Minor", analysisSource("Minor", "newer-minor", "1.7", ""));
        try (PluginRegistry reg = PluginRegistry.discover(getClass().getClassLoader(), tmp.resolve("plugins"))) {
            assertThat(reg.plugins()).noneMatch(p -> p.source() != null);
            assertThat(reg.refusals()).extracting(Object::toString).containsExactlyInAnyOrder(
                    "from-the-future (future.jar): was built for plugin API 2.0 but this workbench provides 1.0 (major versions differ)",
                    "newer-minor (newer-minor.jar): needs plugin API 1.7 but this workbench provides only 1.0");
        }
    }

    @Test
    void brokenJarsAreRefusedAndTheOthersStillLoad() throws IOException {
        jar("a-throws.jar", true, "Throws", analysisSource("Throws", "throws", "1.0", "throw new IllegalStateException(\"bad init\");"));
        jar("b-noservices.jar", false, "Quiet", analysisSource("Quiet", "quiet", "1.0", ""));
        Files.write(tmp.resolve("plugins").resolve("c-corrupt.jar"), new byte[]{1, 2, 3, 4, 5});
        jar("d-good.jar", true, "Fine", analysisSource("Fine", "fine", "1.0", ""));
        jar("e-dup.jar", true, "Dup", analysisSource("Dup", "fine", "1.0", ""));
        try (PluginRegistry reg = PluginRegistry.discover(getClass().getClassLoader(), tmp.resolve("plugins"))) {
            assertThat(reg.find("fine")).isPresent();
            assertThat(reg.find("fine").get().origin()).isEqualTo("d-good.jar");
            List<String> why = reg.refusals().stream().map(Object::toString).toList();
            assertThat(why).anyMatch(s -> s.contains("a-throws.jar") && s.contains("failed to start") && s.contains("bad init"));
            assertThat(why).anyMatch(s -> s.startsWith("b-noservices.jar") && s.contains("declares no plugin"));
            assertThat(why).anyMatch(s -> s.startsWith("c-corrupt.jar"));
            assertThat(why).anyMatch(s -> s.contains("e-dup.jar") && s.contains("already uses the id 'fine'"));
        }
    }

    @Test
    void missingPluginsFolderIsNotAnError() {
        try (PluginRegistry reg = PluginRegistry.discover(getClass().getClassLoader(), tmp.resolve("nope"))) {
            assertThat(reg.refusals()).isEmpty();
        }
    }

    @Test
    void apiVersionRules() {
        assertThat(dev.hymba.plugins.api.PluginApi.incompatibility("1.0")).isNull();
        assertThat(dev.hymba.plugins.api.PluginApi.incompatibility("banana")).contains("expected MAJOR.MINOR");
        assertThat(dev.hymba.plugins.api.PluginApi.incompatibility(null)).contains("expected MAJOR.MINOR");
    }
}

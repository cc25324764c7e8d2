package dev.hymba.workbench.cli;

import dev.hymba.core.io.Npy;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.tokenizer.HymbaTokenizer;
import dev.hymba.plugins.api.*;
import dev.hymba.plugins.bundled.PromptTokens;
import dev.hymba.plugins.host.*;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.Callable;

/**
 * {@code ./hymba plugin --list} and {@code ./hymba plugin NAME --model DIR (--ids F | --text T) [--param k=v ...]
 * [--out DIR]}: runs an analysis plugin in isolation (time limit), prints its tables and notes, and writes its
 * arrays as .npy and .csv and its tables as .csv into --out. Plugins come from the class path and from the plugins
 * folders ~/.hymba-workbench/plugins and &lt;hymba.home&gt;/plugins (or the --plugins folders).
 */
@Command(name = "plugin", mixinStandardHelpOptions = true,
        description = "List plugins, or run an analysis plugin on a prompt and write its tables and arrays.")
public final class PluginCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Plugin id (see --list).") String name;
    @Option(names = "--list", description = "List the plugins found and the ones refused, with the reason.") boolean list;
    @Option(names = "--model", description = "Model folder. Default: the bundled sample.") Path model;
    @Mixin PromptInput input;
    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "A plugin parameter (repeatable).") Map<String, String> params = new LinkedHashMap<>();
    @Option(names = "--out", description = "Folder for the plugin's arrays (.npy, .csv) and tables (.csv).") Path out;
    @Option(names = "--plugins", paramLabel = "DIR", description = "Plugins folder(s) to use instead of ~/.hymba-workbench/plugins and <hymba.home>/plugins.") List<Path> pluginDirs;
    @Option(names = "--timeout", description = "Seconds a plugin may run before it is stopped (default ${DEFAULT-VALUE}).", defaultValue = "600") long timeoutSeconds;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    /** The default plugins folders: the user's and the installation's. */
    static List<Path> defaultPluginDirs() {
        List<Path> dirs = new ArrayList<>();
        dirs.add(Path.of(System.getProperty("user.home"), ".hymba-workbench", "plugins"));
        String home = System.getProperty("hymba.home");
        if (home != null) dirs.add(Path.of(home, "plugins"));
        return dirs;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        try (Plugins plugins = Plugins.discover(pluginDirs == null ? defaultPluginDirs() : pluginDirs)) {
            if (list) {
                printList(plugins, o);
                return 0;
            }
            if (name == null) throw new IllegalArgumentException("give a plugin NAME (see 'hymba plugin --list')");
            LoadedPlugin found = plugins.find(name);
            if (found != null && found.plugin() instanceof ViewPlugin view) return renderView(view, plugins, o, err);
            AnalysisPlugin plugin = analysis(plugins, name);
            Map<String, String> values = parameters(plugin, params);
            Path dir = ModelLocation.resolve(model);
            PromptInput.Tokens tokens = input.resolve(dir);
            if (out != null) OutputPaths.checkWritableDir(out, "--out");
            for (PluginRefusal r : plugins.refusals) err.println("plugin refused: " + r);
            withContext(values, dir, tokens, ctx -> {
                PluginOutcome outcome = PluginRunner.run(plugin, ctx, Duration.ofSeconds(timeoutSeconds));
                if (!(outcome instanceof PluginOutcome.Success s)) throw new IllegalStateException(outcome.summary());
                print(s.result(), o);
                if (out != null) write(s.result(), out, o);
            });
        }
        return 0;
    }

    private interface ContextWork { void accept(SimpleContext ctx) throws Exception; }

    /** What a plugin sees on the command line: its parameters, the model, the prompt's tokens and, if any, the tokenizer. */
    private static void withContext(Map<String, String> values, Path dir, PromptInput.Tokens tokens, ContextWork work) throws Exception {
        try (HymbaModel m = HymbaModel.load(dir); HymbaTokenizer tok = Files.isRegularFile(dir.resolve(HymbaTokenizer.FILE)) ? HymbaTokenizer.load(dir) : null) {
            SimpleContext ctx = new SimpleContext(values, null).with(HymbaModel.class, m)
                    .with(PromptTokens.class, new PromptTokens(tokens.ids(), tokens.pieces()));
            if (tok != null) ctx.with(HymbaTokenizer.class, tok);
            work.accept(ctx);
        }
    }

    /** A view plugin on the command line: its view over the prompt's run, rendered headless to --out FILE.png. */
    private int renderView(ViewPlugin view, Plugins plugins, PrintWriter o, PrintWriter err) throws Exception {
        if (out == null || !out.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png"))
            throw new IllegalArgumentException("plugin '" + view.info().id() + "' is a view: give --out FILE.png to render it (or open it in the workbench)");
        OutputPaths.checkWritableFile(out, "--out");
        Path dir = ModelLocation.resolve(model);
        PromptInput.Tokens tokens = input.resolve(dir);
        for (PluginRefusal r : plugins.refusals) err.println("plugin refused: " + r);
        withContext(params, dir, tokens, ctx -> dev.hymba.workbench.app.Screenshot.renderNode(() -> view.createView(ctx), out, 1200, 800));
        o.println("wrote " + out + " (view of " + view.info().id() + ", 1200x800)");
        return 0;
    }

    private static AnalysisPlugin analysis(Plugins plugins, String id) {
        LoadedPlugin p = plugins.find(id);
        if (p == null) {
            String refused = plugins.refusals.stream().filter(r -> id.equals(r.pluginId())).map(PluginRefusal::reason).findFirst().orElse(null);
            if (refused != null) throw new IllegalArgumentException("plugin '" + id + "' was refused: " + refused);
            throw new IllegalArgumentException("no plugin '" + id + "'; available: " + String.join(", ", plugins.plugins.stream().map(LoadedPlugin::id).toList()));
        }
        if (!(p.plugin() instanceof AnalysisPlugin a))
            throw new IllegalArgumentException("plugin '" + id + "' is " + kind(p.plugin()) + ", not an analysis: "
                    + (p.plugin() instanceof InterventionPlugin ? "use it in an ablation spec" : "open it in the workbench"));
        return a;
    }

    /** Declared defaults filled in; names the plugin does not declare are refused (when it declares any). */
    static Map<String, String> parameters(AnalysisPlugin plugin, Map<String, String> given) {
        Map<String, String> values = new LinkedHashMap<>();
        List<ParameterSpec> declared = plugin.parameters();
        for (ParameterSpec p : declared) if (p.defaultValue() != null && !p.defaultValue().isEmpty()) values.put(p.name(), p.defaultValue());
        Set<String> known = new TreeSet<>();
        for (ParameterSpec p : declared) known.add(p.name());
        for (Map.Entry<String, String> e : given.entrySet()) {
            if (!declared.isEmpty() && !known.contains(e.getKey()))
                throw new IllegalArgumentException("--param " + e.getKey() + ": plugin " + plugin.info().id() + " has no such parameter; it takes " + String.join(", ", known));
            values.put(e.getKey(), e.getValue());
        }
        return values;
    }

    private static String kind(HymbaPlugin p) {
        List<String> k = new ArrayList<>();
        if (p instanceof AnalysisPlugin) k.add("analysis");
        if (p instanceof InterventionPlugin) k.add("intervention");
        if (p instanceof ViewPlugin) k.add("view");
        return k.isEmpty() ? "plugin" : String.join("+", k);
    }

    private static void printList(Plugins plugins, PrintWriter o) {
        o.printf("plugin API %s; folders: %s%n", PluginApi.VERSION, plugins.folders);
        for (LoadedPlugin p : plugins.plugins) {
            PluginInfo i = p.plugin().info();
            o.printf("%-22s %-12s %-6s %-12s %s%n", i.id(), kind(p.plugin()), i.version(), p.origin(), i.description());
            if (p.plugin() instanceof AnalysisPlugin a)
                for (ParameterSpec s : a.parameters())
                    o.printf("    --param %s=%s  %s%n", s.name(), s.defaultValue() == null ? "" : s.defaultValue(), s.description());
        }
        if (!plugins.refusals.isEmpty()) {
            o.println("refused:");
            for (PluginRefusal r : plugins.refusals) o.println("  " + r);
        }
    }

    static void print(AnalysisResult r, PrintWriter o) {
        o.println(r.title());
        for (AnalysisResult.Table t : r.tables()) {
            o.println();
            o.println("== " + t.name());
            int[] w = new int[t.columns().size()];
            for (int c = 0; c < w.length; c++) {
                w[c] = t.columns().get(c).length();
                for (List<String> row : t.rows()) w[c] = Math.max(w[c], row.get(c).length());
            }
            printRow(t.columns(), w, o);
            for (List<String> row : t.rows()) printRow(row, w, o);
        }
        for (String n : r.notes()) o.println("note: " + n);
    }

    private static void printRow(List<String> cells, int[] w, PrintWriter o) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) b.append(String.format("%-" + w[c] + "s  ", cells.get(c)));
        o.println(b.toString().stripTrailing());
    }

    /** Arrays as float32 .npy plus .csv (one line per row of a 2-D array), tables as .csv; names made file-safe. */
    static void write(AnalysisResult r, Path dir, PrintWriter o) throws IOException {
        Set<String> used = new HashSet<>();
        for (AnalysisResult.NamedArray a : r.arrays()) {
            String base = unique(safe(a.name()), used);
            long[] shape = Arrays.stream(a.shape()).asLongStream().toArray();
            Npy.writeFloat32(dir.resolve(base + ".npy"), a.data(), shape);
            int cols = a.shape().length == 0 ? 1 : a.shape()[a.shape().length - 1];
            StringBuilder csv = new StringBuilder();
            for (int i = 0; i < a.data().length; i++) {
                csv.append(a.data()[i]).append(i % cols == cols - 1 ? "\n" : ",");
            }
            Files.writeString(dir.resolve(base + ".csv"), csv);
        }
        for (AnalysisResult.Table t : r.tables()) {
            StringBuilder csv = new StringBuilder(csvLine(t.columns()));
            for (List<String> row : t.rows()) csv.append(csvLine(row));
            Files.writeString(dir.resolve(unique("table-" + safe(t.name()), used) + ".csv"), csv);
        }
        o.printf("wrote %d arrays and %d tables to %s%n", r.arrays().size(), r.tables().size(), dir);
    }

    private static String csvLine(List<String> cells) {
        return String.join(",", cells.stream().map(c -> c.contains(",") || c.contains("\"") || c.contains("\n") ? "\"" + c.replace("\"", "\"\"") + "\"" : c).toList()) + "\n";
    }

    private static String safe(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._-]+", "_");
        return s.isEmpty() ? "array" : s;
    }

    private static String unique(String base, Set<String> used) {
        String s = base;
        for (int i = 2; !used.add(s); i++) s = base + "-" + i;
        return s;
    }

    /**
     * Plugins from the class path and several folders: the first folder is discovered with the class path; the
     * others through a parent loader that hides the class path's service files, so class-path plugins are not seen
     * twice. An id seen again in a later folder is refused like a duplicate in one folder.
     */
    static final class Plugins implements AutoCloseable {
        final List<LoadedPlugin> plugins = new ArrayList<>();
        final List<PluginRefusal> refusals = new ArrayList<>();
        final List<Path> folders;
        private final List<PluginRegistry> registries = new ArrayList<>();

        private Plugins(List<Path> folders) { this.folders = List.copyOf(folders); }

        static Plugins discover(List<Path> folders) {
            Plugins all = new Plugins(folders);
            ClassLoader cp = PluginCommand.class.getClassLoader();
            ClassLoader hidden = new ClassLoader("plugin-folders", cp) {
                @Override
                public Enumeration<URL> getResources(String name) throws IOException {
                    return name.startsWith("META-INF/services/") ? Collections.emptyEnumeration() : super.getResources(name);
                }
            };
            List<Path> dirs = folders.isEmpty() ? Collections.singletonList(null) : folders;
            for (int i = 0; i < dirs.size(); i++) {
                PluginRegistry reg = PluginRegistry.discover(i == 0 ? cp : hidden, dirs.get(i));
                all.registries.add(reg);
                all.refusals.addAll(reg.refusals());
                for (LoadedPlugin p : reg.plugins()) {
                    if (all.find(p.id()) != null) all.refusals.add(new PluginRefusal(p.origin(), p.id(), "another plugin already uses the id '" + p.id() + "'"));
                    else all.plugins.add(p);
                }
            }
            return all;
        }

        LoadedPlugin find(String id) { return plugins.stream().filter(p -> p.id().equals(id)).findFirst().orElse(null); }

        @Override
        public void close() { registries.forEach(PluginRegistry::close); }
    }
}

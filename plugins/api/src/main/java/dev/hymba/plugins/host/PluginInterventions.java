package dev.hymba.plugins.host;

import dev.hymba.core.ablation.AblationSpec;
import dev.hymba.core.ablation.AblationSpecException;
import dev.hymba.core.ablation.PluginIntervention;
import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.hook.Hooks;
import dev.hymba.core.intervention.AblationCompiler;
import dev.hymba.core.model.RunOptions;
import dev.hymba.plugins.api.HookEdit;
import dev.hymba.plugins.api.InterventionPlugin;
import dev.hymba.plugins.bundled.InterventionHooks;

import java.util.*;

/**
 * The intervention plugins a host can see, by type: resolves the {@code "interventions"} entries of an
 * {@link AblationSpec} ({@code {"plugin": TYPE, "params": {...}}}), lets each plugin validate its params and compiles
 * them into hooks that run with the spec's built-in elements ({@link #compile(AblationSpec, HymbaConfig, RunOptions.Builder)}).
 * Errors are {@link AblationSpecException}s that name the entry, e.g.
 * {@code interventions[0].plugin: unknown intervention type "x" (known types: scale-branch)} or
 * {@code interventions[0].params: scale-branch rejected its params: params.layer: 6 is outside 0..5}.
 */
public final class PluginInterventions implements AblationCompiler.PluginCompiler {
    private static volatile PluginInterventions classPath;

    private final Map<String, InterventionPlugin> byType;

    private PluginInterventions(Collection<InterventionPlugin> plugins) {
        Map<String, InterventionPlugin> m = new TreeMap<>();
        for (InterventionPlugin p : plugins) {
            InterventionPlugin prev = m.putIfAbsent(p.type(), p);
            if (prev != null && prev != p)
                throw new IllegalArgumentException("two intervention plugins use the type '" + p.type() + "': " + prev.info().id() + " and " + p.info().id());
        }
        byType = Collections.unmodifiableMap(m);
    }

    public static PluginInterventions of(Collection<? extends InterventionPlugin> plugins) { return new PluginInterventions(List.copyOf(plugins)); }

    /** Every intervention plugin of a registry (class path and drop-in jars). */
    public static PluginInterventions of(PluginRegistry registry) { return of(registry.all(InterventionPlugin.class)); }

    /** The intervention plugins on the class path of this library (discovered once per JVM; executors, tests). */
    public static PluginInterventions classPath() {
        PluginInterventions p = classPath;
        if (p == null) {
            synchronized (PluginInterventions.class) {
                if (classPath == null) {
                    // no plugins folder: nothing to close
                    PluginRegistry reg = PluginRegistry.discover(PluginInterventions.class.getClassLoader(), null);
                    classPath = of(reg);
                }
                p = classPath;
            }
        }
        return p;
    }

    /** Known types, sorted. */
    public Set<String> types() { return byType.keySet(); }

    /** The plugin of a spec entry, or an error that names the unknown type and lists the known ones. */
    public InterventionPlugin resolve(PluginIntervention entry, String path) {
        InterventionPlugin p = byType.get(entry.type());
        if (p == null)
            throw new AblationSpecException(path + ".plugin", "unknown intervention type \"" + entry.type() + "\" (known types: "
                    + (byType.isEmpty() ? "none, no intervention plugin is loaded" : String.join(", ", byType.keySet())) + ")");
        return p;
    }

    /** Validates one entry: its one-line description, or the plugin's message naming the bad field. */
    public String validate(PluginIntervention entry, String path, HymbaConfig config) {
        InterventionPlugin p = resolve(entry, path);
        try {
            return p.validate(entry.params(), InterventionHooks.dims(config));
        } catch (RuntimeException e) {
            throw rejected(p, path, e);
        }
    }

    /** Validates every plugin entry of a spec against the model; their descriptions in spec order. */
    public List<String> validate(AblationSpec spec, HymbaConfig config) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < spec.plugins().size(); i++)
            out.add(validate(spec.plugins().get(i), AblationSpec.INTERVENTIONS + "[" + i + "]", config));
        return out;
    }

    @Override
    public Hooks compile(PluginIntervention entry, String path, HymbaConfig config) {
        validate(entry, path, config);
        InterventionPlugin p = resolve(entry, path);
        List<HookEdit> edits;
        try {
            edits = p.compile(entry.params(), InterventionHooks.dims(config));
            if (edits == null) throw new IllegalStateException("compile returned null");
            return InterventionHooks.of(edits);
        } catch (RuntimeException e) {
            throw rejected(p, path, e);
        }
    }

    /** The spec (built-in elements and plugin interventions) compiled onto {@code base}. */
    public AblationCompiler.Compiled compile(AblationSpec spec, HymbaConfig config, RunOptions.Builder base) {
        return AblationCompiler.compile(spec, config, base, this);
    }

    public AblationCompiler.Compiled compile(AblationSpec spec, HymbaConfig config) { return compile(spec, config, RunOptions.builder()); }

    private static AblationSpecException rejected(InterventionPlugin p, String path, RuntimeException e) {
        if (e instanceof AblationSpecException a) return a;
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        AblationSpecException x = e instanceof IllegalArgumentException
                ? new AblationSpecException(path + ".params", p.type() + " rejected its params: " + msg)
                : new AblationSpecException(path, p.type() + " failed: " + e.getClass().getSimpleName() + ": " + msg);
        x.initCause(e);
        return x;
    }
}

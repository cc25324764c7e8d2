package dev.hymba.plugins.host;

import dev.hymba.plugins.api.*;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;
import java.util.stream.Stream;

/**
 * Finds plugins with {@link ServiceLoader}: on the class path and in a plugins folder of drop-in jars (one class
 * loader per jar, so a broken jar cannot hide the others). Incompatible or broken plugins are refused with a reason.
 */
public final class PluginRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);

    private final List<LoadedPlugin> plugins;
    private final List<PluginRefusal> refusals;
    private final List<URLClassLoader> loaders;

    private PluginRegistry(List<LoadedPlugin> plugins, List<PluginRefusal> refusals, List<URLClassLoader> loaders) {
        this.plugins = List.copyOf(plugins);
        this.refusals = List.copyOf(refusals);
        this.loaders = loaders;
    }

    /** Discovers plugins visible to {@code parent} and in the jars of {@code pluginsDir} (may be null or absent). */
    public static PluginRegistry discover(ClassLoader parent, Path pluginsDir) {
        List<LoadedPlugin> found = new ArrayList<>();
        List<PluginRefusal> refused = new ArrayList<>();
        List<URLClassLoader> loaders = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        load(ServiceLoader.load(HymbaPlugin.class, parent), null, found, refused, ids);
        if (pluginsDir != null && Files.isDirectory(pluginsDir)) {
            List<Path> jars;
            try (Stream<Path> s = Files.list(pluginsDir)) {
                jars = s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
            } catch (IOException e) {
                refused.add(new PluginRefusal(pluginsDir.toString(), null, "cannot list the plugins folder: " + e.getMessage()));
                jars = List.of();
            }
            for (Path jar : jars) {
                String unreadable = unreadableJar(jar);
                if (unreadable != null) {
                    refused.add(new PluginRefusal(jar.getFileName().toString(), null, "not a readable jar file (" + unreadable + ")"));
                    continue;
                }
                URLClassLoader cl;
                try {
                    cl = new URLClassLoader("plugin:" + jar.getFileName(), new URL[]{jar.toUri().toURL()}, parent);
                } catch (MalformedURLException e) {
                    refused.add(new PluginRefusal(jar.getFileName().toString(), null, "bad path: " + e.getMessage()));
                    continue;
                }
                loaders.add(cl);
                int before = found.size() + refused.size();
                // Only providers defined by this jar's own loader: the parent's were loaded above already.
                ServiceLoader<HymbaPlugin> sl = ServiceLoader.load(HymbaPlugin.class, cl);
                loadFromJar(sl, cl, jar, found, refused, ids);
                if (found.size() + refused.size() == before)
                    refused.add(new PluginRefusal(jar.getFileName().toString(), null, "the jar declares no plugin (META-INF/services/" + HymbaPlugin.class.getName() + " missing or empty)"));
            }
        }
        for (PluginRefusal r : refused) LOG.warn("plugin refused: {}", r);
        return new PluginRegistry(found, refused, loaders);
    }

    private static void load(ServiceLoader<HymbaPlugin> sl, Path source, List<LoadedPlugin> found, List<PluginRefusal> refused, Set<String> ids) {
        Iterator<ServiceLoader.Provider<HymbaPlugin>> it = sl.stream().iterator();
        while (true) {
            ServiceLoader.Provider<HymbaPlugin> p;
            try {
                if (!it.hasNext()) break;
                p = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                refused.add(new PluginRefusal(origin(source), null, "cannot load a provider: " + e.getMessage()));
                continue;
            }
            accept(p, source, found, refused, ids);
        }
    }

    private static void loadFromJar(ServiceLoader<HymbaPlugin> sl, ClassLoader own, Path jar, List<LoadedPlugin> found, List<PluginRefusal> refused, Set<String> ids) {
        Iterator<ServiceLoader.Provider<HymbaPlugin>> it = sl.stream().iterator();
        while (true) {
            ServiceLoader.Provider<HymbaPlugin> p;
            try {
                if (!it.hasNext()) break;
                p = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                refused.add(new PluginRefusal(origin(jar), null, "cannot load a provider: " + e.getMessage()));
                continue;
            }
            if (p.type().getClassLoader() != own) continue;
            accept(p, jar, found, refused, ids);
        }
    }

    private static void accept(ServiceLoader.Provider<HymbaPlugin> p, Path source, List<LoadedPlugin> found, List<PluginRefusal> refused, Set<String> ids) {
        HymbaPlugin plugin;
        PluginInfo info;
        try {
            plugin = p.get();
            info = plugin.info();
        } catch (Throwable e) { // a plugin's constructor or info() may throw anything; it must not take the host down
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            refused.add(new PluginRefusal(origin(source), p.type().getName(), "failed to start: " + root));
            return;
        }
        if (info == null) {
            refused.add(new PluginRefusal(origin(source), p.type().getName(), "info() returned null"));
            return;
        }
        String why = PluginApi.incompatibility(info.apiVersion());
        if (why != null) {
            refused.add(new PluginRefusal(origin(source), info.id(), why));
            return;
        }
        if (!ids.add(info.id())) {
            refused.add(new PluginRefusal(origin(source), info.id(), "another plugin already uses the id '" + info.id() + "'"));
            return;
        }
        found.add(new LoadedPlugin(plugin, source));
    }

    private static String unreadableJar(Path jar) {
        try (java.util.jar.JarFile jf = new java.util.jar.JarFile(jar.toFile())) {
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    private static String origin(Path source) { return source == null ? "class path" : source.getFileName().toString(); }

    public List<LoadedPlugin> plugins() { return plugins; }

    public List<PluginRefusal> refusals() { return refusals; }

    public Optional<LoadedPlugin> find(String id) { return plugins.stream().filter(p -> p.id().equals(id)).findFirst(); }

    public <T extends HymbaPlugin> List<T> all(Class<T> kind) {
        return plugins.stream().map(LoadedPlugin::plugin).filter(kind::isInstance).map(kind::cast).toList();
    }

    @Override
    public void close() {
        for (URLClassLoader l : loaders) {
            try { l.close(); } catch (IOException e) { LOG.debug("closing {}", l, e); }
        }
    }
}

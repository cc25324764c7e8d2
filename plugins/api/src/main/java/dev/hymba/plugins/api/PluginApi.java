package dev.hymba.plugins.api;

/**
 * The version of the plugin API. A plugin declares the API version it was built against in {@link PluginInfo};
 * the host accepts it when the major versions are equal and the plugin's minor version is not newer than ours.
 */
public final class PluginApi {
    public static final int MAJOR = 1;
    public static final int MINOR = 0;
    public static final String VERSION = MAJOR + "." + MINOR;

    private PluginApi() {}

    /** Why a plugin built against {@code declared} cannot run here, or null if it can. */
    public static String incompatibility(String declared) {
        if (declared == null || !declared.matches("\\d+\\.\\d+")) return "declares API version '" + declared + "', expected MAJOR.MINOR";
        String[] p = declared.split("\\.");
        int major = Integer.parseInt(p[0]), minor = Integer.parseInt(p[1]);
        if (major != MAJOR) return "was built for plugin API " + declared + " but this workbench provides " + VERSION + " (major versions differ)";
        if (minor > MINOR) return "needs plugin API " + declared + " but this workbench provides only " + VERSION;
        return null;
    }
}

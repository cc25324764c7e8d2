package dev.hymba.core.io;

/** Shared setup of the Jazzer fuzz tests (see core/FUZZING.md). */
public final class FuzzSupport {
    private FuzzSupport() {}

    /**
     * In regression mode (no JAZZER_FUZZ) the fuzz tests only replay their corpus, which needs no instrumentation.
     * Without this Jazzer would still attach its agent to the shared test JVM and instrument every project class
     * loaded afterwards with its sanitizer hooks, costing the whole suite CPU time. Jazzer reads the option
     * {@code jazzer.hooks} from system properties when it first configures itself, which happens after
     * {@code @BeforeAll}. Fuzzing mode is untouched.
     */
    public static void noAgentInRegressionMode() {
        String fuzz = System.getenv("JAZZER_FUZZ");
        if ((fuzz == null || fuzz.isEmpty()) && System.getProperty("jazzer.hooks") == null) System.setProperty("jazzer.hooks", "false");
    }
}

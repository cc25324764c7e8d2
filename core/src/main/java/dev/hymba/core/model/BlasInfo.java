package dev.hymba.core.model;

import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Which OpenBLAS kernels the GEMMs run on. The OpenBLAS that ND4J bundles (0.3.21) predates AMD Zen 4/5 AVX-512
 * detection and picks its AVX2 (Haswell) kernels there; its AVX-512 (SkylakeX) kernels run our fp32 GEMMs about 1.8×
 * faster on such CPUs (measured on the 2-core AMD EPYC VM: 640×1600×8640 at 178 vs 330 GFLOP/s). The kernel set can
 * only be chosen before the library loads, through the environment variable OPENBLAS_CORETYPE, which {@code ./hymba}
 * sets; a JVM started some other way gets a one-time hint in the log.
 */
public final class BlasInfo {
    private static final Logger LOG = LoggerFactory.getLogger(BlasInfo.class);
    /** The CPU flags OpenBLAS' SkylakeX kernels need. */
    static final Set<String> AVX512_FLAGS = Set.of("avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl");
    private static volatile boolean hinted;

    private BlasInfo() {}

    /** OpenBLAS' name for the kernel set in use (e.g. "Haswell", "SkylakeX"), if the library exposes it. */
    public static Optional<String> coreName() {
        Nd4j.getBackend(); // make sure ND4J has loaded OpenBLAS
        try {
            var symbol = SymbolLookup.loaderLookup().find("openblas_get_corename");
            if (symbol.isEmpty()) return Optional.empty();
            var handle = Linker.nativeLinker().downcallHandle(symbol.get(), FunctionDescriptor.of(ValueLayout.ADDRESS));
            MemorySegment name = (MemorySegment) handle.invokeExact();
            return Optional.of(name.reinterpret(64).getString(0));
        } catch (Throwable e) { // a missing or differently built library: the name is informational only
            return Optional.empty();
        }
    }

    /** True when /proc/cpuinfo lists every flag the AVX-512 kernels need (false where it cannot be read). */
    static boolean cpuHasAvx512() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) return flagsAllowAvx512(line);
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    /** A /proc/cpuinfo "flags : …" line → whether it lists every flag the AVX-512 kernels need. */
    static boolean flagsAllowAvx512(String flagsLine) {
        int colon = flagsLine.indexOf(':');
        Set<String> flags = Set.of(flagsLine.substring(colon + 1).trim().split("\\s+"));
        return flags.containsAll(AVX512_FLAGS);
    }

    /** A line for benchmarks: the kernel set, and whether it was forced. */
    public static String describe() {
        String forced = System.getenv("OPENBLAS_CORETYPE");
        return "OpenBLAS kernels " + coreName().orElse("(unknown)")
                + (forced != null && !forced.isBlank() ? " (OPENBLAS_CORETYPE=" + forced + ")" : "");
    }

    /** Logs once when an AVX-512 CPU runs the AVX2 kernels, saying how to get the faster ones. */
    static void hintIfSlowKernels() {
        if (hinted) return;
        hinted = true;
        if (!cpuHasAvx512()) return;
        coreName().filter(n -> !n.toLowerCase().contains("skylakex") && !n.toLowerCase().contains("cooperlake")
                        && !n.toLowerCase().contains("sapphire"))
                .ifPresent(n -> LOG.warn("OpenBLAS runs its {} kernels on this AVX-512 CPU; start with OPENBLAS_CORETYPE=SkylakeX "
                        + "for about 1.8x faster GEMMs (./hymba does so)", n));
    }
}

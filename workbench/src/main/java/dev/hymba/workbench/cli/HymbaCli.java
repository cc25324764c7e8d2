package dev.hymba.workbench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The ./hymba command line. Subcommands are registered in {@link #commandLine()}. */
@Command(name = "hymba", mixinStandardHelpOptions = true, version = "Hymba Workbench 0.1.0",
        description = "Look inside NVIDIA's Hymba hybrid-head language model. With no command, opens the workbench.")
public final class HymbaCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(System.out); }

    public static CommandLine commandLine() {
        return new CommandLine(new HymbaCli());
    }

    /** Runs a command line and returns the exit code (0 ok, 2 bad input or failure). */
    public static int run(String... args) { return commandLine().execute(args); }
}

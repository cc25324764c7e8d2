package dev.hymba.workbench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/**
 * The ./hymba command line. Errors are one clear line on stderr and exit code 2; {@code --verbose} adds the stack
 * trace. These command forms are a contract other tools rely on (issue 2, 3, 4, 5, 6, 7).
 */
@Command(name = "hymba", mixinStandardHelpOptions = true, version = "Hymba Workbench " + HymbaCli.VERSION,
        description = "Look inside NVIDIA's Hymba hybrid-head language model. With no command, opens the workbench.",
        subcommands = {
                InfoCommand.class,
                TokenizeCommand.class,
                GenerateCommand.class,
                LogitsCommand.class,
                TraceCommand.class,
                CompareCommand.class,
                PatchCommand.class,
                FigureCommand.class,
                ReportCommand.class,
                ScreenshotCommand.class,
                PluginCommand.class,
                SweepCommand.class,
                EvalCommand.class,
                InitCommand.class,
                BenchCommand.class,
        })
public final class HymbaCli implements Runnable {
    public static final String VERSION = "0.1.0";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Shared by every subcommand. */
    @Option(names = "--verbose", description = "Print stack traces for errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    @Override
    public void run() { spec.commandLine().usage(System.out); }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new HymbaCli());
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            err.println("hymba " + cmd.getCommandName() + ": " + msg);
            boolean verbose = parseResult.asCommandLineList().stream().anyMatch(c -> c.getParseResult().hasMatchedOption("--verbose"));
            if (verbose) ex.printStackTrace(err);
            err.flush();
            return 2;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("hymba " + ex.getCommandLine().getCommandName() + ": " + ex.getMessage());
            err.println("Try 'hymba " + (ex.getCommandLine().getParent() == null ? "" : ex.getCommandLine().getCommandName() + " ") + "--help'.");
            err.flush();
            return 2;
        });
        return cl;
    }

    /** Runs a command line and returns the exit code (0 ok, 2 bad input or failure). */
    public static int run(String... args) { return commandLine().execute(args); }
}

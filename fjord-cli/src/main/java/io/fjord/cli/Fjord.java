package io.fjord.cli;

import io.fjord.server.FjordNode;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fjord} program. Errors are one line on stderr and a non-zero exit, never a stack trace. */
@Command(name = "fjord",
        mixinStandardHelpOptions = true,
        versionProvider = Fjord.Version.class,
        description = "A Kafka-compatible event streaming platform.",
        subcommands = {ServerCommand.class, ClusterCommand.class, CommandLine.HelpCommand.class})
public final class Fjord implements Runnable {
    /** Exit code of a command line that does not parse. */
    static final int USAGE_ERROR = 2;
    /** Exit code of a command that parsed but could not do its job (bad setting, port taken, ...). */
    static final int FAILURE = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required, e.g. 'fjord server' or 'fjord cluster'");
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("server")) {
            // Overlap the node's class loading with parsing the command line: time to ready matters.
            FjordNode.warmUp();
            ServerCommand plain = PlainServerArgs.parse(args);
            if (plain != null) {
                System.exit(plain.callOutsidePicocli());
            }
        }
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Fjord());
        cli.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("fjord: error: " + e.getMessage());
            err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
            return USAGE_ERROR;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("fjord: error: " + oneLine(e));
            return FAILURE;
        });
        return cli;
    }

    /** A message fit for one line: an exception's message, or its type when it has none. */
    static String oneLine(Throwable e) {
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return message.replace('\n', ' ').replace('\r', ' ');
    }

    /** The version from the jar's manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Fjord.class.getPackage().getImplementationVersion();
            return new String[] {"fjord " + (v != null ? v : "development")};
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code kiln} launcher: {@code kiln summary FILE [--json]} and the other sub-commands run headless; no
 * arguments (the bundled sample) or files alone open the desktop app ({@link Gui}), or print their summary when
 * there is no display. Kept apart from any JavaFX class so that the CLI starts
 * from the class path without the toolkit.
 */
public final class Main {
    /** Exit codes shared by every sub-command. */
    public static final int OK = 0, BAD_INPUT = 2, USAGE = 64;

    /** The command words, in the order of {@code kiln help}. */
    static final List<String> COMMANDS = List.of("summary", "tree", "peek", "list", "graph", "threads", "locks", "allocs",
            "events", "gc", "env", "findings", "diff", "export", "report", "record", "fetch", "help");

    private Main() { }

    /**
     * Whether a first argument that is no command is meant as one: a bare word ({@code top}, {@code sumary}) naming no
     * file. Anything with a dot or a path separator, or an existing file, is a file for the window to open.
     */
    static boolean looksLikeCommand(String arg) {
        return arg.matches("[A-Za-z][A-Za-z0-9-]*") && !java.nio.file.Files.exists(java.nio.file.Path.of(arg));
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) return Gui.open(List.of(), out, err);
        if (args.length == 1 && args[0].equals("--sample")) { // the window on the bundled sample capture itself
            try {
                return Gui.open(List.of(Cli.sampleCapture().toString()), out, err);
            } catch (java.io.IOException e) {
                err.println("kiln: cannot unpack the bundled sample: " + e.getMessage());
                return BAD_INPUT;
            }
        }
        if (args.length == 2 && (args[1].equals("--help") || args[1].equals("-h"))) {
            String usage = switch (args[0]) {
                case "summary" -> Cli.USAGE_TEXT;
                case "tree" -> TreeCommand.USAGE_TEXT;
                case "threads" -> ThreadsCommand.USAGE;
                case "locks" -> LocksCommand.USAGE;
                case "allocs" -> AllocsCommand.USAGE;
                case "findings" -> FindingsCommand.USAGE;
                case "diff" -> DiffCommand.USAGE;
                case "export" -> ExportCommand.USAGE;
                case "report" -> ReportCommand.USAGE;
                case "record" -> RecordCommand.USAGE;
                case "fetch" -> FetchCommand.USAGE;
                case "peek" -> PeekCommand.USAGE;
                case "list" -> ListCommand.USAGE;
                case "graph" -> GraphCommand.USAGE;
                case "events" -> EventsCommand.USAGE;
                case "gc" -> GcCommand.USAGE;
                case "env" -> EnvCommand.USAGE;
                default -> null;
            };
            if (usage != null) {
                out.print(usage);
                return OK;
            }
        }
        switch (args[0]) {
            case "summary":
                return Cli.summary(Arrays.copyOfRange(args, 1, args.length), out, err);
            case "tree": return TreeCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
            case "threads": return ThreadsCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
            case "locks": return LocksCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
            case "allocs": return AllocsCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
            case "findings": return FindingsCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
            case "diff": return DiffCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
            case "export": return ExportCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
            case "report": return ReportCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
            case "record": return RecordCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
            case "fetch": return FetchCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
            case "peek": return PeekCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
            case "list": return ListCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
            case "graph": return GraphCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
            case "events": return EventsCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
            case "gc": return GcCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
            case "env": return EnvCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
            case "-h", "--help", "help":
                out.print(Cli.USAGE_TEXT);
                return OK;
            default:
                if (args[0].startsWith("-")) {
                    err.println("kiln: unknown option " + args[0]);
                    err.print(Cli.USAGE_TEXT);
                    return USAGE;
                }
                if (looksLikeCommand(args[0])) {
                    err.println("kiln: unknown command '" + args[0] + "' (and no file of that name)");
                    err.println("kiln: the commands are " + String.join(", ", COMMANDS) + "; `kiln help` says what each does");
                    return USAGE;
                }
                for (String a : args) {
                    if (a.startsWith("-")) {
                        err.println("kiln: unknown option " + a);
                        err.print(Cli.USAGE_TEXT);
                        return USAGE;
                    }
                }
                // Files alone: the desktop app opens each in a tab (a diff of two comes later).
                return Gui.open(Arrays.asList(args), out, err);
        }
    }
}

package dev.weft.app;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The {@code weft} command line: {@code agent}, {@code status}, {@code doctor}, {@code cleanup}.
 * The option model is generated from {@link Flags} ({@link #newCommandLine()}); parsing yields
 * raw strings merged with {@code WEFT_*} environment variables ({@link FlagValues}), validated
 * into config records by {@link AgentConfigParser} and {@link RequestParser}. Exit codes:
 * 0 success, 1 failure or drift, 2 bad flags, environment or config. Nothing here calls
 * {@code System.exit}; {@link Main} does.
 */
public final class WeftCli {
    /** Success. */
    public static final int OK = 0;
    /** A command failed, or {@code status}/{@code doctor} found a problem. */
    public static final int FAILED = 1;
    /** Bad flags, environment variables or configuration. */
    public static final int USAGE = 2;

    private WeftCli() {
    }

    /** The whole command tree, with every flag the commands accept; no behaviour attached. */
    public static CommandLine newCommandLine() {
        CommandSpec root = CommandSpec.create().name("weft").mixinStandardHelpOptions(true).version(version());
        root.usageMessage().description("weft: a Flannel-compatible VXLAN overlay network for Kubernetes.");
        CommandLine cl = new CommandLine(root);
        cl.addSubcommand("agent", command("agent", "Run the node agent: lease, VXLAN device, peers, subnet.env, health and metrics.", Flags.AGENT));
        cl.addSubcommand("status", command("status", "Show this node's lease, device and peers; exit 1 when anything has drifted.", Flags.STATUS));
        cl.addSubcommand("doctor", command("doctor", "Check the host for the usual overlay problems; each line OK, WARN or FAIL with a fix.", Flags.DOCTOR));
        cl.addSubcommand("cleanup", command("cleanup", "Remove the VXLAN device and every route weft wrote (VXLAN, "
                + "DirectRouting, host-gw), its firewall rules, and subnet.env.", Flags.CLEANUP));
        cl.setOverwrittenOptionsAllowed(true);
        return cl;
    }

    /** Parses {@code args}, runs the command, returns the exit code. */
    public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err, WeftServices services) {
        CommandLine cl = newCommandLine();
        cl.setOut(out);
        cl.setErr(err);
        ParseResult pr;
        try {
            pr = cl.parseArgs(args);
        } catch (ParameterException e) {
            String name = e.getCommandLine().getCommandSpec().qualifiedName();
            err.println(name + ": " + e.getMessage() + " (see '" + name + " --help')");
            err.flush();
            return USAGE;
        }
        if (CommandLine.printHelpIfRequested(pr)) {
            out.flush();
            return OK;
        }
        if (!pr.hasSubcommand()) {
            err.println("weft: missing command");
            cl.usage(err);
            err.flush();
            return USAGE;
        }
        return dispatch(pr.subcommand(), env, out, err, services);
    }

    private static int dispatch(ParseResult sub, Map<String, String> env, PrintWriter out, PrintWriter err, WeftServices services) {
        String name = sub.commandSpec().name();
        FlagValues flags = new FlagValues(explicit(sub, flagsOf(name)), env);
        try {
            return switch (name) {
                case "agent" -> Commands.agent(flags, services);
                case "status" -> Commands.status(flags, services, out);
                case "doctor" -> Commands.doctor(flags, services, out);
                case "cleanup" -> Commands.cleanup(flags, services, out, err);
                default -> throw new IllegalStateException("unknown command " + name);
            };
        } catch (ConfigException e) {
            err.println("weft " + name + ": " + e.getMessage());
            return USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("weft " + name + ": interrupted");
            return FAILED;
        } catch (Exception e) {
            err.println("weft " + name + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return FAILED;
        } finally {
            out.flush();
            err.flush();
        }
    }

    static List<FlagDef> flagsOf(String command) {
        return switch (command) {
            case "agent" -> Flags.AGENT;
            case "status" -> Flags.STATUS;
            case "doctor" -> Flags.DOCTOR;
            case "cleanup" -> Flags.CLEANUP;
            default -> List.of();
        };
    }

    private static CommandSpec command(String name, String description, List<FlagDef> flags) {
        CommandSpec spec = CommandSpec.create().name(name).mixinStandardHelpOptions(true).version(version());
        spec.usageMessage().description(description);
        flags.forEach(f -> spec.addOption(f.toOption()));
        return spec;
    }

    /** The flags given on the command line, keyed by canonical name, as raw strings. */
    private static Map<String, List<String>> explicit(ParseResult sub, List<FlagDef> defs) {
        Map<String, List<String>> given = new HashMap<>();
        for (FlagDef d : defs) {
            OptionSpec o = sub.matchedOption(d.name());
            if (o != null) {
                Object v = o.getValue();
                given.put(d.name(), v instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of(String.valueOf(v)));
            }
        }
        return given;
    }

    private static String version() {
        String v = Optional.ofNullable(WeftCli.class.getPackage().getImplementationVersion()).orElse("development build");
        return "weft " + v;
    }
}

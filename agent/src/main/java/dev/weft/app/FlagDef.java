package dev.weft.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import picocli.CommandLine.Model.OptionSpec;

/**
 * One command-line flag, defined once: its names, its help text, and the environment variable
 * that stands in for it ({@code WEFT_} + the first name upper-cased, dashes to underscores).
 * The picocli option is generated from this record, so the help, the parser and the env lookup
 * cannot disagree.
 *
 * @param names       the flag's names, canonical first ({@code --kubeconfig}, then aliases)
 * @param label       the value placeholder shown in help
 * @param description what it does
 * @param kind        how many values it takes
 * @param defaultText the default shown in help, if any
 */
public record FlagDef(List<String> names, String label, String description, Kind kind, Optional<String> defaultText) {
    /** How a flag takes values. */
    public enum Kind {
        /** One value; given twice, the last wins. */
        VALUE,
        /** Repeatable; the environment variable holds a comma-separated list. */
        LIST,
        /** A boolean: {@code --ip-masq}, {@code --ip-masq=true|false}. */
        SWITCH
    }

    public FlagDef {
        names = List.copyOf(names);
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(defaultText, "defaultText");
        if (names.isEmpty() || !names.getFirst().startsWith("--")) {
            throw new IllegalArgumentException("a flag needs a --name first: " + names);
        }
    }

    /** The canonical name, e.g. {@code --healthz-port}. */
    public String name() {
        return names.getFirst();
    }

    /** {@code WEFT_HEALTHZ_PORT} for {@code --healthz-port}. */
    public String envName() {
        return "WEFT_" + name().substring(2).toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The picocli option for this flag; its value is always the raw string(s), validated later. */
    OptionSpec toOption() {
        List<String> help = new ArrayList<>();
        help.add(description);
        String env = "Env: " + envName() + (kind == Kind.LIST ? " (comma-separated)" : "") + ".";
        help.add(defaultText.map(d -> "Default: " + d + ". " + env).orElse(env));
        OptionSpec.Builder b = OptionSpec.builder(names.toArray(String[]::new))
                .paramLabel(label)
                .description(help.toArray(String[]::new));
        return switch (kind) {
            case VALUE -> b.type(String.class).arity("1").build();
            case LIST -> b.type(List.class).auxiliaryTypes(String.class).arity("1").build();
            case SWITCH -> b.type(String.class).arity("0..1").fallbackValue("true").build();
        };
    }
}

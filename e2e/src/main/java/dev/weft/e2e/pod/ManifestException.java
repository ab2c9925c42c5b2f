package dev.weft.e2e.pod;

/**
 * A manifest the harness cannot turn into containers: a field it does not know, a value it cannot
 * map, or one that is missing. The message starts with the field's path in the DaemonSet, e.g.
 * {@code spec.template.spec.containers[agent].env[2].valueFrom}.
 */
public final class ManifestException extends IllegalArgumentException {
    private final String path;

    public ManifestException(String path, String problem) {
        super(path + ": " + problem);
        this.path = path;
    }

    /** The path of the offending field. */
    public String path() {
        return path;
    }
}

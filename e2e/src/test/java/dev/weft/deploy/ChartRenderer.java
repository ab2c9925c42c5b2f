package dev.weft.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders charts/weft with Helm's own engine (helm-java runs the Go library in-process, so no
 * helm binary and no cluster are needed). Release "weft" in namespace "kube-weft", as the
 * install docs use.
 */
final class ChartRenderer {
    static final String RELEASE = "weft";
    static final String NAMESPACE = "kube-weft";

    private final Map<String, Object> sets = new LinkedHashMap<>();
    private Path valuesFile;

    static ChartRenderer defaults() {
        return new ChartRenderer();
    }

    /** Like {@code helm template --set key=value}: Helm parses the value (true, 42, text). */
    ChartRenderer set(String key, Object value) {
        sets.put(key, value);
        return this;
    }

    ChartRenderer valuesFile(Path file) {
        this.valuesFile = file;
        return this;
    }

    /** The rendered YAML; throws IllegalStateException with Helm's message when rendering fails. */
    String yaml() {
        TemplateCommand cmd = new Helm(RepoPaths.chart()).template().withName(RELEASE).withNamespace(NAMESPACE);
        if (valuesFile != null) {
            cmd = cmd.withValuesFile(valuesFile);
        }
        for (Map.Entry<String, Object> e : sets.entrySet()) {
            cmd = cmd.set(e.getKey(), e.getValue());
        }
        return cmd.call();
    }

    Manifest manifest() {
        return Manifest.parse(yaml());
    }

    static LintResult lintStrict() {
        return new Helm(RepoPaths.chart()).lint().strict().call();
    }
}

package dev.weft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

class HelmLintTest {

    @Test
    void chartLintsCleanInStrictMode() {
        LintResult result = ChartRenderer.lintStrict();

        // INFO lines are suggestions (e.g. "icon is recommended"); warnings and errors are not accepted
        assertThat(result.getMessages()).as("helm lint --strict").noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
        assertThat(result.isFailed()).as("helm lint --strict failed: %s", result.getMessages()).isFalse();
    }
}

package dev.weft.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Collectors;

import dev.weft.testing.KernelTest;
import org.junit.jupiter.api.Test;

/**
 * The bench command's smoke run (small sizes): every bench B1..B7 runs to the end and reports
 * figures. It checks that the benches work, never how fast anything is: targets are the bench's
 * business, printed in its table.
 */
@KernelTest
class BenchSmokeClusterIT {

    @Test
    void everyBenchRunsAndReports() {
        Bench.Result r = Bench.run(Scale.SMOKE, Set.of(), System.err);
        System.out.println(r.markdown());

        assertThat(r.rows()).as("rows of a failed bench:%n%s", r.markdown())
                .noneMatch(row -> row.verdict() == Row.Verdict.FAILED);
        assertThat(r.allRan()).isTrue();
        Set<String> ids = r.rows().stream().map(Row::id).collect(Collectors.toSet());
        assertThat(ids).containsExactlyInAnyOrderElementsOf(
                Bench.parts().stream().map(BenchPart::id).collect(Collectors.toSet()));
        assertThat(r.rows()).allSatisfy(row -> assertThat(row.weft()).matches(".*\\d.*"));
        assertThat(r.markdown()).contains("Machine: ").contains("| bench | measure | weft |");
    }
}

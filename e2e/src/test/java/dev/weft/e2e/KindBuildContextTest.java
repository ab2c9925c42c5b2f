package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import dev.weft.e2e.cluster.Artifacts;
import org.junit.jupiter.api.Test;

/** The image build context KindClusterIT sends: sources only, as deploy/Dockerfile.dockerignore asks. */
class KindBuildContextTest {

    @Test
    void sourcesWithoutBuildOutputOrGitMetadata() throws Exception {
        Path repo = Artifacts.locate().repo();
        List<String> files = KindClusterIT.buildContext(repo).stream().map(p -> repo.relativize(p).toString()).toList();
        assertThat(files).contains("pom.xml", "mvnw", "deploy/Dockerfile", "agent/pom.xml", ".mvn/jdk.sh")
                .noneMatch(f -> f.equals(".git") || f.startsWith(".git/"))
                .noneMatch(f -> f.startsWith("target/") || f.contains("/target/"))
                .noneMatch(f -> f.startsWith(".sandbox/"))
                .noneMatch(f -> f.endsWith(".iml") && !f.contains("/"));
    }
}

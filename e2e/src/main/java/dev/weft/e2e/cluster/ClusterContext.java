package dev.weft.e2e.cluster;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What every node of one cluster shares.
 *
 * @param annotationPrefix the agents' {@code --annotation-prefix}; empty for weft's default (flannel's)
 * @param image            present when agents run from the image under test; then kubeconfig, netConf and
 *                         cniBinDir are not used by the agents (they come from the manifest)
 */
record ClusterContext(Artifacts artifacts, Path kubeconfig, Path netConf, Path cniBinDir, Optional<String> annotationPrefix,
                      Optional<ImageSetup> image) {
    ClusterContext(Artifacts artifacts, Path kubeconfig, Path netConf, Path cniBinDir, Optional<String> annotationPrefix) {
        this(artifacts, kubeconfig, netConf, cniBinDir, annotationPrefix, Optional.empty());
    }
}

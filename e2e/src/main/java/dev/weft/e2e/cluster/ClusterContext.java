package dev.weft.e2e.cluster;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What every node of one cluster shares.
 *
 * @param annotationPrefix the agents' {@code --annotation-prefix}; empty for weft's default (flannel's)
 */
record ClusterContext(Artifacts artifacts, Path kubeconfig, Path netConf, Path cniBinDir, Optional<String> annotationPrefix) {
}

package dev.weft.e2e.cluster;

import java.nio.file.Path;

/** What every node of one cluster shares. */
record ClusterContext(Artifacts artifacts, Path kubeconfig, Path netConf, Path cniBinDir) {
}

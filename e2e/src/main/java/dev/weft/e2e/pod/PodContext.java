package dev.weft.e2e.pod;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a kubelet knows about the one pod of the DaemonSet on one node, as the harness plays it.
 *
 * @param nodeName         spec.nodeName
 * @param podName          metadata.name
 * @param hostIp           status.hostIP (and podIP: the pod is hostNetwork)
 * @param netns            the node's network namespace, which every container joins
 * @param hostRoot         the node's own file system: hostPath P is {@code hostRoot + P}
 * @param podDir           where this pod's configMap and emptyDir volumes and token live
 * @param apiServer        KUBERNETES_SERVICE_HOST and _PORT, as the kubelet sets them
 * @param serviceAccount   the directory mounted at {@link ContainerCommand#SERVICE_ACCOUNT_DIR}, when the
 *                         template mounts the token
 * @param image            the image every container runs (the manifest's image: is replaced)
 * @param containerPrefix  names of the containers: prefix + container name ({@code wt-<pid>-c1-node1-agent})
 * @param logDir           one log file per container
 */
public record PodContext(String nodeName, String podName, String hostIp, Path netns, Path hostRoot, Path podDir,
                         Map<String, String> apiServer, Optional<Path> serviceAccount, String image,
                         String containerPrefix, Path logDir) {

    /** The node's path standing for host path {@code hostPath} (already validated as plain and absolute). */
    public Path host(String hostPath) {
        return hostRoot.resolve(hostPath.substring(1));
    }

    public String containerName(String container) {
        return containerPrefix + container;
    }

    public Path log(String container) {
        return logDir.resolve(container + ".log");
    }
}

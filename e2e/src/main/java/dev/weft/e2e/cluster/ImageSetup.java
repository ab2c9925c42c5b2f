package dev.weft.e2e.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.weft.e2e.pod.PodTemplate;
import dev.weft.e2e.pod.PodTemplateParser;
import dev.weft.e2e.pod.PodmanCli;

/**
 * What every node of a cluster running {@link ClusterSpec#agentImage()} shares: the image, the
 * DaemonSet's pod template read from deploy/weft.yaml, how pods reach the API server (its address
 * as KUBERNETES_SERVICE_HOST/PORT and a service account token with the server's CA), and the
 * script that shows a node's own file system to the CNI plugins the runtime runs on it.
 *
 * @param manifest the manifest file the template came from (named in errors)
 */
public record ImageSetup(String image, Path manifest, PodTemplate template, PodmanCli podman,
                         Map<String, String> apiServer, String token, String caPem, Path hostViewScript) {
    /** The DaemonSet the harness runs. */
    public static final String DAEMON_SET = "weft";
    /** Where the harness's container runtime looks for CNI plugins and configs on a node: containerd's defaults. */
    public static final String RUNTIME_CNI_BIN_DIR = "/opt/cni/bin";
    public static final String RUNTIME_CNI_CONF_DIR = "/etc/cni/net.d";
    /** The runtime's own CNI state on a node (host-local's leases, the shim's saved configs). */
    public static final String RUNTIME_CNI_STATE_DIR = "/var/lib/cni";

    /** Reads the manifest's DaemonSet; a field the harness cannot map fails here, naming the file and the field. */
    static PodTemplate readTemplate(Path manifest) throws IOException {
        try {
            return PodTemplateParser.parse(Files.readString(manifest), DAEMON_SET);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(manifest + ", DaemonSet " + DAEMON_SET + ": " + e.getMessage(), e);
        }
    }

    /** Writes the host-view script into {@code dir}. */
    static Path writeHostViewScript(Path dir) throws IOException {
        Path f = dir.resolve("node-host-view.sh");
        try (InputStream in = ImageSetup.class.getResourceAsStream("/dev/weft/e2e/pod/node-host-view.sh")) {
            if (in == null) {
                throw new IOException("node-host-view.sh is missing from the e2e classes");
            }
            Files.write(f, in.readAllBytes());
        }
        return f;
    }
}

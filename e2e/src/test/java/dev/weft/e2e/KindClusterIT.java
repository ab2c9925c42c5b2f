package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.e2e.cluster.Artifacts;
import dev.weft.net.IpPrefix;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * Tier 5 (DESIGN.md): the weft image built from {@code deploy/Dockerfile}, installed with
 * {@code deploy/weft.yaml} into a real two-node cluster with no other pod network, and two pods
 * on different nodes pinging each other. Skipped, saying so, where no Docker engine is reachable;
 * {@code ./dev test} lets this suite, and only this one, skip under {@code CI=true}.
 *
 * <p>The cluster is k3s, not Kind, although the suite keeps the name {@code ./dev} knows it by:
 * the Testcontainers module for Kind (kindcontainer 1.4.10, {@code KindContainer}) starts a single
 * node and always applies Kind's default CNI, kindnet, with no option to leave it out. k3s started
 * with {@code --flannel-backend=none --disable-network-policy} runs no pod network at all, as
 * {@code deploy/k3s.md} describes; Testcontainers' k3s module runs the server, and a second
 * {@code rancher/k3s} container joins it as an agent on a shared Docker network.
 *
 * <p>Testcontainers builds with the Docker engine's classic builder, which has no
 * {@code RUN --mount}; the Dockerfile's Maven cache mount (a speed-up only) is dropped for this
 * build and everything else is used as written. The build context is the repository minus
 * {@code deploy/Dockerfile.dockerignore}, as BuildKit would send it.
 */
class KindClusterIT {
    private static final String NO_DOCKER = "no Docker engine reachable (DOCKER_HOST, /var/run/docker.sock or "
            + "~/.testcontainers.properties): the Kind suite runs its cluster in containers and needs one; it is the "
            + "only suite allowed to skip (./dev test fails under CI=true when any other one skipped)";
    private static final DockerImageName K3S = DockerImageName.parse("rancher/k3s:v1.32.3-k3s1");
    private static final String IMAGE_REPO = "localhost/weft";
    private static final String IMAGE_TAG = "kind-e2e";
    private static final String IMAGE = IMAGE_REPO + ":" + IMAGE_TAG;
    private static final String SERVER_ALIAS = "k3s-server";
    private static final String TOKEN = "weft-e2e-" + UUID.randomUUID();
    private static final String CACHE_MOUNT = "--mount=type=cache,target=/root/.m2 ";
    private static final String TEST_NAMESPACE = "weft-e2e";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static boolean docker;
    private static Network network;
    private static K3sContainer server;
    private static GenericContainer<?> agent;
    private static KubernetesClient client;
    private static String weftNetwork;

    @BeforeAll
    @Timeout(value = 45, unit = TimeUnit.MINUTES)
    static void clusterWithWeft() throws Exception {
        docker = DockerClientFactory.instance().isDockerAvailable();
        if (!docker) {
            return; // each test is skipped with the reason: an abort here would leave no trace in Surefire's report
        }
        Path repo = Artifacts.locate().repo();
        buildImage(repo);
        startCluster();
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(server.getKubeConfigYaml())).build();
        await(Duration.ofMinutes(3), "both k3s nodes registered", () -> client.nodes().list().getItems().size() == 2);
        Path tar = saveImage();
        loadImage(server, tar);
        loadImage(agent, tar);
        installWeft(repo);
        await(Duration.ofMinutes(5), "the weft DaemonSet ready on both nodes", KindClusterIT::daemonSetReady);
        await(Duration.ofMinutes(3), "both nodes Ready (their CNI config is in place)",
                () -> client.nodes().list().getItems().stream().allMatch(KindClusterIT::ready));
    }

    @BeforeEach
    void dockerEngine() {
        Assumptions.assumeTrue(docker, NO_DOCKER);
    }

    @AfterAll
    static void stopCluster() {
        if (client != null) {
            client.close();
        }
        if (agent != null) {
            agent.stop();
        }
        if (server != null) {
            server.stop();
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void podsOnTwoNodesReachEachOther() throws Exception {
        List<Node> nodes = client.nodes().list().getItems();
        assertThat(nodes).hasSize(2);
        for (Node n : nodes) {
            String podCidr = n.getSpec().getPodCIDR();
            assertThat(podCidr).as("%s has a podCIDR from k3s", n.getMetadata().getName()).isNotNull();
            assertThat(IpPrefix.parseCidr(weftNetwork).contains(IpPrefix.parseCidr(podCidr)))
                    .as("%s's podCIDR %s inside weft.yaml's Network %s", n.getMetadata().getName(), podCidr, weftNetwork)
                    .isTrue();
            assertThat(n.getMetadata().getAnnotations()).as("weft's annotations on %s", n.getMetadata().getName())
                    .containsEntry(DataPlane.PREFIX + "backend-type", "vxlan")
                    .containsKey(DataPlane.PREFIX + "public-ip");
        }
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(TEST_NAMESPACE).endMetadata()
                .build()).create();
        Pod a = runPod("a", nodes.get(0));
        Pod b = runPod("b", nodes.get(1));
        assertThat(IpPrefix.parseCidr(nodes.get(0).getSpec().getPodCIDR()).contains(InetAddress.getByName(ip(a))))
                .as("pod a's IP %s from its node's subnet", ip(a)).isTrue();
        assertThat(IpPrefix.parseCidr(nodes.get(1).getSpec().getPodCIDR()).contains(InetAddress.getByName(ip(b))))
                .as("pod b's IP %s from its node's subnet", ip(b)).isTrue();
        assertPing(a, ip(b));
        assertPing(b, ip(a));
    }

    // ---- the image

    // withDockerfilePath names the Dockerfile inside the context sent; its replacement, withDockerfile(Path), would
    // have docker-java build a context of its own from the Dockerfile's host directory instead.
    @SuppressWarnings("deprecation")
    private static void buildImage(Path repo) throws Exception {
        String dockerfile = Files.readString(repo.resolve("deploy/Dockerfile"));
        String classic = dockerfile.replace(CACHE_MOUNT, "");
        assertThat(classic).as("deploy/Dockerfile without its cache mount").isNotEqualTo(dockerfile)
                .doesNotContain("--mount");
        ImageFromDockerfile image = new ImageFromDockerfile(IMAGE, true)
                .withFileFromString("deploy/Dockerfile.kind-e2e", classic)
                .withDockerfilePath("deploy/Dockerfile.kind-e2e");
        for (Path f : buildContext(repo)) {
            image.withFileFromPath(repo.relativize(f).toString(), f);
        }
        image.get(30, TimeUnit.MINUTES);
    }

    /** Files of the repository that BuildKit would send, given {@code deploy/Dockerfile.dockerignore}. */
    static List<Path> buildContext(Path repo) throws IOException {
        List<PathMatcher> ignored = new ArrayList<>();
        for (String line : Files.readAllLines(repo.resolve("deploy/Dockerfile.dockerignore"))) {
            String p = line.strip();
            if (p.isEmpty() || p.startsWith("#")) {
                continue;
            }
            if (p.startsWith("!")) {
                throw new IllegalStateException("exception patterns are not handled here: " + p);
            }
            ignored.add(FileSystems.getDefault().getPathMatcher("glob:" + p));
            if (p.startsWith("**/")) { // Docker's **/ also matches at the top level
                ignored.add(FileSystems.getDefault().getPathMatcher("glob:" + p.substring(3)));
            }
        }
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(repo, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                Path rel = repo.relativize(dir);
                return ignored.stream().anyMatch(m -> m.matches(rel)) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                Path rel = repo.relativize(file);
                if (attrs.isRegularFile() && ignored.stream().noneMatch(m -> m.matches(rel))) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return files;
    }

    /** The built image as a tar, for containerd inside the k3s containers (they cannot pull a local image). */
    private static Path saveImage() throws IOException {
        Path tar = Files.createTempFile("weft-image-", ".tar");
        tar.toFile().deleteOnExit();
        try (InputStream in = DockerClientFactory.instance().client().saveImageCmd(IMAGE_REPO).withTag(IMAGE_TAG).exec()) {
            Files.copy(in, tar, StandardCopyOption.REPLACE_EXISTING);
        }
        return tar;
    }

    private static void loadImage(GenericContainer<?> node, Path tar) throws Exception {
        node.copyFileToContainer(MountableFile.forHostPath(tar), "/tmp/weft-image.tar");
        ExecResult r = node.execInContainer("k3s", "ctr", "-n", "k8s.io", "images", "import", "/tmp/weft-image.tar");
        assertThat(r.getExitCode()).as("importing the image into %s: %s%s", node.getContainerName(), r.getStdout(),
                r.getStderr()).isZero();
    }

    // ---- the cluster

    private static void startCluster() {
        network = Network.newNetwork();
        // The module waits for a log line of k3s's embedded flannel, which --flannel-backend=none never starts.
        server = new K3sContainer(K3S)
                .withNetwork(network)
                .withNetworkAliases(SERVER_ALIAS)
                .withCommand("server", "--disable=traefik", "--flannel-backend=none", "--disable-network-policy",
                        "--token=" + TOKEN, "--tls-san=" + SERVER_ALIAS, "--tls-san=" + DockerClientFactory.instance()
                                .dockerHostIpAddress())
                .withFileSystemBind("/lib/modules", "/lib/modules", BindMode.READ_ONLY)
                .waitingFor(Wait.forLogMessage(".*k3s is up and running.*", 1).withStartupTimeout(Duration.ofMinutes(3)));
        server.start();
        // Set up as the module sets up its server container. Both get the host's /lib/modules, as Kind's nodes do:
        // the weft DaemonSet mounts it.
        agent = new GenericContainer<>(K3S)
                .withNetwork(network)
                .withPrivilegedMode(true)
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withCgroupnsMode("host"))
                .withFileSystemBind("/sys/fs/cgroup", "/sys/fs/cgroup", BindMode.READ_WRITE)
                .withFileSystemBind("/lib/modules", "/lib/modules", BindMode.READ_ONLY)
                .withTmpFs(Map.of("/run", "", "/var/run", ""))
                .withEnv("K3S_URL", "https://" + SERVER_ALIAS + ":" + K3sContainer.KUBE_SECURE_PORT)
                .withEnv("K3S_TOKEN", TOKEN)
                .withCommand("agent");
        agent.start();
    }

    /** deploy/weft.yaml as a user applies it, with its images pointing at the one built here. */
    private static void installWeft(Path repo) throws Exception {
        List<HasMetadata> items;
        try (InputStream in = Files.newInputStream(repo.resolve("deploy/weft.yaml"))) {
            items = client.load(in).items();
        }
        int images = 0;
        for (HasMetadata o : items) {
            if (o instanceof DaemonSet ds) {
                List<Container> all = new ArrayList<>(ds.getSpec().getTemplate().getSpec().getInitContainers());
                all.addAll(ds.getSpec().getTemplate().getSpec().getContainers());
                for (Container c : all) {
                    if (c.getImage().startsWith(IMAGE_REPO + ":")) {
                        c.setImage(IMAGE);
                        images++;
                    }
                }
            }
            if (o instanceof ConfigMap cm && cm.getData() != null && cm.getData().containsKey("net-conf.json")) {
                weftNetwork = JSON.readTree(cm.getData().get("net-conf.json")).path("Network").asText();
            }
        }
        assertThat(images).as("containers in weft.yaml's DaemonSet").isPositive();
        assertThat(weftNetwork).as("Network in weft.yaml's net-conf.json").isNotBlank();
        client.resourceList(items).create();
    }

    private static boolean daemonSetReady() {
        DaemonSet ds = client.apps().daemonSets().inNamespace("kube-weft").withName("weft").get();
        return ds != null && ds.getStatus() != null && ds.getStatus().getDesiredNumberScheduled() != null
                && ds.getStatus().getDesiredNumberScheduled() == 2 && ds.getStatus().getNumberReady() != null
                && ds.getStatus().getNumberReady() == 2;
    }

    private static boolean ready(Node n) {
        return n.getStatus() != null && n.getStatus().getConditions() != null && n.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    // ---- the pods

    private static Pod runPod(String name, Node node) {
        client.pods().inNamespace(TEST_NAMESPACE).resource(new PodBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeName(node.getMetadata().getName()).withTerminationGracePeriodSeconds(0L)
                .addNewContainer().withName("box").withImage("busybox:1.36").withCommand("sleep", "3600")
                .withNewSecurityContext().withNewCapabilities().addToAdd("NET_RAW").endCapabilities().endSecurityContext()
                .endContainer().endSpec().build()).create();
        await(Duration.ofMinutes(3), "pod " + name + " running with an IP on " + node.getMetadata().getName(), () -> {
            Pod p = client.pods().inNamespace(TEST_NAMESPACE).withName(name).get();
            return p != null && "Running".equals(p.getStatus().getPhase()) && p.getStatus().getPodIP() != null;
        });
        return client.pods().inNamespace(TEST_NAMESPACE).withName(name).get();
    }

    private static String ip(Pod p) {
        return p.getStatus().getPodIP();
    }

    private static void assertPing(Pod from, String to) throws Exception {
        ExecResult r = server.execInContainer("k3s", "kubectl", "exec", "-n", TEST_NAMESPACE, from.getMetadata().getName(),
                "--", "ping", "-c", "3", "-W", "2", to);
        assertThat(r.getExitCode()).as("ping %s -> %s:%n%s%s", from.getMetadata().getName(), to, r.getStdout(),
                r.getStderr()).isZero();
    }

    // ---- waiting

    /** Polls {@code done} every two seconds until {@code limit}; on timeout fails with what the cluster shows. */
    private static void await(Duration limit, String what, BooleanSupplier done) {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (done.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // the API server may still be starting; keep polling until the deadline
            }
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
        throw new AssertionError("not reached within " + limit + ": " + what + "\n" + diagnostics());
    }

    private static String diagnostics() {
        try {
            ExecResult r = server.execInContainer("k3s", "kubectl", "get", "nodes,pods", "-A", "-o", "wide");
            ExecResult logs = server.execInContainer("k3s", "kubectl", "logs", "-n", "kube-weft", "-l",
                    "app.kubernetes.io/name=weft", "--all-containers", "--tail=40", "--prefix");
            return r.getStdout() + r.getStderr() + logs.getStdout() + logs.getStderr();
        } catch (Exception e) {
            return "(no diagnostics: " + e + ")";
        }
    }
}

package dev.weft.training;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.weft.app.Main;
import dev.weft.app.ShutdownSignal;
import dev.weft.app.WeftServices;
import dev.weft.node.ProductionServices;

/**
 * The AOT training run (JEP 483/514/515) of the agent: {@code WEFT_AOT=train bin/weft <scratch dir>}
 * runs this through the launcher with {@code -XX:AOTCacheOutput}, so the cache holds the classes,
 * linked call sites and profiles of a real {@code weft agent} start. Two agent starts through
 * {@link Main} against a {@link LoopbackApi}: the node's first (no podCIDR: a subnet is allocated,
 * locked and published) and a restart that finds its lease, as a rolling upgrade does. Then the
 * short commands ({@code --version}, {@code --help}, a bad flag). Needs no privileges and touches
 * nothing outside {@code 127.0.0.1} and the scratch directory: the kernel is only read, the
 * firewall is {@link CannedFirewall}. Exits non-zero when anything does not behave, so a broken
 * agent cannot produce a cache.
 */
public final class AotTraining {
    static final String NODE = "train-a";
    static final String PEER = "train-b";
    private static final String PREFIX = "flannel.alpha.coreos.com/";

    private AotTraining() {
    }

    public static void main(String[] args) {
        if (args.length != 1 || !Files.isDirectory(Path.of(args[0]))) {
            System.err.println("usage: AotTraining <scratch directory>");
            System.exit(2);
        }
        // Each agent start configures logging anew, and Logback closes the stream it let go of: keep stderr open.
        System.setErr(new PrintStream(System.err, true, StandardCharsets.UTF_8) {
            @Override
            public void close() {
                flush();
            }
        });
        int code;
        try {
            code = run(Path.of(args[0]));
        } catch (Exception e) {
            e.printStackTrace();
            code = 1;
        }
        System.exit(code);
    }

    /** The whole training in {@code work}; 0 when every step behaved. */
    static int run(Path work) throws IOException {
        Path netConf = Files.writeString(work.resolve("net-conf.json"),
                "{\"Network\":\"10.42.0.0/16\",\"SubnetLen\":24,\"Backend\":{\"Type\":\"vxlan\",\"VNI\":1}}\n");
        // The production services with the agent and the firewall swapped (the others are built, not run).
        WeftServices p = ProductionServices.create();
        WeftServices services = new WeftServices(new TrainingAgent(), p.status(), p.dataPlaneDoctor(),
                p.deviceCleanup(), new CannedFirewall(), p.proc(), ShutdownSignal::new);
        try (LoopbackApi api = LoopbackApi.start()) {
            api.putNode(node(NODE, "", "{}"));
            api.putNode(node(PEER, "10.42.9.0/24", """
                    {"%1$sbackend-type":"vxlan","%1$sbackend-data":"{\\"VNI\\":1,\\"VtepMAC\\":\\"0e:11:22:33:44:55\\"}",
                     "%1$spublic-ip":"198.18.0.12","%1$skube-subnet-manager":"true"}""".formatted(PREFIX)));
            Path kubeconfig = Files.writeString(work.resolve("kubeconfig"), kubeconfig(api.url()));
            String[] agent = {"agent", "--node-name", NODE, "--kubeconfig", kubeconfig.toString(),
                    "--subnet-file", work.resolve("subnet.env").toString(), "--net-config-path", netConf.toString(),
                    "--healthz-ip", "127.0.0.1", "--healthz-port", "9471", "--lease-namespace", "kube-system", "--ip-masq"};
            expect("first start", 0, Main.run(agent, Map.of(), services));
            expect("restart with its lease", 0, Main.run(agent, Map.of(), services));
            expect("--version", 0, Main.run(new String[] {"--version"}, Map.of(), services));
            expect("agent --help", 0, Main.run(new String[] {"agent", "--help"}, Map.of(), services));
            expect("a bad flag", 2, Main.run(new String[] {"agent", "--healthz-port", "nope"}, Map.of(), services));
            String node = api.node(NODE);
            for (String want : new String[] {"\"podCIDR\":\"10.42.", PREFIX + "backend-data", "WeftIsUp"}) {
                if (!node.contains(want)) {
                    throw new IllegalStateException("after training, Node " + NODE + " lacks " + want + ": " + node);
                }
            }
            System.err.println("training: 2 agent starts and 3 short commands; API requests " + api.requests());
        }
        return 0;
    }

    private static void expect(String what, int want, int got) {
        if (want != got) {
            throw new IllegalStateException("training step '" + what + "' exited " + got + ", expected " + want);
        }
    }

    private static String node(String name, String podCidr, String annotations) {
        String spec = podCidr.isEmpty() ? "{}" : "{\"podCIDR\":\"" + podCidr + "\",\"podCIDRs\":[\"" + podCidr + "\"]}";
        return """
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s","labels":{"kubernetes.io/hostname":"%1$s"},
                 "annotations":%s},"spec":%s,"status":{"addresses":[{"type":"InternalIP","address":"198.18.0.%d"}],
                 "conditions":[{"type":"Ready","status":"True"},{"type":"NetworkUnavailable","status":"True"}]}}
                """.formatted(name, annotations, spec, name.equals(NODE) ? 11 : 12);
    }

    private static String kubeconfig(String url) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: training
                  cluster: {server: "%s"}
                users:
                - name: training
                  user: {}
                contexts:
                - name: training
                  context: {cluster: training, user: training}
                current-context: training
                """.formatted(url);
    }
}

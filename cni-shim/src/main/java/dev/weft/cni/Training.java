package dev.weft.cni;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import dev.weft.cni.shim.PodInterfaceProbe;

/**
 * The AOT training run (JEP 483/514): the bundle build runs this once with
 * {@code -XX:AOTCacheOutput=}, so the cache holds the classes, linked call sites and profiles of
 * real ADD/CHECK/DEL/VERSION/STATUS/GC work and of the error paths. The delegate is a fake
 * plugin (a shell script) in a scratch directory: no namespaces, no privileges, nothing outside
 * {@code workDir} is touched. Exits non-zero when a command does not behave, so a broken shim
 * cannot produce a cache.
 */
public final class Training {
    private static final String FAKE_PLUGIN = """
            #!/bin/sh
            # fake delegate for the AOT training run: answers like bridge, touches nothing
            cat >/dev/null
            case "$CNI_COMMAND" in
            VERSION) echo '{"cniVersion":"1.0.0","supportedVersions":["0.3.0","0.3.1","0.4.0","1.0.0"]}' ;;
            ADD) echo '{"cniVersion":"1.0.0","interfaces":[{"name":"cni0","mac":"aa:bb:cc:dd:ee:01"},\
            {"name":"veth1","mac":"aa:bb:cc:dd:ee:02"},{"name":"eth0","mac":"aa:bb:cc:dd:ee:03",\
            "sandbox":"/var/run/netns/train"}],"ips":[{"interface":2,"address":"10.42.3.2/24",\
            "gateway":"10.42.3.1"}],"routes":[{"dst":"10.42.0.0/16","gw":"10.42.3.1"}],"dns":{}}' ;;
            esac
            exit 0
            """;
    private static final String PREV = "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\","
            + "\"sandbox\":\"/var/run/netns/train\"}],\"ips\":[{\"interface\":0,\"address\":\"10.42.3.2/24\"}]}";

    private Training() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: Training <empty scratch directory>");
            System.exit(2);
        }
        int failures = run(Path.of(args[0]));
        if (failures > 0) {
            System.err.println("training: " + failures + " command(s) did not behave");
            System.exit(1);
        }
    }

    /** Runs the training commands in {@code work}; returns how many did not end as expected. */
    public static int run(Path work) throws IOException {
        Path bin = Files.createDirectories(work.resolve("bin"));
        Path plugin = bin.resolve("fakebridge");
        Files.writeString(plugin, FAKE_PLUGIN);
        Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path subnetEnv = work.resolve("subnet.env");
        Files.writeString(subnetEnv, "FLANNEL_NETWORK=10.42.0.0/16\nFLANNEL_SUBNET=10.42.3.1/24\n"
                + "FLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n");
        int failures = 0;
        for (int round = 0; round < 3; round++) {
            failures += round(work, bin, subnetEnv, "c" + round);
        }
        return failures;
    }

    private static int round(Path work, Path bin, Path subnetEnv, String id) {
        int bad = 0;
        for (String v : new String[] {"0.3.1", "1.0.0", "1.1.0"}) {
            String conf = conf(work, subnetEnv, v, "");
            bad += expect(0, run("VERSION", id, bin, "{\"cniVersion\":\"" + v + "\"}"));
            bad += expect(0, run("ADD", id, bin, conf));
            if (!v.equals("0.3.1")) {
                bad += expect(0, run("CHECK", id, bin, conf(work, subnetEnv, v, ",\"prevResult\":" + PREV)));
            }
            bad += expect(0, run("DEL", id, bin, conf));
            bad += expect(0, run("DEL", id, bin, conf));
        }
        String v11 = conf(work, subnetEnv, "1.1.0", ",\"cni.dev/valid-attachments\":[]");
        bad += expect(0, run("ADD", id, bin, conf(work, subnetEnv, "1.1.0", "")));
        bad += expect(0, run("STATUS", id, bin, v11));
        bad += expect(0, run("GC", id, bin, v11));
        bad += expect(1, run("ADD", id, bin, "{not json"));
        bad += expect(1, run("ADD", "", bin, conf(work, subnetEnv, "1.0.0", "")));
        bad += expect(1, run("ADD", id, bin, conf(work, work.resolve("missing.env"), "1.0.0", "")));
        return bad;
    }

    private static String conf(Path work, Path subnetEnv, String version, String extra) {
        return "{\"cniVersion\":\"" + version + "\",\"name\":\"train\",\"type\":\"weft\",\"subnetFile\":\""
                + subnetEnv + "\",\"dataDir\":\"" + work.resolve("state") + "\",\"delegate\":{\"type\":\"fakebridge\","
                + "\"hairpinMode\":true,\"isDefaultGateway\":true},\"ipam\":{\"dataDir\":\"" + work.resolve("ipam")
                + "\"},\"runtimeConfig\":{\"portMappings\":[]}" + extra + "}";
    }

    private static int run(String cmd, String id, Path bin, String stdin) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", cmd);
        env.put("CNI_CONTAINERID", id);
        env.put("CNI_NETNS", "/var/run/netns/train");
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", bin.toString());
        env.put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        return Main.run(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                PodInterfaceProbe.unavailable());
    }

    private static int expect(int want, int got) {
        return want == got ? 0 : 1;
    }
}

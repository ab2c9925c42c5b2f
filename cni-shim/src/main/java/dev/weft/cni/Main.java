package dev.weft.cni;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.weft.cni.delegate.DelegateFactory;
import dev.weft.cni.shim.PodInterfaceProbe;
import dev.weft.cni.shim.WeftPlugin;
import dev.weft.cni.skel.Skel;

/**
 * The {@code weft} CNI plugin's entry point, exec'd by the container runtime (through the
 * launcher that install.sh writes into the CNI bin dir) once per command per pod. This is the
 * only place that exits the process.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // stdout carries the CNI protocol: raw bytes, whatever locale the runtime runs us with
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        int rc = run(System.getenv(), System.in, out, System.err, new dev.weft.cni.netlink.NetlinkPodInterfaceProbe());
        out.flush();
        System.exit(rc);
    }

    /** Runs one CNI command with everything injected; returns the exit code. */
    public static int run(Map<String, String> env, InputStream stdin, PrintStream stdout, PrintStream stderr,
                          PodInterfaceProbe probe) {
        return Skel.run(env, stdin, stdout, stderr, new WeftPlugin(DelegateFactory.EXEC, probe));
    }
}

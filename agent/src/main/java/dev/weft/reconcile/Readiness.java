package dev.weft.reconcile;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@code /readyz} reports: the node is ready only when it holds its lease, the VXLAN device
 * is up, and subnet.env has been written. Each part carries a one-line detail: what it is when
 * done ({@code 10.42.3.0/24}), what it waits for when not ({@code API unreachable, retrying}).
 */
public record Readiness(Part lease, Part device, Part subnetEnv) {
    /** One readiness condition. */
    public record Part(boolean ok, String detail) {
        public Part {
            Objects.requireNonNull(detail, "detail");
        }

        public static Part ok(String detail) {
            return new Part(true, detail);
        }

        public static Part waiting(String detail) {
            return new Part(false, detail);
        }
    }

    public Readiness {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(subnetEnv, "subnetEnv");
    }

    /** Before the first pass has said anything. */
    public static Readiness starting() {
        Part p = Part.waiting("agent starting");
        return new Readiness(p, p, p);
    }

    /** True when all three parts are done. */
    public boolean ready() {
        return lease.ok() && device.ok() && subnetEnv.ok();
    }

    /** One line: either what the node has, or every part it still waits for. */
    public String summary() {
        if (ready()) {
            return "ready: lease " + lease.detail() + ", device " + device.detail() + ", subnet.env " + subnetEnv.detail();
        }
        List<String> missing = new ArrayList<>();
        add(missing, "lease", lease);
        add(missing, "device", device);
        add(missing, "subnet.env", subnetEnv);
        return "not ready: " + String.join("; ", missing);
    }

    private static void add(List<String> out, String name, Part p) {
        if (!p.ok()) {
            out.add(name + ": " + p.detail());
        }
    }
}

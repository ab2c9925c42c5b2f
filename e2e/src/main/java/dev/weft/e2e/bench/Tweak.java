package dev.weft.e2e.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.weft.testing.Cmd;

/**
 * A setting changed for one B7 probe and put back after it, only ever inside the bench's own
 * namespaces: each step is a command run as {@code ip netns exec NS ...}.
 *
 * @param apply  commands that change the setting
 * @param revert commands that put it back
 */
record Tweak(List<List<String>> apply, List<List<String>> revert) {
    static final Tweak NONE = new Tweak(List.of(), List.of());

    /** {@code ethtool -K DEV FEATURE on} in each namespace, {@code back} afterwards; {@code devs} pairs with {@code namespaces}. */
    static Tweak ethtool(List<String> namespaces, List<String> devs, String feature, String on, String back) {
        List<List<String>> apply = new ArrayList<>();
        List<List<String>> revert = new ArrayList<>();
        for (int i = 0; i < namespaces.size(); i++) {
            apply.add(List.of("ip", "netns", "exec", namespaces.get(i), "ethtool", "-K", devs.get(i), feature, on));
            revert.add(List.of("ip", "netns", "exec", namespaces.get(i), "ethtool", "-K", devs.get(i), feature, back));
        }
        return new Tweak(apply, revert);
    }

    /** {@code ip link set DEV mtu MTU} in each namespace, {@code back} afterwards. */
    static Tweak mtu(List<String> namespaces, String dev, int mtu, int back) {
        List<List<String>> apply = new ArrayList<>();
        List<List<String>> revert = new ArrayList<>();
        for (String ns : namespaces) {
            apply.add(List.of("ip", "-n", ns, "link", "set", dev, "mtu", String.valueOf(mtu)));
            revert.add(List.of("ip", "-n", ns, "link", "set", dev, "mtu", String.valueOf(back)));
        }
        return new Tweak(apply, revert);
    }

    /** This, then {@code next}; reverted in the opposite order. */
    Tweak and(Tweak next) {
        List<List<String>> a = new ArrayList<>(apply);
        a.addAll(next.apply);
        List<List<String>> r = new ArrayList<>(next.revert);
        r.addAll(revert);
        return new Tweak(a, r);
    }

    void applyAll() {
        run(apply);
    }

    /** Puts everything back, trying every step even when one fails. */
    void revertAll() {
        RuntimeException first = null;
        for (List<String> cmd : revert) {
            try {
                run(List.of(cmd));
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static void run(List<List<String>> cmds) {
        for (List<String> cmd : cmds) {
            Cmd.exec(Duration.ofSeconds(10), null, cmd).orThrow();
        }
    }
}

package dev.weft.cni.skel;

import static dev.weft.cni.skel.EnvVar.CNI_CONTAINERID;
import static dev.weft.cni.skel.EnvVar.CNI_IFNAME;
import static dev.weft.cni.skel.EnvVar.CNI_NETNS;
import static dev.weft.cni.skel.EnvVar.CNI_PATH;

import java.util.List;

import dev.weft.cni.types.CniVersion;

/**
 * The CNI commands, with the table of environment variables each one requires (CNI_COMMAND is
 * always required, CNI_ARGS never) and the oldest spec version that has it.
 *
 * <pre>
 *            CONTAINERID  NETNS  IFNAME  PATH   since
 *   ADD          x          x      x      x     0.3.0 (weft's oldest)
 *   DEL          x                 x      x     0.3.0   netns may be gone
 *   CHECK        x          x      x      x     0.4.0
 *   VERSION                                     -
 *   STATUS                                x     1.1.0
 *   GC                                    x     1.1.0   acts on many containers
 * </pre>
 */
public enum Command {
    ADD(List.of(CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_PATH), CniVersion.V0_3_0),
    DEL(List.of(CNI_CONTAINERID, CNI_IFNAME, CNI_PATH), CniVersion.V0_3_0),
    CHECK(List.of(CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_PATH), CniVersion.V0_4_0),
    VERSION(List.of(), CniVersion.V0_3_0),
    STATUS(List.of(CNI_PATH), CniVersion.V1_1_0),
    GC(List.of(CNI_PATH), CniVersion.V1_1_0);

    private final List<EnvVar> required;
    private final CniVersion since;

    Command(List<EnvVar> required, CniVersion since) {
        this.required = required;
        this.since = since;
    }

    /** The variables besides CNI_COMMAND that must be set and non-empty. */
    public List<EnvVar> required() {
        return required;
    }

    /** The oldest configuration cniVersion with which this command may be called. */
    public CniVersion since() {
        return since;
    }

    /** The command named {@code s} (exact, upper case as the spec spells it), or null. */
    public static Command parse(String s) {
        for (Command c : values()) {
            if (c.name().equals(s)) {
                return c;
            }
        }
        return null;
    }
}

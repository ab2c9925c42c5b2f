package dev.weft.cni.delegate;

import java.util.List;

import dev.weft.cni.json.JsonObject;
import dev.weft.cni.types.CniException;

/** Runs delegated CNI plugins (bridge, host-local, ...). {@link ExecDelegate} execs them. */
public interface Delegate {
    /**
     * Runs the call; returns the plugin's stdout as a JSON object, or null when it printed
     * nothing. A failing plugin's CNI error comes back as a {@link CniException} with its code.
     */
    JsonObject invoke(DelegateCall call) throws CniException;

    /** The spec versions plugin {@code type} reports through its VERSION command. */
    List<String> supportedVersions(String type, String cniPath) throws CniException;
}

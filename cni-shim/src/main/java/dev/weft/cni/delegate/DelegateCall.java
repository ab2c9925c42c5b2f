package dev.weft.cni.delegate;

import dev.weft.cni.json.JsonObject;
import dev.weft.cni.skel.Command;

/**
 * One invocation of a delegated plugin: what libcni would pass it as environment and stdin.
 *
 * @param type        the plugin's executable name, looked up in {@code cniPath}
 * @param command     the CNI command
 * @param containerId CNI_CONTAINERID, or null
 * @param netns       CNI_NETNS, or null (DEL of a vanished namespace, GC, STATUS)
 * @param ifName      CNI_IFNAME, or null
 * @param cniArgs     CNI_ARGS, or null
 * @param cniPath     CNI_PATH, colon-separated directories
 * @param conf        the configuration written to the plugin's stdin
 */
public record DelegateCall(String type, Command command, String containerId, String netns, String ifName,
                           String cniArgs, String cniPath, JsonObject conf) {
}

package dev.weft.e2e.pod;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import dev.weft.e2e.pod.PodTemplate.ConfigMapVolume;
import dev.weft.e2e.pod.PodTemplate.EmptyDirVolume;
import dev.weft.e2e.pod.PodTemplate.HostPathVolume;
import dev.weft.e2e.pod.PodTemplate.Volume;

/**
 * Makes a pod's volumes on the node before its first container starts, as the kubelet does:
 * hostPath types checked or created in the node's own file system, configMap keys written as
 * files with the volume's mode, an empty directory per emptyDir.
 */
public final class PodVolumes {
    private PodVolumes() {
    }

    public static void prepare(PodTemplate t, PodContext ctx) throws IOException {
        for (Volume v : t.volumes().values()) {
            Path dir = ContainerCommand.source(v, ctx);
            switch (v) {
                case HostPathVolume h -> hostPath(h, dir);
                case ConfigMapVolume cm -> configMap(cm, t.configMaps().get(cm.configMap()), dir);
                case EmptyDirVolume e -> Files.createDirectories(dir);
            }
        }
    }

    /**
     * {@code type: ""} does no check, and the runtime then needs the path to exist: like Docker,
     * the harness makes an empty directory (the node's /lib/modules is empty, as this kernel has
     * no loadable modules).
     */
    private static void hostPath(HostPathVolume h, Path p) throws IOException {
        String where = "hostPath " + h.path() + " of volume " + h.name() + " (" + p + ")";
        switch (h.type()) {
            case "Directory" -> {
                if (!Files.isDirectory(p)) {
                    throw new IOException(where + ": type Directory, but no such directory");
                }
            }
            case "File" -> {
                if (!Files.isRegularFile(p)) {
                    throw new IOException(where + ": type File, but no such file");
                }
            }
            case "FileOrCreate" -> {
                Files.createDirectories(p.getParent());
                if (!Files.exists(p)) {
                    Files.createFile(p);
                }
            }
            default -> Files.createDirectories(p);
        }
    }

    private static void configMap(ConfigMapVolume cm, Map<String, String> data, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, String> e : data.entrySet()) {
            Path f = dir.resolve(e.getKey());
            Path tmp = dir.resolve("." + e.getKey() + ".tmp");
            Files.writeString(tmp, e.getValue());
            Files.setPosixFilePermissions(tmp, permissions(cm.defaultMode()));
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A token, the API server's CA and the namespace, as the projected service account volume holds them. */
    public static void serviceAccount(Path dir, String token, String caPem, String namespace) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("token"), token);
        Files.setPosixFilePermissions(dir.resolve("token"), permissions(0600));
        Files.writeString(dir.resolve("ca.crt"), caPem);
        Files.writeString(dir.resolve("namespace"), namespace);
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                out.add(order[bit]);
            }
        }
        return out;
    }
}

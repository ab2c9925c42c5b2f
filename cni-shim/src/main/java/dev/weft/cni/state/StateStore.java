package dev.weft.cni.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import dev.weft.cni.json.Json;
import dev.weft.cni.json.JsonException;
import dev.weft.cni.json.JsonObject;
import dev.weft.cni.json.JsonReader;
import dev.weft.cni.types.Attachment;
import dev.weft.cni.types.CniException;
import dev.weft.cni.types.ErrorCodes;

/**
 * Per-attachment state files in the data directory, one file {@code <containerID>@<ifname>} each.
 * Container IDs contain neither '/' nor '@' nor a leading '.', so the name is a safe single path
 * component and splits back unambiguously; dot files are the lock and temporary files.
 *
 * <p>Writes are atomic (temporary file, fsync, rename, fsync of the directory), so a crash
 * leaves the old state or the new one, never half of one. ADD and DEL hold a shared lock on the
 * directory, GC an exclusive one, so GC never removes the state of an ADD that is under way.
 */
public final class StateStore {
    private static final String LOCK_FILE = ".lock";
    private static final String TMP_PREFIX = ".tmp-";

    private final Path dir;

    private StateStore(Path dir) {
        this.dir = dir;
    }

    /** A store in {@code dataDir}, which must be an absolute, normalized path; created on first write. */
    public static StateStore open(String dataDir) throws CniException {
        Path p;
        try {
            p = Path.of(dataDir);
        } catch (RuntimeException e) {
            p = null;
        }
        if (p == null || !p.isAbsolute() || !p.normalize().equals(p)) {
            throw new CniException(ErrorCodes.INVALID_NETWORK_CONFIG,
                    "dataDir '" + dataDir + "' must be an absolute path without '.' or '..' components");
        }
        return new StateStore(p);
    }

    public Path dir() {
        return dir;
    }

    /** Where the state of {@code a} lives. */
    public Path fileOf(Attachment a) {
        return dir.resolve(a.containerId() + "@" + a.ifName());
    }

    /** Atomically writes the state of {@code a}. */
    public void save(Attachment a, JsonObject state) throws CniException {
        Path target = fileOf(a);
        Path tmp = dir.resolve(TMP_PREFIX + target.getFileName() + "-" + ProcessHandle.current().pid());
        try {
            ensureDir();
            byte[] bytes = (state.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
            Files.deleteIfExists(tmp);
            try (FileChannel ch = FileChannel.open(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(
                    EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)))) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDir();
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new CniException(ErrorCodes.IO_FAILURE, "cannot save state " + target + ": " + e, null, e);
        }
    }

    /** The saved state of {@code a}, or null when there is none. */
    public JsonObject load(Attachment a) throws CniException {
        Path f = fileOf(a);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new CniException(ErrorCodes.IO_FAILURE, "cannot read state " + f + ": " + e, null, e);
        }
        try {
            Json j = JsonReader.parse(bytes);
            if (j instanceof JsonObject o) {
                return o;
            }
        } catch (JsonException e) {
            // reported below
        }
        throw new CniException(ErrorCodes.DECODING_FAILURE, "state file " + f + " is corrupt (not a JSON object)");
    }

    /**
     * Removes the state of {@code a}; true when there was some. The directory is not synced: a
     * removal lost in a crash only brings back state whose DEL replays harmlessly.
     */
    public boolean remove(Attachment a) throws CniException {
        try {
            return Files.deleteIfExists(fileOf(a));
        } catch (IOException e) {
            throw new CniException(ErrorCodes.IO_FAILURE, "cannot remove state " + fileOf(a) + ": " + e, null, e);
        }
    }

    /** Every attachment with saved state; files whose names are not attachments are ignored. */
    public List<Attachment> list() throws CniException {
        List<Attachment> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                int at = name.indexOf('@');
                if (name.startsWith(".") || at < 0) {
                    continue;
                }
                Attachment a = Attachment.validOrNull(name.substring(0, at), name.substring(at + 1));
                if (a != null) {
                    out.add(a);
                }
            }
        } catch (IOException e) {
            throw new CniException(ErrorCodes.IO_FAILURE, "cannot list state in " + dir + ": " + e, null, e);
        }
        return out;
    }

    /**
     * Locks the directory: shared for commands on one attachment, exclusive for GC. Blocks
     * until granted; released by closing.
     */
    public Lock lock(boolean exclusive) throws CniException {
        try {
            ensureDir();
            FileChannel ch = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.READ);
            try {
                return new Lock(ch, ch.lock(0, Long.MAX_VALUE, !exclusive));
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (IOException e) {
            throw new CniException(ErrorCodes.IO_FAILURE, "cannot lock " + dir + ": " + e, null, e);
        }
    }

    /** A held directory lock. */
    public static final class Lock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        private Lock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() {
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                // closing the channel releases the lock anyway; the process exits right after
            }
        }
    }

    private void ensureDir() throws IOException {
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(EnumSet.of(
                        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE)));
            } catch (FileAlreadyExistsException e) {
                // a concurrent ADD created it, or it is a symlink to a directory
            }
        }
    }

    private void syncDir() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temporary dot file is ignored by list() and replaced by the next save
        }
    }
}

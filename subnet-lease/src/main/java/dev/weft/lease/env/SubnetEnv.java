package dev.weft.lease.env;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.weft.net.IpPrefix;
import dev.weft.net.Texts;

/**
 * The subnet.env file the CNI plugin reads, in flannel's format and key order so that flannel's own CNI plugin
 * works with weft's file unchanged:
 *
 * <pre>
 * FLANNEL_NETWORK=10.42.0.0/16
 * FLANNEL_SUBNET=10.42.3.1/24
 * FLANNEL_IPV6_NETWORK=…   (only with IPv6)
 * FLANNEL_IPV6_SUBNET=…    (only with IPv6)
 * FLANNEL_MTU=1450
 * FLANNEL_IPMASQ=true
 * </pre>
 *
 * @param network the cluster network
 * @param subnet the node's subnet in gateway form, e.g. {@code 10.42.3.1/24}
 * @param mtu MTU of pod interfaces (the VXLAN device's)
 * @param ipMasq whether weft masquerades pod traffic leaving the network (the bridge plugin then does not)
 * @param ipv6Network the cluster IPv6 network
 * @param ipv6Subnet the node's IPv6 subnet in gateway form
 */
public record SubnetEnv(IpPrefix network, IpPrefix subnet, int mtu, boolean ipMasq, Optional<IpPrefix> ipv6Network,
    Optional<IpPrefix> ipv6Subnet) {

  public SubnetEnv {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(subnet, "subnet");
    Objects.requireNonNull(ipv6Network, "ipv6Network");
    Objects.requireNonNull(ipv6Subnet, "ipv6Subnet");
    if (!network.isIpv4() || !network.contains(subnet)) {
      throw new IllegalArgumentException("FLANNEL_SUBNET " + subnet + " must be an IPv4 range inside FLANNEL_NETWORK " + network);
    }
    if (mtu < 68 || mtu > 65535) {
      throw new IllegalArgumentException("FLANNEL_MTU " + mtu + " is outside 68..65535");
    }
    if (ipv6Network.isPresent() != ipv6Subnet.isPresent()) {
      throw new IllegalArgumentException("FLANNEL_IPV6_NETWORK and FLANNEL_IPV6_SUBNET go together");
    }
    if (ipv6Network.isPresent() && (ipv6Network.get().isIpv4() || !ipv6Network.get().contains(ipv6Subnet.get()))) {
      throw new IllegalArgumentException("FLANNEL_IPV6_SUBNET " + ipv6Subnet.get() + " must be an IPv6 range inside "
          + ipv6Network.get());
    }
  }

  /** The file's exact bytes as text: one {@code KEY=value} line each, {@code \n} line ends, flannel's order. */
  public String render() {
    StringBuilder sb = new StringBuilder(160);
    line(sb, "FLANNEL_NETWORK", network.toString());
    line(sb, "FLANNEL_SUBNET", subnet.toString());
    ipv6Network.ifPresent(n -> line(sb, "FLANNEL_IPV6_NETWORK", n.toString()));
    ipv6Subnet.ifPresent(s -> line(sb, "FLANNEL_IPV6_SUBNET", s.toString()));
    line(sb, "FLANNEL_MTU", Integer.toString(mtu));
    line(sb, "FLANNEL_IPMASQ", Boolean.toString(ipMasq));
    return sb.toString();
  }

  private static void line(StringBuilder sb, String key, String value) {
    sb.append(key).append('=').append(value).append('\n');
  }

  /**
   * Writes the file so that a reader sees either the old or the new content, never a mix: a temporary file in the
   * same directory, fsync, rename over the target, fsync of the directory. Missing parent directories are created.
   * An identical existing file is left alone.
   *
   * @param file an absolute, normalised path (no {@code ..}) that is not a directory or a symbolic link
   */
  public void writeAtomically(Path file) throws IOException {
    Path target = checkedPath(file);
    Path dir = target.getParent();
    byte[] content = render().getBytes(StandardCharsets.UTF_8);
    Files.createDirectories(dir);
    if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
        && Arrays.equals(Files.readAllBytes(target), content)) {
      return;
    }
    Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      // the CNI plugin runs as root, but other readers (a node-local debug pod) may not: world-readable like flannel's
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot atomically replace " + target + ": " + e.getMessage(), e);
      }
      fsyncDirectory(dir);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true); // makes the rename itself durable across a power loss
    }
  }

  /**
   * Reads a subnet.env file. Blank lines and {@code #} comments are skipped, keys weft does not know are ignored (as
   * flannel's plugin does), and a missing or malformed required key is an error naming the file, line and key.
   */
  public static SubnetEnv read(Path file) throws IOException {
    Path path = checkedPath(file);
    if (Files.size(path) > 64 * 1024) {
      throw new IOException(path + ": larger than 64 KiB, not a subnet.env file");
    }
    Map<String, String> values = new LinkedHashMap<>();
    int lineNo = 0;
    for (String raw : Files.readAllLines(path, StandardCharsets.UTF_8)) {
      lineNo++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new IOException(path + " line " + lineNo + ": expected KEY=value, got " + Texts.quote(line));
      }
      values.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
    }
    return fromValues(path, values);
  }

  private static SubnetEnv fromValues(Path path, Map<String, String> v) throws IOException {
    try {
      IpPrefix network = IpPrefix.parseCidr(required(path, v, "FLANNEL_NETWORK"));
      IpPrefix subnet = IpPrefix.parseCidr(required(path, v, "FLANNEL_SUBNET"));
      String mtuText = required(path, v, "FLANNEL_MTU");
      int mtu;
      try {
        mtu = Integer.parseInt(mtuText);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("FLANNEL_MTU is not a number: " + Texts.quote(mtuText), e);
      }
      String masq = required(path, v, "FLANNEL_IPMASQ");
      if (!masq.equals("true") && !masq.equals("false")) {
        throw new IllegalArgumentException("FLANNEL_IPMASQ must be true or false, got " + Texts.quote(masq));
      }
      Optional<IpPrefix> v6net = Optional.ofNullable(v.get("FLANNEL_IPV6_NETWORK")).map(IpPrefix::parse);
      Optional<IpPrefix> v6sub = Optional.ofNullable(v.get("FLANNEL_IPV6_SUBNET")).map(IpPrefix::parse);
      return new SubnetEnv(network, subnet, mtu, Boolean.parseBoolean(masq), v6net, v6sub);
    } catch (IllegalArgumentException e) {
      throw new IOException(path + ": " + e.getMessage(), e);
    }
  }

  private static String required(Path path, Map<String, String> v, String key) throws IOException {
    String value = v.get(key);
    if (value == null || value.isEmpty()) {
      throw new IOException(path + ": " + key + " is missing");
    }
    return value;
  }

  private static Path checkedPath(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    if (!file.isAbsolute() || !file.equals(file.normalize()) || file.getParent() == null) {
      throw new IOException("subnet.env path must be absolute and normalised (no \"..\"): " + file);
    }
    if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(file)) {
      throw new IOException("subnet.env path is a directory or a symbolic link: " + file);
    }
    return file;
  }
}

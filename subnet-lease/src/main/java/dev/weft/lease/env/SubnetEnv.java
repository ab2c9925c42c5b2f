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

import dev.weft.lease.NetConf;
import dev.weft.lease.NodeLease;
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
 * <p>With IPv4 disabled (flannel's {@code EnableIPv4: false}) the two IPv4 lines are left out, as flanneld leaves
 * them out; {@link #ipv6Only} builds such a file. {@link #of} builds the file flanneld would write for a lease.
 *
 * @param network the cluster network, or null on an IPv6-only node (then {@code subnet} is null too)
 * @param subnet the node's subnet in gateway form, e.g. {@code 10.42.3.1/24}, or null on an IPv6-only node
 * @param mtu MTU of pod interfaces (the VXLAN device's)
 * @param ipMasq whether weft masquerades pod traffic leaving the network (the bridge plugin then does not)
 * @param ipv6Network the cluster IPv6 network
 * @param ipv6Subnet the node's IPv6 subnet in gateway form
 */
public record SubnetEnv(IpPrefix network, IpPrefix subnet, int mtu, boolean ipMasq, Optional<IpPrefix> ipv6Network,
    Optional<IpPrefix> ipv6Subnet) {

  /** Longest node subnets with room for the bridge's address and pods, as net-conf.json's SubnetLen allows. */
  private static final int LONGEST_V4 = 30;
  private static final int LONGEST_V6 = 126;

  public SubnetEnv {
    Objects.requireNonNull(ipv6Network, "ipv6Network");
    Objects.requireNonNull(ipv6Subnet, "ipv6Subnet");
    if ((network == null) != (subnet == null)) {
      throw new IllegalArgumentException("FLANNEL_NETWORK and FLANNEL_SUBNET go together");
    }
    if (ipv6Network.isPresent() != ipv6Subnet.isPresent()) {
      throw new IllegalArgumentException("FLANNEL_IPV6_NETWORK and FLANNEL_IPV6_SUBNET go together");
    }
    if (network == null && ipv6Network.isEmpty()) {
      throw new IllegalArgumentException("neither FLANNEL_NETWORK/FLANNEL_SUBNET nor FLANNEL_IPV6_NETWORK/FLANNEL_IPV6_SUBNET");
    }
    if (network != null) {
      checkFamily("FLANNEL_NETWORK", network, "FLANNEL_SUBNET", subnet, true);
    }
    if (ipv6Network.isPresent()) {
      checkFamily("FLANNEL_IPV6_NETWORK", ipv6Network.get(), "FLANNEL_IPV6_SUBNET", ipv6Subnet.get(), false);
    }
    if (mtu < 68 || mtu > 65535) {
      throw new IllegalArgumentException("FLANNEL_MTU " + mtu + " is outside 68..65535");
    }
  }

  private static void checkFamily(String netKey, IpPrefix network, String subKey, IpPrefix subnet, boolean ipv4) {
    String family = ipv4 ? "IPv4" : "IPv6";
    if (network.isIpv4() != ipv4 || !network.contains(subnet)) {
      throw new IllegalArgumentException(subKey + " " + subnet + " must be an " + family + " range inside " + netKey + " "
          + network);
    }
    if (subnet.length() > (ipv4 ? LONGEST_V4 : LONGEST_V6)) {
      throw new IllegalArgumentException(subKey + " " + subnet + " leaves no room for pods (at most /"
          + (ipv4 ? LONGEST_V4 : LONGEST_V6) + ")");
    }
  }

  /** An IPv6-only node's file (flannel's {@code EnableIPv4: false}): no FLANNEL_NETWORK or FLANNEL_SUBNET line. */
  public static SubnetEnv ipv6Only(IpPrefix ipv6Network, IpPrefix ipv6Subnet, int mtu, boolean ipMasq) {
    return new SubnetEnv(null, null, mtu, ipMasq, Optional.of(ipv6Network), Optional.of(ipv6Subnet));
  }

  /**
   * The file flanneld writes for a lease: each cluster network as configured, each node subnet in gateway form (its
   * first address, {@code 10.42.3.1/24} and {@code fd00:42:0:3::1/64}); the IPv6 lines only when the lease has an
   * IPv6 subnet, the IPv4 lines only when it has an IPv4 one.
   *
   * @param ipv4Network the IPv4 cluster network, required when {@code ipv4Subnet} is present
   * @param ipv4Subnet the node's IPv4 subnet (network form), empty on an IPv6-only node
   * @param ipv6Network the IPv6 cluster network, required when {@code ipv6Subnet} is present
   * @param ipv6Subnet the node's IPv6 subnet (network form), when IPv6 is enabled
   */
  public static SubnetEnv of(Optional<IpPrefix> ipv4Network, Optional<IpPrefix> ipv4Subnet, Optional<IpPrefix> ipv6Network,
      Optional<IpPrefix> ipv6Subnet, int mtu, boolean ipMasq) {
    IpPrefix net4 = ipv4Subnet.isPresent() ? ipv4Network.orElseThrow(() -> new IllegalArgumentException(
        "an IPv4 subnet needs the IPv4 Network")) : null;
    Optional<IpPrefix> net6 = ipv6Subnet.isPresent() ? Optional.of(ipv6Network.orElseThrow(
        () -> new IllegalArgumentException("an IPv6 subnet needs the IPv6Network"))) : Optional.empty();
    return new SubnetEnv(net4, ipv4Subnet.map(SubnetEnv::gatewayForm).orElse(null), mtu, ipMasq, net6,
        ipv6Subnet.map(SubnetEnv::gatewayForm));
  }

  /** {@link #of} for a node's lease under {@code conf}: the lines of each family are there exactly when the lease has it. */
  public static SubnetEnv forLease(NetConf conf, NodeLease lease, int mtu, boolean ipMasq) {
    return of(conf.network(), lease.subnet(), conf.ipv6Network(), lease.subnetV6(), mtu, ipMasq);
  }

  private static IpPrefix gatewayForm(IpPrefix subnet) {
    return subnet.network().firstHostPrefix();
  }

  /** The IPv4 cluster network, empty on an IPv6-only node. */
  public Optional<IpPrefix> ipv4Network() {
    return Optional.ofNullable(network);
  }

  /** The node's IPv4 subnet in gateway form, empty on an IPv6-only node. */
  public Optional<IpPrefix> ipv4Subnet() {
    return Optional.ofNullable(subnet);
  }

  /** The file's exact bytes as text: one {@code KEY=value} line each, {@code \n} line ends, flannel's order. */
  public String render() {
    StringBuilder sb = new StringBuilder(160);
    if (network != null) {
      line(sb, "FLANNEL_NETWORK", network.toString());
      line(sb, "FLANNEL_SUBNET", subnet.toString());
    }
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
      IpPrefix network = optionalCidr(v, "FLANNEL_NETWORK").orElse(null);
      IpPrefix subnet = optionalCidr(v, "FLANNEL_SUBNET").orElse(null);
      Optional<IpPrefix> v6net = optionalCidr(v, "FLANNEL_IPV6_NETWORK");
      Optional<IpPrefix> v6sub = optionalCidr(v, "FLANNEL_IPV6_SUBNET");
      if (network == null && subnet == null && v6net.isEmpty() && v6sub.isEmpty()) {
        required(path, v, "FLANNEL_NETWORK"); // an IPv4 file is the usual one: name its key as missing
      }
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
      return new SubnetEnv(network, subnet, mtu, Boolean.parseBoolean(masq), v6net, v6sub);
    } catch (IllegalArgumentException e) {
      throw new IOException(path + ": " + e.getMessage(), e);
    }
  }

  private static Optional<IpPrefix> optionalCidr(Map<String, String> v, String key) {
    String text = v.get(key);
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(IpPrefix.parseCidr(text));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
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

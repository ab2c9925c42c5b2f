package dev.weft.lease;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An address with a prefix length, IPv4 or IPv6. The address keeps its host bits, so {@code 10.42.3.1/24} (the
 * gateway form subnet.env uses) and {@code 10.42.3.0/24} are different values; {@link #network()} and
 * {@link #networkCidr()} give the normalised form.
 *
 * @param address any address of the family
 * @param prefix 0..32 for IPv4, 0..128 for IPv6
 */
public record Cidr(InetAddress address, int prefix) {

  public Cidr {
    Objects.requireNonNull(address, "address");
    int bits = IpAddresses.bits(address);
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException("prefix length " + prefix + " is outside 0.." + bits);
    }
  }

  /**
   * Parses {@code a.b.c.d/n} or {@code v6-literal/n}. No host names, no missing prefix, no surrounding blanks.
   *
   * @throws IllegalArgumentException naming the text
   */
  public static Cidr parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("a CIDR is required");
    }
    int slash = text.indexOf('/');
    if (slash < 0 || slash != text.lastIndexOf('/') || text.length() > 50) {
      throw new IllegalArgumentException("not a CIDR (address/prefix): " + Texts.quote(text));
    }
    InetAddress address;
    try {
      address = IpAddresses.parse(text.substring(0, slash));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a CIDR: " + Texts.quote(text) + ": " + e.getMessage(), e);
    }
    String p = text.substring(slash + 1);
    if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || (p.length() > 1 && p.charAt(0) == '0')) {
      throw new IllegalArgumentException("not a CIDR: bad prefix length in " + Texts.quote(text));
    }
    int prefix = Integer.parseInt(p);
    if (prefix > IpAddresses.bits(address)) {
      throw new IllegalArgumentException("not a CIDR: prefix length " + prefix + " too long in " + Texts.quote(text));
    }
    return new Cidr(address, prefix);
  }

  /** True when this is an IPv4 CIDR. */
  public boolean isIpv4() {
    return address instanceof Inet4Address;
  }

  /** Width of the family in bits (32 or 128). */
  public int bits() {
    return IpAddresses.bits(address);
  }

  /** The address with the host bits cleared. */
  public InetAddress network() {
    return IpAddresses.fromBigInteger(networkValue(), isIpv4());
  }

  /** This range in normalised form (host bits cleared). */
  public Cidr networkCidr() {
    return new Cidr(network(), prefix);
  }

  /** The first address after the network address: the {@code .1} a node's bridge and subnet.env use. */
  public InetAddress firstHost() {
    if (prefix >= bits()) {
      throw new IllegalStateException(this + " has no host addresses");
    }
    return IpAddresses.fromBigInteger(networkValue().add(BigInteger.ONE), isIpv4());
  }

  /** {@link #firstHost()} with this prefix length, e.g. {@code 10.42.3.1/24} for {@code 10.42.3.0/24}. */
  public Cidr firstHostCidr() {
    return new Cidr(firstHost(), prefix);
  }

  /** Number of addresses in the range as a power of two exponent: {@code bits() - prefix()}. */
  public int hostBits() {
    return bits() - prefix;
  }

  /** True when {@code other} lies entirely inside this range (same family, prefix at least as long). */
  public boolean contains(Cidr other) {
    return other.isIpv4() == isIpv4() && other.prefix >= prefix && mask(other.address, prefix).equals(networkValue());
  }

  /** True when the address is of this family and inside this range. */
  public boolean contains(InetAddress other) {
    return IpAddresses.bits(other) == bits() && mask(other, prefix).equals(networkValue());
  }

  /** True when the two ranges share at least one address. */
  public boolean overlaps(Cidr other) {
    return contains(other) || other.contains(this);
  }

  /** The network address as an unsigned integer. */
  public BigInteger networkValue() {
    return mask(address, prefix);
  }

  /** The last address of the range as an unsigned integer. */
  public BigInteger lastValue() {
    return networkValue().add(BigInteger.ONE.shiftLeft(hostBits())).subtract(BigInteger.ONE);
  }

  private static BigInteger mask(InetAddress a, int prefix) {
    int bits = IpAddresses.bits(a);
    BigInteger value = IpAddresses.toBigInteger(a);
    return value.shiftRight(bits - prefix).shiftLeft(bits - prefix);
  }

  /** {@code address/prefix} with the address in canonical text (RFC 5952 for IPv6). */
  @Override
  public String toString() {
    return IpAddresses.format(address) + "/" + prefix;
  }
}

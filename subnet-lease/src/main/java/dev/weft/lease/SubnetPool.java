package dev.weft.lease;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import dev.weft.net.IpAddresses;
import dev.weft.net.IpPrefix;

/**
 * The subnets of length {@code subnetLen} inside a network, from {@code min} to {@code max} inclusive, addressed by
 * index (0 = {@code min}). Free-subnet search works on index ranges, so a pool of millions of subnets with thousands
 * in use costs a sort of the used set, never an enumeration of the pool.
 */
public final class SubnetPool {
  /** Pools up to this many free subnets are enumerated and shuffled; larger ones are probed at random. */
  private static final long ENUMERATE_LIMIT = 1 << 16;

  private final IpPrefix network;
  private final int subnetLen;
  private final boolean ipv4;
  private final BigInteger base; // network address of subnet index 0 (= min)
  private final int shift; // host bits of one subnet
  private final long size;

  /**
   * @param network the range to carve up
   * @param subnetLen prefix length of each subnet, at least the network's and at most 62 bits longer
   * @param min first subnet (default: the network's first), must be a subnet-aligned address inside the network
   * @param max last subnet (default: the network's last)
   */
  public SubnetPool(IpPrefix network, int subnetLen, Optional<IpPrefix> min, Optional<IpPrefix> max) {
    this.network = network.network();
    this.subnetLen = subnetLen;
    this.ipv4 = network.isIpv4();
    if (subnetLen < network.length() || subnetLen > network.bits()) {
      throw new IllegalArgumentException("subnet length /" + subnetLen + " does not fit in " + network);
    }
    if (subnetLen - network.length() > 62) {
      throw new IllegalArgumentException("/" + subnetLen + " subnets of " + network + " are more than 2^62");
    }
    this.shift = network.bits() - subnetLen;
    BigInteger first = this.network.networkValue();
    BigInteger last = this.network.lastValue().shiftRight(shift).shiftLeft(shift);
    BigInteger lo = min.map(c -> aligned(c, "minimum")).orElse(first);
    BigInteger hi = max.map(c -> aligned(c, "maximum")).orElse(last);
    if (lo.compareTo(hi) > 0) {
      throw new IllegalArgumentException("subnet minimum " + min.orElseThrow() + " is above maximum " + max.orElseThrow());
    }
    this.base = lo;
    this.size = hi.subtract(lo).shiftRight(shift).longValueExact() + 1;
  }

  private BigInteger aligned(IpPrefix c, String what) {
    BigInteger v = IpAddresses.toBigInteger(c.address());
    if (c.isIpv4() != ipv4 || !network.contains(c.address())) {
      throw new IllegalArgumentException("subnet " + what + " " + IpAddresses.format(c.address()) + " is not inside " + network);
    }
    if (!v.shiftRight(shift).shiftLeft(shift).equals(v)) {
      throw new IllegalArgumentException("subnet " + what + " " + IpAddresses.format(c.address()) + " is not on a /" + subnetLen + " boundary");
    }
    return v;
  }

  public IpPrefix network() {
    return network;
  }

  public int subnetLen() {
    return subnetLen;
  }

  /** Number of subnets in the pool. */
  public long size() {
    return size;
  }

  /** The subnet with the given index, 0 being the minimum. */
  public IpPrefix subnet(long index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("subnet index " + index + " outside 0.." + (size - 1));
    }
    BigInteger v = base.add(BigInteger.valueOf(index).shiftLeft(shift));
    return new IpPrefix(IpAddresses.fromBigInteger(v, ipv4), subnetLen);
  }

  /** The index of exactly this subnet (normalised, same length), if it is one of the pool's. */
  public OptionalLong indexOf(IpPrefix subnet) {
    if (subnet.isIpv4() != ipv4 || subnet.length() != subnetLen) {
      return OptionalLong.empty();
    }
    BigInteger offset = subnet.networkValue().subtract(base);
    if (offset.signum() < 0) {
      return OptionalLong.empty();
    }
    BigInteger index = offset.shiftRight(shift);
    return index.compareTo(BigInteger.valueOf(size)) < 0 ? OptionalLong.of(index.longValue()) : OptionalLong.empty();
  }

  /** Every subnet of the pool in address order. */
  public Stream<IpPrefix> stream() {
    return LongStream.range(0, size).mapToObj(this::subnet);
  }

  /**
   * Up to {@code limit} distinct subnets that overlap none of {@code used}, in random order (random so that agents
   * starting together spread over the pool instead of all fighting for the lowest free subnet).
   */
  public List<IpPrefix> freeCandidates(Collection<IpPrefix> used, RandomGenerator random, int limit) {
    List<long[]> taken = coveredRanges(used);
    long free = size - taken.stream().mapToLong(r -> r[1] - r[0] + 1).sum();
    int want = (int) Math.min(limit, free);
    if (want <= 0) {
      return List.of();
    }
    List<Long> picks = free <= ENUMERATE_LIMIT ? shuffledFree(taken, random, want) : probedFree(taken, random, want);
    return picks.stream().map(this::subnet).toList();
  }

  /** Number of pool subnets not overlapping {@code used}. */
  public long freeCount(Collection<IpPrefix> used) {
    return size - coveredRanges(used).stream().mapToLong(r -> r[1] - r[0] + 1).sum();
  }

  /** Sorted, merged, inclusive index ranges of pool subnets that overlap any used range. */
  List<long[]> coveredRanges(Collection<IpPrefix> used) {
    List<long[]> ranges = new ArrayList<>();
    BigInteger sizeBig = BigInteger.valueOf(size);
    for (IpPrefix u : used) {
      if (u.isIpv4() != ipv4) {
        continue;
      }
      BigInteger from = u.networkValue().subtract(base).shiftRight(shift); // shiftRight floors negatives
      BigInteger to = u.lastValue().subtract(base).shiftRight(shift);
      if (to.signum() < 0 || from.compareTo(sizeBig) >= 0) {
        continue;
      }
      ranges.add(new long[] {from.max(BigInteger.ZERO).longValue(), to.min(sizeBig.subtract(BigInteger.ONE)).longValue()});
    }
    ranges.sort(Comparator.comparingLong(r -> r[0]));
    List<long[]> merged = new ArrayList<>();
    for (long[] r : ranges) {
      long[] lastRange = merged.isEmpty() ? null : merged.getLast();
      if (lastRange != null && r[0] <= lastRange[1] + 1) {
        lastRange[1] = Math.max(lastRange[1], r[1]);
      } else {
        merged.add(r.clone());
      }
    }
    return merged;
  }

  private List<Long> shuffledFree(List<long[]> taken, RandomGenerator random, int want) {
    long[] free = new long[(int) (size - taken.stream().mapToLong(r -> r[1] - r[0] + 1).sum())];
    int n = 0;
    long next = 0;
    for (long[] r : taken) {
      for (long i = next; i < r[0]; i++) {
        free[n++] = i;
      }
      next = r[1] + 1;
    }
    for (long i = next; i < size; i++) {
      free[n++] = i;
    }
    List<Long> picks = new ArrayList<>(want);
    for (int i = 0; i < want; i++) { // partial Fisher-Yates: the first `want` slots become a uniform sample
      int j = i + random.nextInt(n - i);
      long t = free[i];
      free[i] = free[j];
      free[j] = t;
      picks.add(free[i]);
    }
    return picks;
  }

  private List<Long> probedFree(List<long[]> taken, RandomGenerator random, int want) {
    Set<Long> picks = new LinkedHashSet<>();
    for (int draw = 0; draw < want * 8 && picks.size() < want; draw++) {
      long i = random.nextLong(size);
      if (!isCovered(taken, i)) {
        picks.add(i);
      }
    }
    long i = random.nextLong(size);
    for (long steps = 0; picks.size() < want && steps <= taken.size() + 2L * want + 2; steps++) {
      int at = rangeAt(taken, i); // a dense pool: walk forward from a random point, jumping over used ranges
      if (at >= 0) {
        i = taken.get(at)[1] + 1;
      } else {
        picks.add(i++);
      }
      if (i >= size) {
        i = 0;
      }
    }
    return new ArrayList<>(picks);
  }

  private static boolean isCovered(List<long[]> taken, long i) {
    return rangeAt(taken, i) >= 0;
  }

  private static int rangeAt(List<long[]> taken, long i) {
    int lo = 0;
    int hi = taken.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long[] r = taken.get(mid);
      if (i < r[0]) {
        hi = mid - 1;
      } else if (i > r[1]) {
        lo = mid + 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  @Override
  public String toString() {
    return "/" + subnetLen + " subnets of " + network + " from " + subnet(0) + " to " + subnet(size - 1);
  }
}

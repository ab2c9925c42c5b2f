package dev.weft.lease;

import java.util.Locale;
import java.util.regex.Pattern;

import dev.weft.net.Texts;

/** Validation of the VTEP MAC addresses peers publish; a bad one must never reach the FDB. */
public final class MacAddresses {
  private static final Pattern MAC = Pattern.compile("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}");

  private MacAddresses() {}

  /**
   * The MAC in lower case {@code aa:bb:cc:dd:ee:ff}.
   *
   * @throws IllegalArgumentException when it is not six colon-separated hex octets, or is a multicast, broadcast or
   *     all-zero address (an all-zero FDB entry is the flood default; a group address would fan traffic out)
   */
  public static String normalize(String text) {
    if (text == null || text.length() != 17 || !MAC.matcher(text).matches()) {
      throw new IllegalArgumentException("not a MAC address: " + Texts.quote(text));
    }
    String mac = text.toLowerCase(Locale.ROOT);
    if ((Integer.parseInt(mac.substring(0, 2), 16) & 1) != 0) {
      throw new IllegalArgumentException("not a unicast MAC address: " + Texts.quote(text));
    }
    if (mac.equals("00:00:00:00:00:00")) {
      throw new IllegalArgumentException("the all-zero MAC address is not a VTEP: " + Texts.quote(text));
    }
    return mac;
  }
}

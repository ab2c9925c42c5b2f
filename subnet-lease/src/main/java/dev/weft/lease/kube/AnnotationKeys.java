package dev.weft.lease.kube;

import java.util.regex.Pattern;

import dev.weft.net.Texts;

/**
 * The Node annotation keys, all built from one prefix (default {@code flannel.alpha.coreos.com}, so weft and flanneld
 * nodes read each other).
 *
 * @param prefix a DNS subdomain, the part before the {@code /} of every key
 */
public record AnnotationKeys(String prefix) {
  /** flannel's prefix. */
  public static final String DEFAULT_PREFIX = "flannel.alpha.coreos.com";
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  public AnnotationKeys {
    if (prefix == null || prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
      throw new IllegalArgumentException("annotation prefix must be a lower-case DNS subdomain (e.g. "
          + DEFAULT_PREFIX + "), got " + Texts.quote(prefix));
    }
  }

  /** Keys with flannel's prefix. */
  public static AnnotationKeys defaults() {
    return new AnnotationKeys(DEFAULT_PREFIX);
  }

  /** {@code <prefix>/backend-type}: {@code vxlan}. */
  public String backendType() {
    return key("backend-type");
  }

  /** {@code <prefix>/backend-data}: {@code {"VNI":1,"VtepMAC":"aa:bb:cc:dd:ee:ff"}}. */
  public String backendData() {
    return key("backend-data");
  }

  /** {@code <prefix>/backend-v6-data}: the same for the IPv6 VXLAN device. */
  public String backendV6Data() {
    return key("backend-v6-data");
  }

  /** {@code <prefix>/public-ip}: the underlay IPv4 address peers send VXLAN to. */
  public String publicIp() {
    return key("public-ip");
  }

  /** {@code <prefix>/public-ipv6}. */
  public String publicIpV6() {
    return key("public-ipv6");
  }

  /** {@code <prefix>/kube-subnet-manager}: {@code "true"}; only such nodes are peers. */
  public String kubeSubnetManager() {
    return key("kube-subnet-manager");
  }

  /** {@code <prefix>/public-ip-overwrite}: set by an operator to override the node's public IP; read, never written. */
  public String publicIpOverwrite() {
    return key("public-ip-overwrite");
  }

  /** {@code <prefix>/node-public-ip}: the public IP some installers (k3s) set on the node; read, never written. */
  public String nodePublicIp() {
    return key("node-public-ip");
  }

  /** {@code <prefix>/public-ipv6-overwrite}: the IPv6 counterpart of {@link #publicIpOverwrite()}; read, never written. */
  public String publicIpV6Overwrite() {
    return key("public-ipv6-overwrite");
  }

  /** {@code <prefix>/node-public-ipv6}: the IPv6 counterpart of {@link #nodePublicIp()}; read, never written. */
  public String nodePublicIpV6() {
    return key("node-public-ipv6");
  }

  private String key(String name) {
    return prefix + "/" + name;
  }
}

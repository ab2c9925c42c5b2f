package dev.weft.lease.kube;

/**
 * Why one lease attempt did not produce a subnet. Every kind is retried by the agent with backoff; none is a reason
 * to exit, since each can be fixed from outside (free a subnet, fix RBAC, fix the controller's cluster CIDR) while
 * the agent waits.
 */
public enum LeaseFailure {
  /** Every subnet of the pool is taken by a Node's podCIDR or a weft lock. */
  POOL_EXHAUSTED,
  /** Other agents took every candidate this attempt tried; the next attempt sees a fresh picture. */
  CONTENDED,
  /** The API server could not be reached or did not answer (connection refused, reset, timeout). */
  API_UNREACHABLE,
  /** The API server answered with an error weft cannot act on (5xx, 429, unexpected 4xx). */
  API_ERROR,
  /** RBAC denies a call weft needs; the message names it. */
  FORBIDDEN,
  /** This node's Node object does not exist (yet). */
  NODE_NOT_FOUND,
  /** The Node's {@code spec.podCIDR} lies outside net-conf.json's {@code Network}. */
  PODCIDR_OUTSIDE_NETWORK,
  /** The Node's podCIDR(s) cannot be used: unparseable, or the family weft needs is missing. */
  PODCIDR_INVALID
}

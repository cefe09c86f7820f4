package dev.mailroom.connector.imap;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses IMAP hosts that resolve to loopback, link-local, private or cloud metadata addresses,
 * unless the operator allows them by name: otherwise any user could aim the connector at the
 * services beside it.
 */
public final class HostPolicy {

  private final Set<String> allowed;

  public HostPolicy(Set<String> allowedHosts) {
    this.allowed = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.toSet());
  }

  public void check(String host) throws HostNotAllowedException, UnknownHostException {
    if (allowed.contains(host.toLowerCase(Locale.ROOT))) {
      return;
    }
    for (InetAddress address : InetAddress.getAllByName(host)) {
      if (isInternal(address)) {
        throw new HostNotAllowedException(
            host + " resolves to an internal address (" + address.getHostAddress()
                + "); use the server's public host name");
      }
    }
  }

  static boolean isInternal(InetAddress a) {
    byte[] b = a.getAddress();
    boolean uniqueLocalV6 = b.length == 16 && (b[0] & 0xFE) == 0xFC; // fc00::/7, RFC 4193
    boolean sharedCgnat = b.length == 4 && (b[0] & 0xFF) == 100 && (b[1] & 0xC0) == 64; // RFC 6598
    return a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
        || a.isAnyLocalAddress() || a.isMulticastAddress() || uniqueLocalV6 || sharedCgnat;
  }

  public static final class HostNotAllowedException extends Exception {
    public HostNotAllowedException(String message) {
      super(message);
    }
  }
}

package dev.mailroom.connector.imap;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides which address the connector may connect to for a host and port, so a user cannot aim it
 * at the services beside it. The name is resolved once, every address it has is checked against
 * {@link SpecialPurposeAddresses}, and the caller connects to the returned address and no other: a
 * second lookup (the one Angus would make when given the name) can answer differently, which is DNS
 * rebinding.
 *
 * <p>The operator's allow-list names host and port ({@code localhost:11993}): an entry for a name
 * alone would let a user probe every port of that machine. {@code host:*} allows any port and is
 * meant for tests whose fake servers listen on random ports.
 *
 * <p>A refusal never names the address the name resolved to: that would turn the check into an
 * oracle for the internal DNS.
 */
public final class HostPolicy {

  /** Name resolution, replaceable in tests. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private static final int ANY_PORT = 0;

  private final Set<String> allowed;
  private final Resolver resolver;

  /**
   * @param allowedHostPorts entries {@code host:port} or {@code host:*}
   */
  public HostPolicy(Collection<String> allowedHostPorts) {
    this(allowedHostPorts, InetAddress::getAllByName);
  }

  public HostPolicy(Collection<String> allowedHostPorts, Resolver resolver) {
    this.allowed =
        allowedHostPorts.stream()
            .map(String::strip)
            .filter(e -> !e.isEmpty())
            .map(HostPolicy::normalise)
            .collect(Collectors.toUnmodifiableSet());
    this.resolver = resolver;
  }

  /**
   * @return the one address to connect to for {@code host}: an ordinary public address, or any
   *     address when the operator allowed this host and port
   * @throws HostNotAllowedException when any address of the name is special-purpose
   */
  public InetAddress resolve(String host, int port)
      throws HostNotAllowedException, UnknownHostException {
    InetAddress[] addresses = resolver.resolve(host);
    if (addresses == null || addresses.length == 0) {
      throw new UnknownHostException(host);
    }
    String name = host.toLowerCase(Locale.ROOT);
    if (allowed.contains(name + ":" + port) || allowed.contains(name + ":" + ANY_PORT)) {
      return addresses[0];
    }
    for (InetAddress address : addresses) {
      // Every address, not only the first: a name with one public and one internal address
      // would otherwise depend on which one the next lookup puts first.
      if (SpecialPurposeAddresses.isSpecial(address)) {
        throw new HostNotAllowedException(
            host
                + " resolves to an address reserved for private,"
                + " local or special use, which Mailroom does not connect to; use the server's public"
                + " host name");
      }
    }
    return addresses[0];
  }

  private static String normalise(String entry) {
    int colon = entry.lastIndexOf(':');
    if (colon <= 0 || colon == entry.length() - 1) {
      throw new IllegalArgumentException(
          "mailroom.imap.allowed-private-hosts entry '"
              + entry
              + "' must be host:port (or host:* in tests)");
    }
    String host = entry.substring(0, colon).toLowerCase(Locale.ROOT);
    String port = entry.substring(colon + 1);
    if (port.equals("*")) {
      return host + ":" + ANY_PORT;
    }
    try {
      int number = Integer.parseInt(port);
      if (number < 1 || number > 65535) {
        throw new NumberFormatException();
      }
      return host + ":" + number;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "mailroom.imap.allowed-private-hosts entry '"
              + entry
              + "' has no port 1..65535 after the last ':'");
    }
  }

  public static final class HostNotAllowedException extends Exception {
    public HostNotAllowedException(String message) {
      super(message);
    }
  }
}

package dev.mailroom.connector.imap;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Every address block an IMAP server on the public Internet cannot have: the IANA IPv4 and IPv6
 * Special-Purpose Address Registries (RFC 6890 and its updates; registries as of 2025, with RFC
 * 9637's 3fff::/20, RFC 9602's 5f00::/16 and RFC 9780's 100:0:0:1::/64), plus multicast, and on
 * IPv6 everything outside 2000::/3, the only block IANA has allocated for global unicast.
 *
 * <p>A block is refused even where the registry marks it "globally reachable" (AS112, AMT,
 * 192.0.0.9/32): no mail provider serves IMAP from them, and the translation and tunnelling blocks
 * (64:ff9b::/96, 64:ff9b:1::/48, 2002::/16, 2001::/32) carry an IPv4 address inside that may be a
 * private one, which is exactly how an SSRF guard that only knows 10/8 is walked around.
 */
public final class SpecialPurposeAddresses {

  /** One registry entry. */
  record Block(InetAddress network, int prefix, String name) {

    boolean contains(InetAddress address) {
      byte[] a = address.getAddress();
      byte[] n = network.getAddress();
      if (a.length != n.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (a[i] != n[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (a[full] & mask) == (n[full] & mask);
    }
  }

  static final List<Block> IPV4 =
      List.of(
          block("0.0.0.0/8", "this network (RFC 791)"),
          block("10.0.0.0/8", "private use (RFC 1918)"),
          block("100.64.0.0/10", "shared address space (RFC 6598)"),
          block("127.0.0.0/8", "loopback (RFC 1122)"),
          block("169.254.0.0/16", "link local (RFC 3927), cloud metadata services"),
          block("172.16.0.0/12", "private use (RFC 1918)"),
          block("192.0.0.0/24", "IETF protocol assignments (RFC 6890)"),
          block("192.0.2.0/24", "documentation TEST-NET-1 (RFC 5737)"),
          block("192.31.196.0/24", "AS112-v4 (RFC 7535)"),
          block("192.52.193.0/24", "AMT (RFC 7450)"),
          block("192.88.99.0/24", "deprecated 6to4 relay anycast (RFC 7526)"),
          block("192.168.0.0/16", "private use (RFC 1918)"),
          block("192.175.48.0/24", "direct delegation AS112 service (RFC 7534)"),
          block("198.18.0.0/15", "benchmarking (RFC 2544)"),
          block("198.51.100.0/24", "documentation TEST-NET-2 (RFC 5737)"),
          block("203.0.113.0/24", "documentation TEST-NET-3 (RFC 5737)"),
          block("224.0.0.0/4", "multicast (RFC 5771)"),
          block("240.0.0.0/4", "reserved (RFC 1112)"),
          block("255.255.255.255/32", "limited broadcast (RFC 919)"));

  static final List<Block> IPV6 =
      List.of(
          block("::/128", "unspecified (RFC 4291)"),
          block("::1/128", "loopback (RFC 4291)"),
          block("::/96", "IPv4-compatible, deprecated (RFC 4291)"),
          block("::ffff:0:0/96", "IPv4-mapped (RFC 4291)"),
          block("64:ff9b::/96", "IPv4-IPv6 translation (RFC 6052)"),
          block("64:ff9b:1::/48", "local-use IPv4-IPv6 translation (RFC 8215)"),
          block("100::/64", "discard-only (RFC 6666)"),
          block("100:0:0:1::/64", "dummy IPv6 prefix (RFC 9780)"),
          block(
              "2001::/23",
              "IETF protocol assignments (RFC 2928): TEREDO, benchmarking, ORCHID, AMT, AS112"),
          block("2001:db8::/32", "documentation (RFC 3849)"),
          block("2002::/16", "6to4 (RFC 3056)"),
          block("2620:4f:8000::/48", "direct delegation AS112 service (RFC 7534)"),
          block("3fff::/20", "documentation (RFC 9637)"),
          block("5f00::/16", "segment routing SIDs (RFC 9602)"),
          block("fc00::/7", "unique local (RFC 4193)"),
          block("fe80::/10", "link-local unicast (RFC 4291)"),
          block("fec0::/10", "site-local, deprecated (RFC 3879)"),
          block("ff00::/8", "multicast (RFC 4291)"));

  private static final Block GLOBAL_UNICAST_V6 = block("2000::/3", "global unicast (RFC 4291)");

  private SpecialPurposeAddresses() {}

  /** True when {@code address} is not an ordinary public unicast address. */
  public static boolean isSpecial(InetAddress address) {
    List<Block> blocks = address.getAddress().length == 4 ? IPV4 : IPV6;
    for (Block block : blocks) {
      if (block.contains(address)) {
        return true;
      }
    }
    return blocks == IPV6 && !GLOBAL_UNICAST_V6.contains(address);
  }

  private static Block block(String cidr, String name) {
    int slash = cidr.indexOf('/');
    String literal = cidr.substring(0, slash);
    try {
      // Literals only: getByName parses them without a DNS lookup. It turns an IPv4-mapped IPv6
      // literal into an IPv4 address, so that one block is built from its 16 bytes.
      InetAddress network = InetAddress.getByName(literal);
      if (literal.contains(":") && network.getAddress().length == 4) {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(network.getAddress(), 0, mapped, 12, 4);
        network = java.net.Inet6Address.getByAddress(null, mapped, -1);
      }
      return new Block(network, Integer.parseInt(cidr.substring(slash + 1)), name);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("bad block " + cidr, e);
    }
  }
}

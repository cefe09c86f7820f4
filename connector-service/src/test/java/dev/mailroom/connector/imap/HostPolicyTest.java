package dev.mailroom.connector.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HostPolicyTest {

  private static InetAddress[] addresses(String... literals) throws UnknownHostException {
    InetAddress[] out = new InetAddress[literals.length];
    for (int i = 0; i < literals.length; i++) {
      out[i] = InetAddress.getByName(literals[i]);
    }
    return out;
  }

  @Test
  void aPublicNameResolvesOnceToTheAddressToConnectTo() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    HostPolicy policy =
        new HostPolicy(
            Set.of(),
            host -> {
              lookups.incrementAndGet();
              return addresses("203.0.114.10", "2a00:1450:4001::1");
            });
    assertThat(policy.resolve("imap.example.com", 993).getHostAddress()).isEqualTo("203.0.114.10");
    assertThat(lookups).hasValue(1);
  }

  @Test
  void oneInternalAddressAmongPublicOnesRefusesTheNameWithoutNamingTheAddress() throws Exception {
    HostPolicy policy = new HostPolicy(Set.of(), host -> addresses("203.0.114.10", "10.12.13.14"));
    assertThatThrownBy(() -> policy.resolve("imap.example.com", 993))
        .isInstanceOf(HostPolicy.HostNotAllowedException.class)
        .hasMessageContaining("imap.example.com")
        .hasMessageNotContaining("10.12.13.14")
        .hasMessageNotContaining("203.0.114.10");
  }

  @Test
  void nat64AndSixToFourAddressesOfAPrivateV4AreRefused() throws Exception {
    for (String literal : List.of("64:ff9b::a0c:d0e", "2002:a0c:d0e::1", "64:ff9b:1::a0c:d0e")) {
      HostPolicy policy = new HostPolicy(Set.of(), host -> addresses(literal));
      assertThatThrownBy(() -> policy.resolve("sneaky.example.com", 143))
          .as(literal)
          .isInstanceOf(HostPolicy.HostNotAllowedException.class);
    }
  }

  @Test
  void theAllowListNamesHostAndPort() throws Exception {
    HostPolicy policy =
        new HostPolicy(
            List.of("localhost:11993", " 127.0.0.1:11143 "), host -> addresses("127.0.0.1"));
    assertThat(policy.resolve("LOCALHOST", 11993).getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(policy.resolve("127.0.0.1", 11143).getHostAddress()).isEqualTo("127.0.0.1");
    // The same machine on another port is refused: no probing of the connector's neighbours.
    assertThatThrownBy(() -> policy.resolve("localhost", 5432))
        .isInstanceOf(HostPolicy.HostNotAllowedException.class);
    assertThatThrownBy(() -> policy.resolve("127.0.0.1", 11993))
        .isInstanceOf(HostPolicy.HostNotAllowedException.class);
  }

  @Test
  void anyPortOnlyWhenTheEntrySaysSo() throws Exception {
    HostPolicy policy = new HostPolicy(List.of("localhost:*"), host -> addresses("127.0.0.1"));
    assertThat(policy.resolve("localhost", 40000)).isNotNull();
  }

  @Test
  void anEntryWithoutAPortIsAConfigurationError() {
    assertThatThrownBy(() -> new HostPolicy(List.of("localhost")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host:port");
    assertThatThrownBy(() -> new HostPolicy(List.of("localhost:99999")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1..65535");
  }

  @Test
  void aNameWithoutAddressesIsUnknown() {
    HostPolicy policy = new HostPolicy(Set.of(), host -> new InetAddress[0]);
    assertThatThrownBy(() -> policy.resolve("nowhere.example.com", 993))
        .isInstanceOf(UnknownHostException.class);
  }
}

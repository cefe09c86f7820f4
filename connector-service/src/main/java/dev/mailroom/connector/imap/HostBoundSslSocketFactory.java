package dev.mailroom.connector.imap;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Layers TLS over a socket that is connected to a checked address, for the host name the user gave.
 * {@link ImapConnector} hands Angus the checked address as a literal so that Angus never resolves
 * the name itself (see {@link HostPolicy}); Angus then passes that literal to {@code
 * createSocket(socket, host, port, autoClose)} (SocketFetcher for imaps, and startTLS for
 * STARTTLS). This factory puts the real name back, so the JDK sends it as SNI and checks the
 * certificate against it (endpoint identification, which Angus switches on with {@code
 * ssl.checkserveridentity}) and not against the address.
 */
public final class HostBoundSslSocketFactory extends SSLSocketFactory {

  private final SSLSocketFactory delegate;
  private final String host;
  private final InetAddress address;

  public HostBoundSslSocketFactory(SSLSocketFactory delegate, String host, InetAddress address) {
    this.delegate = delegate;
    this.host = host;
    this.address = address;
  }

  @Override
  public Socket createSocket(Socket socket, String ignoredLiteral, int port, boolean autoClose)
      throws IOException {
    return delegate.createSocket(socket, host, port, autoClose);
  }

  // Angus does not call the forms below with an SSL factory (it connects a plain socket itself and
  // layers TLS over it); they connect to the checked address all the same, never to the name.

  @Override
  public Socket createSocket(String ignoredHost, int port) throws IOException {
    Socket plain = new Socket();
    plain.connect(new InetSocketAddress(address, port));
    return createSocket(plain, host, port, true);
  }

  @Override
  public Socket createSocket(String ignoredHost, int port, InetAddress localHost, int localPort)
      throws IOException {
    Socket plain = new Socket();
    plain.bind(new InetSocketAddress(localHost, localPort));
    plain.connect(new InetSocketAddress(address, port));
    return createSocket(plain, host, port, true);
  }

  @Override
  public Socket createSocket(InetAddress ignoredAddress, int port) throws IOException {
    return createSocket(host, port);
  }

  @Override
  public Socket createSocket(
      InetAddress ignoredAddress, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return createSocket(host, port, localAddress, localPort);
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return delegate.getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return delegate.getSupportedCipherSuites();
  }
}

package dev.mailroom.sync.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the store keeps what the events carry. */
@ConfigMapping(prefix = "mailroom.store")
public interface StoreConfig {

  /**
   * Text and HTML bodies are kept up to this many characters each; the rest stays on the server.
   * 256 Ki characters covers nearly every human-written message and keeps a row far below
   * PostgreSQL's TOAST limits.
   */
  @WithDefault("262144")
  int bodyMaxChars();
}

package dev.mailroom.connector.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Settings of the connector, under {@code mailroom.*}. */
@ConfigMapping(prefix = "mailroom")
public interface ConnectorConfig {

  Topics topic();

  Imap imap();

  Credentials credentials();

  Ownership ownership();

  interface Topics {
    /** The compacted topic that says which accounts exist. */
    @WithDefault("mailroom.accounts.v1")
    String accounts();

    /** Where mail events go (the emitter channel {@code mail-out} is bound to it). */
    @WithDefault("mailroom.mail.v1")
    String mail();

    /** Where connection events go (channel {@code connection-out}). */
    @WithDefault("mailroom.connection.v1")
    String connection();

    /** health-service's decisions (compacted): a disconnected account is not retried. */
    @WithDefault("mailroom.account-status.v1")
    String accountStatus();

    /** Owners' commands, read on the partitions this instance holds of the accounts topic. */
    @WithDefault("mailroom.commands.v1")
    String commands();

    /**
     * Server-side searches asked by search-service (search/SearchResponder reads every partition).
     */
    @WithDefault("mailroom.search-requests.v1")
    String searchRequests();

    /** The answers to them. */
    @WithDefault("mailroom.search-replies.v1")
    String searchReplies();
  }

  Commands commands();

  interface Commands {
    /** Group under which the command consumer commits how far it has applied each partition. */
    @WithDefault("mailroom-connector-commands")
    String groupId();

    /**
     * A command older than this when its turn comes is not applied but failed as expired: the owner
     * acted on a view of long ago (the account was disconnected, or no instance ran).
     */
    @WithDefault("1h")
    Duration maxAge();

    /**
     * How long a command waits for its account's session on this instance (its definition may be
     * read just after the partition was assigned) before it fails as not connected.
     */
    @WithDefault("30s")
    Duration holdWait();

    /** The longest one command may take on its session, waiting for a reconnect included. */
    @WithDefault("2m")
    Duration timeout();

    /**
     * Messages per UID MOVE (or COPY and UID EXPUNGE) of a bulk move: a connector killed in the
     * middle leaves at most one such chunk in doubt, and command lines stay short.
     */
    @WithDefault("250")
    int moveChunk();
  }

  interface Ownership {
    /** Consumer group whose partition assignment of the accounts topic decides who holds what. */
    @WithDefault("mailroom-connector")
    String groupId();

    /**
     * How long the group waits for a silent instance before its accounts move to the others: the
     * longest a dead instance's accounts go unsynced. Kafka's own default is 45 s; the broker
     * accepts 6 s to 30 min (group.min/max.session.timeout.ms). A JVM pause longer than this moves
     * the accounts needlessly, which costs a reconnect, not data.
     */
    @WithDefault("15s")
    Duration sessionTimeout();
  }

  interface Imap {
    /** Extra CA certificate (PEM) trusted besides the JDK's own, e.g. an in-house CA. */
    Optional<String> trustedCa();

    /**
     * {@code host:port} pairs that may resolve to loopback, private or other special-purpose
     * addresses (the local stack's Dovecot, {@code localhost:11993}). Empty in production, so a
     * user cannot aim the connector at internal services; {@code host:*} allows every port and is
     * for tests only.
     */
    Optional<Set<String>> allowedPrivateHosts();

    /** How often every mailbox is checked with STATUS for changes. */
    @WithDefault("2s")
    Duration pollInterval();

    /** TCP connect timeout. */
    @WithDefault("15s")
    Duration connectTimeout();

    /** Read timeout of one IMAP command. */
    @WithDefault("120s")
    Duration readTimeout();

    /**
     * How often every mailbox is checked with STATUS when NOTIFY already pushes every mailbox's
     * changes: a safety net for a notification the server dropped, not the way news arrives.
     */
    @WithDefault("5m")
    Duration notifySweepInterval();

    /**
     * How long one IDLE lasts before DONE and a new IDLE. Below RFC 2177's 29 minutes, below the
     * ~350 s after which NAT boxes drop a silent flow, and below the read timeout, so a connection
     * that died silently is noticed within this plus the read timeout.
     */
    @WithDefault("90s")
    Duration idleKeepAlive();

    /**
     * How often each mailbox of a server without CONDSTORE is probed for flag changes (an EXAMINE
     * and one {@code UID SEARCH} per flag, see {@code session.FlagProbe}; INBOX as well): STATUS
     * cannot tell that a flag other than \Seen changed there, so this, plus the sync, bounds how
     * late such a change arrives. bench/connector/plain-server has its cost.
     */
    @WithDefault("5s")
    Duration flagProbeInterval();

    /**
     * How often every mailbox of a server without CONDSTORE gets a full flag scan ({@code UID FETCH
     * 1:n (UID FLAGS)}, ~40 bytes a message) whatever the probes say: a safety net for keywords
     * beyond the ones probed and for a server whose SEARCH misses changes.
     */
    @WithDefault("10m")
    Duration fullScanInterval();

    /**
     * Bytes of each message's text (first text/plain part, else text/html) fetched for search and
     * the snippet; 0 fetches none. Attachments are never fetched.
     */
    @WithDefault("16384")
    int bodyBytes();

    /**
     * How often a mailbox's status is written to the mail topic again when nothing changed. It
     * carries the checkpoint a restart resumes from (docs/adr/0002), so it must come well inside
     * the topic's retention (30 days).
     */
    @WithDefault("P7D")
    Duration checkpointRefresh();

    /**
     * How far before an account's creation (the gateway's clock) the checkpoint read of its
     * partition starts (docs/adr/0002): the largest difference expected between that clock and the
     * timestamps of the account's events (the connector's or the broker's clock).
     */
    @WithDefault("1h")
    Duration checkpointClockSkew();

    /**
     * Sessions that may be logging in and catching up at the same time. The others wait their turn,
     * so an instance that takes over many accounts at once (a start, a failover) neither floods the
     * mail servers with logins nor holds every first sync in memory together.
     */
    @WithDefault("16")
    int concurrentStarts();

    /**
     * The longest one session keeps its turn to start: a server that hangs at the greeting, or a
     * first sync of a very large mailbox, then lets the next session start beside it.
     */
    @WithDefault("30s")
    Duration startTurn();

    /** Messages per UID FETCH during a sync, at most. */
    @WithDefault("500")
    int fetchBatch();

    /**
     * The bytes of mail (headers, envelopes, texts) a sync's batch should hold: a batch takes as
     * many messages as fit at the bytes a message of a batch just read, between a tenth of {@link
     * #fetchBatch} and all of it. Mail of long texts or of hundreds of recipients is then fetched
     * in smaller batches, and memory follows bytes.
     */
    @WithDefault("2097152")
    int fetchBatchBytes();

    /** First reconnect delay; doubled per failure with jitter up to the maximum. */
    @WithDefault("1s")
    Duration backoffInitial();

    @WithDefault("5m")
    Duration backoffMax();
  }

  interface Credentials {
    /** The key id new secrets are sealed with. */
    String keyId();

    /** That key, 32 bytes in base64. */
    String key();

    /** Older keys that may still open secrets, as {@code id:base64,id:base64}. */
    Optional<String> oldKeys();
  }
}

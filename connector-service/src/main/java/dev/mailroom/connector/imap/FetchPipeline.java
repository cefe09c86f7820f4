package dev.mailroom.connector.imap;

import io.quarkus.logging.Log;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.BODYSTRUCTURE;
import org.eclipse.angus.mail.imap.protocol.ENVELOPE;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;

/**
 * The {@code UID FETCH}es of one mailbox's new messages, batch after batch, each batch's command
 * written before the one before is handed over: the server reads the next batch while this side
 * decodes, maps and sends the last one, instead of waiting for a command between batches (RFC 9051
 * §5.5 allows a client to send commands without waiting for the ones before to complete).
 *
 * <p>One call of {@link #fetch} reads a batch's replies, writes the partial fetches of its texts
 * ({@link BodyText.Plan}) and then the next batch's command, and reads the texts' replies. So
 * between calls at most one batch command is in flight, and its replies wait in the server's
 * output, the kernel's buffers or here. Nothing else may run a command on the connection meanwhile:
 * {@link #settle} reads the command in flight to its end and keeps its replies for the next {@link
 * #fetch}; {@link #abandon} reads and drops them.
 *
 * <p>Replies are told apart by UID, since a mailbox's batches never share one, and a batch's by its
 * ENVELOPE: it does not matter whether the server answers pipelined commands one after the other or
 * interleaves their replies, and a FETCH the server sends along on its own (another client changed
 * a flag) is never taken for a message. Like {@link ImapCommands#run}, FETCH replies are kept from
 * Angus's handlers (no message objects) and every other reply goes to them.
 */
public final class FetchPipeline {

  /**
   * A batch as read: its replies, UID to its text still to be decoded, and about the bytes of mail
   * it holds (the bodies of its replies and of the texts' partial fetches, the text of its
   * envelopes and a little per body part), which is most of the memory a batch takes and varies
   * with the mail far more than the rest: a message to 2,000 recipients carries them in its
   * envelope.
   */
  public record Batch(List<FetchResponse> replies, Map<Long, BodyText.Raw> texts, long bytes) {}

  /** A command on the connection and what was read of it. */
  private static final class Command {

    final String tag;
    final long[] uids; // ascending; empty for a text's partial fetch
    final List<FetchResponse> replies = new ArrayList<>();
    Response result; // its tagged response, once read

    Command(String tag, long[] uids) {
      this.tag = tag;
      this.uids = uids;
    }

    boolean asked(FetchResponse reply) {
      return Arrays.binarySearch(uids, MessageMapper.uid(reply)) >= 0
          && reply.getItem(ENVELOPE.class) != null;
    }
  }

  private final IMAPFolder folder;
  private final String items;
  private final int textBound;
  private Command ahead; // the next batch's command, written and not yet handed over

  /**
   * @param items the FETCH items of a batch ({@link MessageMapper#items})
   * @param textBound the bytes of each text to read, 0 for none
   */
  public FetchPipeline(IMAPFolder folder, String items, int textBound) {
    this.folder = folder;
    this.items = items;
    this.textBound = textBound;
  }

  /**
   * The replies of the batch {@code uids} and their texts. Its command was written by the call
   * before when that call was given these UIDs as {@code next}, else it is written now.
   *
   * @param uids the batch's UIDs, ascending
   * @param next the next batch's UIDs, ascending, whose command is written before this call
   *     returns; null when there is none or it will not be fetched here
   * @throws MessagingException the batch's command failed (NO, BAD), or the connection did; nothing
   *     is in flight after a failure of the batch's own command
   */
  public Batch fetch(long[] uids, long[] next) throws MessagingException {
    return (Batch) folder.doCommand(protocol -> fetch(protocol, uids, next));
  }

  private Batch fetch(IMAPProtocol protocol, long[] uids, long[] next) throws ProtocolException {
    synchronized (protocol) { // as Protocol.command: one thread writes and reads at a time
      List<Response> others = new ArrayList<>();
      try {
        Command batch = ahead;
        ahead = null;
        if (batch == null) {
          batch = write(protocol, uids);
        } else if (!Arrays.equals(batch.uids, uids)) {
          throw new IllegalStateException("the batch written ahead is not the one asked for");
        }
        readUntilDone(protocol, List.of(batch), null, null, others);
        protocol.handleResult(batch.result); // NO or BAD: nothing else was written
        BodyText.Plan plan =
            textBound > 0 ? BodyText.plan(batch.replies, textBound) : BodyText.plan(List.of(), 0);
        List<Command> texts = new ArrayList<>();
        for (String command : plan.commands()) {
          texts.add(new Command(protocol.writeCommand(command, null), new long[0]));
        }
        if (next != null) {
          ahead = write(protocol, next);
        }
        // A text's partial fetch that fails leaves its messages without text, as a message whose
        // text cannot be located: the text is a convenience, the message is still a message.
        readUntilDone(protocol, texts, plan, ahead, others);
        for (Command text : texts) {
          if (!text.result.isOK()) {
            Log.debugf("texts not fetched: %s", text.result);
          }
        }
        return new Batch(
            batch.replies, plan.texts(), replyBytes(batch.replies) + plan.takenBytes());
      } catch (IOException e) {
        ahead = null;
        hangUp(protocol, e, others);
        throw new IllegalStateException(e); // not reached
      } finally {
        protocol.notifyResponseHandlers(others.toArray(Response[]::new));
      }
    }
  }

  /**
   * Reads the command in flight to its end, keeping its replies for the {@link #fetch} of its
   * batch: the connection is free for other commands afterwards.
   */
  public void settle() throws MessagingException {
    if (ahead == null || ahead.result != null) {
      return;
    }
    folder.doCommand(
        protocol -> {
          synchronized (protocol) {
            List<Response> others = new ArrayList<>();
            try {
              readUntilDone(protocol, List.of(ahead), null, null, others);
            } catch (IOException e) {
              ahead = null;
              hangUp(protocol, e, others);
            } finally {
              protocol.notifyResponseHandlers(others.toArray(Response[]::new));
            }
            return null;
          }
        });
  }

  /**
   * Reads the command in flight to its end and drops its replies, whatever happens: a sync that
   * failed leaves the connection as it found it, or closed.
   */
  public void abandon() {
    try {
      settle();
    } catch (MessagingException | RuntimeException e) {
      // The connection failed with it; the session that fails next reconnects.
    } finally {
      ahead = null;
    }
  }

  /**
   * Closes a connection whose stream failed or fell out of step, as Angus does when its own read
   * fails: a BYE for the handlers (the folder learns it is closed, so {@code isOpen()} says so),
   * then the connection is closed and the BYE thrown.
   */
  private static void hangUp(IMAPProtocol protocol, IOException cause, List<Response> others)
      throws ProtocolException {
    Response bye = Response.byeResponse(cause);
    others.add(bye); // handed to the handlers by the caller's finally, after the throw below
    protocol.handleResult(bye); // closes the connection, throws
  }

  /** About the bytes of mail the replies hold: see {@link Batch}. */
  private static long replyBytes(List<FetchResponse> replies) {
    long bytes = 0;
    for (FetchResponse reply : replies) {
      for (int i = 0; i < reply.getItemCount(); i++) {
        switch (reply.getItem(i)) {
          case BODY body when body.getByteArray() != null ->
              bytes += body.getByteArray().getCount();
          case ENVELOPE envelope -> bytes += envelopeBytes(envelope);
          case BODYSTRUCTURE structure -> bytes += PART_BYTES * parts(structure);
          default -> {}
        }
      }
    }
    return bytes;
  }

  /** What a body part's structure takes besides its text, about: its types, parameters, size. */
  private static final int PART_BYTES = 200;

  private static long envelopeBytes(ENVELOPE envelope) {
    return length(envelope.subject)
        + length(envelope.messageId)
        + length(envelope.inReplyTo)
        + addressBytes(envelope.from)
        + addressBytes(envelope.sender)
        + addressBytes(envelope.replyTo)
        + addressBytes(envelope.to)
        + addressBytes(envelope.cc)
        + addressBytes(envelope.bcc);
  }

  private static long addressBytes(InternetAddress[] addresses) {
    long bytes = 0;
    for (InternetAddress address : addresses == null ? new InternetAddress[0] : addresses) {
      bytes += length(address.getAddress()) + length(address.getPersonal());
    }
    return bytes;
  }

  /** The parts of a structure, nested ones included; walked without recursion, however deep. */
  private static int parts(BODYSTRUCTURE structure) {
    int parts = 0;
    ArrayDeque<BODYSTRUCTURE> open = new ArrayDeque<>(List.of(structure));
    while (!open.isEmpty()) {
      BODYSTRUCTURE part = open.pop();
      parts++;
      if (part.bodies != null) {
        for (BODYSTRUCTURE child : part.bodies) {
          open.push(child);
        }
      }
    }
    return parts;
  }

  private static int length(String text) {
    return text == null ? 0 : text.length();
  }

  private Command write(IMAPProtocol protocol, long[] uids) throws IOException, ProtocolException {
    String set = ImapCommands.uidSet(uids, 0, uids.length);
    return new Command(protocol.writeCommand("UID FETCH " + set + " " + items, null), uids);
  }

  /**
   * Reads until every command of {@code waited} has its tagged response. A FETCH reply goes to the
   * batch that asked for it ({@code waited}'s own, or {@code alsoAhead}'s), else to {@code plan}'s
   * texts, else it is dropped; the other untagged replies go to {@code others}. A reply Angus
   * cannot parse is skipped, as its own {@code command} does: the batch then lacks its message,
   * which is asked for alone and, if still unreadable, skipped with that reason.
   */
  private static void readUntilDone(
      IMAPProtocol protocol,
      List<Command> waited,
      BodyText.Plan plan,
      Command alsoAhead,
      List<Response> others)
      throws IOException, ProtocolException {
    int open = (int) waited.stream().filter(c -> c.result == null).count();
    while (open > 0) {
      Response r;
      try {
        r = protocol.readResponse();
      } catch (ProtocolException | StackOverflowError unparsable) {
        // A reply is read whole before it is parsed, so the next one starts where it ended. Angus
        // parses a BODYSTRUCTURE by recursion: one nested deeper than the stack (a server that
        // does not cap MIME nesting) ends in a StackOverflowError, every time it is read.
        continue;
      } catch (OutOfMemoryError tooLarge) {
        // A literal is read into one array of the size the server declares (Angus's
        // ResponseInputStream): a server that declares hundreds of megabytes, or more than an array
        // can hold, fails that allocation. Its bytes are still on the wire, so the stream is out of
        // step: the connection is dropped as if the server had, the batch's messages are asked for
        // one by one after the reconnect, and the one that fails alone is skipped.
        throw new IOException(
            "a reply too large for the connector's memory (" + tooLarge.getMessage() + ")");
      }
      if (r.isBYE()) {
        protocol.handleResult(r); // closes the connection, throws
      }
      if (r.isTagged()) {
        for (Command c : waited) {
          if (c.result == null && c.tag.equals(r.getTag())) {
            c.result = r;
            open--;
          }
        }
        if (alsoAhead != null && alsoAhead.tag.equals(r.getTag())) {
          alsoAhead.result = r;
        }
      } else if (r instanceof FetchResponse f) {
        if (alsoAhead != null && alsoAhead.asked(f)) {
          alsoAhead.replies.add(f);
        } else if (plan == null || !plan.take(f)) {
          for (Command c : waited) {
            if (c.asked(f)) {
              c.replies.add(f);
              break;
            }
          }
        }
      } else {
        others.add(r);
      }
    }
  }
}

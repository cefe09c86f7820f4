package dev.mailroom.gateway.send;

import dev.mailroom.events.account.AccountDefined;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * Builds the message exactly as it will be sent, so that its size is known before it is queued. Bcc
 * travels in the envelope only, never in a header.
 */
final class MimeBuilder {

  /** RFC 5322 §3.6.4 lets References be trimmed; the first and the last ones keep the thread. */
  static final int MAX_REFERENCES = 20;

  private static final Session SESSION = session();

  private static Session session() {
    Properties p = new Properties();
    // RFC 2231/2047 encoding of non-ASCII file names.
    p.put("mail.mime.encodefilename", "true");
    return Session.getInstance(p);
  }

  /** What the reply refers to: the stored message's Message-ID and its References. */
  record Parent(String messageId, List<String> references) {}

  record Built(String messageId, String envelopeFrom, List<String> recipients, byte[] mime) {}

  private MimeBuilder() {}

  static Built build(AccountDefined account, OutgoingMessage m, Parent parent, UUID outboxId)
      throws MessagingException, IOException {
    String from = account.email();
    String messageId = "<" + outboxId + "@" + from.substring(from.indexOf('@') + 1) + ">";
    MimeMessage message = new FixedIdMessage(SESSION, messageId);
    message.setFrom(address(from, account.displayName()));
    message.setRecipients(Message.RecipientType.TO, parse(m.to()));
    if (!m.cc().isEmpty()) {
      message.setRecipients(Message.RecipientType.CC, parse(m.cc()));
    }
    message.setSubject(m.subject() == null ? "" : m.subject(), "UTF-8");
    message.setSentDate(new Date());
    if (parent != null && parent.messageId() != null) {
      // RFC 5322 §3.6.4: In-Reply-To is the parent's Message-ID; References are the parent's
      // References followed by its Message-ID.
      message.setHeader("In-Reply-To", parent.messageId());
      message.setHeader("References", MimeUtility.fold(12, String.join(" ", references(parent))));
    }
    message.setContent(body(m));
    message.saveChanges();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    message.writeTo(out);
    List<String> recipients = new ArrayList<>();
    for (List<String> field : List.of(m.to(), m.cc(), m.bcc())) {
      for (InternetAddress a : parse(field)) {
        recipients.add(a.getAddress());
      }
    }
    return new Built(messageId, from, recipients, out.toByteArray());
  }

  static List<String> references(Parent parent) {
    List<String> all =
        new ArrayList<>(parent.references() == null ? List.of() : parent.references());
    all.add(parent.messageId());
    if (all.size() <= MAX_REFERENCES) {
      return all;
    }
    List<String> kept = new ArrayList<>();
    kept.add(all.getFirst());
    kept.addAll(all.subList(all.size() - (MAX_REFERENCES - 1), all.size()));
    return kept;
  }

  private static MimeMultipart body(OutgoingMessage m) throws MessagingException {
    MimeBodyPart text = null;
    if (m.text() != null && !m.text().isEmpty() && m.html() != null && !m.html().isEmpty()) {
      MimeMultipart alternative = new MimeMultipart("alternative");
      alternative.addBodyPart(textPart(m.text()));
      alternative.addBodyPart(htmlPart(m.html()));
      text = new MimeBodyPart();
      text.setContent(alternative);
    } else if (m.html() != null && !m.html().isEmpty()) {
      text = htmlPart(m.html());
    } else {
      text = textPart(m.text());
    }
    MimeMultipart mixed = new MimeMultipart("mixed");
    mixed.addBodyPart(text);
    for (OutgoingMessage.Attachment a : m.attachments()) {
      MimeBodyPart part = new MimeBodyPart();
      String type = a.contentType() == null ? "application/octet-stream" : a.contentType();
      part.setDataHandler(new DataHandler(new ByteArrayDataSource(a.content(), type)));
      part.setFileName(a.filename());
      part.setDisposition(MimeBodyPart.ATTACHMENT);
      mixed.addBodyPart(part);
    }
    return mixed;
  }

  private static MimeBodyPart textPart(String text) throws MessagingException {
    MimeBodyPart part = new MimeBodyPart();
    part.setText(text, "UTF-8");
    return part;
  }

  private static MimeBodyPart htmlPart(String html) throws MessagingException {
    MimeBodyPart part = new MimeBodyPart();
    part.setText(html, "UTF-8", "html");
    return part;
  }

  private static InternetAddress address(String email, String name)
      throws UnsupportedEncodingException {
    return new InternetAddress(email, name, "UTF-8");
  }

  private static InternetAddress[] parse(List<String> values) throws MessagingException {
    InternetAddress[] all = new InternetAddress[values.size()];
    for (int i = 0; i < values.size(); i++) {
      all[i] = InternetAddress.parseHeader(values.get(i), true)[0];
    }
    return all;
  }

  /** Angus replaces Message-ID on saveChanges(); ours is fixed by the outbox id. */
  private static final class FixedIdMessage extends MimeMessage {
    private final String id;

    FixedIdMessage(Session session, String id) {
      super(session);
      this.id = id;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", id);
    }
  }
}

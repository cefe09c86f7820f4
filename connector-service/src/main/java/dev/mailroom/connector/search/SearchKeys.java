package dev.mailroom.connector.search;

import dev.mailroom.events.search.SearchTerm;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.angus.mail.iap.Argument;

/**
 * The arguments of one {@code UID SEARCH} built from a search's terms (RFC 9051 §6.4.4): keywords
 * are atoms chosen here, every value from the query is a string that Angus writes quoted or as a
 * literal, so no query text ever becomes IMAP syntax.
 *
 * <p>{@code FUZZY} (RFC 6203 §3) goes before each text key only when the caller says the server
 * advertised SEARCH=FUZZY; {@code RETURN (ALL RELEVANCY)} only with FUZZY and ESEARCH (RFC 6203 §4
 * defines RELEVANCY as an ESEARCH return option, RFC 4731).
 */
public final class SearchKeys {

  /** An atom chosen by this class, or a string from the query. */
  sealed interface Part permits Atom, Text {}

  record Atom(String atom) implements Part {}

  record Text(String text) implements Part {}

  private static final DateTimeFormatter IMAP_DATE =
      DateTimeFormatter.ofPattern("d-MMM-yyyy", Locale.ENGLISH);

  private final List<Part> parts;
  private final boolean fuzzy;
  private final boolean relevancy;

  private SearchKeys(List<Part> parts, boolean fuzzy, boolean relevancy) {
    this.parts = List.copyOf(parts);
    this.fuzzy = fuzzy;
    this.relevancy = relevancy;
  }

  /**
   * @param fuzzy the server advertised SEARCH=FUZZY (and FUZZY was asked for)
   * @param esearch the server advertised ESEARCH
   */
  public static SearchKeys of(List<SearchTerm> terms, boolean fuzzy, boolean esearch) {
    List<Part> parts = new ArrayList<>();
    boolean relevancy = fuzzy && esearch;
    if (esearch) {
      parts.add(new Atom("RETURN"));
      parts.add(new Atom(relevancy ? "(ALL RELEVANCY)" : "(ALL)"));
    }
    boolean utf8 =
        terms.stream()
            .anyMatch(
                t ->
                    t.value() != null
                        && !StandardCharsets.US_ASCII.newEncoder().canEncode(t.value()));
    if (utf8) {
      parts.add(new Atom("CHARSET"));
      parts.add(new Atom("UTF-8"));
    }
    for (SearchTerm term : terms) {
      if (term.negated()) {
        parts.add(new Atom("NOT"));
      }
      switch (term.kind()) {
        case WORD, PHRASE -> text(parts, fuzzy, "TEXT", term.value());
        case SUBJECT -> text(parts, fuzzy, "SUBJECT", term.value());
        case FROM -> text(parts, false, "FROM", term.value());
        case TO -> text(parts, false, "TO", term.value());
        case CC -> text(parts, false, "CC", term.value());
        // IMAP has no key for attachments; a multipart/mixed top level is how mail carries one.
        case HAS_ATTACHMENT -> {
          parts.add(new Atom("HEADER"));
          parts.add(new Text("Content-Type"));
          parts.add(new Text("multipart/mixed"));
        }
        case UNREAD -> parts.add(new Atom("UNSEEN"));
        case FLAGGED -> parts.add(new Atom("FLAGGED"));
        case BEFORE -> date(parts, "SENTBEFORE", term.value());
        case AFTER -> date(parts, "SENTSINCE", term.value());
      }
    }
    return new SearchKeys(parts, fuzzy, relevancy);
  }

  private static void text(List<Part> parts, boolean fuzzy, String key, String value) {
    if (fuzzy) {
      parts.add(new Atom("FUZZY"));
    }
    parts.add(new Atom(key));
    parts.add(new Text(value));
  }

  private static void date(List<Part> parts, String key, String value) {
    parts.add(new Atom(key));
    parts.add(new Atom(IMAP_DATE.format(LocalDate.parse(value))));
  }

  public boolean fuzzy() {
    return fuzzy;
  }

  public boolean relevancy() {
    return relevancy;
  }

  /** The arguments as Angus writes them: atoms as they are, values quoted or as literals. */
  public Argument argument() {
    Argument args = new Argument();
    for (Part part : parts) {
      switch (part) {
        case Atom a -> args.writeAtom(a.atom());
        case Text t -> args.writeString(t.text(), StandardCharsets.UTF_8);
      }
    }
    return args;
  }

  /** For logs and tests: the arguments with every value quoted. */
  public String render() {
    List<String> out = new ArrayList<>();
    for (Part part : parts) {
      out.add(
          switch (part) {
            case Atom a -> a.atom();
            case Text t -> '"' + t.text().replace("\\", "\\\\").replace("\"", "\\\"") + '"';
          });
    }
    return String.join(" ", out);
  }
}

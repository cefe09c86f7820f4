import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Writes a realistic demo mailbox straight into a Maildir++ tree, so that a local
 * Dovecot serves about a year of mail without a minute of IMAP APPENDs.
 *
 * <p>Usage: {@code java DemoMailGenerator.java <maildir-root> <count>}. The same
 * seed gives the same mailbox, relative to the current hour. Messages go to INBOX
 * (60%), Archive (25%), Sent (10%) and Projects (5%); some are replies carrying
 * In-Reply-To and References, a few lack a Message-ID, and the maildir flags mark
 * some as seen, flagged or answered. Each file's mtime equals its Date header
 * because Dovecot reports the mtime as the IMAP INTERNALDATE.
 */
public final class DemoMailGenerator {

    private static final long SEED = 20_250_611L;
    private static final String OWNER_NAME = "Demo User";
    private static final String OWNER = "demo@mailroom.local";
    private static final DateTimeFormatter RFC_5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    record Person(String name, String email, ZoneOffset zone) {}

    record Folder(String name, String directory, int percent) {}

    record Message(String messageId, String references, String subject, Person correspondent) {}

    private static final List<Folder> FOLDERS = List.of(
            new Folder("INBOX", "", 60),
            new Folder("Archive", ".Archive", 25),
            new Folder("Sent", ".Sent", 10),
            new Folder("Projects", ".Projects", 5));

    private static final List<Person> PEOPLE = List.of(
            new Person("Alice Martin", "alice@example.com", ZoneOffset.ofHours(1)),
            new Person("Bob Chen", "bob.chen@example.org", ZoneOffset.ofHours(-5)),
            new Person("Carol Okafor", "carol@okafor.dev", ZoneOffset.ofHours(0)),
            new Person("José Álvarez", "jose.alvarez@example.es", ZoneOffset.ofHours(1)),
            new Person("Zoë Lindqvist", "zoe@lindqvist.se", ZoneOffset.ofHours(1)),
            new Person("Łukasz Nowak", "lukasz.nowak@example.pl", ZoneOffset.ofHours(1)),
            new Person("Priya Raman", "priya@raman.in", ZoneOffset.ofHoursMinutes(5, 30)),
            new Person("Kenji Sato", "kenji.sato@example.jp", ZoneOffset.ofHours(9)),
            new Person("Fatima Haddad", "fatima@haddad.example", ZoneOffset.ofHours(2)),
            new Person("Tom Becker", "tom.becker@example.de", ZoneOffset.ofHours(1)),
            new Person("Emma Wilson", "emma.wilson@example.co.uk", ZoneOffset.ofHours(0)),
            new Person("Lucas Silva", "lucas@silva.com.br", ZoneOffset.ofHours(-3)),
            new Person("Acme Billing", "billing@acme.example", ZoneOffset.ofHours(-8)),
            new Person("GitHub", "notifications@github.example", ZoneOffset.ofHours(0)),
            new Person("Weekly Digest", "digest@news.example", ZoneOffset.ofHours(-5)),
            new Person("Calendar", "calendar@mailroom.local", ZoneOffset.ofHours(0)));

    private static final List<String> SUBJECTS = List.of(
            "Quarterly report for %s", "Invoice #%d from Acme", "Lunch on %s?",
            "Meeting notes: roadmap review", "Your order #%d has shipped", "Draft proposal for the new office",
            "Can you review my pull request?", "Flight itinerary for %s", "Team offsite ideas",
            "Budget approval needed", "Weekly digest: %s", "Re-scheduling our 1:1",
            "Welcome to the project", "Server maintenance window %s", "Holiday plans",
            "Contract renewal", "Photos from the weekend", "Question about the API limits",
            "Book club: next title", "Café meetup in %s", "Security alert: new sign-in",
            "Build failed on main (#%d)", "Invitation: design sync", "Receipt for your payment");

    private static final List<String> SENTENCES = List.of(
            "I had a look at the numbers and they seem fine to me.",
            "Could you send me the latest version before Friday?",
            "Let me know if the time works for you.",
            "The attached summary covers the main points we discussed.",
            "We are still waiting on the vendor to confirm the dates.",
            "Thanks again for the quick turnaround on this.",
            "I moved the meeting to the small room on the third floor.",
            "The deploy went out this morning without any issues.",
            "Please check the figures in section two, something looks off.",
            "Happy to jump on a call if that is easier.",
            "Here is the link to the shared folder with everything.",
            "The kangaroo exhibit at the zoo was the highlight of the trip.",
            "Don't forget the deadline for expense reports is next week.",
            "I think we should keep the scope small for the first release.");

    private static final List<String> PLACES = List.of("Lisbon", "Berlin", "Kyoto", "Montréal", "Austin");
    private static final List<String> MONTHS = List.of("January", "April", "July", "October");
    private static final List<String> DAYS = List.of("Monday", "Tuesday", "Thursday", "Friday");

    private final Random random = new Random(SEED);
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.HOURS);
    private final List<Message> written = new ArrayList<>();
    private final Path root;

    private DemoMailGenerator(Path root) {
        this.root = root;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java DemoMailGenerator.java <maildir-root> <count>");
            System.exit(2);
        }
        var generator = new DemoMailGenerator(Path.of(args[0]));
        int count = Integer.parseInt(args[1]);
        generator.createFolders();
        generator.writeMessages(count);
        System.out.printf("wrote %d messages into %s%n", count, args[0]);
    }

    private void createFolders() throws IOException {
        for (Folder folder : FOLDERS) {
            Path dir = root.resolve(folder.directory());
            for (String sub : List.of("cur", "new", "tmp")) {
                Files.createDirectories(dir.resolve(sub));
            }
            if (!folder.directory().isEmpty()) {
                Files.write(dir.resolve("maildirfolder"), new byte[0]);
            }
        }
        // Archive and Sent are subscribed by the server's auto=subscribe setting.
        Files.writeString(root.resolve("subscriptions"), "Projects\n");
    }

    /** Dates are drawn first and sorted, so every reply is younger than what it answers. */
    private void writeMessages(int count) throws IOException {
        List<Instant> dates = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            dates.add(now.minusSeconds(60L + (long) (random.nextDouble() * 365 * 24 * 3600)));
        }
        dates.sort(null);
        for (int i = 0; i < count; i++) {
            writeMessage(i, pickFolder(), dates.get(i));
        }
    }

    private Folder pickFolder() {
        int roll = random.nextInt(100);
        for (Folder folder : FOLDERS) {
            roll -= folder.percent();
            if (roll < 0) {
                return folder;
            }
        }
        return FOLDERS.getFirst();
    }

    private void writeMessage(int index, Folder folder, Instant date) throws IOException {
        boolean sent = folder.name().equals("Sent");
        Message parent = !written.isEmpty() && random.nextInt(100) < 12
                ? written.get(written.size() - 1 - random.nextInt(Math.min(written.size(), 40)))
                : null;
        Person correspondent = parent != null ? parent.correspondent() : pick(PEOPLE);
        String subject = parent != null ? "Re: " + parent.subject().replaceFirst("^Re: ", "") : subject();
        boolean withId = index % 83 != 41;
        String messageId = withId ? "<%08x.%d@%s>".formatted(random.nextInt(), index, domain(sent, correspondent)) : null;
        String references = parent == null || parent.messageId() == null ? null
                : (parent.references() == null ? "" : parent.references() + " ") + parent.messageId();

        var mail = new StringBuilder();
        ZonedDateTime local = date.atZone(sent ? ZoneOffset.UTC : correspondent.zone());
        header(mail, "Date", RFC_5322.format(local));
        header(mail, "From", sent ? address(OWNER_NAME, OWNER) : address(correspondent.name(), correspondent.email()));
        header(mail, "To", sent ? address(correspondent.name(), correspondent.email()) : address(OWNER_NAME, OWNER));
        if (random.nextInt(10) == 0) {
            Person cc = pick(PEOPLE);
            header(mail, "Cc", address(cc.name(), cc.email()));
        }
        header(mail, "Subject", encodeIfNeeded(subject));
        if (messageId != null) {
            header(mail, "Message-ID", messageId);
        }
        if (references != null) {
            header(mail, "In-Reply-To", parent.messageId());
            header(mail, "References", references);
        }
        header(mail, "MIME-Version", "1.0");
        header(mail, "Content-Type", "text/plain; charset=UTF-8");
        header(mail, "Content-Transfer-Encoding", "8bit");
        mail.append('\n').append(body(correspondent, sent, parent));

        byte[] bytes = mail.toString().getBytes(StandardCharsets.UTF_8);
        long lines = mail.chars().filter(c -> c == '\n').count();
        String name = "%d.M%dP%d.mailroom,S=%d,W=%d:2,%s".formatted(
                date.getEpochSecond(), index, 1000 + index, bytes.length, bytes.length + lines, flags(folder, date));
        Path file = root.resolve(folder.directory()).resolve("cur").resolve(name);
        Files.write(file, bytes);
        Files.setLastModifiedTime(file, FileTime.from(date));
        written.add(new Message(messageId, references, subject, correspondent));
    }

    /** Maildir flags, in the alphabetical order the Maildir format requires. */
    private String flags(Folder folder, Instant date) {
        boolean recent = date.isAfter(now.minus(14, ChronoUnit.DAYS));
        int seenPercent = switch (folder.name()) {
            case "Sent" -> 100;
            case "Archive" -> 95;
            case "Projects" -> 80;
            default -> recent ? 30 : 75;
        };
        boolean flagged = random.nextInt(100) < (folder.name().equals("Projects") ? 15 : 5);
        boolean answered = !folder.name().equals("Sent") && random.nextInt(100) < 8;
        boolean seen = random.nextInt(100) < seenPercent;
        return (flagged ? "F" : "") + (answered ? "R" : "") + (seen ? "S" : "");
    }

    private String subject() {
        String template = pick(SUBJECTS);
        if (!template.contains("%")) {
            return template;
        }
        Object value = template.contains("%d") ? (Object) (1000 + random.nextInt(9000))
                : pick(template.contains("Lunch") ? DAYS : template.contains("Quarterly") ? MONTHS : PLACES);
        return template.formatted(value);
    }

    private String body(Person correspondent, boolean sent, Message parent) {
        String firstName = sent ? correspondent.name().split(" ")[0] : "Demo";
        var body = new StringBuilder("Hi ").append(firstName).append(",\n\n");
        int sentences = 2 + random.nextInt(4);
        for (int i = 0; i < sentences; i++) {
            body.append(pick(SENTENCES)).append(i % 2 == 1 || i == sentences - 1 ? "\n\n" : " ");
        }
        if (parent != null) {
            body.append("> ").append(pick(SENTENCES)).append('\n').append(">\n\n");
        }
        body.append("Best,\n").append(sent ? OWNER_NAME : correspondent.name()).append('\n');
        return body.toString();
    }

    private static String domain(boolean sent, Person correspondent) {
        return sent ? "mailroom.local" : correspondent.email().substring(correspondent.email().indexOf('@') + 1);
    }

    private static void header(StringBuilder mail, String name, String value) {
        mail.append(name).append(": ").append(value).append('\n');
    }

    private static String address(String name, String email) {
        return encodeIfNeeded(name.contains(" ") && isAscii(name) ? '"' + name + '"' : name) + " <" + email + ">";
    }

    /** RFC 2047 encoded-word for header text that is not plain ASCII. */
    private static String encodeIfNeeded(String text) {
        if (isAscii(text)) {
            return text;
        }
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    private static boolean isAscii(String text) {
        return text.chars().allMatch(c -> c < 128);
    }

    private <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }
}

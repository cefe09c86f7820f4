#!/usr/bin/env python3
"""A realistic mailbox, written straight into a Maildir for Dovecot to index afterwards
(doveadm force-resync + index): mixed MIME structures, attachments, HTML, 8-bit and
quoted-printable bodies, RFC 2047 headers in German, French and Japanese, long References
chains, large recipient lists, a few messages over 10 MB, folders with non-ASCII names.

Deterministic: message i is a function of (seed, i) alone but for its dates (spread over three
years whatever the count), so the same seed and count give the same files, and the 10,000 of a
seed are the first 10,000 of its 100,000 with other dates. Every message is distinct
(own Message-ID, text and attachment bytes). Prints the mix: messages and bytes per kind and per
folder, attachments per type, header charsets, totals.

usage: corpus.py [--seed N] [--plan] MAILDIR COUNT
  MAILDIR  the user's Maildir root (INBOX is MAILDIR/cur; other folders Maildir++ .Name dirs)
  --plan   draw the messages and print the mix without writing anything (sizes are exact:
           attachment bytes are counted, not generated)
"""
import argparse
import os
import random
import sys
import time
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mime  # noqa: E402
from text import FORWARD, MAILERS, REPLY, SUBJECTS, People, encode_header  # noqa: E402

USER = '"Bench User" <bench@corpus.example>'
# (IMAP name as hierarchy levels, share in %). Maildir++ keeps every level in one directory name,
# joined by ".", each level in modified UTF-7 (RFC 3501 §5.1.3). Sent mail lives in the French
# "Éléments envoyés", as an Outlook set to French names it.
FOLDERS = [(("INBOX",), 50), (("Archive",), 15), (("Éléments envoyés",), 12), (("Projekte", "Überblick"), 8),
           (("Kunden & Partner",), 7), (("Projekte",), 3), (("Newsletter",), 5)]
SENT, NEWS = ("Éléments envoyés",), ("Newsletter",)
KINDS = [("plain-8bit", 23), ("plain-qp", 10), ("alternative", 34), ("html-only", 12), ("related-inline", 8),
         ("attachments", 11), ("forwarded-rfc822", 2)]
LANGS = [("en", 40), ("de", 30), ("fr", 20), ("ja", 10)]
HUGE_EVERY, HUGE_AT = 4000, 1717   # messages 1717, 5717, ...: over 10 MB (3 in 10,000, 75 in 300,000)
EPOCH = 1_700_000_000              # 2023-11-14; dates rise with the index over three years
SPAN = 3 * 365 * 86400
ZONES = ["+0100", "+0200", "+0900", "-0500", "+0000"]
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
DAYS = "Mon Tue Wed Thu Fri Sat Sun".split()


def mutf7(name):
    """RFC 3501 §5.1.3 modified UTF-7: '&' is '&-'; other non-printables are base64 of UTF-16BE
    between '&' and '-', with ',' for '/'."""
    import base64
    out, run = [], []

    def flush():
        if run:
            b = base64.b64encode("".join(run).encode("utf-16-be")).decode().rstrip("=").replace("/", ",")
            out.append("&" + b + "-")
            run.clear()
    for ch in name:
        if 0x20 <= ord(ch) <= 0x7e:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            run.append(ch)
    flush()
    return "".join(out)


def folder_dir(root, levels):
    return root if levels == ("INBOX",) else os.path.join(root, "." + ".".join(mutf7(l) for l in levels))


def message_id(seed, j):
    h = (j * 0x9E3779B97F4A7C15 + seed * 0xBF58476D1CE4E5B9) & (2**64 - 1)
    return f"<{h:016x}.{j:x}@{['mail.example.de', 'example.fr', 'mx.example.jp', 'mail.example.com'][j % 4]}>"


def rfc2822_date(t, zone):
    off = (int(zone[1:3]) * 3600 + int(zone[3:]) * 60) * (-1 if zone[0] == "-" else 1)
    g = time.gmtime(t + off)
    return f"{DAYS[g.tm_wday]}, {g.tm_mday} {MONTHS[g.tm_mon - 1]} {g.tm_year} {g.tm_hour:02d}:{g.tm_min:02d}:{g.tm_sec:02d} {zone}"


def attachment_total(d):
    """Raw bytes of a message's attachments: most are small, a few several MB (mean ~290 KB)."""
    r = d.random()
    if r < 0.80:
        return d.randint(50_000, 150_000)
    if r < 0.95:
        return d.randint(150_000, 1_000_000)
    if r < 0.99:
        return d.randint(1_000_000, 3_000_000)
    return d.randint(3_000_000, 6_000_000)


def fold_list(name, items):
    return f"{name}: " + ",\n ".join(items) + "\n"


def draw(seed, i, count, people):
    """Message i: its folder, kind, flags, time and chunks (bytes and mime.Blob)."""
    d = random.Random(seed * 1_000_003 + i)
    levels = d.choices([f for f, _ in FOLDERS], [w for _, w in FOLDERS])[0]
    kind = d.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
    if levels == NEWS:
        kind = "html-only"
    if i % HUGE_EVERY == HUGE_AT:
        kind = "over-10MB"
    lang = d.choices([l for l, _ in LANGS], [w for _, w in LANGS])[0]
    t = EPOCH + i * SPAN // max(1, count) + d.randrange(600)
    zone = d.choice(ZONES)
    sender_lang, sender = people.one(d)
    frm = USER if levels == SENT else sender
    r = d.random()
    recipients = d.randint(1, 3) if r < 0.94 else d.randint(5, 20) if r < 0.99 else d.randint(50, 300)
    to = [USER] if levels != SENT else []
    to += [people.one(d)[1] for _ in range(recipients)]
    cc = [people.one(d)[1] for _ in range(d.choice([0, 0, 0, 1, 2]))]
    reply = levels != NEWS and d.random() < (0.55 if levels == SENT else 0.40)
    r = d.random()
    chain = 0 if not reply else d.randint(1, 4) if r < 0.70 else d.randint(5, 15) if r < 0.95 else d.randint(20, 80)
    refs = [message_id(seed, j) if j >= 0 else message_id(seed + 1, -j) for j in (i - 3 * k for k in range(chain, 0, -1))]
    chars = int(min(40_000, max(80, d.lognormvariate(6.8, 0.9))))   # median ~900 characters
    flags = "S" if levels == SENT else d.choices(["", "S", "FS", "RS", "FRS"], [12, 62, 8, 15, 3])[0]

    c = random.Random((seed * 1_000_003 + i) ^ 0x5DEECE66D)   # content, apart from the decisions
    n = c.randrange(10_000)
    subject = c.choice(SUBJECTS["news" if levels == NEWS else lang]).format(n=n)
    if reply:
        subject = REPLY[lang] * (1 + (chain > 6)) + subject
    elif kind == "forwarded-rfc822":
        subject = FORWARD[lang] + subject
    raw_8bit_subject = c.random() < 0.005   # RFC 6532 style, or a mailer that never heard of RFC 2047
    subject_line = f"Subject: {subject}\n" if raw_8bit_subject else f"Subject: {encode_header(c, subject, lang, 'Subject')}\n"
    addr = frm.rsplit("<", 1)[1].rstrip(">")
    head = [f"Return-Path: <{addr}>\n"]
    if levels != SENT:
        head.append("Delivered-To: bench@corpus.example\n")
        head.append(f"Received: from mx{c.randrange(9)}.example.net (mx.example.net [192.0.2.{c.randrange(255)}])\n"
                    f"\tby mail.corpus.example (Postfix) with ESMTPS id {c.getrandbits(40):X}\n"
                    f"\tfor <bench@corpus.example>; {rfc2822_date(t + 2, zone)}\n")
        if c.random() < 0.5:
            sig = "".join(c.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", k=344))
            head.append("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=s2024;\n"
                        f"\th=from:to:subject:date:message-id; bh={sig[:43]}=;\n\tb=" + "\n\t  ".join(sig[k:k + 72] for k in range(0, 344, 72)) + "\n")
    head += [f"From: {frm}\n", fold_list("To", to)]
    if cc:
        head.append(fold_list("Cc", cc))
    head += [subject_line, f"Date: {rfc2822_date(t, zone)}\n", f"Message-ID: {message_id(seed, i)}\n"]
    if refs:
        head += [f"In-Reply-To: {refs[-1]}\n", "References: " + "\n ".join(refs) + "\n"]
    head.append("MIME-Version: 1.0\n")
    head.append(f"X-Mailer: {c.choice(MAILERS)}\n")
    if levels == NEWS:
        head.append(f"List-Id: <news.example.com>\nList-Unsubscribe: <https://news.example.com/u/{c.getrandbits(64):x}>\n")

    quoted = chars // 2 if reply else None
    text = mime.text_body(c, lang, chars, quoted)
    blob_seed = (seed * 1_000_003 + i) * 8
    info = {"kind": kind, "lang": lang, "chain": chain, "recipients": len(to) + len(cc), "attachments": [],
            "charset": "8bit-raw" if raw_8bit_subject else ("ascii" if subject.isascii() else "encoded")}
    if kind == "plain-8bit":
        charset = "iso-2022-jp" if lang == "ja" and c.random() < 0.25 else "utf-8"
        body = mime.leaf("text/plain", charset, "7bit" if charset == "iso-2022-jp" else "8bit", text)
    elif kind == "plain-qp":
        body = mime.leaf("text/plain", "utf-8" if lang == "ja" else "iso-8859-1", "quoted-printable", text)
    elif kind == "alternative":
        body = mime.multipart("alternative", mime.boundary(c), [
            mime.leaf("text/plain", "utf-8", c.choice(["quoted-printable", "8bit"]), text),
            mime.leaf("text/html", "utf-8", "quoted-printable", mime.html_of(c, text))])
    elif kind == "html-only":
        body = mime.leaf("text/html", "utf-8", c.choice(["quoted-printable", "base64"]), mime.html_of(c, text, levels == NEWS))
    elif kind == "related-inline":
        cid = f"image001.png@01DB{c.getrandbits(32):08X}"
        html = mime.html_of(c, text).replace("</div>", f"<img src=\"cid:{cid}\" width=\"200\"></div>")
        image, _ = mime.attachment(c, c.randint(10_000, 80_000), blob_seed, n, inline_cid=cid)
        ics = (f"BEGIN:VCALENDAR\nVERSION:2.0\nMETHOD:REQUEST\nBEGIN:VEVENT\nUID:{c.getrandbits(64):x}@corpus.example\n"
               f"DTSTART:20261201T090000Z\nSUMMARY:{subject}\nEND:VEVENT\nEND:VCALENDAR\n")
        body = mime.multipart("mixed", mime.boundary(c), [
            mime.multipart("alternative", mime.boundary(c), [
                mime.leaf("text/plain", "utf-8", "quoted-printable", text),
                mime.multipart("related", mime.boundary(c), [mime.leaf("text/html", "utf-8", "quoted-printable", html), image],
                               '; type="text/html"')]),
            [b"Content-Type: text/calendar; charset=utf-8; method=REQUEST; name=invite.ics\n"
             b"Content-Disposition: attachment; filename=invite.ics\nContent-Transfer-Encoding: 8bit\n\n", ics.encode()]])
    elif kind == "forwarded-rfc822":
        inner = [f"From: {people.one(c)[1]}\nTo: {frm}\nSubject: {encode_header(c, subject[len(FORWARD[lang]):], lang, 'Subject')}\n"
                 f"Date: {rfc2822_date(t - 86400, zone)}\nMessage-ID: {message_id(seed + 2, i)}\nMIME-Version: 1.0\n".encode()]
        inner += mime.multipart("alternative", mime.boundary(c), [
            mime.leaf("text/plain", "utf-8", "quoted-printable", text),
            mime.leaf("text/html", "utf-8", "quoted-printable", mime.html_of(c, text))])
        body = mime.multipart("mixed", mime.boundary(c), [
            mime.leaf("text/plain", "utf-8", "8bit", mime.text_body(c, lang, 200)),
            [b"Content-Type: message/rfc822\nContent-Disposition: inline\n\n"] + inner])
    else:   # attachments, over-10MB
        totals = [c.randint(7_800_000, 10_500_000)] if kind == "over-10MB" else []
        if not totals:
            total = attachment_total(d)
            k = d.choices([1, 2, 3], [70, 20, 10])[0]
            weights = [c.random() + 0.2 for _ in range(k)]
            totals = [max(20_000, int(total * w / sum(weights))) for w in weights]
        parts = [mime.multipart("alternative", mime.boundary(c), [
            mime.leaf("text/plain", "utf-8", "quoted-printable", text),
            mime.leaf("text/html", "utf-8", "quoted-printable", mime.html_of(c, text))])
            if c.random() < 0.6 else mime.leaf("text/plain", "utf-8", "8bit", text)]
        for k, size in enumerate(totals):
            part, blob_kind = mime.attachment(c, size, blob_seed + 1 + k, n + k)
            parts.append(part)
            info["attachments"].append((blob_kind, size))
        body = mime.multipart("mixed", mime.boundary(c), parts)
    chunks = [h.encode() for h in head] + body
    return levels, flags, t, chunks, info


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("maildir")
    ap.add_argument("count", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--plan", action="store_true")
    args = ap.parse_args()
    people = People(random.Random(args.seed))
    kinds, kind_bytes, folders, folder_bytes, types, charsets = Counter(), Counter(), Counter(), Counter(), Counter(), Counter()
    langs, total, total_vsize, largest, over10, long_chains, many_rcpt, replies = Counter(), 0, 0, 0, 0, 0, 0, 0
    made = set()
    started = time.time()
    for i in range(args.count):
        levels, flags, t, chunks, info = draw(args.seed, i, args.count, people)
        size = sum(len(ch) if isinstance(ch, bytes) else ch.encoded_size() for ch in chunks)
        lfs = sum(ch.count(b"\n") if isinstance(ch, bytes) else ch.lines() for ch in chunks)
        vsize = size + lfs   # RFC822.SIZE: the file has LF line ends, IMAP counts CRLF
        if not args.plan:
            directory = folder_dir(args.maildir, levels)
            if directory not in made:
                for sub in ("cur", "new", "tmp"):
                    os.makedirs(os.path.join(directory, sub), exist_ok=True)
                if directory != args.maildir:
                    open(os.path.join(directory, "maildirfolder"), "a").close()
                made.add(directory)
            # S= and W= let Dovecot answer RFC822.SIZE from the name, as for mail it delivered.
            path = os.path.join(directory, "cur", f"{t + 2}.M{i}P{args.seed}.corpus,S={size},W={vsize}:2,{flags}")
            with open(path, "wb") as f:
                f.writelines(ch if isinstance(ch, bytes) else ch.render() for ch in chunks)
            os.utime(path, (t + 2, t + 2))   # INTERNALDATE: delivery time
        name = "/".join(levels)
        kinds[info["kind"]] += 1
        kind_bytes[info["kind"]] += size
        folders[name] += 1
        folder_bytes[name] += size
        langs[info["lang"]] += 1
        charsets[info["charset"]] += 1
        for blob_kind, raw in info["attachments"]:
            types[blob_kind] += 1
        total += size
        total_vsize += vsize
        largest = max(largest, size)
        over10 += size > 10 * 1024 * 1024
        long_chains += info["chain"] >= 20
        replies += info["chain"] > 0
        many_rcpt += info["recipients"] >= 50
        if (i + 1) % 20_000 == 0:
            print(f"  {i + 1} messages, {total / 1e9:.2f} GB, {time.time() - started:.0f} s", file=sys.stderr)
    mb = lambda b: f"{b / 1e6:,.1f} MB"
    print(f"corpus seed {args.seed}: {args.count:,} messages, {mb(total)} in files ({mb(total_vsize)} as RFC822.SIZE),"
          f" {'planned, nothing written' if args.plan else 'written'} in {time.time() - started:.1f} s")
    print("  kind:      " + ", ".join(f"{k} {kinds[k]:,} ({mb(kind_bytes[k])})" for k, _ in KINDS + [("over-10MB", 0)] if kinds[k]))
    print("  folder:    " + ", ".join(f"{f} {folders[f]:,} ({mb(folder_bytes[f])})" for f in folders))
    print("  language:  " + ", ".join(f"{l} {langs[l]:,}" for l in langs) + "; subject " +
          ", ".join(f"{c} {charsets[c]:,}" for c in charsets))
    print(f"  attachments: {sum(types.values()):,} ({', '.join(f'{t} {types[t]:,}' for t in types)}); "
          f"over 10 MB {over10}, largest {mb(largest)}")
    print(f"  replies {replies:,} (References of 20 or more: {long_chains:,}); 50 or more recipients: {many_rcpt:,}")
    print(f"RESULT corpus messages={args.count} bytes={total} rfc822_bytes={total_vsize} over_10mb={over10}")


if __name__ == "__main__":
    main()

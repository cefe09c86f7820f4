"""MIME parts for corpus.py. A message is a list of chunks: bytes, or Blob for a base64 body
that is generated only when the file is written (its size and line count are known without
generating it, so a --plan of 300,000 messages costs no attachment bytes)."""
import base64
import binascii
import random
from urllib.parse import quote

from text import paragraphs


class Blob:
    """A binary body of raw_size bytes with the magic bytes of its type, base64 in 76-column lines."""
    __slots__ = ("kind", "raw_size", "seed")

    def __init__(self, kind, raw_size, seed):
        self.kind, self.raw_size, self.seed = kind, raw_size, seed

    def encoded_size(self):
        b = 4 * ((self.raw_size + 2) // 3)
        return b + (b + 75) // 76

    def lines(self):
        return (4 * ((self.raw_size + 2) // 3) + 75) // 76

    def render(self):
        return base64.encodebytes(binary(self.kind, self.raw_size, random.Random(self.seed)))


def binary(kind, size, rng):
    """Random (incompressible, like the compressed streams of real PDFs, JPEGs and Office files)
    bytes framed by the type's header and trailer, exactly `size` long."""
    head, tail = {
        "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
                b"4 0 obj\n<< /Length " + str(size).encode() + b" /Filter /FlateDecode >>\nstream\n",
                b"\nendstream\nendobj\nxref\n0 5\ntrailer\n<< /Size 5 /Root 1 0 R >>\n%%EOF\n"),
        "jpeg": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x01\x00H\x00H\x00\x00\xff\xdb\x00C\x00", b"\xff\xd9"),
        "png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x04\x00\x00\x00\x03\x00\x08\x06\x00\x00\x00", b"IEND\xaeB`\x82"),
        "zip": (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\x00\x00\x00\x00\x13\x00\x00\x00[Content_Types].xml",
                b"PK\x05\x06\x00\x00\x00\x00\x0c\x00\x0c\x00"),
    }[kind]
    middle = max(0, size - len(head) - len(tail))
    return (head + rng.randbytes(middle) + tail)[:size]


ATTACHMENT_TYPES = [  # (weight, content type, blob kind, file names)
    (45, "application/pdf", "pdf", ["Rechnung_{n}.pdf", "Angebot {n}.pdf", "Présentation_été_{n}.pdf", "report-{n}.pdf", "見積書_{n}.pdf"]),
    (20, "image/jpeg", "jpeg", ["IMG_{n}.JPG", "Foto Büro {n}.jpg", "photo-{n}.jpeg"]),
    (10, "image/png", "png", ["screenshot-{n}.png", "Capture d'écran {n}.png"]),
    (12, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "zip", ["Entwurf_Überblick_{n}.docx", "contrat-{n}.docx", "notes {n}.docx"]),
    (8, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "zip", ["Quartalszahlen_{n}.xlsx", "budget {n}.xlsx"]),
    (5, "application/vnd.openxmlformats-officedocument.presentationml.presentation", "zip", ["Präsentation_{n}.pptx", "deck-{n}.pptx"]),
]


def filename_params(rng, name):
    """Non-ASCII file names the ways mailers send them: RFC 2231 (filename*=) or, as Outlook
    does, an RFC 2047 encoded word inside quotes."""
    if name.isascii():
        return f'name="{name}"', f'filename="{name}"'
    if rng.random() < 0.6:
        return f"name*=UTF-8''{quote(name)}", f"filename*=UTF-8''{quote(name)}"
    word = "=?UTF-8?B?" + base64.b64encode(name.encode()).decode() + "?="
    return f'name="{word}"', f'filename="{word}"'


def attachment(rng, raw_size, seed, n, inline_cid=None):
    types = ATTACHMENT_TYPES if inline_cid is None else [t for t in ATTACHMENT_TYPES if t[1].startswith("image/")]
    _, ctype, kind, names = rng.choices(types, [t[0] for t in types])[0]
    name = rng.choice(names).format(n=n)
    p_name, p_file = filename_params(rng, name)
    disposition = "inline" if inline_cid else "attachment"
    head = f"Content-Type: {ctype}; {p_name}\nContent-Transfer-Encoding: base64\nContent-Disposition: {disposition}; {p_file}; size={raw_size}\n"
    if inline_cid:
        head += f"Content-ID: <{inline_cid}>\n"
    return [(head + "\n").encode(), Blob(kind, raw_size, seed)], kind


SIGNATURE = {"de": "Mit freundlichen Grüßen", "fr": "Cordialement", "ja": "よろしくお願いいたします", "en": "Best regards"}


def text_body(rng, lang, chars, quoted=None):
    """Plain text: paragraphs, a signature and, for a reply, the quoted earlier message."""
    lines = []
    for para in paragraphs(rng, lang, chars):
        lines.extend(para)
        lines.append("")
    lines.append("-- ")
    lines.append(SIGNATURE[lang])
    if quoted:
        lines.append("")
        lines.extend("> " + l for para in paragraphs(rng, lang, quoted) for l in para + [""])
    return "\n".join(lines) + "\n"


def html_of(rng, text, newsletter=False):
    """HTML for a text: a styled document; a newsletter gets a table of teasers with links."""
    paras = "".join(f"<p style=\"margin:0 0 12px 0\">{p.replace(chr(10), ' ')}</p>\n" for p in text.split("\n\n") if p)
    rows = ""
    if newsletter:
        for k in range(rng.randint(15, 60)):
            rows += (f"<tr><td style=\"padding:8px;font-family:Arial,sans-serif\"><a href=\"https://news.example.com/"
                     f"c/{rng.getrandbits(64):x}?utm_source=newsletter&amp;utm_medium=email&amp;id={k}\">"
                     f"<img src=\"https://cdn.example.com/i/{rng.getrandbits(48):x}.jpg\" width=\"560\" alt=\"\"></a>"
                     f"<h3 style=\"font-size:18px;color:#222\">Artikel {k}</h3><p>{p_cut(text, rng)}</p></td></tr>\n")
    return ("<!DOCTYPE html>\n<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">"
            "<style>body{font-family:Calibri,Arial,sans-serif;font-size:11pt}p.MsoNormal{margin:0}</style></head>\n"
            f"<body><div class=\"WordSection1\">\n{paras}</div>"
            + (f"<table width=\"600\" cellpadding=\"0\" cellspacing=\"0\">\n{rows}</table>" if rows else "")
            + "</body></html>\n")


def p_cut(text, rng):
    start = rng.randrange(max(1, len(text) - 300))
    return text[start:start + 240].replace("\n", " ").replace("<", " ")


def leaf(ctype, charset, encoding, text):
    """A text part: encoded 8bit, quoted-printable (binascii's C encoder) or base64."""
    raw = text.encode(charset)
    if encoding == "quoted-printable":
        body = binascii.b2a_qp(raw, istext=True)
    elif encoding == "base64":
        body = base64.encodebytes(raw)
    else:
        body = raw
    return [f"Content-Type: {ctype}; charset={charset}\nContent-Transfer-Encoding: {encoding}\n\n".encode(), body]


def multipart(subtype, boundary, parts, extra=""):
    out = [f"Content-Type: multipart/{subtype}; boundary=\"{boundary}\"{extra}\n\n".encode(),
           b"This is a multi-part message in MIME format.\n"]
    for p in parts:
        out.append(f"\n--{boundary}\n".encode())
        out.extend(p)
    out.append(f"\n--{boundary}--\n".encode())
    return out


def boundary(rng):
    return f"----=_Part_{rng.getrandbits(40):x}.{rng.getrandbits(32):x}"

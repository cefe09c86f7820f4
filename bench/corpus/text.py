"""Word pools, people and subjects for corpus.py: German, French, Japanese and English mail
whose headers need RFC 2047 (ISO-8859-1, UTF-8, ISO-2022-JP) and whose bodies need 8-bit or
quoted-printable transfer encodings. Everything is drawn from the random.Random passed in, so
a message is a pure function of (seed, index)."""
from email.header import Header

WORDS = {
    "de": ("der die das und für mit über Änderung Größe Prüfung Straße Büro Übersicht Angebot "
           "Rückmeldung Besprechung nächste Woche Termin bitte schön Grüße Ergebnis Kunde Projekt "
           "Entwurf Vorschlag gemäß Qualität Maßnahme Lösung täglich Zuständigkeit Ausschreibung "
           "Frühjahr Überweisung Gebühr Fälligkeit wir sie haben werden können müssen dürfen "
           "zusätzlich außerdem ungefähr wöchentlich Ärger Öffnungszeiten Schlüssel Gespräch").split(),
    "fr": ("le la les des une pour avec réunion équipe été prévu déjà très bientôt présentation "
           "dossier élément réponse première deuxième numéro facture à régler où ça reçu envoyé "
           "déménagement société projet délai qualité sûr crème garçon noël fenêtre hôtel "
           "nous vous avons serons pouvons merci cordialement bonne journée à bientôt").split(),
    "en": ("the a an and for with about meeting team update draft proposal invoice please "
           "thanks regards schedule review quarter results customer project deadline budget "
           "we you will can should could attached below above following notes agenda call "
           "office report numbers release version feedback question answer issue plan").split(),
}
JA_PHRASES = ("本日の会議の議事録を送付します 見積書を添付いたしました ご確認のほどよろしくお願いいたします "
              "来週の打ち合わせの日程について 進捗状況をご報告します 資料の修正版をお送りします "
              "お手数ですがご返信ください 引き続きよろしくお願いいたします 担当者が変更になりました "
              "納期は来月末を予定しております 東京オフィスにて 第三四半期の売上は前年比で増加しました").split()

FIRST = {
    "de": "Jürgen Björn Käthe Dörte Günther Sören Jörg Ute Maximilian Lea Zoë Hans Grete".split(),
    "fr": "François Hélène Chloé Jérôme Anaïs Benoît Céline Raphaël Noël Margaux Loïc".split(),
    "ja": "太郎 花子 一郎 美咲 健太 さくら 翔太 陽菜".split(),
    "en": "Alice Bob Carol David Emily Frank Grace Henry Isabel Jack Karen".split(),
}
LAST = {
    "de": "Müller Schäfer Groß Weiß Köhler Böhm Wöhler Krämer Fuß Schmidt Meyer".split(),
    "fr": "Lefèvre Dubois Mercier Bérénger Lemaître Gaël Fourès Sénéchal Moreau".split(),
    "ja": "山田 佐藤 鈴木 高橋 田中 伊藤 渡辺 中村".split(),
    "en": "Smith Jones Taylor Brown Wilson Evans Walker Wright Hall".split(),
}
ASCII_NAME = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue",
                            "é": "e", "è": "e", "ê": "e", "ë": "e", "ç": "c", "ï": "i", "î": "i",
                            "à": "a", "â": "a", "ô": "o", "û": "u", "ù": "u"})
DOMAINS = {"de": ["example.de", "firma.example.de", "gmx.example"], "fr": ["example.fr", "societe.example.fr"],
           "ja": ["example.jp", "kaisha.example.co.jp"], "en": ["example.com", "corp.example.com", "mail.example.org"]}
SUBJECTS = {
    "de": ["Überprüfung der Quartalszahlen {n}", "Änderungen am Entwurf für Projekt {n}",
           "Besprechung am Donnerstag: Tagesordnung", "Rückfrage zur Größenplanung {n}",
           "Grüße aus München – Fotos", "Fällige Rechnung Nr. {n}", "Schlüsselübergabe Büro {n}"],
    "fr": ["Réunion de l'équipe : ordre du jour du {n}", "Compte rendu – présentation été {n}",
           "Facture n° {n} à régler", "Élément de réponse concernant le dossier {n}",
           "Où en est le déménagement ?", "Prévisions budgétaires {n}"],
    "ja": ["会議の議事録について ({n})", "【ご確認】見積書の送付 No.{n}", "来週の打ち合わせの件",
           "プロジェクト進捗報告 第{n}回", "お問い合わせありがとうございます {n}"],
    "en": ["Quarterly numbers review {n}", "Re-scheduling our call", "Invoice {n} attached",
           "Draft for release {n}", "Lunch on Friday?", "Notes from today's meeting ({n})"],
    "news": ["🚀 Product update {n}: what's new", "Ihr Newsletter Nr. {n} – Neuheiten für Sie",
             "Les nouveautés de la semaine n° {n}", "【お知らせ】メンテナンスのご案内 {n}", "Weekly digest #{n}"],
}
REPLY = {"de": "AW: ", "fr": "RE : ", "ja": "Re: ", "en": "Re: "}
FORWARD = {"de": "WG: ", "fr": "TR : ", "ja": "Fwd: ", "en": "Fwd: "}
HEADER_CHARSETS = {"de": (("iso-8859-1", 6), ("utf-8", 4)), "fr": (("iso-8859-1", 5), ("utf-8", 5)),
                   "ja": (("utf-8", 3), ("iso-2022-jp", 1)), "en": (("utf-8", 1),)}
MAILERS = ["Microsoft Outlook 16.0", "Mozilla Thunderbird 128.3", "Apple Mail (2.3774)", "Roundcube Webmail/1.6.9",
           "K-9 Mail for Android", "Evolution 3.50.2"]


def pick_charset(rng, lang):
    pairs = HEADER_CHARSETS[lang]
    return rng.choices([c for c, _ in pairs], [w for _, w in pairs])[0]


def encode_header(rng, value, lang, name):
    """RFC 2047 encoded words where the value is not ASCII; folded at 76 columns."""
    if value.isascii():
        return value
    charset = pick_charset(rng, lang)
    try:
        value.encode(charset)
    except UnicodeEncodeError:   # a dash or an emoji that ISO-8859-1 does not have
        charset = "utf-8"
    return Header(value, charset, header_name=name).encode(maxlinelen=76)


class People:
    """A fixed pool of correspondents with their display names already encoded (RFC 2047)."""

    def __init__(self, rng):
        self.pool = []
        for lang, weight in (("de", 30), ("fr", 20), ("ja", 10), ("en", 40)):
            for k in range(weight * 3):
                first, last = rng.choice(FIRST[lang]), rng.choice(LAST[lang])
                name = f"{last} {first}" if lang == "ja" else f"{first} {last}"
                local = (first + "." + last).translate(ASCII_NAME).lower() if lang != "ja" else f"user{k}"
                if not local.isascii():
                    local = f"contact{k}"
                addr = f"{local}{k}@{rng.choice(DOMAINS[lang])}"
                shown = encode_header(rng, name, lang, "From") if not name.isascii() else f'"{name}"'
                self.pool.append((lang, f"{shown} <{addr}>"))

    def one(self, rng):
        return rng.choice(self.pool)


def words(rng, lang, count):
    """Lines of about 72 columns (Japanese: 36 characters) of count words."""
    if lang == "ja":
        text = "。".join(rng.choices(JA_PHRASES, k=max(1, count // 4))) + "。"
        return [text[k:k + 36] for k in range(0, len(text), 36)]
    chosen = rng.choices(WORDS[lang], k=count)
    lines, line, width = [], [], 0
    for w in chosen:
        if width + len(w) > 72 and line:
            lines.append(" ".join(line))
            line, width = [], 0
        line.append(w)
        width += len(w) + 1
    if line:
        lines.append(" ".join(line))
    return lines


def paragraphs(rng, lang, chars):
    """About `chars` characters of text in paragraphs, as a list of paragraphs of lines."""
    out, total = [], 0
    while total < chars:
        n = rng.randint(20, 90)
        lines = words(rng, lang, n)
        lines[0] = lines[0][:1].upper() + lines[0][1:]
        lines[-1] += "." if lang != "ja" else ""
        out.append(lines)
        total += sum(len(l) + 1 for l in lines)
    return out

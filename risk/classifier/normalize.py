"""Input normalisation that undoes common prompt-level evasion before classification.

A request is turned into one or more *views*: the canonical text (Unicode-folded, invisible
characters removed, homoglyphs mapped to ASCII, letter-spacing collapsed), a de-leeted copy when
the text contains leetspeak-looking tokens, and the decoded text of any base64 / hex chunk.
The classifier scores every view and keeps the riskiest, so wrapping an instruction in an
encoding or spelling it ``r m - r f`` does not switch the gate off.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from dataclasses import dataclass, field

from risk.classifier.code_fold import fold_code

# Confusable letters that NFKC leaves alone (Cyrillic, Greek, Armenian, a few IPA/Latin
# look-alikes). Only characters that *look like* an ASCII letter belong here.
_HOMOGLYPHS = {
    # Cyrillic lower / upper
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d",
    "ɡ": "g", "һ": "h", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ь": "b", "г": "r", "п": "n", "ѵ": "v",
    "А": "a", "В": "b", "Е": "e", "К": "k", "М": "m", "Н": "h", "О": "o", "Р": "p", "С": "c",
    "Т": "t", "У": "y", "Х": "x", "Ѕ": "s", "І": "i", "Ј": "j", "Ԁ": "d", "Һ": "h", "Ԛ": "q",
    "Ԝ": "w", "Ӏ": "l",
    # Greek lower / upper
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ω": "w", "ς": "s", "Α": "a", "Β": "b", "Ε": "e",
    "Ζ": "z", "Η": "h", "Ι": "i", "Κ": "k", "Μ": "m", "Ν": "n", "Ο": "o", "Ρ": "p", "Τ": "t",
    "Υ": "y", "Χ": "x",
    # Armenian and Latin extensions
    "օ": "o", "ս": "u", "ց": "g", "հ": "h", "ո": "n", "ı": "i", "ȷ": "j", "ʟ": "l", "ɪ": "i",
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ɢ": "g", "ʜ": "h", "ᴊ": "j", "ᴋ": "k",
    "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ʀ": "r", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v",
    "ᴡ": "w", "ʏ": "y", "ᴢ": "z", "ø": "o", "ł": "l", "đ": "d", "ħ": "h",
    # Punctuation look-alikes that matter for commands and paths
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-", "⁄": "/", "∕": "/", "／": "/",
    "＼": "\\", "～": "~", "˜": "~", "“": '"', "”": '"', "‘": "'", "’": "'", "·": ".",
}  # fmt: skip
_HOMOGLYPH_TABLE = str.maketrans(_HOMOGLYPHS)

_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
)
# A token mixing letters with leet digits/symbols, e.g. "k3yl0gg3r", "p@ssw0rd", "r00t".
_LEET_TOKEN = re.compile(
    r"(?<![a-z0-9@$!])(?=[a-z0-9@$!]*[a-z])(?=[a-z0-9@$!]*[013457@$!])[a-z0-9@$!]{3,24}"
    r"(?![a-z0-9@$!])"
)
# Tokens that are ordinary technical words despite containing digits; never de-leet these.
_LEET_KEEP = re.compile(
    r"^(?:(?:sha|md|utf|ipv|x|win|int|uint|float|base|log|rot|ascii|ec|p|h|s|http|rs|py"
    r"|es|tls|ssl|oauth|md|arm|aarch|amd|i|k|v)\d+[a-z]*|\d+[a-z]{1,3}|[a-z]\d)$"
)

# An address, not leetspeak: `deploy@staging`, `alice@example.com`, `git@github.com`, `user1@host`
# (check R: `ssh deploy@staging` became "deployastaging", a second view the model scored 0.62).
# Both sides are plain words of three or more letters; "p@ssword", "sh@dow" and "k3yl@gger" stay
# leet.
_ADDRESS = re.compile(r"^[a-z]{3,}\d*@[a-z]{3,}\d*$")
# A shell variable, not leetspeak: `$path`, `$home`, `$user` (lower-cased) would become "spath".
_SHELL_VARIABLE = re.compile(r"^\$[a-z_]+\d*$")

# A digit leetspeak has no letter for: the token is an identifier (a commit hash, an id, a
# version), not leetspeak, and de-leeting the rest of it only made a second view to score.
_NOT_LEET_DIGIT = re.compile(r"[2689]")

_INVISIBLE_CATEGORIES = {"Cf", "Cc", "Co", "Cs", "Cn"}
_KEEP_CONTROLS = {"\n", "\t"}
_WHITESPACE = re.compile(r"[ \t\r\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")

# Three or more single visible characters separated by one spacing character: "r m - r f",
# "k.e.y.l.o.g.g.e.r", "s_u_d_o", "d-r-o-p". The separator must be the same throughout the run,
# so a wider gap ("d r o p   t a b l e") ends it and the words stay apart.
_SPACED_RUN = re.compile(r"(?<![^\s(\"'`])[^\s]([ ._*|+-])(?:[^\s]\1)+[^\s](?![^\s)\"'`.,;:!?])")
# Two letters or digits so spaced ("r m", "t o", "o-n") between wide gaps: joined only in a text
# that already had a longer run, where they are the short words of the same evasion.
_SPACED_PAIR = re.compile(r"(?:(?<=  )|(?<![^\n]))[^\W_]([ ._*|+-])[^\W_](?=  |\n|$)")

_B64_CHUNK = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")
_HEX_CHUNK = re.compile(r"(?:\\x[0-9a-fA-F]{2}){6,}|\b(?:[0-9a-fA-F]{2}[ :]?){12,}\b")

MAX_DECODE_DEPTH = 2
MAX_VIEWS = 8


@dataclass(frozen=True)
class NormalizedText:
    """The canonical form of a request plus every alternative reading worth classifying."""

    canonical: str
    views: list[str] = field(default_factory=list)
    transformations: list[str] = field(default_factory=list)
    # Code with its obfuscation folded (`code_fold.py`). For the rules only: the model never saw
    # such text in training, and on harmless snippets it scored the folded view higher.
    code_views: list[str] = field(default_factory=list)

    @property
    def rule_views(self) -> list[str]:
        return [*self.views, *self.code_views]


def fold_unicode(text: str, *, keep_gaps: bool = False) -> str:
    """NFKC-fold, drop invisible/format characters and combining marks, map homoglyphs.

    Whitespace runs become one space; with ``keep_gaps`` a run of two or more becomes two, so
    letter-spaced words keep their word breaks for ``collapse_spacing``."""
    text = unicodedata.normalize("NFKC", text)
    decomposed = unicodedata.normalize("NFKD", text)
    kept = []
    for char in decomposed:
        category = unicodedata.category(char)
        if category == "Mn" or (category in _INVISIBLE_CATEGORIES and char not in _KEEP_CONTROLS):
            continue
        kept.append(char)
    text = unicodedata.normalize("NFC", "".join(kept)).translate(_HOMOGLYPH_TABLE)
    if keep_gaps:
        return _WHITESPACE.sub(lambda gap: "  " if len(gap.group(0)) > 1 else " ", text)
    return _WHITESPACE.sub(" ", text)


def collapse_spacing(text: str) -> str:
    """Join runs of single characters separated by a spacer ("r m - r f" -> "rm-rf")."""

    def _join(match: re.Match[str]) -> str:
        run = match.group(0)
        parts = run.split(match.group(1))
        return run if any(len(part) != 1 for part in parts) else "".join(parts)

    joined = _SPACED_RUN.sub(_join, text)
    if joined != text:
        joined = _SPACED_PAIR.sub(_join, joined)
    return joined


# In a text with at least this many leet tokens outside the keep list, the keep list's short
# shapes are leet too: "s1gn 1n", "k33p" next to "p4ssw0rd" and "h4rdc0ded".
_LEET_HEAVY = 3
# In such a text a two-character token is leet too: "1t g03s d0wn", "my 3x's s1t3".
_LEET_PAIR = re.compile(r"(?<![a-z0-9@$!])(?:[a-z][013457]|[013457][a-z])(?![a-z0-9@$!])")


def deleet(text: str) -> str:
    """Replace leetspeak digits/symbols inside word-like tokens ("k3yl0gg3r" -> "keylogger")."""
    tokens = [
        token
        for token in _LEET_TOKEN.findall(text)
        if not (_ADDRESS.match(token) or _SHELL_VARIABLE.match(token))
    ]
    heavy = sum(1 for token in tokens if not _LEET_KEEP.match(token)) >= _LEET_HEAVY

    def _fix(match: re.Match[str]) -> str:
        token = match.group(0)
        if (
            (_LEET_KEEP.match(token) and not heavy)
            or _NOT_LEET_DIGIT.search(token)
            or _ADDRESS.match(token)
            or _SHELL_VARIABLE.match(token)
        ):
            return token
        return token.translate(_LEET)

    fixed = _LEET_TOKEN.sub(_fix, text)
    return _LEET_PAIR.sub(lambda pair: pair.group(0).translate(_LEET), fixed) if heavy else fixed


def _printable_ratio(decoded: str) -> float:
    if not decoded:
        return 0.0
    good = sum(1 for char in decoded if char.isprintable() or char in "\n\t")
    return good / len(decoded)


def _try_decode_bytes(raw: bytes) -> str | None:
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    letters = sum(1 for char in decoded if char.isalpha())
    if len(decoded) < 4 or _printable_ratio(decoded) < 0.9 or letters < len(decoded) * 0.25:
        return None
    return decoded


def decode_chunks(text: str) -> list[str]:
    """Decode base64 / hex chunks that turn into readable text."""
    decoded: list[str] = []
    for match in _B64_CHUNK.finditer(text):
        chunk = match.group(0)
        if chunk.isalpha() and (chunk.islower() or chunk.isupper()):
            continue  # a long plain word, not an encoding
        padded = chunk + "=" * (-len(chunk) % 4)
        for decoder in (base64.b64decode, base64.urlsafe_b64decode):
            try:
                raw = decoder(padded)
            except (binascii.Error, ValueError):
                continue
            result = _try_decode_bytes(raw)
            if result:
                decoded.append(result)
                break
    for match in _HEX_CHUNK.finditer(text):
        digits = re.sub(r"\\x|[ :]", "", match.group(0))
        if len(digits) % 2:
            continue
        try:
            raw = bytes.fromhex(digits)
        except ValueError:
            continue
        result = _try_decode_bytes(raw)
        if result:
            decoded.append(result)
    return decoded


def _canonicalise(text: str) -> str:
    collapsed = collapse_spacing(fold_unicode(text, keep_gaps=True))
    return _WHITESPACE.sub(" ", collapsed).lower().strip()


def normalize(text: str) -> NormalizedText:
    """Return the canonical text and every view the classifier should score."""
    transformations: list[str] = []
    folded = fold_unicode(text)
    if folded != _WHITESPACE.sub(" ", text):
        transformations.append("unicode")
    collapsed = _WHITESPACE.sub(" ", collapse_spacing(fold_unicode(text, keep_gaps=True)))
    if collapsed != folded:
        transformations.append("spacing")
    canonical = collapsed.lower().strip()

    views = [canonical]
    leet = deleet(canonical)
    if leet != canonical:
        views.append(leet)
        transformations.append("leetspeak")
    # Folded from the text before spacing is collapsed, which would join `'f ' + '/'` wrongly.
    code_views: list[str] = []
    code = fold_code(folded)
    if code != folded and (view := _WHITESPACE.sub(" ", code).lower().strip()) not in views:
        code_views.append(view)
        transformations.append("code")

    frontier = [folded]
    for _depth in range(MAX_DECODE_DEPTH):
        next_frontier = []
        for source in frontier:
            for decoded in decode_chunks(source):
                view = _canonicalise(decoded)
                if view and view not in views and len(views) < MAX_VIEWS:
                    views.append(view)
                    next_frontier.append(fold_unicode(decoded))
                    if "encoded" not in transformations:
                        transformations.append("encoded")
                    leet_view = deleet(view)
                    if leet_view != view and len(views) < MAX_VIEWS:
                        views.append(leet_view)
        frontier = next_frontier
        if not frontier:
            break
    return NormalizedText(
        canonical=canonical, views=views, transformations=transformations, code_views=code_views
    )

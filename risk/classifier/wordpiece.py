"""A pure-Python BERT (uncased) WordPiece tokenizer, enough to look up static embeddings.

It follows the reference ``BasicTokenizer`` + ``WordpieceTokenizer`` of BERT: clean control
characters, lower-case, strip accents, split on whitespace and punctuation (CJK characters
become single tokens), then greedy longest-match-first WordPiece with ``##`` continuation. A word
that cannot be covered by vocabulary pieces becomes ``[UNK]``, as in the reference. No
dependency beyond the standard library; the vocabulary comes from the embedding artifact.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

UNK = "[UNK]"
MAX_CHARS_PER_WORD = 100


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    # Every non-alphanumeric ASCII character counts as punctuation ("$", "^", "`", ...).
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B73F
        or 0x2B740 <= code <= 0x2B81F
        or 0x2B820 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


def _ascii_table() -> dict[int, str]:
    """What `basic_tokenize` makes of each ASCII character, as a `str.translate` table."""
    table: dict[int, str] = {}
    for code in range(128):
        char = chr(code)
        if code == 0:
            table[code] = ""
        elif char in " \t\n\r":
            table[code] = " "
        elif unicodedata.category(char).startswith("C"):
            table[code] = ""  # control characters
        elif _is_punctuation(char):
            table[code] = f" {char} "
    return table


_ASCII_TABLE = _ascii_table()


def basic_tokenize(text: str) -> list[str]:
    """Lower-case, strip accents and split on whitespace and punctuation."""
    if text.isascii():
        # Nothing to strip or fold: one C-level pass instead of one Python step per character
        # (this function was most of the classifier's Python time).
        return text.lower().translate(_ASCII_TABLE).split()
    text = unicodedata.normalize("NFD", text.lower())
    out: list[str] = []
    for char in text:
        code = ord(char)
        if code == 0 or code == 0xFFFD:
            continue
        category = unicodedata.category(char)
        if category == "Mn":
            continue  # accents
        if char in " \t\n\r" or category == "Zs":
            out.append(" ")
        elif category.startswith("C"):
            continue  # control characters
        elif _is_punctuation(char) or _is_cjk(code):
            out.append(f" {char} ")
        else:
            out.append(char)
    return "".join(out).split()


class WordPieceTokenizer:
    """Greedy longest-match-first WordPiece over a fixed vocabulary (token -> id)."""

    def __init__(self, vocab: Iterable[str]) -> None:
        self.vocab: dict[str, int] = {token: index for index, token in enumerate(vocab)}
        self.unk_id = self.vocab.get(UNK, -1)
        self._max_piece = max((len(token) for token in self.vocab), default=1)
        self._cache: dict[str, tuple[int, ...]] = {}

    def word_ids(self, word: str) -> tuple[int, ...]:
        """Ids of one basic token; ``(unk_id,)`` when it cannot be covered."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        ids = self._split(word)
        if len(self._cache) < 200_000:
            self._cache[word] = ids
        return ids

    def _split(self, word: str) -> tuple[int, ...]:
        if len(word) > MAX_CHARS_PER_WORD:
            return (self.unk_id,)
        vocab = self.vocab
        ids: list[int] = []
        start = 0
        length = len(word)
        while start < length:
            end = min(length, start + self._max_piece)
            found = -1
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                found = vocab.get(piece, -1)
                if found >= 0:
                    break
                end -= 1
            if found < 0:
                return (self.unk_id,)
            ids.append(found)
            start = end
        return tuple(ids)

    def tokenize_ids(self, text: str, *, max_tokens: int | None = None) -> list[int]:
        ids: list[int] = []
        for word in basic_tokenize(text):
            ids.extend(self.word_ids(word))
            if max_tokens is not None and len(ids) >= max_tokens:
                return ids[:max_tokens]
        return ids

    def tokenize(self, text: str) -> list[str]:
        inverse = {index: token for token, index in self.vocab.items()}
        return [inverse.get(index, UNK) for index in self.tokenize_ids(text)]

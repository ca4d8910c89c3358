"""Hashed word and character n-gram features, identical at training time and at run time.

Hashing keeps the artifact free of a vocabulary and makes unseen words cheap: a request is mapped
to (bucket, value) pairs in a fixed ``2**HASH_BITS`` space. Character 3–5-grams are hashed with a
vectorised polynomial hash in numpy (no Python loop per n-gram); word uni- and bigrams use
``zlib.crc32``. Both are deterministic across processes and platforms, unlike ``hash()``.
"""

from __future__ import annotations

import re
import zlib
from itertools import pairwise

import numpy as np

HASH_BITS = 20
N_FEATURES = 1 << HASH_BITS
CHAR_NGRAMS = (3, 4, 5)
MAX_CHARS = 3000
WORD_BLOCK_WEIGHT = 1.0
CHAR_BLOCK_WEIGHT = 0.0

# Function words carry style, not content: left in, the model learns which corpus a prompt
# came from (long prose vs short questions) instead of what it asks for.
_STOP_WORDS_TEXT = """
    a an the and or but if then else of to in on at by for with from into onto as is are was
    were be been being am do does did doing have has had having it its it's this that these those
    there here which who whom whose what when where why how than so such very can could would
    should will shall may might must i me we our you your he him his she her they them their
    s t about also each other some any all both just only own same too up down out over under
    again further once more most few while during before after above below between through
    let's please kindly using use used make sure well"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

_WORD = re.compile(r"[a-z0-9_]+(?:[.-][a-z0-9_]+)*|[~/.][a-z0-9_./~-]+|--?[a-z][a-z-]*|[|>&$`]+")
_SPACES = re.compile(r"\s+")
_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_BASE = np.uint64(1099511628211)
_SHIFT = np.uint64(64 - HASH_BITS)


def _char_buckets(text: str) -> np.ndarray:
    data = np.frombuffer((" " + text + " ").encode("utf-8", "ignore"), dtype=np.uint8)
    data = data.astype(np.uint64)
    buckets = []
    for size in CHAR_NGRAMS:
        count = data.size - size + 1
        if count <= 0:
            continue
        hashed = np.full(count, np.uint64(size), dtype=np.uint64)
        with np.errstate(over="ignore"):
            for offset in range(size):
                hashed = hashed * _BASE + data[offset : offset + count] + np.uint64(1)
            hashed = (hashed * _MULTIPLIER) >> _SHIFT
        buckets.append(hashed)
    if not buckets:
        return np.zeros(0, dtype=np.int64)
    return np.concatenate(buckets).astype(np.int64)


_NEGATION = frozenset({"not", "no", "never", "without", "nor", "avoid", "dont", "don't", "cannot"})
_CLAUSE_END = re.compile(r"[.;:!?](?:\s|$)|[,()\n]")
_NEGATION_SCOPE = 3
_IRREGULAR_NOT = re.compile(r"\b(?:can|won)[’']t\b")
_CONTRACTED_NOT = re.compile(r"n[’']t\b")
_SUFFIXES = ("ations", "ation", "ings", "ing", "ions", "ion", "ers", "er", "ies", "ed", "es", "s")


def stem(token: str) -> str:
    """A crude suffix stripper: 'exfiltrating'/'exfiltration' -> 'exfiltr'."""
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 4:
            return token[: -len(suffix)]
    return token


def content_tokens(text: str) -> list[str]:
    """Tokens without function words; up to three tokens after a negation become 'neg_...'.

    Marking negation keeps disclaimers ("should not contain any malicious code") from
    counting as the very thing they rule out.
    """
    tokens: list[str] = []
    text = _CONTRACTED_NOT.sub(" not", _IRREGULAR_NOT.sub(" not", text))
    for clause in _CLAUSE_END.split(text):
        negated = 0
        for token in _WORD.findall(clause):
            bare = token.replace("'", "")
            if token in _NEGATION or bare in _NEGATION:
                negated = _NEGATION_SCOPE
                tokens.append("not")
                continue
            if token in STOP_WORDS:
                continue
            if negated:
                tokens.append("neg_" + token)
                negated -= 1
            else:
                tokens.append(token)
    return tokens


_PATH_KEYS = frozenset({"rel"})


def path_kind(token: str) -> str | None:
    """Where a path token points: inside the project (``./x``), above it (``../x``), the user's
    home (``~/x``) or an absolute path elsewhere on the machine; ``None`` for other tokens."""
    if token.startswith("./") and len(token) > 2 and ".." not in token:
        return "rel"
    if token.startswith("../"):
        return "up"
    if token.startswith("~/") or token == "~":
        return "home"
    if token.startswith("/") and len(token) > 1 and token[1].isalnum():
        return "abs"
    return None


def _word_buckets(text: str) -> np.ndarray:
    tokens = content_tokens(text)
    keys = [f"w:{token}" for token in tokens]
    # One shared key per kind of path, so that "./fixtures" and "./templates" teach the same
    # thing however rarely each name occurs.
    keys.extend(f"p:{kind}" for kind in map(path_kind, tokens) if kind in _PATH_KEYS)
    keys.extend(f"s:{stem(token)}" for token in tokens if token.isalpha() and stem(token) != token)
    keys.extend(f"b:{left} {right}" for left, right in pairwise(tokens))
    if not keys:
        return np.zeros(0, dtype=np.int64)
    return np.fromiter(
        (zlib.crc32(key.encode("utf-8")) & (N_FEATURES - 1) for key in keys),
        dtype=np.int64,
        count=len(keys),
    )


def _normalised_block(buckets: np.ndarray, weight: float) -> tuple[np.ndarray, np.ndarray]:
    if buckets.size == 0:
        return buckets, np.zeros(0, dtype=np.float64)
    indices, counts = np.unique(buckets, return_counts=True)
    values = np.log1p(counts.astype(np.float64))
    norm = np.sqrt(np.dot(values, values))
    return indices, values * (weight / norm)


def extract(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Sparse feature vector of an already-normalised text as (indices, values).

    Indices may repeat between the word and character blocks; consumers sum duplicates.
    """
    text = text[:MAX_CHARS]
    word_idx, word_val = _normalised_block(_word_buckets(text), WORD_BLOCK_WEIGHT)
    if CHAR_BLOCK_WEIGHT <= 0:
        return word_idx, word_val
    content = " ".join(token for token in _SPACES.split(text) if token not in STOP_WORDS)
    char_idx, char_val = _normalised_block(_char_buckets(content), CHAR_BLOCK_WEIGHT)
    return np.concatenate([word_idx, char_idx]), np.concatenate([word_val, char_val])

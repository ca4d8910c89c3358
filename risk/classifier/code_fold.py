"""Fold readable code obfuscation into the string it builds, for one extra view.

A path or command split into string pieces (``'/et' + 'c/sha' + 'dow'``), held in short
variables joined later (``a='.ss'; b='h/id_r'; '~/'+a+b``), spelled as character codes
(``''.join(chr(c) for c in [114, 109, ...])``, ``bytes([47, 101, ...])``,
``String.fromCharCode(...)``) or called by name (``getattr(os, 'sys' + 'tem')``,
``__import__('os')``) reads as nothing to a rule. The fold writes each as the plain literal or
call, so the rules for the operation itself apply. Only literal text is assembled; nothing runs.
"""

from __future__ import annotations

import base64
import binascii
import re

_LITERAL = r"'[^'\n]*'|\"[^\"\n]*\""
_PIECE = rf"(?:{_LITERAL}|[A-Za-z_]\w*)"
# Two or more pieces joined by "+" (Python, JavaScript, PowerShell, Java).
_CHAIN = re.compile(rf"{_PIECE}(?:\s*\+\s*{_PIECE})+")
# Text with none of these has nothing to fold (most prose): skip the passes.
_HINT = re.compile(
    r"\+|chr\b|bytes\s*\(|bytearray|fromcharcode|\[char\[\]\]|b64decode|base64|getattr"
    r"|__import__|import_module|require\(|__dict__",
    re.IGNORECASE,
)
_ASSIGNMENT = re.compile(rf"(?<![\w.])([A-Za-z_]\w*)\s*=\s*({_LITERAL})(?=\s*[;,\n)]|\s*$)")
# A list of character codes next to the call that turns it into text.
_CODES = re.compile(
    r"(?:chr\b|bytes\s*\(|bytearray\s*\(|fromcharcode\s*\(|\[char\[\]\]\s*\(?)"
    r"[^\[\]\n]{0,40}?[\[(]?\s*((?:\d{1,3}\s*,\s*){3,}\d{1,3})\s*[\])]",
    re.IGNORECASE,
)
_GETATTR = re.compile(r"getattr\(\s*([A-Za-z_][\w.]*)\s*,\s*(?:'(\w+)'|\"(\w+)\")\s*\)")
_IMPORT = re.compile(
    r"(?:__import__|importlib\.import_module)\(\s*(?:'([\w.]+)'|\"([\w.]+)\")\s*\)"
    r"|require\(\s*(?:'([\w.]+)'|\"([\w.]+)\")\s*\)(?=\.)"
)
_DICT_ITEM = re.compile(r"\.__dict__\[\s*(?:'(\w+)'|\"(\w+)\")\s*\]")
# ''.join('rm -rf ~') and ''.join(map('rm -rf ~')) once the codes are text; a name passed to
# a call: open(p), system(cmd).
_EMPTY_JOIN = re.compile(rf"(?:''|\"\")\.join\(\s*(?:map\(\s*)?({_LITERAL})\s*\)?\s*\)")
_CALL_ARGUMENT = re.compile(r"(?<=\()\s*([A-Za-z_]\w*)\s*(?=[,)])")
# Base64 too short for the chunk decoder, where the text itself says it is decoded and run:
# b64decode('cm0gLXJmIH4vKg=='), echo 'cm0g...' | base64 -d.
_B64_CALL = re.compile(
    r"b64decode\(\s*['\"]([A-Za-z0-9+/]{8,}={0,2})['\"]\s*\)"
    r"|echo\s+(?:-n\s+)?['\"]?([A-Za-z0-9+/]{8,}={0,2})['\"]?\s*\|\s*base64\s+(?:-d|--decode|-D)\b"
)
_MAX_VARIABLES = 64


def _codes_to_text(match: re.Match[str]) -> str:
    codes = [int(code) for code in re.split(r"\s*,\s*", match.group(1).strip())]
    if not all(9 <= code <= 126 for code in codes):
        return match.group(0)
    return "'" + "".join(chr(code) for code in codes).replace("'", "") + "'"


def _decode_b64(match: re.Match[str]) -> str:
    encoded = match.group(1) or match.group(2)
    try:
        decoded = base64.b64decode(encoded + "=" * (-len(encoded) % 4)).decode("utf-8")
    except (binascii.Error, ValueError):
        return match.group(0)
    if not decoded.isprintable():
        return match.group(0)
    return "'" + decoded.replace("'", "") + "'"


def _string_variables(text: str) -> dict[str, str]:
    variables: dict[str, str] = {}
    for found in _ASSIGNMENT.finditer(text):
        if len(variables) >= _MAX_VARIABLES:
            break
        variables.setdefault(found.group(1), found.group(2)[1:-1])
    return variables


def _join_chain(match: re.Match[str], variables: dict[str, str]) -> str:
    pieces = re.findall(_PIECE, match.group(0))
    literal_count = 0
    parts: list[str] = []
    for piece in pieces:
        if piece[0] in "'\"":
            literal_count += 1
            parts.append(piece[1:-1])
        elif piece in variables:
            literal_count += 1
            parts.append(variables[piece])
        else:
            return match.group(0)  # an unknown name: not a string we can assemble
    if literal_count < 2:
        return match.group(0)
    return "'" + "".join(parts) + "'"


def fold_code(text: str) -> str:
    """The text with string pieces, character codes and by-name calls written out plainly."""
    if not _HINT.search(text):
        return text
    folded = _B64_CALL.sub(_decode_b64, text)
    folded = _EMPTY_JOIN.sub(r"\1", _CODES.sub(_codes_to_text, folded))
    variables = _string_variables(folded)
    folded = _CHAIN.sub(lambda chain: _join_chain(chain, variables), folded)
    variables = _string_variables(folded)  # names that now hold an assembled string
    folded = _CALL_ARGUMENT.sub(
        lambda m: f"'{variables[m.group(1)]}'" if m.group(1) in variables else m.group(0), folded
    )
    folded = _IMPORT.sub(lambda m: next(g for g in m.groups() if g), folded)
    folded = _GETATTR.sub(lambda m: f"{m.group(1)}.{m.group(2) or m.group(3)}", folded)
    return _DICT_ITEM.sub(lambda m: "." + (m.group(1) or m.group(2)), folded)

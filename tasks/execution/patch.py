"""Applying a unified diff (what `diff -u` / `git diff` print) to workspace files, in Python.

Each hunk's context and removed lines must match the file, at the line the hunk names or at
the nearest offset where they do (like `patch`'s offset search, without fuzz). All files of a
patch are checked before any is written: a patch applies completely or not at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


class PatchError(ValueError):
    pass


@dataclass
class _Hunk:
    old_start: int
    lines: list[str] = field(default_factory=list)  # each starts with ' ', '-' or '+'


@dataclass
class FilePatch:
    old_path: str | None  # None: the file is created
    new_path: str | None  # None: the file is deleted
    hunks: list[_Hunk] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.new_path or self.old_path or ""


def _strip_prefix(raw: str) -> str | None:
    path = raw.split("\t", 1)[0].strip()
    if path == "/dev/null":
        return None
    if path.startswith(("a/", "b/")):
        path = path[2:]
    return path


def patch_parse(text: str) -> list[FilePatch]:
    patches: list[FilePatch] = []
    lines = text.splitlines()
    index = 0
    current: FilePatch | None = None
    while index < len(lines):
        line = lines[index]
        if (
            line.startswith("--- ")
            and index + 1 < len(lines)
            and lines[index + 1].startswith("+++ ")
        ):
            current = FilePatch(_strip_prefix(line[4:]), _strip_prefix(lines[index + 1][4:]))
            patches.append(current)
            index += 2
            continue
        match = _HUNK.match(line)
        if match:
            if current is None:
                raise PatchError("A hunk appears before any '--- a/file' / '+++ b/file' header.")
            hunk = _Hunk(old_start=int(match.group(1)))
            old_left = int(match.group(2) or 1)
            new_left = int(match.group(4) or 1)
            index += 1
            while index < len(lines) and (old_left > 0 or new_left > 0):
                body = lines[index]
                if body.startswith("\\"):  # "\ No newline at end of file"
                    index += 1
                    continue
                kind = body[:1] or " "
                if kind not in " -+":
                    raise PatchError(f"Unexpected line in a hunk: {body[:80]!r}")
                hunk.lines.append(kind + body[1:])
                old_left -= kind in " -"
                new_left -= kind in " +"
                index += 1
            if old_left > 0 or new_left > 0:
                raise PatchError("A hunk is shorter than its header says.")
            current.hunks.append(hunk)
            continue
        index += 1
    if not patches:
        raise PatchError("No file headers ('--- a/file', '+++ b/file') found in the patch.")
    return patches


def _find(lines: list[str], expected: list[str], near: int) -> int:
    if not expected:
        return min(max(near, 0), len(lines))
    for offset in range(len(lines) + 1):
        for start in (near - offset, near + offset):
            if (
                0 <= start <= len(lines) - len(expected)
                and lines[start : start + len(expected)] == expected
            ):
                return start
    return -1


def patch_apply_text(original: str, file_patch: FilePatch) -> str:
    """The file's new content, or PatchError naming the hunk that does not match."""
    lines = original.splitlines()
    trailing_newline = original.endswith("\n") or not original
    shift = 0
    for number, hunk in enumerate(file_patch.hunks, start=1):
        expected = [line[1:] for line in hunk.lines if line[0] in " -"]
        replacement = [line[1:] for line in hunk.lines if line[0] in " +"]
        near = max(hunk.old_start - 1, 0) + shift
        start = _find(lines, expected, near)
        if start < 0:
            raise PatchError(
                f"Hunk {number} of {file_patch.path} does not match the file's current content."
            )
        lines[start : start + len(expected)] = replacement
        shift = start - max(hunk.old_start - 1, 0) + len(replacement) - len(expected)
    text = "\n".join(lines)
    return text + "\n" if lines and trailing_newline else text

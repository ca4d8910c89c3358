"""The machinery the synthetic families share: the labels, the slot values a template's
`{slot}` is filled from, `third_person`, and the seeded generator that fills and collects
examples (each text once)."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from risk.classifier.synthetic import (
    everyday_setup,
    execution_styles,
    malicious,
    security_everyday,
    short_requests,
    slots,
)

MALICIOUS = "malicious"
BENIGN = "benign"

_SLOT = re.compile(r"\{(\w+)\}")
_SLOT_VALUES = {
    "sys_file": slots.SYS_FILES,
    "sys_dir": slots.SYS_DIRS,
    "cred_file": slots.CRED_FILES,
    "remote": slots.REMOTES,
    "ip": slots.IPS,
    "payload": slots.PAYLOADS,
    "browser": slots.BROWSERS,
    "target": slots.TARGETS,
    "lang": slots.LANGS,
    "api": slots.APIS,
    "project_file": slots.PROJECT_FILES,
    "project_dir": slots.PROJECT_DIRS,
    "project_script": slots.PROJECT_SCRIPTS,
    **malicious.HARM_SLOTS,
    **everyday_setup.SLOTS,
    **execution_styles.SLOTS,
    **short_requests.SLOTS,
    **security_everyday.SLOTS,
}

_ES_ENDINGS = ("s", "sh", "ch", "x", "z", "o")


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    source: str
    category: str


def third_person(phrase: str) -> str:
    """'delete the logs' -> 'deletes the logs'; 'copy x' -> 'copies x'."""
    verb, _, rest = phrase.partition(" ")
    lowered = verb.lower()
    if not verb.isalpha() or lowered in {"rm", "dd"}:
        return "runs " + phrase
    if lowered.endswith("y") and lowered[-2:-1] not in "aeiou":
        conjugated = verb[:-1] + "ies"
    elif lowered.endswith(_ES_ENDINGS):
        conjugated = verb + "es"
    else:
        conjugated = verb + "s"
    return f"{conjugated} {rest}".strip()


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.examples: list[Example] = []
        self.seen: set[str] = set()

    def fill(self, template: str) -> str:
        return _SLOT.sub(lambda match: self._slot(match.group(1)), template)

    def _slot(self, name: str) -> str:
        values = _SLOT_VALUES.get(name)
        return self.rng.choice(values) if values else "{" + name + "}"

    def frame(self, action: str, frames: list[str], *, polite: float = 0.0) -> str:
        """Put an infinitive action phrase into a randomly chosen framing."""
        action = self.fill(action)
        if self.rng.random() < polite:
            return self.rng.choice(slots.POLITE) + action + self.rng.choice(("?", ".", "!"))
        template = self.rng.choice(frames)
        return template.format(
            inf=action,
            Inf=action[:1].upper() + action[1:],
            third=third_person(action),
            lang=self.rng.choice(slots.LANGS),
        )

    def frame_third(self, action: str, frames: list[str]) -> str:
        """Like ``frame`` for phrases already in the third person ("monitors traffic...")."""
        template = self.rng.choice(frames)
        return template.format(third=self.fill(action), lang=self.rng.choice(slots.LANGS))

    def decorate(self, text: str, *, pretext: float, suffixes: list[str]) -> str:
        if self.rng.random() < pretext:
            text = self.rng.choice(slots.PRETEXT_PREFIXES) + text[:1].lower() + text[1:]
        if self.rng.random() < 0.3:
            text = text.rstrip() + self.rng.choice(suffixes)
        return text

    def extend(self, text: str, pools: list[list[str]], *, count: tuple[int, int] = (1, 3)) -> str:
        """Append a few requirement sentences drawn from the given pools."""
        sentences: list[str] = []
        for _ in range(self.rng.randint(*count)):
            sentence = self.rng.choice(self.rng.choice(pools))
            if sentence not in sentences:
                sentences.append(sentence)
        return " ".join([text.rstrip(), *sentences])

    def add(self, text: str, label: str, source: str, category: str) -> None:
        key = text.strip().lower()
        if key and key not in self.seen:
            self.seen.add(key)
            self.examples.append(Example(text.strip(), label, source, category))

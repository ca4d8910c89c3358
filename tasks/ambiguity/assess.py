"""The offline ambiguity check: the learned score plus reasons and questions from the cues."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings

from tasks.ambiguity import features
from tasks.ambiguity.model import load_model

# Each clarification round is the requester's word that the gaps are filled; the re-scored
# text is not trusted alone because short answers ("the export in reports/") score as vague.
ANSWER_CREDIT = 0.3
# The model is fitted on balanced rows, so its own boundary is p = 0.5; shifting the log-odds by
# logit(0.6) puts that boundary at the default AMBIGUITY_THRESHOLD instead of above it.
BOUNDARY_SHIFT = math.log(0.6 / 0.4)


def _score(text: str) -> float:
    decision = load_model().decision(text) + BOUNDARY_SHIFT
    return 1.0 / (1.0 + math.exp(-decision)) if decision >= 0 else _neg_sigmoid(decision)


def _neg_sigmoid(decision: float) -> float:
    exp = math.exp(decision)
    return exp / (1.0 + exp)


@dataclass
class Ambiguity:
    score: float
    ambiguous: bool
    reasons: list[dict[str, str]] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _quote(items: list[str]) -> str:
    return ", ".join(f"'{item}'" for item in dict.fromkeys(items))


def _findings(cues: features.Cues, *, answered: bool) -> list[tuple[str, str, str]]:
    """(kind, detail, question) for every under-specification cue that fires."""
    out: list[tuple[str, str, str]] = []
    if cues.example_conflicts:
        example, _, stated = cues.example_conflicts[0].partition(" is not ")
        out.append(
            (
                "conflicting_requirements",
                f"An example contradicts the description: {example} is not {stated}.",
                f"The description asks for {stated}, but the example {example} does not match "
                "it; which is right, the example or the description?",
            )
        )
    # A broken-off description: its continuation is the first thing to ask for.
    if cues.truncated:
        out.append(
            (
                "missing_inputs",
                f"The description breaks off mid-sentence: '... {cues.truncated}'.",
                f"The description stops at '{cues.truncated}'; how does it continue, what "
                "should the function do or return?",
            )
        )
    out.extend(_pick_findings(cues))
    concrete = cues.concrete
    if features.unresolved(cues) and not (answered or cues.leading_pronoun):
        out.append(
            (
                "undefined_terms",
                f"'{cues.unresolved[0]}' refers to something the request does not name.",
                f"Who or what does '{cues.unresolved[0]}' refer to?",
            )
        )
    if cues.words < 15 and not concrete:
        out.append(
            (
                "unclear_scope",
                f"Only {cues.words} words and nothing concrete named.",
                "What exactly should be built or changed, and where?",
            )
        )
    elif cues.generic_objects and not concrete:
        out.append(
            (
                "unclear_scope",
                f"Refers to {_quote(cues.generic_objects[:3])} without naming which part.",
                f"Which part of {cues.generic_objects[0]} does this concern (files, pages, "
                "functions)?",
            )
        )
    if cues.referents:
        out.append(
            (
                "undefined_terms",
                f"Relies on context the request does not give: {_quote(cues.referents[:3])}.",
                f"What exactly does {_quote(cues.referents[:1])} refer to?",
            )
        )
    if cues.vague:
        out.append(
            (
                "undefined_terms",
                f"Vague wording: {_quote(cues.vague[:4])}.",
                f"What do you mean concretely by {_quote(cues.vague[:1])} (a measurable "
                "target or the exact behaviour)?",
            )
        )
    if cues.leading_pronoun and not answered:
        out.append(
            (
                "undefined_terms",
                "Starts with a pronoun that has no referent.",
                "What does 'it' / 'this' refer to?",
            )
        )
    if not concrete:
        out.append(
            (
                "missing_inputs",
                "No file, function, endpoint, example or value is named.",
                "Which files, functions or components does this concern?",
            )
        )
    if cues.thin_docstring or cues.doctest_without_output:
        out.append(
            (
                "missing_inputs",
                "The function's behaviour or expected output is not stated.",
                "What should it return for a sample input (the input and its expected output)?",
            )
        )
    if cues.intermittent and not cues.expected:
        out.append(
            (
                "missing_inputs",
                "The problem is intermittent and no reproduction is given.",
                "When does it happen: which inputs, users or steps reproduce it?",
            )
        )
    if cues.choices:
        out.append(
            (
                "conflicting_requirements",
                f"Leaves a choice open: {_quote(cues.choices[:3])}.",
                f"Which option do you want where it says {_quote(cues.choices[:1])}?",
            )
        )
    if cues.conflicts:
        out.append(
            (
                "conflicting_requirements",
                f"Requirements may pull against each other: {_quote(cues.conflicts[:3])}.",
                "These requirements seem to conflict; which one takes precedence?",
            )
        )
    checkable = cues.examples or cues.expected or cues.test_ask or cues.constraints
    if not (checkable or cues.signature or features.named(cues)):
        out.append(
            (
                "unstated_acceptance_criteria",
                "No expected outcome, example or test.",
                "How will we know it is done (expected behaviour, an example, or a test)?",
            )
        )
    return out


def _tie_question(phrase: str) -> str:
    if phrase.startswith("middle"):
        return f"Which '{phrase}' should it return when the length is even and there are two?"
    if phrase.split()[0] in ("second", "third", "k-th", "kth", "n-th", "nth"):
        return (
            f"Do repeated values count separately for '{phrase}', or only distinct values "
            "(for [5, 5, 3], is the answer 5 or 3)?"
        )
    return (
        f"If several items tie for '{phrase}', which should it return (the first one, all of "
        "them, or another rule)?"
    )


def _pick_findings(cues: features.Cues) -> list[tuple[str, str, str]]:
    """Open tie-breaks, hedged numbers and unintroduced objects: precise-sounding gaps."""
    out: list[tuple[str, str, str]] = []
    if cues.open_ties:
        phrase = cues.open_ties[0]
        out.append(
            (
                "unstated_acceptance_criteria",
                f"No rule for ties or repeats where it says '{phrase}'.",
                _tie_question(phrase),
            )
        )
    if features.hedged(cues):
        phrase = cues.hedged_quantities[0].rstrip(".,")
        out.append(
            (
                "undefined_terms",
                f"A hedged quantity with no tolerance: '{phrase}'.",
                f"How exact is '{phrase}': what tolerance or threshold should it use?",
            )
        )
    if features.unanchored_object(cues):
        phrase = cues.unintroduced[0]
        out.append(
            (
                "missing_inputs",
                f"'{phrase}' is not introduced or described.",
                f"What exactly is '{phrase}': which one, and what type or format (an example "
                "helps)?",
            )
        )
    return out


def ambiguity_assess(text: str, *, answers: list[str] | None = None) -> Ambiguity:
    """Scores how underspecified a request is (0 clear – 1 hopeless) and what to ask."""
    answers = [a for a in (answers or []) if a.strip()]
    score = _score(text)
    combined = " ".join([text, *answers]).strip()
    if answers:
        score = max(min(score, _score(combined)) - ANSWER_CREDIT * len(answers), 0.0)
    score = round(score, 3)
    threshold = settings.PIPELINE["AMBIGUITY_THRESHOLD"]
    findings = _findings(features.cues(combined), answered=bool(answers))
    reasons = [{"kind": kind, "detail": detail} for kind, detail, _ in findings]
    questions = list(dict.fromkeys(question for _, _, question in findings))
    if score >= threshold and not questions:
        questions = ["What exactly should change, and how will we check the result?"]
        reasons.append({"kind": "unclear_scope", "detail": "The request reads as underspecified."})
    return Ambiguity(
        score=score, ambiguous=score >= threshold, reasons=reasons, questions=questions[:5]
    )

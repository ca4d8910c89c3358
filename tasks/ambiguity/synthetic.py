"""Deterministic synthetic requests for training the ambiguity model.

Each style pairs a fully specified request with under-specified ones built from the same slots,
so the model learns what separates them (named places, inputs and outputs, examples, checks vs.
undefined referents, open choices, contradictions, unmeasurable goals) rather than topic words.
Domains and wording here are deliberately generic; no evaluation rows are copied.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from tasks.ambiguity import synthetic_cuts as cuts
from tasks.ambiguity import synthetic_picks as picks
from tasks.ambiguity import synthetic_problems as problems
from tasks.ambiguity import synthetic_slots as slots
from tasks.ambiguity.synthetic_examples import example_clear, example_contradicted
from tasks.ambiguity.synthetic_general import general_clear, general_vague
from tasks.ambiguity.synthetic_variants import variant_clear, variant_vague

SEED = 11


@dataclass(frozen=True)
class Example:
    text: str
    ambiguous: bool
    style: str


def _function_clear(r: random.Random) -> str:
    name, args, ret, what, call, out = r.choice(slots.ALGOS)
    extra = r.choice(slots.FN_EXTRAS)
    kind = r.randrange(4)
    if kind == 0:
        return (
            f'def {name}({args}) -> {ret}:\n    """Return {what}.{extra}\n'
            f'    >>> {call}\n    {out}\n    """'
        )
    if kind == 1:
        return (
            f"Write a function `{name}({args}) -> {ret}` that returns {what}.{extra} "
            f"{call} == {out}."
        )
    if kind == 2:
        return f"Implement {name}({args}) returning {what}. Example: {call} -> {out}.{extra}"
    return (
        f"Write a Python function {name} that takes {args} and returns {what}, "
        f"e.g. {call} returns {out}.{extra}"
    )


def _function_vague(r: random.Random) -> str:
    name, args, ret, _what, call, _out = r.choice(slots.ALGOS)
    kind = r.randrange(6)
    if kind == 5:
        # A precise spec with one decision left open: the example cannot settle it.
        choice = r.choice(slots.OPEN_CHOICES)
        return (
            f'def {name}({args}) -> {ret}:\n    """Return {_what}, {choice}.\n'
            f'    >>> {call}\n    {_out}\n    """'
        )
    if kind == 0:
        body = r.choice(slots.VAGUE_FN_BODIES)
        return f'def {name}({args}):\n    """{body}"""'
    if kind == 1:
        body = r.choice(slots.VAGUE_FN_BODIES)
        return f'def {name}({args}) -> {ret}:\n    """{body}\n    >>> {call}\n    """'
    if kind == 2:
        return f"Write a function {name} that returns the values {r.choice(slots.OPEN_CHOICES)}."
    if kind == 3:
        # An example is no cure for a rule the reader was never told.
        rule = r.choice(slots.UNTOLD_RULES)
        return f'def {name}({args}) -> {ret}:\n    """{rule}\n    >>> {call}\n    {_out}\n    """'
    verb = r.choice(("processes", "checks", "converts", "scores"))
    noun = r.choice(("input", "records", "values", "items"))
    return f"Write a function that {verb} the {noun} and returns the result."


def _third_person(op: str) -> str:
    """'find the x' -> 'finds the x': conjugate the leading verb for "a function that ..."."""
    verb, _, rest = op.partition(" ")
    if verb.endswith(("s", "x", "sh", "ch")):
        verb += "es"
    elif verb.endswith("y") and verb[-2:-1] not in "aeiou":
        verb = verb[:-1] + "ies"
    else:
        verb += "s"
    return f"{verb} {rest}".strip()


def _framed(r: random.Random, op: str) -> str:
    """The op under one of many openings, so no opening belongs to one label."""
    kind = r.randrange(4)
    if kind == 0:
        return r.choice(problems.INFINITIVE_FRAMES).format(op=op)
    if kind == 1:
        return r.choice(problems.THIRD_PERSON_FRAMES).format(op=_third_person(op))
    if kind == 2:
        return r.choice(problems.IMPERATIVE_FRAMES).format(op=op, Op=op[0].upper() + op[1:])
    return r.choice(problems.OP_FRAMES).format(op=op)


def _given(r: random.Random, pairs: tuple[tuple[str, str], ...]) -> str:
    given, want = r.choice(pairs)
    return f"Given {given}, {want}."


def _problem_clear(r: random.Random) -> str:
    if r.random() < 0.2:
        # Short and example-free, yet nothing to ask: the operation names itself.
        return r.choice(problems.SHORT_OP_FRAMES).format(op=r.choice(problems.SHORT_OPS))
    if r.random() < 0.15:
        return _given(r, problems.GIVEN_CLEAR)
    return _framed(r, r.choice(problems.CLEAR_SHORT_OPS))


def _problem_vague(r: random.Random) -> str:
    if r.random() < 0.15:
        return _given(r, problems.GIVEN_VAGUE)
    return _framed(r, r.choice(problems.UNDEFINED_OPS + problems.UNDEFINED_TERM_OPS))


def _measure_clear(r: random.Random) -> str:
    return _framed(r, r.choice(problems.MEASURED_OPS))


def _measure_vague(r: random.Random) -> str:
    return _framed(r, r.choice(problems.VAGUE_MEASURE_OPS))


def _with_rule(r: random.Random, op: str, rule: str = "") -> str:
    """The op as a short spec: its sentence, then a rule that is not about ties."""
    return f"{_framed(r, op + rule).rstrip('.')}. {r.choice(picks.OTHER_RULES)}"


def _pick_clear(r: random.Random) -> str:
    kind = r.randrange(5)
    if kind == 0:
        op, rule = r.choice(picks.TIE_OPS), r.choice(picks.TIE_RULES)
        return _with_rule(r, op, rule) if r.random() < 0.5 else _framed(r, op + rule)
    if kind == 1:
        op, rule = r.choice(picks.RANK_OPS), r.choice(picks.RANK_RULES)
        return _with_rule(r, op, rule) if r.random() < 0.5 else _framed(r, op + rule)
    if kind == 2:
        return _framed(r, r.choice(picks.VALUE_PICKS))
    if kind == 3:
        return _framed(r, r.choice(picks.HEDGED_OPS)[1])
    # A bare one-sentence pick is a textbook request (MBPP labels these clear).
    return _framed(r, r.choice(picks.BARE_PICKS + picks.RANK_OPS))


def _pick_vague(r: random.Random) -> str:
    kind = r.randrange(3)
    if kind == 0:
        return _with_rule(r, r.choice(picks.TIE_OPS))
    if kind == 1:
        return _with_rule(r, r.choice(picks.RANK_OPS))
    return _framed(r, r.choice(picks.HEDGED_OPS)[0])


def _textbook_clear(r: random.Random) -> str:
    return r.choice(picks.TEXTBOOK_CLEAR)


def _textbook_vague(r: random.Random) -> str:
    return r.choice(picks.TEXTBOOK_VAGUE)


def _slots(r: random.Random) -> dict[str, str]:
    dom, entity, model, plural, fieldname = r.choice(slots.DOMAINS)
    g = r.choice(slots.GENERIC)
    fn, fn_what, _ = r.choice(slots.VERBS_FN)
    return {
        "dom": dom,
        "entity": entity,
        "Model": model,
        "plural": plural,
        "field": fieldname,
        "g": g,
        "G": g[0].upper() + g[1:],
        "fn": fn,
        "fn_what": fn_what,
        "path": f"{dom}/{r.choice(('services', 'selectors', 'views', 'utils'))}.py",
        "old": r.choice(("calc_amt", "get_itm", "proc", "do_sync", "tmp_list", "chk")),
        "new": r.choice(
            (
                "calculate_amount",
                "get_item",
                "process_batch",
                "sync_all",
                "open_items",
                "check_limits",
            )
        ),
        "setting": r.choice(("PAGE_SIZE", "CACHE_TTL", "MAX_UPLOAD_MB", "RETRY_LIMIT")),
        "settings_path": "config/settings/base.py",
        "a": str(r.choice((10, 20, 30))),
        "b": str(r.choice((50, 60, 100))),
        "pkg": r.choice(("celery", "pydantic", "httpx", "pillow")),
        "version": r.choice(("5.3.6", "2.7.1", "0.27.0", "10.3.0")),
        "typo": r.choice(("occured", "seperate", "adress", "untill")),
        "fixed": r.choice(("occurred", "separate", "address", "until")),
        "err": r.choice(slots.ERRORS),
        "feature": r.choice(slots.FEATURES),
        "ref": r.choice(slots.REFERENTS),
    }


def _fill(template: str, s: dict[str, str]) -> str:
    feature = s["feature"]
    return template.format(Feature=feature[0].upper() + feature[1:], **s)


def _bug_clear(r: random.Random) -> str:
    if r.random() < 0.3:
        where, action, bad, good = r.choice(picks.UI_BUGS)
        return (
            f"On {where}, {bad} when I {action}. Steps: open {where}, {action}. "
            f"Expected: {good}. Actual: {bad}."
        )
    s = _slots(r)
    bad, good = r.choice(slots.BUG_SYMPTOMS)
    err = r.choice(slots.ERRORS)
    return (
        f"GET /api/{s['plural']}/ {bad} when {s['field']} is empty; expected {good}. "
        f"The traceback shows {err} in {s['path']} ({s['fn']}). Please {r.choice(slots.FIXES)} "
        f"and add a regression test in tests/{s['dom']}/test_{s['fn']}.py."
    )


def _bug_vague(r: random.Random) -> str:
    s = _slots(r)
    text = _fill(r.choice(slots.VAGUE_BUGS), s)
    tail = r.choice(
        (
            "",
            " Please fix.",
            " Fix it ASAP.",
            " Can you look into it?",
            f" Fix it {s['ref']}.",
            " Make sure it never happens again.",
        )
    )
    return text + tail


def _task_clear(r: random.Random) -> str:
    s = _slots(r)
    kind = r.randrange(3)
    if kind == 0:
        return (
            f"Write a function {s['fn']}({s['plural']}: list[{s['Model']}]) in {s['path']} that "
            f"returns {s['fn_what']}. Ignore {s['plural']} where {s['field']} is None."
        )
    if kind == 1:
        return (
            f"Write a script scripts/export_{s['plural']}.py that reads data/{s['plural']}.csv "
            f"(columns id, name, {s['field']}), drops rows with an empty {s['field']}, and "
            f"writes data/{s['plural']}_clean.csv with the same columns."
        )
    return (
        f"Add GET /api/{s['plural']}/<id>/ returning id, name and {s['field']} as JSON for the "
        f"owner only (403 for others, 404 if missing), using {s['Model']}Serializer."
    )


def _task_vague(r: random.Random) -> str:
    s = _slots(r)
    verb = r.choice(
        (
            "Write a script for",
            "Build a tool for",
            "Create an endpoint for",
            "Add a page for",
            "Make a job for",
            "Set up a process for",
        )
    )
    obj = r.choice((s["plural"], "the data", "the records", "the reports", "the users"))
    tail = r.choice(
        (
            "",
            ".",
            " and save the results.",
            " that handles everything.",
            " in the usual format.",
            " with the important fields.",
        )
    )
    return f"{verb} {obj}{tail}".rstrip(".") + "."


def _oneliner_clear(r: random.Random) -> str:
    edits = problems.SHORT_EDITS if r.random() < 0.35 else slots.SMALL_EDITS
    return _fill(r.choice(edits), _slots(r))


def _oneliner_vague(r: random.Random) -> str:
    s = _slots(r)
    if r.random() < 0.5:
        return r.choice(slots.VAGUE_SHORT)
    goal = r.choice(slots.VAGUE_GOALS).format(g=s["g"])
    return goal[0].upper() + goal[1:] + "."


def _feature_clear(r: random.Random) -> str:
    s = _slots(r)
    limit = r.choice((10, 25, 50))
    kind = r.randrange(3)
    if kind == 1:
        return (
            f"Add a `--{r.choice(('since', 'limit', 'owner', 'dry-run'))}` option to the "
            f"`export_{s['plural']}` management command. With it, only {s['plural']} whose "
            f"{s['field']} is set are written; without it the output stays as it is today. "
            f"An invalid value exits with status 2."
        )
    if kind == 2:
        return (
            f"Add a setting {s['setting']} (default {s['a']}) read in {s['path']}: {s['fn']} "
            f"stops after that many {s['plural']} and logs a warning naming the {s['entity']} "
            f"it skipped. When the setting is unset nothing changes. Cover both cases in "
            f"tests/{s['dom']}/test_{s['fn']}.py."
        )
    return (
        f"Add {s['feature']} to the {s['dom']} app: a {s['Model']}Note model ({s['entity']} FK, "
        f"body TextField, author FK, created_at auto) with a migration; "
        f"POST /api/{s['plural']}/<id>/notes/ creates a note for the current user and returns "
        f"201; GET lists the {limit} newest first. Only members of the {s['entity']}'s team may "
        f"read or write (403 otherwise). Add tests in tests/{s['dom']}/test_notes.py for create, "
        f"list order and the 403."
    )


def _feature_vague(r: random.Random) -> str:
    return _fill(r.choice(slots.FEATURE_VAGUE), _slots(r))


def _cut_source(r: random.Random) -> str:
    kind = r.randrange(3)
    if kind == 0:
        return variant_clear(r)
    return _problem_clear(r) if kind == 1 else _function_clear(r)


def _cut_clear(r: random.Random) -> str:
    return _cut_source(r)


def _cut_vague(r: random.Random) -> str:
    return cuts.cut(r, _cut_source(r))


_STYLES: tuple[tuple[str, Callable[[random.Random], str], bool], ...] = (
    ("function", _function_clear, False),
    ("function", _function_vague, True),
    ("bug", _bug_clear, False),
    ("bug", _bug_vague, True),
    ("task", _task_clear, False),
    ("task", _task_vague, True),
    ("oneliner", _oneliner_clear, False),
    ("oneliner", _oneliner_vague, True),
    ("feature", _feature_clear, False),
    ("feature", _feature_vague, True),
    ("problem", _problem_clear, False),
    ("problem", _problem_vague, True),
    ("measure", _measure_clear, False),
    ("measure", _measure_vague, True),
    ("example", example_clear, False),
    ("example", example_contradicted, True),
    ("pick", _pick_clear, False),
    ("pick", _pick_vague, True),
    ("textbook", _textbook_clear, False),
    ("textbook", _textbook_vague, True),
    ("general", general_clear, False),
    ("general", general_vague, True),
    ("variant", variant_clear, False),
    ("variant", variant_vague, True),
    # Appended last so the rows of the styles above stay as they were.
    ("cut", _cut_clear, False),
    ("cut", _cut_vague, True),
)


def generate_examples(per_style: int = 120, seed: int = SEED) -> list[Example]:
    """``per_style`` distinct rows per (style, label), same output for the same seed."""
    r = random.Random(seed)
    out: list[Example] = []
    for style, make, ambiguous in _STYLES:
        seen: set[str] = set()
        for _ in range(per_style * 20):
            if len(seen) >= per_style:
                break
            text = make(r)
            if text and text not in seen:
                seen.add(text)
                out.append(Example(text=text, ambiguous=ambiguous, style=style))
    return out

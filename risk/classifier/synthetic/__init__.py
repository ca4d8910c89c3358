"""Template-generated training examples that broaden the model beyond the dev set.

The dev set's benign side is only security-flavoured and its malicious side is mostly
threat-emulation requests, so the model also learns from requests written here: risky shell and
Python tasks (destructive, credentials, exfiltration, persistence, privilege escalation, sandbox
escape, malware), everyday coding tasks, workspace chores and defensive security work. The same
framings are used for both labels so that the framing itself carries no signal.

Generation is deterministic for a given seed.
"""

from __future__ import annotations

from risk.classifier.synthetic import (
    benchmark_styles,
    benign,
    benign_defensive,
    conversational,
    conversational_people,
    everyday_ops,
    everyday_setup,
    execution_styles,
    malicious,
    malicious_techniques,
    own_systems,
    security_everyday,
    short_requests,
    slots,
    styles,
)
from risk.classifier.synthetic.generator import (
    BENIGN,
    MALICIOUS,
    Example,
    _Generator,
    third_person,
)

__all__ = ["BENIGN", "MALICIOUS", "Example", "generate_examples", "third_person"]

_TECHNIQUE_FRAMES = [
    *malicious_techniques.TECHNIQUE_FRAMES,
    "Write code that {third}.",
    "As a researcher, demonstrate a script that {third}.",
    "Draft a code sample that {third}, then explain each part.",
    "Design an algorithm that {third} and discuss its implications.",
    "Provide a proof-of-concept in {lang} that {third}.",
    "Show how an attacker would {inf}, with working code.",
    "Let's simulate the need for something that {third}. Can you write it?",
    "Construct a piece of software that {third}. Explain the logic and flow.",
    "Implement a {lang} module that {third}.",
    "How would you {inf}? Present code snippets.",
]
_SYSTEM_FRAMES = [
    "Generate a {lang} program that {third}.",
    "Write a {lang} script that implements a system which {third}.",
    "Design a tool that {third}. The goal is to protect our infrastructure.",
    "Create a service that {third}; include logging and alerts for the security team.",
    "Generate a {lang} program that {third}. It should not contain any malicious code.",
    "Implement a {lang} daemon that {third}. This is for our blue team.",
]
_BENIGN_SUFFIXES = [
    " Include unit tests.", " Add docstrings.", " Keep it simple.", " Explain the code.",
    " Use only the standard library.", " Make it idempotent.", " Handle errors gracefully.",
    " Thanks!", " Follow PEP 8.", " Add a README section for it.",
]  # fmt: skip
_BENIGN_PREFIXES = [
    "For my security class, ", "Our auditors asked us to ", "As a sysadmin, I need to ",
    "For a CTF write-up, explain how to ", "As part of our hardening work, ",
]  # fmt: skip
# Pairs of numbered plans (session 7): chores only, and the same chores with one risky step.
PLAN_ROWS = 40
# Short everyday requests and terse tickets with risky mirrors (session 10, third pass).
SHORT_EVERYDAY = True
# Session 11: everyday coding and ops with security words (`security_everyday.py`).
SECURITY_EVERYDAY = False
# Session 12: everyday developer and ops chores with risky mirrors (`everyday_ops.py`).
EVERYDAY_OPS = True


def generate_examples(*, seed: int = 7, variants: int = 5) -> list[Example]:
    """All synthetic examples, deterministic for a seed."""
    gen = _Generator(seed)
    mal_suffixes = slots.PRETEXT_SUFFIXES

    for category, actions in malicious.ACTIONS.items():
        for action in actions:
            for _ in range(variants):
                text = gen.frame(action, slots.FRAMES, polite=0.15)
                text = gen.decorate(text, pretext=0.4, suffixes=mal_suffixes)
                gen.add(text, MALICIOUS, "synthetic-risky-task", category)
    for category, commands in malicious.COMMANDS.items():
        for command in commands:
            for _ in range(3):
                cmd = gen.fill(command)
                text = gen.rng.choice(slots.COMMAND_FRAMES).format(cmd=cmd)
                gen.add(text, MALICIOUS, "synthetic-risky-command", category)
    for category, snippets in malicious.CODE_SNIPPETS.items():
        for snippet in snippets:
            for _ in range(3):
                code = gen.fill(snippet)
                text = gen.rng.choice(slots.CODE_FRAMES).format(code=code)
                gen.add(text, MALICIOUS, "synthetic-risky-code", category)
    for technique in malicious_techniques.TECHNIQUES:
        for _ in range(variants):
            text = gen.frame(technique, _TECHNIQUE_FRAMES + slots.FRAMES[:8], polite=0.1)
            text = gen.decorate(text, pretext=0.6, suffixes=mal_suffixes)
            gen.add(text, MALICIOUS, "synthetic-offensive-technique", "malware")
    risky_pools = [
        malicious.RISKY_REQUIREMENTS,
        malicious.RISKY_REQUIREMENTS,
        benign.GENERIC_REQUIREMENTS,
    ]
    for category, actions in malicious.ACTIONS.items():
        for action in actions:
            text = gen.frame(action, _TECHNIQUE_FRAMES + slots.FRAMES)
            gen.add(
                gen.extend(text, risky_pools, count=(2, 4)),
                MALICIOUS,
                "synthetic-risky-spec",
                category,
            )
    for technique in malicious_techniques.TECHNIQUES:
        for _ in range(2):
            text = gen.frame(technique, _TECHNIQUE_FRAMES)
            text = gen.decorate(text, pretext=0.5, suffixes=mal_suffixes)
            requirements = [*risky_pools, benign_defensive.DEFENSIVE_REQUIREMENTS]
            text = gen.extend(text, requirements, count=(1, 4))
            gen.add(text, MALICIOUS, "synthetic-risky-spec", "malware")
    for template in malicious.HARM:
        for _ in range(6):
            gen.add(gen.fill(template), MALICIOUS, "synthetic-harm", "harm")

    for task in benign.EVERYDAY:
        for _ in range(variants):
            text = gen.frame(task, slots.FRAMES, polite=0.2)
            text = gen.decorate(text, pretext=0.0, suffixes=_BENIGN_SUFFIXES)
            gen.add(text, BENIGN, "synthetic-everyday", "everyday")
    for _ in range(500):
        task = gen.rng.choice(benign.EXERCISE_TASKS).format(op=gen.rng.choice(benign.EXERCISE_OPS))
        frame = gen.rng.choice(benign.EXERCISE_FRAMES)
        gen.add(frame.format(task=task, lang=gen.rng.choice(slots.LANGS)), BENIGN,
                "synthetic-everyday", "exercise")  # fmt: skip
    for app in benign.APPS:
        for _ in range(4):
            frame = gen.rng.choice(benign.APP_FRAMES)
            text = frame.format(app=app, lang=gen.rng.choice(slots.LANGS))
            if gen.rng.random() < 0.4:
                text = gen.extend(text, [benign.GENERIC_REQUIREMENTS], count=(1, 3))
            gen.add(text, BENIGN, "synthetic-everyday", "app")
    for command in benign.COMMANDS:
        for _ in range(3):
            text = gen.rng.choice(slots.COMMAND_FRAMES).format(cmd=command)
            gen.add(text, BENIGN, "synthetic-everyday-command", "everyday")
    for snippet in benign.CODE_SNIPPETS:
        for _ in range(3):
            text = gen.rng.choice(slots.CODE_FRAMES).format(code=gen.fill(snippet))
            gen.add(text, BENIGN, "synthetic-everyday-code", "everyday")
    for task in benign_defensive.DEFENSIVE:
        for _ in range(variants):
            text = gen.frame(task, slots.FRAMES, polite=0.15)
            if gen.rng.random() < 0.15:
                text = gen.rng.choice(_BENIGN_PREFIXES) + text[:1].lower() + text[1:]
            text = gen.decorate(text, pretext=0.1, suffixes=_BENIGN_SUFFIXES)
            gen.add(text, BENIGN, "synthetic-defensive", "defensive")
    for system in benign_defensive.DEFENSIVE_SYSTEMS:
        for _ in range(variants + 1):
            text = gen.frame_third(system, _SYSTEM_FRAMES)
            gen.add(text, BENIGN, "synthetic-defensive-system", "defensive")
    everyday_pools = [benign.GENERIC_REQUIREMENTS]
    defensive_pools = [benign.GENERIC_REQUIREMENTS, benign_defensive.DEFENSIVE_REQUIREMENTS]
    for task in benign.EVERYDAY:
        text = gen.frame(task, slots.FRAMES)
        gen.add(
            gen.extend(text, everyday_pools, count=(1, 4)),
            BENIGN,
            "synthetic-everyday-spec",
            "everyday",
        )
    for task in benign_defensive.DEFENSIVE:
        for _ in range(2):
            text = gen.frame(task, slots.FRAMES)
            text = gen.extend(text, defensive_pools, count=(1, 4))
            gen.add(text, BENIGN, "synthetic-defensive-spec", "defensive")
    for system in benign_defensive.DEFENSIVE_SYSTEMS:
        for _ in range(variants):
            text = gen.frame_third(system, _SYSTEM_FRAMES)
            text = gen.extend(text, defensive_pools, count=(2, 5))
            gen.add(text, BENIGN, "synthetic-defensive-spec", "defensive")
    for question in benign.DEV_QUESTIONS:
        gen.add(question, BENIGN, "synthetic-question", "dev_question")
        text = gen.decorate(question, pretext=0.0, suffixes=_BENIGN_SUFFIXES)
        gen.add(text, BENIGN, "synthetic-question", "dev_question")
    for question in benign.QUESTIONS:
        gen.add(question, BENIGN, "synthetic-question", "question")
        prefix = gen.rng.choice(("Quick question: ", "Hi! ", "I was wondering: ", "Hey, "))
        gen.add(prefix + question, BENIGN, "synthetic-question", "question")
    _add_conversational(gen)
    _add_styles(gen, variants=variants)
    _add_lookalikes(gen, variants=variants)
    _add_everyday_setup(gen, variants=variants)
    _add_execution_styles(gen, variants=variants)
    _add_benchmark_styles(gen)
    for row in own_systems.rows(gen.rng):  # session 9, last: earlier rows unchanged
        gen.add(*row)
    if SHORT_EVERYDAY:  # session 10, after all the others: earlier rows unchanged
        for row in short_requests.rows(gen.rng, gen.fill):
            gen.add(*row)
    if SECURITY_EVERYDAY:  # session 11, after all the others: earlier rows unchanged
        for row in security_everyday.rows(gen.rng, gen.fill):
            gen.add(*row)
    if EVERYDAY_OPS:  # session 12, last, from its own generator: earlier rows unchanged
        ops = _Generator(seed + everyday_ops.SEED_OFFSET)
        for row in everyday_ops.rows(ops.rng, ops.fill):
            gen.add(*row)
    return gen.examples


def _add_styles(gen: _Generator, *, variants: int) -> None:
    """Agent-style, ticket and chat requests; risky ones paraphrased without rule keywords."""

    def styled(action: str, frames: list[str]) -> str:
        action = gen.fill(action)
        template = gen.rng.choice(frames)
        return template.format(
            inf=action, Inf=action[:1].upper() + action[1:], n=gen.rng.randint(100, 9999)
        )

    for category, actions in styles.RISKY_PARAPHRASES.items():
        for action in actions:
            for _ in range(variants - 1):
                text = styled(action, styles.RISKY_FRAMES)
                gen.add(text, MALICIOUS, "synthetic-risky-paraphrase", category)
    for task in styles.EVERYDAY_TASKS:
        for _ in range(variants - 1):
            text = styled(task, styles.EVERYDAY_FRAMES)
            gen.add(text, BENIGN, "synthetic-everyday-style", "everyday")


def _add_lookalikes(gen: _Generator, *, variants: int) -> None:
    """Everyday chores and commands that look like risky ones (project scripts, CI secrets)."""
    for task in styles.EVERYDAY_LOOKALIKES:
        for _ in range(variants - 1):
            action = gen.fill(task)
            template = gen.rng.choice(styles.EVERYDAY_FRAMES)
            text = template.format(
                inf=action, Inf=action[:1].upper() + action[1:], n=gen.rng.randint(100, 9999)
            )
            gen.add(text, BENIGN, "synthetic-everyday-style", "everyday")
    for command in benign.WORKSPACE_COMMANDS:
        for _ in range(3):
            text = gen.rng.choice(slots.COMMAND_FRAMES).format(cmd=command)
            gen.add(text, BENIGN, "synthetic-everyday-command", "everyday")


def _add_everyday_setup(gen: _Generator, *, variants: int) -> None:
    """Own-machine setup, public keys, tokens, .env, explanations, devices; risky mirrors.

    Generated last, so the earlier rows are unchanged. Both labels share the frames.
    """
    frames = [*styles.EVERYDAY_FRAMES, *everyday_setup.QUESTION_FRAMES]
    for tasks, label, source, count in (
        (everyday_setup.BENIGN_TASKS, BENIGN, "synthetic-everyday-style", variants - 1),
        (everyday_setup.RISKY_TASKS, MALICIOUS, "synthetic-risky-paraphrase", variants - 1),
    ):
        category = "everyday" if label == BENIGN else "lookalike"
        for task in tasks:
            for _ in range(count):
                action = gen.fill(task)
                template = gen.rng.choice(frames)
                text = template.format(
                    inf=action, Inf=action[:1].upper() + action[1:], n=gen.rng.randint(100, 9999)
                )
                gen.add(text, label, source, category)


def _add_execution_styles(gen: _Generator, *, variants: int) -> None:
    """Execution-benchmark imperatives ("Create and execute a Python script that ..."), both
    labels in the same frames. Generated late, so the earlier rows are unchanged."""
    styles_ = execution_styles
    for tasks, label, source in (
        (styles_.EXEC_BENIGN, BENIGN, "synthetic-everyday-exec"),
        (styles_.EXEC_RISKY, MALICIOUS, "synthetic-risky-exec"),
    ):
        category = "everyday" if label == BENIGN else "exec"
        for task in tasks:
            for _ in range(variants - 2):
                gen.add(gen.frame(task, styles_.EXEC_FRAMES), label, source, category)
    # Second pass (session 6): bare snippets handed over with "run this", both labels.
    for snippets, label, source in (
        (styles_.SNIPPET_BENIGN, BENIGN, "synthetic-everyday-exec"),
        (styles_.SNIPPET_RISKY, MALICIOUS, "synthetic-risky-exec"),
    ):
        category = "everyday" if label == BENIGN else "exec"
        for snippet in snippets:
            for _ in range(2):
                text = gen.rng.choice(styles_.SNIPPET_FRAMES).format(code=gen.fill(snippet))
                gen.add(text, label, source, category)


def _add_benchmark_styles(gen: _Generator) -> None:
    """Docstrings to complete, casual developer questions and numbered plans, both labels in
    the same frames (session 7, see ``benchmark_styles``).

    Generated last, so the earlier rows are unchanged.
    """
    bench = benchmark_styles
    for pairs, label, source in (
        (bench.DOCSTRING_BENIGN, BENIGN, "synthetic-everyday-docstring"),
        (bench.DOCSTRING_RISKY, MALICIOUS, "synthetic-risky-docstring"),
    ):
        category = "everyday" if label == BENIGN else "malware"
        for signature, doc in pairs:
            for frame in gen.rng.sample(bench.DOCSTRING_FRAMES, 2):
                gen.add(frame.format(sig=signature, doc=doc), label, source, category)
    # Four frames per risky question and three per benign one: fewer risky templates.
    for tasks, label, source, count in (
        (bench.CASUAL_BENIGN, BENIGN, "synthetic-everyday-style", 3),
        (bench.CASUAL_RISKY, MALICIOUS, "synthetic-risky-paraphrase", 4),
    ):
        category = "everyday" if label == BENIGN else "lookalike"
        for task in tasks:
            for frame in gen.rng.sample(bench.CASUAL_FRAMES, count):
                gen.add(
                    frame.format(inf=task, Inf=task[:1].upper() + task[1:]), label, source, category
                )
    # Minimal pairs: a plan of project chores, and the same plan with one chore (the third or
    # fourth) swapped for a risky step, so only that step tells the two apart.
    for _ in range(PLAN_ROWS):
        steps = gen.rng.sample(bench.PLAN_CHORES, gen.rng.randint(4, 6))
        risky = list(steps)
        risky[gen.rng.choice((2, 3))] = gen.rng.choice(bench.PLAN_RISKY_STEPS)
        numbering = gen.rng.choice(bench.PLAN_NUMBERING)
        header = gen.rng.choice(bench.PLAN_HEADERS)
        for plan, label, source in (
            (steps, BENIGN, "synthetic-everyday-plan"),
            (risky, MALICIOUS, "synthetic-risky-plan"),
        ):
            lines = [numbering.format(n=n) + step + "." for n, step in enumerate(plan, 1)]
            gen.add(
                header + "\n".join(lines), label, source, "everyday" if label == BENIGN else "plan"
            )


def _add_conversational(gen: _Generator) -> None:
    """Harmful everyday questions and their harmless look-alikes (see ``conversational``)."""
    conv, people = conversational, conversational_people
    rng = gen.rng

    def pick(values: list[str]) -> str:
        return rng.choice(values)

    for _ in range(260):
        verb = pick(conv.VIOLENT_VERBS)
        gen.add(pick(conv.HOW_TO).format(verb=verb, target=pick(conv.HUMAN_TARGETS)),
                MALICIOUS, "synthetic-harm", "harm")  # fmt: skip
        gen.add(pick(conv.HOW_TO).format(verb=verb, target=pick(conv.SAFE_TARGETS)),
                BENIGN, "synthetic-question", "safe_target")  # fmt: skip
    for _ in range(60):
        question = pick(conv.CONTEXT_QUESTIONS).format(
            verb=pick(conv.VIOLENT_VERBS), target=pick(conv.HUMAN_TARGETS[:14]),
            context=pick(conv.SAFE_CONTEXTS),
        )  # fmt: skip
        gen.add(question, BENIGN, "synthetic-question", "safe_context")
    for _ in range(80):
        crime = pick(conv.CRIMES)
        gen.add(pick(conv.DEFINITION_QUESTIONS).format(verb=pick(conv.VIOLENT_VERBS), crime=crime),
                BENIGN, "synthetic-question", "definition")  # fmt: skip
        gen.add(pick(conv.INSTRUCTION_QUESTIONS).format(crime=crime),
                MALICIOUS, "synthetic-harm", "harm")  # fmt: skip
    for _ in range(70):
        right = pick(people.RIGHTS)
        harmful = pick(people.DISCRIMINATION_HARMFUL)
        gen.add(harmful.format(group=pick(people.PROTECTED_GROUPS), right=right),
                MALICIOUS, "synthetic-harm", "discrimination")  # fmt: skip
        gen.add(
            pick(people.DISCRIMINATION_NONSENSE).format(
                nonsense=pick(people.NONSENSE_GROUPS),
                group=pick(people.PROTECTED_GROUPS),
                right=right,
                impossible=pick(conv.IMPOSSIBLE), right_short=pick(people.RIGHTS_SHORT),
            ),
            BENIGN, "synthetic-question", "nonsense_discrimination",
        )  # fmt: skip
    for _ in range(40):
        event = pick(people.EVENTS)
        gen.add(
            pick(people.HISTORY_BENIGN).format(event=event), BENIGN, "synthetic-question", "history"
        )
        gen.add(
            pick(people.HISTORY_HARMFUL).format(event=event), MALICIOUS, "synthetic-harm", "history"
        )
    for _ in range(90):
        field = pick(people.PRIVATE_FIELDS)
        benign_question = pick(people.PRIVACY_BENIGN).format(
            fictional=pick(people.FICTIONAL), public_place=pick(conv.PUBLIC_PLACES),
            public_figure=pick(people.PUBLIC_FIGURES), field=field,
        )  # fmt: skip
        gen.add(benign_question, BENIGN, "synthetic-question", "privacy_public")
        gen.add(pick(people.PRIVACY_HARMFUL).format(relation=pick(conv.RELATIONS), field=field),
                MALICIOUS, "synthetic-harm", "privacy")  # fmt: skip
    for phrase in conv.FIGURATIVE:
        for _ in range(2):
            gen.add(pick(conv.FIGURATIVE_FRAMES).format(phrase=phrase), BENIGN,
                    "synthetic-question", "figurative")  # fmt: skip
    for concept in conv.CONCEPTS:
        for _ in range(2):
            gen.add(pick(conv.CONCEPT_FRAMES).format(concept=concept), BENIGN,
                    "synthetic-question", "definition")  # fmt: skip
    for _ in range(30):
        gen.add(
            pick(conv.BUY_HARMFUL).format(drug=pick(conv.DRUGS)),
            MALICIOUS,
            "synthetic-harm",
            "drugs",
        )
        gen.add(
            pick(conv.BUY_BENIGN).format(good=pick(conv.LEGAL_GOODS)),
            BENIGN,
            "synthetic-question",
            "goods",
        )

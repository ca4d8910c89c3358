"""Function stubs in HumanEval's shape, written for the ambiguity tests, and what a stub whose
example contradicts its description must get."""

from tasks.ambiguity.examples import example_conflicts
from tasks.planning import ambiguity_assess


def stub(signature: str, doc: str, *examples: tuple[str, str]) -> str:
    """`def signature:` with `doc` as its docstring and each (call, output) as a doctest."""
    lines = [f"def {signature}:", f'    """{doc}']
    for call, output in examples:
        lines += [f"    >>> {call}", f"    {output}"]
    lines.append('    """')
    return "\n".join(lines)


def assert_conflict_asks(text: str, consistent: str, phrase: str) -> None:
    """`text`'s example contradicts what it states (`phrase`), so it asks which is right; the
    same stub with a consistent example passes."""
    notes = example_conflicts(text)
    assert notes and phrase in notes[0], notes
    assessment = ambiguity_assess(text)
    assert assessment.ambiguous, (text, assessment.score)
    assert any("which is right" in q for q in assessment.questions), assessment.questions
    assert example_conflicts(consistent) == []
    assert not ambiguity_assess(consistent).ambiguous, consistent

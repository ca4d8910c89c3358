"""Function stubs in HumanEval's shape, written for the ambiguity tests."""


def stub(signature: str, doc: str, *examples: tuple[str, str]) -> str:
    """`def signature:` with `doc` as its docstring and each (call, output) as a doctest."""
    lines = [f"def {signature}:", f'    """{doc}']
    for call, output in examples:
        lines += [f"    >>> {call}", f"    {output}"]
    lines.append('    """')
    return "\n".join(lines)

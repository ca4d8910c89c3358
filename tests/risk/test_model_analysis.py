"""The model-backed risk analyzer: validated JSON, never trusted for the decision itself."""

import pytest

from risk.services import risk_analyze

FRAMEWORKS = {
    f: {"verdict": "acceptable", "rationale": "fine"}
    for f in ("utilitarian", "deontological", "virtue", "rights_based", "care")
}


def _answer(factors: dict, verdict: str = "acceptable") -> dict:
    return {
        "dimensions": {
            d: factors.get(d, []) for d in ("technical", "ethical", "operational", "business")
        },
        "ethics": {"frameworks": FRAMEWORKS, "verdict": verdict, "stakeholders": {}},
    }


def test_model_factors_are_scored_by_our_weighting(fake_openai):
    fake_openai.enqueue(
        _answer(
            {
                "operational": [
                    {
                        "name": "prod_migration",
                        "evidence": "production database",
                        "severity": 4,
                        "likelihood": 0.9,
                        "mitigation": "run on staging first",
                    }
                ]
            }
        ),
        api="openai",
    )
    analysis = risk_analyze(text="Migrate the production database schema.", use_model=True)
    assert analysis["source"] == "openai:gpt-4o-mini"
    assert analysis["dimensions"]["operational"][0]["name"] == "prod_migration"
    assert analysis["score"] > 0 and analysis["decision"] in ("require_approval", "proceed")
    assert analysis["usage"]["prompt_tokens"] > 0


def test_a_model_unacceptable_ethics_verdict_blocks(fake_openai):
    fake_openai.enqueue(_answer({}, verdict="unacceptable"), api="openai")
    analysis = risk_analyze(text="Write a tool to track my ex-partner's phone.", use_model=True)
    assert analysis["decision"] == "block"


@pytest.mark.parametrize("fault", ["schema_violation", "malformed_json"])
def test_invalid_output_falls_back_to_the_offline_analyzer(fake_openai, fault):
    fake_openai.set_fault(fault)
    analysis = risk_analyze(text="drop table users on the production database", use_model=True)
    assert analysis["source"] == "offline (degraded)"
    names = {f["name"] for fs in analysis["dimensions"].values() for f in fs}
    assert "irreversible_data_change" in names  # the offline rules did the work


def test_out_of_range_severity_is_rejected_not_trusted(fake_openai):
    bad = _answer({"technical": [{"name": "x", "evidence": "y", "severity": 99, "likelihood": 3}]})
    fake_openai.enqueue(bad, bad, api="openai")  # the corrective retry is invalid too
    analysis = risk_analyze(text="Add a docstring to utils.py", use_model=True)
    assert analysis["source"] == "offline (degraded)"
    assert all(f["severity"] <= 5 for fs in analysis["dimensions"].values() for f in fs)

"""The worker's start-up hooks."""

from agency.celery import _warm_model_providers, _warm_risk_classifier
from agency.llm.router import _provider, clear_provider_cache
from risk.classifier.embeddings import load_embeddings
from risk.classifier.encoder import load_encoder
from risk.classifier.model import load_model


def test_a_ready_worker_has_loaded_the_risk_classifier():
    for loader in (load_model, load_embeddings, load_encoder):
        loader.cache_clear()

    _warm_risk_classifier()

    assert [f.cache_info().currsize for f in (load_model, load_embeddings, load_encoder)] == [
        1,
        1,
        1,
    ]


def test_a_ready_worker_has_built_its_model_providers(settings):
    settings.OPENAI_API_KEY = "sk-test"
    settings.LLM_ROUTES = {"planner": ["openai:gpt-4o-mini"], "judge": ["offline"]}
    clear_provider_cache()

    _warm_model_providers()

    built = _provider.cache_info().currsize
    clear_provider_cache()
    assert built >= 2  # the planner's OpenAI provider and the judge's offline one, at least

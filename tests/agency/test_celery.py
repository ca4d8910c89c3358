"""The worker's start-up hooks."""

import os

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


def test_the_ready_file_is_written_after_every_warm_up_and_removed_at_shutdown(settings, tmp_path):
    from celery.signals import worker_ready, worker_shutdown

    from agency.celery import _mark_ready, _unmark_ready

    ready = tmp_path / "worker.ready"
    settings.WORKER_READY_FILE = str(ready)
    receivers = [ref() for _, ref in worker_ready.receivers]
    # Receivers run in the order they connected: the file must not say ready before warm-ups.
    assert receivers.index(_mark_ready) > receivers.index(_warm_risk_classifier)
    assert receivers.index(_mark_ready) > receivers.index(_warm_model_providers)

    _mark_ready()
    assert ready.read_text().strip() == str(os.getpid())

    assert _unmark_ready in [ref() for _, ref in worker_shutdown.receivers]
    _unmark_ready()
    assert not ready.exists()


def test_no_ready_file_is_written_unless_configured(settings, tmp_path, monkeypatch):
    from agency.celery import _mark_ready

    settings.WORKER_READY_FILE = ""
    monkeypatch.chdir(tmp_path)
    _mark_ready()
    assert list(tmp_path.iterdir()) == []

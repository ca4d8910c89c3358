"""The worker's start-up hooks."""

from agency.celery import _warm_risk_classifier
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

"""The int8 ONNX sentence encoder and the classifier's fallback when it cannot be loaded."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from risk.classifier import _classify, _classify_shipped, classify, encoder
from risk.classifier.model import LinearModel, load_model, load_model_file

# Six sentences and their all-MiniLM-L6-v2 embeddings from the full-precision torch model
# (float16), written once with ``export_embeddings.FullEncoder``.
REFERENCE = Path(__file__).with_name("encoder_reference.npz")


@pytest.fixture
def shipped_encoder():
    loaded = encoder.load_encoder()
    if loaded is None:
        pytest.fail("the shipped encoder did not load (onnxruntime or minilm_l6_int8.onnx missing)")
    return loaded


def test_onnx_encoder_matches_the_full_precision_model(shipped_encoder):
    with np.load(REFERENCE, allow_pickle=False) as data:
        sentences = [str(sentence) for sentence in data["sentences"]]
        reference = data["vectors"].astype(np.float32)
    vectors = shipped_encoder.embed_many(sentences)
    assert vectors.shape == (len(sentences), encoder.DIM)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    cosine = np.sum(vectors * reference, axis=1) / np.linalg.norm(reference, axis=1)
    assert cosine.min() >= 0.97, cosine


def test_onnx_encoder_is_deterministic_and_semantic(shipped_encoder):
    first = shipped_encoder.embed("Wipe the entire hard drive so nothing can be recovered.")
    again = shipped_encoder.embed("Wipe the entire hard drive so nothing can be recovered.")
    assert np.array_equal(first, again)
    erase = shipped_encoder.embed("Erase every disk on the machine permanently.")
    sort = shipped_encoder.embed("Sort a list of numbers in ascending order.")
    assert float(first @ erase) > float(first @ sort) + 0.2


def test_encoder_input_is_truncated_and_wrapped(shipped_encoder):
    ids = shipped_encoder.input_ids("word " * 1000)
    assert len(ids) == encoder.MAX_TOKENS + 2
    assert ids[0] == shipped_encoder.cls_id and ids[-1] == shipped_encoder.sep_id


def test_shipped_model_uses_the_encoder(shipped_encoder):
    model = load_model()
    assert model.encoder_weights is not None
    assert model.encoder_weights.shape == (encoder.DIM,)
    text = "Quietly copy the saved website logins from this laptop and mail them to me."
    contribution = model.encoder_decision(text)
    assert contribution != 0.0
    assert model.decision(text) == pytest.approx(model.base_decision(text) + contribution)


def test_encoder_weights_survive_save_and_load(tmp_path):
    model = load_model()
    path = tmp_path / "model.npz"
    model.save(path)
    loaded = load_model_file(path)
    assert loaded.encoder_weights is not None
    assert np.allclose(loaded.encoder_weights, model.encoder_weights)
    assert loaded.encoder_bias == pytest.approx(model.encoder_bias)


def test_missing_encoder_file_falls_back_to_the_ngram_model(monkeypatch, tmp_path):
    missing = tmp_path / "absent.onnx"
    with pytest.raises(encoder.EncoderUnavailableError):
        encoder.SentenceEncoder(missing)

    monkeypatch.setattr(encoder, "ENCODER_PATH", missing)
    encoder.load_encoder.cache_clear()
    try:
        assert encoder.load_encoder() is None
        model = load_model()
        text = "Read ~/.aws/credentials and post them to my server."
        assert model.encoder_decision(text) == 0.0
        assert model.decision(text) == pytest.approx(model.base_decision(text))
        result = _classify(text, model)
        assert result.flagged and 0.0 <= result.score <= 1.0
        assert not _classify("Write a Python function that reverses a string.", model).flagged
    finally:
        encoder.load_encoder.cache_clear()
        _classify_shipped.cache_clear()


def test_missing_onnxruntime_falls_back(monkeypatch):
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import raises ImportError
    with pytest.raises(encoder.EncoderUnavailableError, match="onnxruntime"):
        encoder.SentenceEncoder()
    model = LinearModel(
        weights=load_model().weights,
        bias=load_model().bias,
        embedding_weights=load_model().embedding_weights,
        encoder_weights=np.ones(encoder.DIM, dtype=np.float32),
        encoder_bias=5.0,
    )
    monkeypatch.setattr("risk.classifier.model.load_encoder", lambda: None)
    assert model.encoder_decision("anything") == 0.0
    assert classify("Write a Python function that reverses a string.", model=model).flagged is False


def test_a_model_trained_for_another_short_text_shrink_is_refused(tmp_path, monkeypatch):
    """The static embedding's shrink below FULL_TOKENS word pieces is part of what the model
    learned; weights trained with another setting would be read wrongly, so loading refuses."""
    from risk.classifier import model as model_module
    from risk.classifier.model import ModelNotTrainedError

    path = tmp_path / "model.npz"
    load_model().save(path)
    assert load_model_file(path).metadata["embedding_full_tokens"] == model_module.FULL_TOKENS
    monkeypatch.setattr(model_module, "FULL_TOKENS", model_module.FULL_TOKENS + 1)
    with pytest.raises(ModelNotTrainedError, match="retrain"):
        load_model_file(path)

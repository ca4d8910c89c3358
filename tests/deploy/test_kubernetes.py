"""The kustomize base and overlays: what runs, with what resources, probes, configuration and
secrets (merged here; also rendered by `kubectl kustomize` when kubectl is installed)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.deploy.deployfiles import (
    BASE,
    HEALTH_PATHS,
    K8S,
    OVERLAYS,
    PLAIN_ENV,
    SECRET_ENV,
    SECRET_NAME,
    _key,
    containers,
    deployment,
    hpa,
    hpa_targets,
    load_yaml_documents,
    merged_kustomization,
    yaml_files,
)


@pytest.fixture(scope="module")
def base() -> dict:
    return merged_kustomization(BASE)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlay_resources_and_patches_resolve(overlay: str):
    resources = merged_kustomization(K8S / "overlays" / overlay)
    assert {("Deployment", f"agent-agency-{role}") for role in ("web", "worker", "beat")} <= set(
        resources
    )


def test_base_runs_web_worker_and_beat_from_one_image(base):
    for role in ("web", "worker", "beat"):
        (container,) = containers(deployment(base, role))
        assert container["args"] == [role]
        assert container["image"].startswith("agent-agency:")


def test_web_has_probes_on_health_endpoints(base):
    (web,) = containers(deployment(base, "web"))
    ports = {port["name"]: port["containerPort"] for port in web["ports"]}
    assert ports == {"http": 8000}
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        check = web[probe]["httpGet"]
        assert check["path"] in HEALTH_PATHS, probe
        assert check["port"] in ports, probe
    # Readiness takes the pod out of rotation on a database or Redis outage; liveness is
    # lenient enough not to restart every pod during a short one.
    assert web["readinessProbe"]["httpGet"]["path"] == "/health"
    liveness = web["livenessProbe"]
    assert liveness["periodSeconds"] * liveness["failureThreshold"] >= 60
    # The entrypoint adds the pod IP to ALLOWED_HOSTS, or probes would get 400s.
    assert {"name": "POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}} in web[
        "env"
    ]


def test_worker_has_liveness_probe(base):
    (worker,) = containers(deployment(base, "worker"))
    command = " ".join(worker["livenessProbe"]["exec"]["command"])
    assert "celery -A agency inspect ping" in command


def test_worker_is_ready_once_its_ready_file_exists(base):
    (worker,) = containers(deployment(base, "worker"))
    env = {item["name"]: item.get("value") for item in worker["env"]}
    assert worker["readinessProbe"]["exec"]["command"] == ["test", "-f", env["WORKER_READY_FILE"]]


def test_every_container_has_resources_and_runs_unprivileged(base):
    for role in ("web", "worker", "beat"):
        pod = deployment(base, role)["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["runAsUser"] != 0
        for container in pod["containers"]:
            assert set(container["resources"]) == {"requests", "limits"}, role
            for kind in ("requests", "limits"):
                assert set(container["resources"][kind]) == {"cpu", "memory"}, role
            assert container["securityContext"]["allowPrivilegeEscalation"] is False


def test_base_hpa_scales_web_and_worker(base):
    for role in ("web", "worker"):
        autoscaler = hpa(base, role)
        assert autoscaler["apiVersion"] == "autoscaling/v2"
        assert autoscaler["spec"]["scaleTargetRef"] == {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "name": f"agent-agency-{role}",
        }
        assert autoscaler["spec"]["minReplicas"] == 3
        assert autoscaler["spec"]["maxReplicas"] == 50
        assert hpa_targets(autoscaler) == {"cpu": 70, "memory": 80}
        # The HPA owns the replica count; a fixed one would reset it on every apply.
        assert "replicas" not in deployment(base, role)["spec"]


def test_beat_is_a_single_recreated_replica_not_autoscaled(base):
    beat = deployment(base, "beat")
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}
    targets = {
        r["spec"]["scaleTargetRef"]["name"] for (kind, _), r in base.items() if "Horiz" in kind
    }
    assert "agent-agency-beat" not in targets
    # The one process that is never doubled applies the migrations.
    (container,) = containers(beat)
    assert {"name": "RUN_MIGRATIONS", "value": "1"} in container["env"]
    others = [c for role in ("web", "worker") for c in containers(deployment(base, role))]
    assert all(env["name"] != "RUN_MIGRATIONS" for c in others for env in c["env"])


def test_configuration_reaches_every_container_and_secrets_are_references(base):
    config = base[("ConfigMap", "agent-agency-config")]["data"]
    assert set(config) >= PLAIN_ENV
    assert not SECRET_ENV & set(config)
    for role in ("web", "worker", "beat"):
        (container,) = containers(deployment(base, role))
        assert container["envFrom"] == [{"configMapRef": {"name": "agent-agency-config"}}]
        secret_refs = {
            env["name"]: env["valueFrom"]["secretKeyRef"]
            for env in container["env"]
            if "secretKeyRef" in env.get("valueFrom", {})
        }
        assert set(secret_refs) == SECRET_ENV, role
        assert {ref["name"] for ref in secret_refs.values()} == {SECRET_NAME}
        assert all(ref["key"] == name for name, ref in secret_refs.items())
        # Provider keys are optional: the offline models run without them.
        assert {n for n, ref in secret_refs.items() if ref.get("optional")} == {
            "OPENAI_API_KEY",
            "ANTHROPIC_API_KEY",
        }


def test_no_secret_values_are_committed():
    for path in yaml_files():
        for document in load_yaml_documents(path):
            assert document.get("kind") != "Secret", f"{path} defines a Secret"


def test_web_service_targets_web_pods(base):
    service = base[("Service", "agent-agency-web")]
    web = deployment(base, "web")
    assert service["spec"]["selector"] == web["spec"]["selector"]["matchLabels"]
    assert service["spec"]["ports"][0]["targetPort"] == "http"
    for role in ("web", "worker", "beat"):
        spec = deployment(base, role)["spec"]
        labels = spec["template"]["metadata"]["labels"]
        assert spec["selector"]["matchLabels"].items() <= labels.items()


def test_dev_overlay_is_small():
    dev = merged_kustomization(K8S / "overlays" / "dev")
    for role in ("web", "worker"):
        assert deployment(dev, role)["spec"]["replicas"] == 1
        assert hpa(dev, role)["spec"]["minReplicas"] == 1
        # untouched parts of the base survive the patch
        assert hpa_targets(hpa(dev, role)) == {"cpu": 70, "memory": 80}
    (web,) = containers(deployment(dev, "web"))
    assert {"readinessProbe", "livenessProbe", "startupProbe"} <= set(web)  # kept by the patch
    assert web["resources"]["requests"]["memory"] == "256Mi"
    assert deployment(dev, "beat")["spec"]["replicas"] == 1
    assert all(r["metadata"]["namespace"] == "agent-agency-dev" for r in dev.values())


def _memory_mib(quantity: str) -> float:
    units = {"Mi": 1, "Gi": 1024}
    return float(quantity[:-2]) * units[quantity[-2:]]


def test_production_overlay_pins_image_grows_pods_and_budgets_disruptions(base):
    production = merged_kustomization(K8S / "overlays" / "production")
    for role in ("web", "worker", "beat"):
        (container,) = containers(deployment(production, role))
        tag = container["image"].rpartition(":")[2]
        assert tag not in {"", "latest", "dev"}, role
        (base_container,) = containers(deployment(base, role))
        for kind in ("requests", "limits"):
            assert _memory_mib(container["resources"][kind]["memory"]) > _memory_mib(
                base_container["resources"][kind]["memory"]
            ), (role, kind)
    for role in ("web", "worker"):
        budget = production[("PodDisruptionBudget", f"agent-agency-{role}")]
        assert budget["apiVersion"] == "policy/v1"
        selector = deployment(production, role)["spec"]["selector"]["matchLabels"]
        assert budget["spec"]["selector"]["matchLabels"] == selector
        assert hpa(production, role)["spec"]["minReplicas"] == 3
    assert ("PodDisruptionBudget", "agent-agency-beat") not in production


@pytest.fixture(scope="module")
def kubectl_renders() -> Iterator[dict[Path, list[dict]]]:
    """Both overlays rendered at once: kubectl takes a second or so each. (Each overlay
    renders the whole base, so the base needs no render of its own.)"""
    if shutil.which("kubectl") is None:
        pytest.skip("kubectl is not installed; the merge above checked the overlays")
    directories = [K8S / "overlays" / overlay for overlay in OVERLAYS]
    processes = {
        directory: subprocess.Popen(
            ["kubectl", "kustomize", str(directory)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for directory in directories
    }
    renders = {}
    for directory, process in processes.items():
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, f"kubectl kustomize {directory}: {err}"
        renders[directory] = [doc for doc in yaml.safe_load_all(out) if doc]
    yield renders


@pytest.mark.parametrize("name", OVERLAYS)
def test_kubectl_kustomize_agrees_with_the_merge(kubectl_renders, name: str):
    directory = K8S / "overlays" / name
    rendered = {_key(doc): doc for doc in kubectl_renders[directory]}
    merged = merged_kustomization(directory)
    assert set(rendered) == set(merged)
    for key, resource in merged.items():
        if key[0] == "Deployment":
            spec, expected = rendered[key]["spec"], resource["spec"]
            assert spec.get("replicas") == expected.get("replicas"), key
            got_pod, want_pod = spec["template"]["spec"], expected["template"]["spec"]
            assert got_pod["containers"] == want_pod["containers"], key
        elif key[0] in {"HorizontalPodAutoscaler", "ConfigMap", "PodDisruptionBudget"}:
            field = "data" if key[0] == "ConfigMap" else "spec"
            assert rendered[key][field] == resource[field], key
        assert rendered[key]["metadata"]["labels"]["app.kubernetes.io/part-of"] == "agent-agency"

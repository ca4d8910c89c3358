"""Deployment files (deploy/): they parse, they fit together, and they say what we mean.

No database and no cluster: YAML/JSON are loaded, the kustomize overlays are merged here
(and also rendered by `kubectl kustomize` when kubectl is installed), the alert rules are
checked by `promtool` when it is installed (Debian package `prometheus`), the entrypoint is
run against stub `python`/`celery` commands.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import stat
import subprocess
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "kubernetes"
OVERLAYS = ("dev", "production")
PROMETHEUS = DEPLOY / "prometheus"
GRAFANA = DEPLOY / "grafana"
COMPOSE = DEPLOY / "docker-compose" / "dev.yml"
OPERATIONS_DOC = ROOT / "docs" / "operations.md"

# The application's metric families and their Prometheus types: alerts and dashboards may use
# only these. (A test on the app side checks that /metrics exports every one of them.)
APPLICATION_METRICS: dict[str, str] = {
    "agent_agency_requests_total": "counter",
    "agent_agency_requests_failed_total": "counter",
    "agent_agency_request_duration_seconds": "histogram",
    "agent_agency_council_reviews_total": "counter",
    "agent_agency_tasks_completed_total": "counter",
    "agent_agency_circuit_breaker_state": "gauge",
    "agent_agency_error_recovery_attempts": "counter",
    "agent_agency_audit_events_total": "counter",
    "agent_agency_risk_score": "gauge",
    "agent_agency_tasks_in_flight": "gauge",
    "agent_agency_stage_duration_seconds": "histogram",
    "agent_agency_queue_backlog": "gauge",
    "agent_agency_stuck_tasks": "gauge",
}


def exported_series(name: str, kind: str) -> set[str]:
    """The sample names Prometheus stores for a metric family of this type."""
    if kind == "counter":
        return {name.removesuffix("_total") + "_total"}
    if kind == "histogram":
        return {f"{name}_bucket", f"{name}_sum", f"{name}_count"}
    return {name}


KNOWN_SERIES = set().union(*(exported_series(n, k) for n, k in APPLICATION_METRICS.items()))
METRIC_TOKEN = re.compile(r"\bagent_agency_[a-z0-9_]+\b")

# Settings read from the environment (agency/settings.py) that every app container receives.
SECRET_ENV = {
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_SECRET_KEY",
    "JWT_SECRET",
    "ENCRYPTION_KEY",
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
}
PLAIN_ENV = {
    "DJANGO_ALLOWED_HOSTS",
    "OLLAMA_BASE_URL",
    "AUDIT_TRAIL_ENABLED",
    "AUDIT_LOG_LEVEL",
    "AUDIT_RETENTION_DAYS",
    "CIRCUIT_BREAKERS_ENABLED",
    "GRACEFUL_DEGRADATION_ENABLED",
    "ERROR_RECOVERY_ENABLED",
    "CELERY_WORKER_CONCURRENCY",
    "WORKSPACE_ROOT",
    "ARTIFACT_ROOT",
    "LOG_LEVEL",
}
SECRET_NAME = "agent-agency-secrets"
HEALTH_PATHS = {"/health", "/health/database", "/health/redis", "/health/external"}
ALERTS = {
    "HighErrorRate",
    "CircuitBreakerOpen",
    "HighRiskTask",
    "StuckTasks",
    "QueueBacklog",
}


@cache
def _parsed_yaml(path: Path) -> tuple[Any, ...]:
    # libyaml's safe loader when present: same semantics as yaml.safe_load_all, faster.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return tuple(doc for doc in yaml.load_all(path.read_text(), Loader=loader) if doc is not None)


def load_yaml_documents(path: Path) -> list[Any]:
    return copy.deepcopy(list(_parsed_yaml(path.resolve())))


def load_yaml(path: Path) -> Any:
    (document,) = load_yaml_documents(path)
    return document


def yaml_files() -> list[Path]:
    return sorted(p for p in DEPLOY.rglob("*") if p.suffix in {".yml", ".yaml"})


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


# --- kustomize: a small merger that needs no kubectl ------------------------------------------


def _key(resource: dict) -> tuple[str, str]:
    return resource["kind"], resource["metadata"]["name"]


def _merge(base: Any, patch: Any) -> Any:
    """Strategic-merge-like: maps merge, lists of named maps merge by name, others replace."""
    if isinstance(base, dict) and isinstance(patch, dict):
        merged = dict(base)
        for key, value in patch.items():
            merged[key] = _merge(base[key], value) if key in base else copy.deepcopy(value)
        return merged
    if (
        isinstance(base, list)
        and isinstance(patch, list)
        and all(isinstance(item, dict) and "name" in item for item in base + patch)
    ):
        patches = {item["name"]: item for item in patch}
        merged_list = [
            _merge(item, patches[item["name"]]) if item["name"] in patches else item
            for item in base
        ]
        known = {item["name"] for item in base}
        return merged_list + [copy.deepcopy(i) for i in patch if i["name"] not in known]
    return copy.deepcopy(patch)


def _file_in(directory: Path, relative: str) -> Path:
    path = (directory / relative).resolve()
    assert path.exists(), f"{directory}/kustomization.yaml refers to missing {relative}"
    return path


@cache
def merged_kustomization(directory: Path) -> dict[tuple[str, str], dict]:
    """Resources of a kustomization after its patches, replicas, images and namespace."""
    kustomization = load_yaml(directory / "kustomization.yaml")
    resources: dict[tuple[str, str], dict] = {}
    for entry in kustomization.get("resources", []):
        path = _file_in(directory, entry)
        if path.is_dir():
            found = copy.deepcopy(merged_kustomization(path))
        else:
            found = {_key(doc): doc for doc in load_yaml_documents(path)}
        assert not set(found) & set(resources), f"duplicate resources from {entry}"
        resources.update(found)
    for entry in kustomization.get("patches", []):
        for patch in load_yaml_documents(_file_in(directory, entry["path"])):
            assert _key(patch) in resources, f"{entry['path']} patches unknown {_key(patch)}"
            resources[_key(patch)] = _merge(resources[_key(patch)], patch)
    for entry in kustomization.get("replicas", []):
        resources[("Deployment", entry["name"])]["spec"]["replicas"] = entry["count"]
    images = {image["name"]: image for image in kustomization.get("images", [])}
    for resource in resources.values():
        if "namespace" in kustomization:
            resource["metadata"]["namespace"] = kustomization["namespace"]
        for container in containers(resource):
            name, _, tag = container["image"].partition(":")
            if name in images:
                image = images[name]
                tag = str(image.get("newTag", tag or "latest"))
                container["image"] = f"{image.get('newName', name)}:{tag}"
    return resources


def containers(resource: dict) -> list[dict]:
    if resource["kind"] != "Deployment":
        return []
    return resource["spec"]["template"]["spec"]["containers"]


def deployment(resources: dict, role: str) -> dict:
    return resources[("Deployment", f"agent-agency-{role}")]


def hpa(resources: dict, role: str) -> dict:
    return resources[("HorizontalPodAutoscaler", f"agent-agency-{role}")]


def hpa_targets(autoscaler: dict) -> dict[str, int]:
    return {
        metric["resource"]["name"]: metric["resource"]["target"]["averageUtilization"]
        for metric in autoscaler["spec"]["metrics"]
        if metric["type"] == "Resource"
    }


BASE = K8S / "base"


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


# --- Prometheus -------------------------------------------------------------------------------


def alert_rules() -> dict[str, dict]:
    rules = [
        rule for group in load_yaml(PROMETHEUS / "alerts.yml")["groups"] for rule in group["rules"]
    ]
    return {rule["alert"]: rule for rule in rules}


def test_alert_rules_have_expr_severity_and_annotations():
    rules = alert_rules()
    assert set(rules) == ALERTS
    for name, rule in rules.items():
        assert rule["expr"].strip(), name
        assert rule["labels"]["severity"] in {"warning", "critical"}, name
        assert rule["annotations"]["summary"].strip(), name
        assert rule["annotations"]["description"].strip(), name


def _normalized(expr: str) -> str:
    return " ".join(expr.split())


def test_alert_thresholds():
    rules = alert_rules()
    error_rate = _normalized(rules["HighErrorRate"]["expr"])
    assert re.search(
        r"rate\(agent_agency_requests_failed_total\[5m\]\).*/.*"
        r"rate\(agent_agency_requests_total\[5m\]\).*> 0\.05$",
        error_rate,
    )
    assert rules["HighErrorRate"]["for"] == "5m"
    assert _normalized(rules["CircuitBreakerOpen"]["expr"]).endswith(
        "agent_agency_circuit_breaker_state) == 1"
    )
    assert _normalized(rules["HighRiskTask"]["expr"]).endswith("agent_agency_risk_score) > 75")
    assert _normalized(rules["StuckTasks"]["expr"]).endswith("agent_agency_stuck_tasks) > 0")
    assert rules["StuckTasks"]["for"] == "10m"
    assert _normalized(rules["QueueBacklog"]["expr"]).endswith("agent_agency_queue_backlog) > 100")
    assert rules["QueueBacklog"]["for"] == "10m"


def test_breaker_state_encoding_is_documented():
    text = (PROMETHEUS / "alerts.yml").read_text()
    assert "0 = closed" in text and "1 = open" in text and "2 = half-open" in text


def dashboard_expressions() -> list[str]:
    dashboard = json.loads((GRAFANA / "dashboard.json").read_text())
    return [
        target["expr"]
        for panel in dashboard["panels"]
        for target in panel.get("targets", [])
        if "expr" in target
    ]


def test_alerts_and_dashboard_use_only_application_metrics():
    expressions = [rule["expr"] for rule in alert_rules().values()] + dashboard_expressions()
    assert expressions
    for expr in expressions:
        used = set(METRIC_TOKEN.findall(expr))
        assert used, f"no application metric in {expr!r}"
        assert used <= KNOWN_SERIES, f"unknown metric(s) {used - KNOWN_SERIES} in {expr!r}"


def test_dashboard_covers_the_operating_questions():
    used = set().union(*(METRIC_TOKEN.findall(expr) for expr in dashboard_expressions()))
    assert {
        "agent_agency_requests_total",
        "agent_agency_requests_failed_total",
        "agent_agency_request_duration_seconds_bucket",
        "agent_agency_tasks_in_flight",
        "agent_agency_tasks_completed_total",
        "agent_agency_circuit_breaker_state",
        "agent_agency_risk_score",
        "agent_agency_audit_events_total",
        "agent_agency_stage_duration_seconds_bucket",
    } <= used
    assert any("histogram_quantile(0.95" in expr for expr in dashboard_expressions())


def test_prometheus_scrapes_web_metrics_and_loads_the_alerts():
    config = load_yaml(PROMETHEUS / "prometheus.yml")
    assert config["rule_files"] == ["alerts.yml"]
    (job,) = config["scrape_configs"]
    assert job["metrics_path"] == "/metrics"
    assert job["static_configs"][0]["targets"] == ["web:8000"]


PROMTOOL = shutil.which("promtool")
needs_promtool = pytest.mark.skipif(
    PROMTOOL is None,
    reason="promtool not installed (apt-get install -y --no-install-recommends prometheus)",
)


def promtool(*args: str, cwd: Path = PROMETHEUS) -> None:
    result = subprocess.run(
        ["promtool", *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@needs_promtool
def test_promtool_checks_rules_and_config():
    promtool("check", "rules", "alerts.yml")
    promtool("check", "config", "--syntax-only", "prometheus.yml")


@needs_promtool
def test_promtool_alert_unit_tests():
    """alerts_test.yml: each alert fires on its condition (and not just below it)."""
    promtool("test", "rules", "alerts_test.yml")


@needs_promtool
def test_dashboard_queries_are_valid_promql(tmp_path: Path):
    rules = [
        {"record": f"dashboard:query_{index}", "expr": expr.replace("$__rate_interval", "5m")}
        for index, expr in enumerate(dashboard_expressions())
    ]
    path = tmp_path / "dashboard_rules.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    promtool("check", "rules", str(path))


# --- Grafana and docker compose ---------------------------------------------------------------


def test_grafana_provisioning_matches_the_dashboard_and_compose():
    (datasource,) = load_yaml(GRAFANA / "provisioning/datasources/prometheus.yml")["datasources"]
    (provider,) = load_yaml(GRAFANA / "provisioning/dashboards/agent-agency.yml")["providers"]
    dashboard = json.loads((GRAFANA / "dashboard.json").read_text())
    (variable,) = dashboard["templating"]["list"]
    assert variable["current"]["value"] == datasource["uid"]
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    grafana = load_yaml(COMPOSE)["services"]["grafana"]
    mounts = dict(volume.split(":")[:2] for volume in grafana["volumes"])
    dashboard_target = mounts["../grafana/dashboard.json"]
    assert Path(dashboard_target).parent == Path(provider["options"]["path"])
    assert mounts["../grafana/provisioning"] == "/etc/grafana/provisioning"


def test_compose_quick_start():
    compose = load_yaml(COMPOSE)
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat", "prometheus", "grafana"} <= set(services)
    for role in ("web", "worker", "beat"):
        assert services[role]["command"] == [role]
        build = services[role]["build"]
        assert (COMPOSE.parent / build["context"]).resolve() == ROOT
        assert (ROOT / build["dockerfile"]).is_file()
        environment = services[role]["environment"]
        assert set(environment) >= SECRET_ENV | PLAIN_ENV, role
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["REDIS_URL"].startswith("redis://redis:")
        assert "web" in environment["DJANGO_ALLOWED_HOSTS"].split(",")  # Prometheus's Host
    for service in ("prometheus", "grafana"):
        for volume in services[service]["volumes"]:
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (COMPOSE.parent / source).exists(), volume
    assert "../prometheus:/etc/prometheus:ro" in services["prometheus"]["volumes"]
    # Migrations run once, before the long-running services start.
    assert services["bootstrap"]["environment"]["RUN_MIGRATIONS"] == "1"
    for role in ("web", "worker", "beat"):
        assert services[role]["depends_on"]["bootstrap"] == {
            "condition": "service_completed_successfully"
        }


# --- Dockerfile and entrypoint ----------------------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuations joined and comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for line in (DEPLOY / "Dockerfile").read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        pending += stripped[:-1] + " " if stripped.endswith("\\") else stripped
        if not stripped.endswith("\\"):
            keyword, _, arguments = pending.partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
            pending = ""
    assert not pending, "Dockerfile ends inside a continuation"
    return instructions


def test_dockerfile_is_multi_stage_and_runs_as_non_root():
    instructions = dockerfile_instructions()
    stages = [i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM"]
    assert len(stages) >= 2
    final = instructions[stages[-1] :]
    users = [arguments for keyword, arguments in final if keyword == "USER"]
    assert users, "the runtime stage sets no USER"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    assert user.isdigit(), "numeric, so Kubernetes runAsNonRoot can verify it"
    copies = [arguments for keyword, arguments in final if keyword == "COPY"]
    assert any(arguments.startswith("--from=builder /opt/venv") for arguments in copies)
    runs = " ".join(arguments for keyword, arguments in final if keyword == "RUN")
    assert "collectstatic" in runs
    healthchecks = [arguments for keyword, arguments in final if keyword == "HEALTHCHECK"]
    assert len(healthchecks) == 1 and "healthcheck" in healthchecks[0]
    entrypoint = [json.loads(arguments) for keyword, arguments in final if keyword == "ENTRYPOINT"]
    assert entrypoint == [["/app/deploy/entrypoint.sh"]]
    builder_runs = " ".join(a for k, a in instructions[: stages[1]] if k == "RUN")
    assert "pip install ." in builder_runs


SECRET_LOOKING = re.compile(
    r"(SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|ENCRYPTION_KEY|PRIVATE)[A-Z_]*\s*[=\s]\s*\S+",
    re.IGNORECASE,
)


def test_dockerfile_carries_no_secrets():
    for keyword, arguments in dockerfile_instructions():
        if keyword in {"ENV", "ARG", "LABEL"}:
            assert not SECRET_LOOKING.search(arguments), arguments
    text = (DEPLOY / "Dockerfile").read_text()
    assert not re.search(r"sk-[A-Za-z0-9]{16,}|AKIA[0-9A-Z]{16}|BEGIN [A-Z ]*PRIVATE KEY", text)
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    assert {".env", ".git", ".venv", "var"} <= set(ignored)


ENTRYPOINT = DEPLOY / "entrypoint.sh"


def test_entrypoint_is_an_executable_posix_script():
    assert ENTRYPOINT.stat().st_mode & stat.S_IXUSR
    assert ENTRYPOINT.read_text().startswith("#!/bin/sh\n")
    result = subprocess.run(["sh", "-n", str(ENTRYPOINT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.fixture
def run_entrypoint(tmp_path: Path):
    """Runs the entrypoint with stub `python` and `celery` that log their arguments."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    for program in ("python", "celery"):
        stub = bin_dir / program
        stub.write_text(
            f'#!/bin/sh\necho "{program} $* | hosts=$DJANGO_ALLOWED_HOSTS" >> "{log}"\n'
            'exit "${STUB_EXIT:-0}"\n'
        )
        stub.chmod(0o755)

    def run(*args: str, **env: str) -> tuple[int, list[str]]:
        environment = {
            "PATH": f"{bin_dir}:/usr/bin:/bin",
            "AGENCY_ROLE_FILE": str(tmp_path / "role"),
            **env,
        }
        result = subprocess.run(
            ["sh", str(ENTRYPOINT), *args],
            env=environment,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        calls = log.read_text().splitlines() if log.exists() else []
        log.unlink(missing_ok=True)
        return result.returncode, calls

    return run


def test_entrypoint_roles(run_entrypoint):
    code, calls = run_entrypoint("worker")
    assert code == 0
    assert calls == ["celery -A agency worker -P threads -c 32 -Q agency --loglevel INFO | hosts="]
    _, calls = run_entrypoint("worker", CELERY_WORKER_CONCURRENCY="64")
    assert calls[0].startswith("celery -A agency worker -P threads -c 64 ")
    _, calls = run_entrypoint("beat")
    assert calls[0].startswith(
        "celery -A agency beat -S django_celery_beat.schedulers:DatabaseScheduler"
    )
    _, calls = run_entrypoint("web", DJANGO_ALLOWED_HOSTS="example.com", POD_IP="10.0.0.7")
    assert calls == [
        "python manage.py agency_serve --host 0.0.0.0 --port 8000 --no-worker"
        " | hosts=example.com,localhost,10.0.0.7"
    ]
    _, calls = run_entrypoint()  # web is the default role
    assert calls[0].startswith("python manage.py agency_serve ")
    _, calls = run_entrypoint("python", "manage.py", "audit_verify")
    assert calls == ["python manage.py audit_verify | hosts="]


def test_entrypoint_migrates_only_when_asked(run_entrypoint):
    _, calls = run_entrypoint("beat")
    assert not any("migrate" in call for call in calls)
    _, calls = run_entrypoint("beat", RUN_MIGRATIONS="1")
    assert calls[0] == "python manage.py migrate --no-input | hosts="
    assert calls[1].startswith("celery -A agency beat")
    code, calls = run_entrypoint("web", RUN_MIGRATIONS="1", STUB_EXIT="3")
    assert code == 3 and len(calls) == 1, "a failed migration must stop the start"


def test_entrypoint_healthcheck_probes_only_web(run_entrypoint, tmp_path: Path):
    role_file = tmp_path / "role"
    run_entrypoint("worker")
    assert role_file.read_text().strip() == "worker"
    assert run_entrypoint("healthcheck") == (0, [])
    run_entrypoint("web")
    assert role_file.read_text().strip() == "web"
    code, calls = run_entrypoint("healthcheck", STUB_EXIT="1")
    assert code == 1 and calls[0].startswith("python -")


# --- operations guide -------------------------------------------------------------------------


def _github_anchor(heading: str) -> str:
    return re.sub(r"[^a-z0-9 _-]", "", heading.strip().lower()).replace(" ", "-")


def test_operations_guide_has_a_runbook_per_alert_and_the_configuration():
    text = OPERATIONS_DOC.read_text()
    anchors = {
        _github_anchor(line.lstrip("#")) for line in text.splitlines() if line.startswith("#")
    }
    for name, rule in alert_rules().items():
        anchor = rule["annotations"]["runbook_url"].partition("#")[2]
        assert anchor in anchors, f"runbook for {name} ({anchor}) missing"
    for variable in SECRET_ENV | PLAIN_ENV:
        assert f"`{variable}`" in text, variable
    assert os.path.basename(COMPOSE) in text and "overlays/production" in text

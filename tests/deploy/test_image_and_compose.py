"""Grafana provisioning, docker compose, the Dockerfile and the entrypoint (run against stub
`python`/`celery` commands)."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
from pathlib import Path

import pytest

from tests.deploy.deployfiles import (
    COMPOSE,
    DEPLOY,
    GRAFANA,
    OPERATIONS_DOC,
    PLAIN_ENV,
    ROOT,
    SECRET_ENV,
    alert_rules,
    load_yaml,
)

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

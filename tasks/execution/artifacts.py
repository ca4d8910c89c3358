"""Artifacts stored content-addressed (SHA-256) through Django's storage API.

The bytes live once per digest under `sha256/<2>/<digest>` in the default storage (the file
system by default, any django-storages backend in production); every change of a path is a
new `Artifact` version pointing at its digest.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tasks.models import Artifact, Task

MAX_DIFF_BYTES = 2_000_000


def artifact_store(*, task: Task, path: str, content: bytes) -> Artifact:
    """Stores a new version of `path`, unless its content equals the latest version.

    Idempotent: a stage re-run after a crash writes the same bytes and adds no version.
    """
    latest = Artifact.objects.filter(task=task, path=path).order_by("-version").first()
    return _version_store(task=task, path=path, content=content, latest=latest)


def artifacts_snapshot_store(
    *, task: Task, files: dict[str, bytes], writes: Sequence[tuple[str, bytes]] = ()
) -> list[Artifact]:
    """Stores each write the coder made, in order (every write of a path is a version), then
    every file of the final workspace snapshot that differs (changed by commands); returns the
    versions added. The task's latest versions are read once, not per file."""
    latest: dict[str, Artifact] = {}
    for artifact in Artifact.objects.filter(task=task).order_by("version"):
        latest[artifact.path] = artifact
    added = []
    for path, content in [*writes, *sorted(files.items())]:
        artifact = _version_store(task=task, path=path, content=content, latest=latest.get(path))
        if artifact is not latest.get(path):
            latest[path] = artifact
            added.append(artifact)
    return added


def _version_store(*, task: Task, path: str, content: bytes, latest: Artifact | None) -> Artifact:
    """`latest` if the content is unchanged, else a new version after it."""
    digest = hashlib.sha256(content).hexdigest()
    if latest is not None and latest.sha256 == digest:
        return latest
    storage_name = f"sha256/{digest[:2]}/{digest}"
    if not default_storage.exists(storage_name):
        default_storage.save(storage_name, ContentFile(content))
    return Artifact.objects.create(
        task=task,
        path=path,
        version=(latest.version + 1) if latest else 1,
        sha256=digest,
        size=len(content),
        storage_name=storage_name,
    )


def artifact_read(*, artifact: Artifact) -> bytes:
    with default_storage.open(artifact.storage_name, "rb") as handle:
        return handle.read()


def _as_text(content: bytes) -> str | None:
    if b"\x00" in content[:8192]:
        return None
    try:
        return content.decode()
    except UnicodeDecodeError:
        return None


@dataclass
class ArtifactDiff:
    path: str
    from_version: int
    to_version: int
    binary: bool
    diff: str
    added_lines: int
    removed_lines: int


def artifact_diff(*, old: Artifact, new: Artifact) -> ArtifactDiff:
    """A unified diff between two versions of a path (`old` may equal `new`: no changes)."""
    before, after = artifact_read(artifact=old), artifact_read(artifact=new)
    old_text, new_text = _as_text(before), _as_text(after)
    binary = old_text is None or new_text is None or len(before) + len(after) > MAX_DIFF_BYTES
    if binary:
        changed = before != after
        return ArtifactDiff(new.path, old.version, new.version, True,
                            "Binary contents differ.\n" if changed else "", 0, 0)  # fmt: skip
    lines = list(
        difflib.unified_diff(
            (old_text or "").splitlines(keepends=True),
            (new_text or "").splitlines(keepends=True),
            fromfile=f"a/{old.path}@v{old.version}",
            tofile=f"b/{new.path}@v{new.version}",
        )
    )
    body = [line for line in lines if not line.startswith(("---", "+++"))]
    return ArtifactDiff(
        path=new.path,
        from_version=old.version,
        to_version=new.version,
        binary=False,
        diff="".join(line if line.endswith("\n") else line + "\n" for line in lines),
        added_lines=sum(1 for line in body if line.startswith("+")),
        removed_lines=sum(1 for line in body if line.startswith("-")),
    )

"""The chain: hashes, signed heads and checkpoints; every kind of tampering is detected and
located (random single edits, deletions, insertions, reorderings, truncations, rewrites)."""

import importlib
import random
import uuid
from collections import Counter

import pytest
from django.apps import apps
from django.core.management import call_command

import audit
from audit.chain import CHAIN_COUNT, chain_for, event_hash, payload_digest, sign, timestamp_us
from audit.checkpoints import audit_checkpoint_create, checkpoint_sign
from audit.fields import canonical_json
from audit.models import AuditChainHead, AuditCheckpoint, AuditEvent
from audit.selectors import audit_chain_verify
from audit.services import audit_configuration_forget

pytestmark = pytest.mark.django_db

TASKS = [uuid.UUID(int=n * 7919 + 1) for n in range(6)]


def _trail(count: int = 60) -> list[AuditEvent]:
    events = []
    for n in range(count):
        events.append(
            audit.record(
                category="terminal",
                action=f"step.{n}",
                actor="tester",
                task_id=TASKS[n % len(TASKS)] if n % 5 else None,
                payload={"n": n, "command": f"pytest -k case_{n}", "note": "héllo"},
            )
        )
    return events


@pytest.fixture
def trail():
    return _trail()


def _rechain(chain: int, start_sequence: int) -> None:
    """What an attacker with write access can do: recompute every hash from a point on."""
    events = list(
        AuditEvent.objects.filter(chain=chain, sequence__gte=start_sequence).order_by("sequence")
    )
    prev = (
        AuditEvent.objects.get(chain=chain, sequence=start_sequence - 1).hash
        if start_sequence > 1
        else "0" * 64
    )
    for event in events:
        digest = event_hash(
            prev_hash=prev,
            chain=chain,
            sequence=event.sequence,
            timestamp_us=timestamp_us(event.timestamp),
            category=event.category,
            action=event.action,
            actor=event.actor,
            task_hex=event.task_id.hex if event.task_id else "",
            level=event.level,
            payload_digest=payload_digest(canonical_json(event.payload)),
        )
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=prev, hash=digest)
        prev = digest
    AuditChainHead.objects.filter(chain=chain).update(
        sequence=events[-1].sequence if events else start_sequence - 1, head_hash=prev
    )


def _busiest_chain() -> int:
    from django.db.models import Count

    return AuditEvent.objects.values("chain").annotate(n=Count("id")).order_by("-n")[0]["chain"]


def test_untouched_trail_verifies(trail):
    result = audit_chain_verify()
    assert result.ok, result.reason
    assert result.checked == len(trail)


def test_events_of_one_task_share_a_chain_and_sequences_have_no_gaps(trail):
    chains = {e.chain for e in trail if e.task_id == TASKS[1]}
    assert len(chains) == 1
    for chain in {e.chain for e in trail}:
        sequences = list(
            AuditEvent.objects.filter(chain=chain)
            .order_by("sequence")
            .values_list("sequence", flat=True)
        )
        assert sequences == list(range(1, len(sequences) + 1))


@pytest.mark.parametrize("seed", range(6))
def test_random_single_edit_is_detected_and_located(trail, seed):
    rng = random.Random(seed)
    victim = rng.choice(trail)
    field, value = rng.choice(
        [
            ("payload", {"n": -1}),
            ("actor", "mallory"),
            ("action", "step.forged"),
            ("category", "lifecycle"),
            ("level", "minimal" if victim.level != "minimal" else "debug"),
            ("timestamp", victim.timestamp.replace(year=2020)),
            ("task_id", uuid.uuid4()),
        ]
    )
    AuditEvent.objects.filter(pk=victim.pk).update(**{field: value})
    result = audit_chain_verify()
    assert not result.ok
    assert result.first_bad["id"] == victim.pk, (field, result.reason)
    assert "hash" in result.reason


@pytest.mark.parametrize("seed", range(4))
def test_random_deletion_is_detected_and_located(trail, seed):
    rng = random.Random(seed)
    chain = _busiest_chain()
    events = list(AuditEvent.objects.filter(chain=chain).order_by("sequence"))
    victim = rng.choice(events[:-1])  # the last one is the truncation case
    victim.delete()
    result = audit_chain_verify()
    assert not result.ok
    assert result.first_bad["sequence"] == victim.sequence + 1
    assert f"{victim.sequence}..{victim.sequence}" in result.reason  # the missing sequence


@pytest.mark.parametrize("seed", range(4))
def test_random_insertion_is_detected_even_when_rechained(trail, seed):
    """Insert a forged event mid-chain, renumber the rest and recompute every hash: the links
    verify, but the signed head (and checkpoints) no longer match."""
    rng = random.Random(seed)
    audit_checkpoint_create()
    chain = _busiest_chain()
    events = list(AuditEvent.objects.filter(chain=chain).order_by("-sequence"))
    position = rng.randint(2, len(events) - 1)
    for event in events:
        if event.sequence >= position:
            AuditEvent.objects.filter(pk=event.pk).update(sequence=event.sequence + 1000)
    for event in events:
        if event.sequence >= position:
            AuditEvent.objects.filter(pk=event.pk).update(sequence=event.sequence + 1)
    forged = AuditEvent.objects.create(
        chain=chain,
        sequence=position,
        timestamp=events[0].timestamp,
        category="security",
        action="login.succeeded",
        actor="mallory",
        payload={"forged": True},
        prev_hash="0" * 64,
        hash="0" * 64,
    )
    assert not audit_chain_verify().ok  # plain: the forged event's hash is wrong
    _rechain(chain, position)
    result = audit_chain_verify()
    assert not result.ok
    assert result.first_bad.get("sequence", 0) >= forged.sequence
    assert "signed" in result.reason


@pytest.mark.parametrize("seed", range(4))
def test_random_reordering_is_detected_and_located(trail, seed):
    rng = random.Random(seed)
    chain = _busiest_chain()
    events = list(AuditEvent.objects.filter(chain=chain).order_by("sequence"))
    i = rng.randrange(len(events) - 1)
    first, second = events[i], events[i + 1]
    AuditEvent.objects.filter(pk=first.pk).update(sequence=10_000)
    AuditEvent.objects.filter(pk=second.pk).update(sequence=first.sequence)
    AuditEvent.objects.filter(pk=first.pk).update(sequence=second.sequence)
    result = audit_chain_verify()
    assert not result.ok
    assert result.first_bad["id"] in (first.pk, second.pk)
    assert result.first_bad["sequence"] == first.sequence


def test_truncation_is_detected_by_the_signed_head(trail):
    chain = _busiest_chain()
    last = AuditEvent.objects.filter(chain=chain).order_by("-sequence").first()
    last.delete()
    result = audit_chain_verify()
    assert not result.ok and "truncated" in result.reason
    assert result.first_bad["chain"] == chain and result.first_bad["sequence"] == last.sequence


def test_truncation_with_a_rolled_back_head_is_caught_by_the_checkpoint(trail):
    audit_checkpoint_create()
    chain = _busiest_chain()
    events = list(AuditEvent.objects.filter(chain=chain).order_by("sequence"))
    cut = events[len(events) // 2]
    AuditEvent.objects.filter(chain=chain, sequence__gte=cut.sequence).delete()
    previous = events[len(events) // 2 - 1]
    # The attacker rewinds the head; without the key they can only reuse an unsigned head.
    AuditChainHead.objects.filter(chain=chain).update(
        sequence=previous.sequence, head_hash=previous.hash, signature=""
    )
    result = audit_chain_verify()
    assert not result.ok and result.first_bad["chain"] == chain
    AuditChainHead.objects.filter(chain=chain).update(
        signature=sign(
            kind="head", chain=chain, sequence=previous.sequence, head_hash=previous.hash
        )
    )  # even with a validly signed (replayed) head, the checkpoint is further on
    result = audit_chain_verify()
    assert not result.ok and "truncated" in result.reason
    assert result.first_bad["sequence"] == cut.sequence


def test_a_rewritten_chain_is_caught_at_the_checkpoint(trail):
    audit_checkpoint_create()
    chain = _busiest_chain()
    event = AuditEvent.objects.filter(chain=chain).order_by("sequence")[2]
    AuditEvent.objects.filter(pk=event.pk).update(payload={"n": "rewritten"})
    _rechain(chain, event.sequence)
    AuditChainHead.objects.filter(chain=chain).update(signature="f" * 64)
    result = audit_chain_verify()
    assert not result.ok
    assert result.first_bad["chain"] == chain


def test_forged_checkpoints_are_rejected(trail, settings):
    chain = _busiest_chain()
    event = AuditEvent.objects.filter(chain=chain).order_by("sequence")[3]
    good = audit_checkpoint_create()[chain]
    assert audit_chain_verify().ok
    # 1. a made-up signature
    AuditCheckpoint.objects.create(
        chain=chain,
        sequence=event.sequence,
        head_hash=event.hash,
        kind="periodic",
        signature="a" * 64,
    )
    result = audit_chain_verify()
    assert not result.ok and "signature" in result.reason
    AuditCheckpoint.objects.exclude(pk=good.pk).delete()
    # 2. signed with another key (a forger who does not hold ENCRYPTION_KEY)
    original = settings.ENCRYPTION_KEY
    settings.ENCRYPTION_KEY = "attacker-key"
    forged = checkpoint_sign(chain=chain, sequence=event.sequence, head_hash=event.hash)
    settings.ENCRYPTION_KEY = original
    result = audit_chain_verify()
    assert not result.ok and "signature" in result.reason
    assert result.first_bad["checkpoint_id"] == forged.pk
    # 3. after a key rotation, a retired key listed in AUDIT_PREVIOUS_SIGNING_KEYS verifies
    settings.AUDIT_PREVIOUS_SIGNING_KEYS = ["attacker-key"]
    assert audit_chain_verify().ok


def test_a_checkpoint_is_not_signed_over_a_tampered_chain(trail):
    chain = _busiest_chain()
    victim = AuditEvent.objects.filter(chain=chain).order_by("sequence")[1]
    AuditEvent.objects.filter(pk=victim.pk).update(actor="mallory")
    signed = audit_checkpoint_create()
    assert chain not in signed
    failure = AuditEvent.objects.get(action="integrity.failed")
    assert failure.payload["chain"] == chain and failure.level == "minimal"


def test_range_verification_checks_the_range_and_its_edges(trail):
    events = list(AuditEvent.objects.order_by("timestamp", "id"))
    since, until = events[20].timestamp, events[40].timestamp
    result = audit_chain_verify(since=since, until=until)
    assert result.ok and 0 < result.checked < len(events)
    outside = events[5]
    AuditEvent.objects.filter(pk=outside.pk).update(actor="mallory")
    assert audit_chain_verify(since=since, until=until).ok  # outside the range
    inside = events[30]
    AuditEvent.objects.filter(pk=inside.pk).update(actor="mallory")
    result = audit_chain_verify(since=since, until=until)
    assert not result.ok and result.first_bad["id"] == inside.pk


def test_payloads_are_stored_canonically_and_round_trip():
    event = audit.record(
        category="terminal",
        action="x",
        payload={
            "b": 1e20,
            "a": "é\x00",
            "c": float("nan"),
            "d": (1, 2),
            5: "int key",
            "e": 'two\nlines\tand a \\ backslash, a "quote" and \x07',
        },
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.payload == event.payload
    assert stored.payload["a"] == "é\ufffd" and stored.payload["c"] == "nan"
    assert stored.payload["5"] == "int key" and stored.payload["d"] == [1, 2]
    assert canonical_json(stored.payload) == canonical_json(event.payload)
    assert audit_chain_verify().ok
    tampered = canonical_json({**event.payload, "e": ""})
    AuditEvent.objects.filter(pk=event.pk).update(payload=tampered)
    assert not audit_chain_verify().ok


def test_disabled_trail_records_only_the_switch(settings):
    audit_configuration_forget()
    settings.AUDIT_TRAIL_ENABLED = False
    assert audit.record(category="lifecycle", action="x") is None
    assert audit.record(category="lifecycle", action="y") is None
    switch = AuditEvent.objects.get()  # the switch itself, once; nothing else
    assert (switch.category, switch.action) == ("audit", "trail.configured")
    assert switch.payload["enabled"] is False
    settings.AUDIT_TRAIL_ENABLED = True
    assert audit.record(category="lifecycle", action="z") is not None
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["trail.configured", "trail.configured", "z"]
    assert AuditEvent.objects.order_by("id")[1].payload["previous"]["enabled"] is False


def test_verbosity_level_filters_events(settings):
    settings.AUDIT_LOG_LEVEL = "minimal"
    assert audit.record(category="thinking", action="prompt", level="detailed") is None
    assert audit.record(category="lifecycle", action="state", level="minimal") is not None
    level_change = AuditEvent.objects.get(action="trail.configured")
    assert level_change.payload["level"] == "minimal"
    settings.AUDIT_LOG_LEVEL = "debug"
    assert audit.record(category="thinking", action="prompt", level="debug") is not None


def test_audit_verify_command_exit_codes(trail, capsys):
    call_command("audit_verify")
    assert f"OK: {len(trail)} events verified" in capsys.readouterr().out
    AuditEvent.objects.filter(pk=trail[3].pk).update(actor="mallory")
    with pytest.raises(SystemExit) as exited:
        call_command("audit_verify")
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert f"id={trail[3].pk}" in err and "content does not match its hash" in err


def test_audit_verify_command_time_range(trail, capsys):
    events = list(AuditEvent.objects.order_by("timestamp", "id"))
    since, until = events[10].timestamp.isoformat(), events[20].timestamp.isoformat()
    call_command("audit_verify", "--from", since, "--to", until)
    out = capsys.readouterr().out
    assert "OK: 10 events verified" in out


def test_a_switch_note_rolled_back_with_its_transaction_is_written_again(settings):
    from django.db import transaction

    settings.AUDIT_TRAIL_ENABLED = False
    with transaction.atomic():
        audit.record(category="lifecycle", action="x")
        transaction.set_rollback(True)
    assert not AuditEvent.objects.exists()
    audit.record(category="lifecycle", action="y")
    assert AuditEvent.objects.get().action == "trail.configured"


@pytest.mark.timeout(60)
@pytest.mark.django_db(transaction=True)
def test_parallel_verification_forks_without_sharing_pooled_connections():
    """Forked verifiers once inherited the parent's pooled sockets and hung."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("parallel verification runs on PostgreSQL")
    for n in range(40):
        audit.record(
            category="lifecycle",
            action="test.event",
            actor="t",
            task_id=uuid.uuid4(),
            payload={"n": n},
        )

    result = audit_chain_verify(workers=2)

    assert result.ok and result.checked >= 40
    assert AuditEvent.objects.filter(action="test.event").count() == 40  # the parent goes on


def test_tasks_spread_over_many_chains_so_few_writers_wait_for_each_other():
    # Appends wait only for a transaction on the same chain: about (W - 1) / CHAIN_COUNT of
    # them with W writers. 1,000 tasks must use most of the 256 chains, and each chain only
    # a handful of times.
    per_chain = Counter(chain_for(uuid.uuid4()) for _ in range(1000))
    assert CHAIN_COUNT == 256
    assert len(per_chain) > 240
    assert max(per_chain.values()) < 16


def test_the_migration_gives_every_chain_a_head():
    migration = importlib.import_module("audit.migrations.0006_more_chains")
    AuditChainHead.objects.filter(chain__gte=16).delete()  # as left by the 16-chain migrations

    migration.create_chain_heads(apps, None)
    migration.create_chain_heads(apps, None)  # idempotent

    assert sorted(AuditChainHead.objects.values_list("chain", flat=True)) == list(
        range(CHAIN_COUNT)
    )


def test_postgresql_finds_events_beyond_a_head_through_the_chain_sequence_index():
    # verify asks this of every chain; walking the id index instead cost 18,700 events/s.
    from django.db import connection

    from audit.verification import events_beyond

    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    sql, params = events_beyond(3, 10)[:1].query.sql_with_params()
    with connection.cursor() as cursor:
        # As on a large table, where a sort costs more than reading an index in order: the
        # only index that yields the rows in order and also narrows them is (chain, sequence).
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "audit_unique_chain_sequence" in plan, plan
    assert "pkey" not in plan, plan

"""A fake model provider that answers any JSON request with a minimal instance of the schema
the caller asked for, so every model-backed step (planner, risk judge, whatever lands next)
gets a valid answer without scripting each prompt.

Used in-process by the chaos tests and as a process by the benchmarks:
`python -m tasks.benchmarks.fake_provider --latency 2 --fault-rate 0.3 --request-log F`.
With `--fault-rate`, that share of requests fails: a 500, a 503, a 429 with Retry-After, or
a timeout (the server stalls past the client's deadline), chosen by a seeded RNG.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import threading
import time
from pathlib import Path
from typing import Any

from agency.llm.fake_server import FakeProviderServer, FakeReply, FakeRequest

SCHEMA_MARKER = "validate against this JSON schema:\n"
TOKEN = re.compile(r"\[bench ([\w-]+)\]")
MIXED_FAULTS = ("500", "503", "rate_limit", "timeout")
# A plan the offline council approves (concrete files, commands and acceptance criteria); a
# minimal schema instance would be too thin and be sent back for revision.
PLAN = {
    "summary": "Implement the requested function and test it",
    "steps": [
        {
            "number": 1,
            "intent": "Write the function in its module, returning the sum of the arguments",
            "files": ["calc.py"],
            "commands": [],
            "acceptance_criteria": ["add(1, 2) == 3"],
        },
        {
            "number": 2,
            "intent": "Verify the function with a unit test",
            "files": ["test_calc.py"],
            "commands": ["pytest -q"],
            "acceptance_criteria": ["the tests pass"],
        },
    ],
}


def schema_instance(schema: dict[str, Any]) -> Any:
    """The smallest value valid against `schema` (the subset of JSON Schema our prompts use):
    enums take their first member, numbers their minimum, arrays `minItems` elements."""
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or (kind is None and ("properties" in schema or "required" in schema)):
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        value = {}
        for name in schema.get("required", []):
            sub = properties.get(name) or (extra if isinstance(extra, dict) else {})
            value[name] = schema_instance(sub)
        return value
    if kind == "array":
        return [schema_instance(schema.get("items", {})) for _ in range(schema.get("minItems", 0))]
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return schema.get("minimum", 0)
    if kind == "boolean":
        return False
    if kind == "null":
        return None
    return "x" * max(int(schema.get("minLength", 1)), 1)


def requested_schema(request: FakeRequest) -> dict[str, Any] | None:
    """The schema the provider client put in its JSON instruction (OpenAI or Anthropic)."""
    texts: list[str] = []
    system = request.body.get("system")
    if isinstance(system, str):
        texts.append(system)
    elif isinstance(system, list):
        texts += [part.get("text", "") for part in system if isinstance(part, dict)]
    for message in request.body.get("messages", []):
        content = message.get("content")
        if isinstance(content, str):
            texts.append(content)
    for text in texts:
        if SCHEMA_MARKER in text:
            try:
                return json.loads(text.split(SCHEMA_MARKER, 1)[1])
            except ValueError:
                return None
    return None


CODER_ARTIFACT = ("calc.py", "def add(a, b):\n    return a + b\n")


def coder_reply(request: FakeRequest) -> FakeReply:
    """The coder's turn: write one artifact, then finish once it has seen the result."""
    # Both providers send a tool's output back as a user turn labelled "Tool result:".
    answered = "Tool result:" in json.dumps(request.body.get("messages", []))
    if answered:
        return FakeReply.of_tool("finish", {"summary": f"Wrote {CODER_ARTIFACT[0]}."})
    path, content = CODER_ARTIFACT
    return FakeReply.of_tool("write_file", {"path": path, "content": content})


def request_token(request: FakeRequest) -> str | None:
    """The `[bench <id>]` tag a benchmark puts in each task description."""
    match = TOKEN.search(json.dumps(request.body.get("messages", [])))
    return match.group(1) if match else None


class SchemaResponder:
    """Answers with `schema_instance`; optionally fails `fault_rate` of the calls (seeded) and
    appends one JSON line per request to `request_log` (time, task token, fault)."""

    def __init__(
        self,
        *,
        fault_rate: float = 0.0,
        seed: int = 0,
        request_log: Path | None = None,
        timeout_hang_s: float = 5.0,
        retry_after_s: float = 0.2,
    ) -> None:
        self.fault_rate = fault_rate
        self.rng = random.Random(seed)
        self.timeout_hang_s = timeout_hang_s
        self.retry_after_s = retry_after_s
        self.lock = threading.Lock()
        self.log = request_log.open("a") if request_log else None
        self.faults: dict[str, int] = {}
        self.outage = False  # every call fails with a 503 while set

    def __call__(self, request: FakeRequest) -> FakeReply:
        with self.lock:
            fault: str | None = "503" if self.outage else None
            if fault is None and self.fault_rate and self.rng.random() < self.fault_rate:
                fault = self.rng.choice(MIXED_FAULTS)
            if fault:
                self.faults[fault] = self.faults.get(fault, 0) + 1
            if self.log is not None:
                line = {"t": time.time(), "token": request_token(request), "fault": fault}
                self.log.write(json.dumps(line) + "\n")
                self.log.flush()
        if fault is not None:
            return FakeReply.of_fault(
                fault,  # type: ignore[arg-type]
                retry_after=self.retry_after_s,
                hang_s=self.timeout_hang_s,
            )
        if request.body.get("tools"):
            return coder_reply(request)
        schema = requested_schema(request)
        if schema is None:
            return FakeReply.of_text("ok")
        if set(schema.get("required", [])) >= {"summary", "steps"}:
            return FakeReply.of_json(PLAN)
        return FakeReply.of_json(schema_instance(schema))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--fault-rate", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--request-log", type=Path, default=None)
    args = parser.parse_args(argv)
    responder = SchemaResponder(
        fault_rate=args.fault_rate, seed=args.seed, request_log=args.request_log
    )
    with FakeProviderServer(latency=args.latency, port=args.port, responder=responder) as server:
        print(f"OPENAI_BASE_URL={server.openai_base_url}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()

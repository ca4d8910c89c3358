"""Benchmarks of the tasks app, registered for `manage.py benchmark <name>`.

pipeline-inprocess, throughput and concurrency (pipeline.py), api (api.py), ws (ws.py),
broadcast (broadcast.py), execution (tasks/execution/benchmarks.py); the processes they start
come from stack.py, the fake provider from fake_provider.py.
"""

from tasks.benchmarks import api, broadcast, pipeline, ws  # noqa: F401  (registers them)
from tasks.execution import benchmarks as execution  # noqa: F401

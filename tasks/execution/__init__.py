"""The execution engine (docs/execution.md).

workspace (confined files, repository copies) · sandbox (contained commands) · policy (which
commands) · tools + patch (what the coder can do) · agent (the loop) · coders (who answers:
cassette, configured models, offline coder) · routing (worker profiles) · gates · artifacts ·
replay · demo; services/selectors for their writes and reads.
"""

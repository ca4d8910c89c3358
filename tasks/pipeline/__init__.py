"""The pipeline: one idempotent stage per non-waiting state, dispatched through Celery."""

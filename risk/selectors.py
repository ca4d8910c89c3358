from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.db.models import Max

from risk.models import RiskAssessment


def risk_score_recent_max(*, since: datetime) -> int:
    return RiskAssessment.objects.filter(created_at__gte=since).aggregate(m=Max("score"))["m"] or 0


def risk_assessment_latest(*, task_id: UUID | str) -> RiskAssessment | None:
    return RiskAssessment.objects.filter(task_id=task_id).order_by("-created_at").first()

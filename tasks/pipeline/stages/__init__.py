"""The stages' work: plan → assess risk → council review → execute → verify.

Each work function computes outside any transaction and returns a StageOutcome whose `apply`
stores the results in the commit transaction (so a superseded delivery stores nothing).
"""

from tasks.pipeline.stages.assess_risk import assess_risk_work
from tasks.pipeline.stages.execute import execute_work
from tasks.pipeline.stages.plan import plan_work
from tasks.pipeline.stages.review import review_work
from tasks.pipeline.stages.verify import verify_work

__all__ = ["assess_risk_work", "execute_work", "plan_work", "review_work", "verify_work"]

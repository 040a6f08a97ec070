"""Keeping a plan true all year: corrections and adjustments of what a plan
says, made in the app — a work item's name, deadline and departments, a
milestone's work and due — each with its reason, audited, kept as the plan's
history (store.models.PlanChange) and counting from a date: the status as of
an earlier date still sees the plan as it stood then (queries.status)."""

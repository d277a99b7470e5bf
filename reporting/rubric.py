"""The published scoring rubric (0-4). Its text is data: staff refine it in the admin."""

from __future__ import annotations

from reporting.models import RubricLevel

LEVELS = [
    (0, "Nothing reported", "The report describes no action under this commitment."),
    (
        1,
        "Intentions only",
        "Plans or intentions are described, but no action was carried out during the year.",
    ),
    (
        2,
        "Some action",
        "At least one action was carried out, with few resources, partners or results reported.",
    ),
    (
        3,
        "Substantial action",
        "Several actions with committed resources and partners, and results measured "
        "against indicators.",
    ),
    (
        4,
        "Exemplary",
        "A sustained, well-resourced programme with measured results, worth sharing as a "
        "good practice with other cities.",
    ),
]


def ensure_rubric() -> None:
    """Create the levels that are missing; never change text staff have edited."""
    for score, label, description in LEVELS:
        RubricLevel.objects.get_or_create(
            score=score, defaults={"label": label, "description": description}
        )

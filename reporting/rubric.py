"""The published scoring rubric (0-4). Its text is data: staff refine it in the admin."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from coalition.services import model_update
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


#: The levels' names in the other languages (the English above is authoritative; the
#: descriptions show "(in English)" until staff translate them in the admin).
LABELS = {
    0: {
        "fr": "Rien de rapporté",
        "de": "Nichts berichtet",
        "es": "Nada informado",
        "ar": "لم يُبلَّغ عن شيء",
    },
    1: {
        "fr": "Intentions seulement",
        "de": "Nur Absichten",
        "es": "Solo intenciones",
        "ar": "نوايا فقط",
    },
    2: {
        "fr": "Quelques actions",
        "de": "Einzelne Maßnahmen",
        "es": "Algunas acciones",
        "ar": "بعض الإجراءات",
    },
    3: {
        "fr": "Action substantielle",
        "de": "Umfangreiche Maßnahmen",
        "es": "Acción sustancial",
        "ar": "إجراءات جوهرية",
    },
    4: {"fr": "Exemplaire", "de": "Vorbildlich", "es": "Ejemplar", "ar": "نموذجي"},
}


@translation.override(settings.LANGUAGE_CODE)  # the English text is the authoritative one
def ensure_rubric() -> None:
    """Create the levels that are missing; never change text staff have edited."""
    for score, label, description in LEVELS:
        level, _created = RubricLevel.objects.get_or_create(
            score=score, defaults={"label": label, "description": description}
        )
        missing = {
            f"label_{language}": text
            for language, text in LABELS.get(score, {}).items()
            if not getattr(level, f"label_{language}")
        }
        if missing:
            model_update(level, fields=missing, actor=None, touch=False)

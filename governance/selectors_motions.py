"""Reads of motions: a session's list, a motion's page, a published declaration.

Each costs a fixed number of queries; the line numbers, conflicts and the voting order
are computed from the rows by governance.motion_text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import get_language_info

from governance import motion_text as mt
from governance.models import (
    Amendment,
    AmendmentStatus,
    AssemblySession,
    Motion,
    MotionVersion,
)

#: Amendments that still take part: their conflicts are flagged.
LIVE = (AmendmentStatus.SUBMITTED, AmendmentStatus.ADOPTED, AmendmentStatus.REJECTED)


def numbered_lines(version: MotionVersion) -> list[mt.NumberedLine]:
    """A version's text split into its numbered lines (stable: the version is frozen)."""
    return mt.numbered(mt.from_json(version.lines))


def _change(amendment: Amendment) -> mt.Change:
    return mt.Change(
        amendment.operation,
        amendment.first_line,
        amendment.last_line,
        tuple(amendment.text_put_to_vote),
        key=amendment.pk,
    )


def conflicting_amendments(amendments: list[Amendment]) -> dict[int, set[int]]:
    """For each amendment, the others on the same version whose line ranges overlap it.

    Withdrawn and fallen ones no longer conflict with anything.
    """
    found: dict[int, set[int]] = {a.pk: set() for a in amendments}
    by_version: dict[int, list[Amendment]] = {}
    for a in amendments:
        if a.status in LIVE:
            by_version.setdefault(a.version_id, []).append(a)
    for group in by_version.values():
        for key, others in mt.conflicts([_change(a) for a in group]).items():
            found[cast(int, key)] |= cast(set[int], others)
    return found


@dataclass
class MotionRow:
    motion: Motion
    amendments: int = 0
    open_amendments: int = 0
    conflicting: int = 0


def motions_of_session(session: AssemblySession) -> list[MotionRow]:
    """The session's motions with their amendments' counts: two queries at any size."""
    motions = list(
        Motion.objects.filter(session=session)
        .select_related("city", "item")
        .prefetch_related(
            Prefetch("amendments", queryset=Amendment.objects.order_by("submitted_at", "id"))
        )
        .order_by("item__position", "submitted_at", "id")
    )
    rows = []
    for motion in motions:
        amendments = list(motion.amendments.all())
        conflicts = conflicting_amendments(amendments)
        rows.append(
            MotionRow(
                motion=motion,
                amendments=len(amendments),
                open_amendments=sum(1 for a in amendments if a.is_open),
                conflicting=sum(1 for a in amendments if conflicts[a.pk]),
            )
        )
    return rows


@dataclass
class AmendmentView:
    amendment: Amendment
    conflicts_with: list[Amendment] = field(default_factory=list)
    #: The lines of the amended version it touches (for the page's quotation).
    quoted: list[mt.NumberedLine] = field(default_factory=list)
    position: int | None = None  # its place in the voting order, while open


@dataclass
class TextView:
    version: MotionVersion
    lines: list[mt.NumberedLine]
    language_name: str


def language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return str(dict(settings.LANGUAGES).get(code, code))


def motion_detail(motion: Motion) -> dict:
    """Everything the motion's page shows: four queries."""
    versions = list(
        MotionVersion.objects.filter(motion=motion)
        .select_related("amendment__city")
        .order_by("number", "-is_authoritative", "language")
    )
    amendments = list(
        Amendment.objects.filter(motion=motion)
        .select_related("city", "version", "recommended_by", "fallen_because__city")
        .order_by("first_line", "submitted_at", "id")
    )
    authoritative = [v for v in versions if v.is_authoritative]
    current = authoritative[-1] if authoritative else None
    conflicts = conflicting_amendments(amendments)
    by_pk: dict[object, Amendment] = {a.pk: a for a in amendments}
    lines_of = {v.pk: numbered_lines(v) for v in authoritative}
    open_ones = [a for a in sorted(amendments, key=lambda a: (a.submitted_at, a.pk)) if a.is_open]
    order = [by_pk[c.key] for c in mt.voting_order([_change(a) for a in open_ones])]
    position = {a.pk: i for i, a in enumerate(order, 1)}
    views = []
    for a in amendments:
        lines = lines_of.get(a.version_id, [])
        if a.operation == "insert_after":
            quoted = [line for line in lines if line.number == a.first_line]
        else:
            quoted = [line for line in lines if a.first_line <= line.number <= a.last_line]
        views.append(
            AmendmentView(
                amendment=a,
                conflicts_with=[by_pk[k] for k in sorted(conflicts[a.pk])],
                quoted=quoted,
                position=position.get(a.pk),
            )
        )
    translations = [
        TextView(v, numbered_lines(v), language_name(v.language))
        for v in versions
        if not v.is_authoritative
    ]
    return {
        "motion": motion,
        "versions": [TextView(v, lines_of[v.pk], language_name(v.language)) for v in authoritative],
        "current": TextView(current, lines_of[current.pk], language_name(current.language))
        if current
        else None,
        "amendments": views,
        "voting_order": order if motion.is_open else [],
        "translations": translations,
        "language_name": language_name(motion.language),
    }


def published_declaration(motion: Motion) -> dict:
    """The adopted text and its translations, for the public page and the PDF: one query."""
    adopted = cast(MotionVersion, motion.adopted_version)  # a published motion was adopted
    translations = list(MotionVersion.objects.filter(translation_of=adopted).order_by("language"))
    return {
        "motion": motion,
        "session": motion.session,
        "text": TextView(adopted, numbered_lines(adopted), language_name(adopted.language)),
        "translations": [
            TextView(v, numbered_lines(v), language_name(v.language)) for v in translations
        ],
        "language_name": language_name(motion.language),
    }


def published_declarations(coalition=None) -> list[Motion]:
    qs = Motion.objects.filter(published_at__isnull=False).select_related("session__coalition")
    if coalition is not None:
        qs = qs.filter(session__coalition=coalition)
    return list(qs.order_by("-published_at"))

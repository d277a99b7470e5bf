"""Reads of the election pages, each a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from governance.models import (
    AssemblySession,
    Candidacy,
    CandidacyStatus,
    Election,
    ElectionStatus,
    OpenedBallot,
    SealedBallot,
    SessionStatus,
)
from members.models import Coalition

#: The count's words (governance.elections.count answers in English), as the page shows them.
STAGE_ACTIONS = {
    "first preferences": _("first preferences"),
    "surplus transferred": _("surplus transferred"),
    "excluded": _("excluded"),
    "skipped for the cap": _("skipped for the cap"),
    "last candidates elected": _("last candidates elected"),
}
TIE_RULES = {"lot": _("lot"), "earlier stage": _("an earlier stage")}

PUBLISHED_LIST_STATUSES = (
    ElectionStatus.PUBLISHED,
    ElectionStatus.VOTING,
    ElectionStatus.CLOSED,
    ElectionStatus.TALLIED,
    ElectionStatus.RELEASED,
    ElectionStatus.COUNTED,
    ElectionStatus.CERTIFIED,
    ElectionStatus.VOID,
)
#: Where the result is public. Before (TALLIED, RELEASED) only the returning officer and the
#: tellers see it, on the result review page (views.election_release).
RESULT_STATUSES = (ElectionStatus.COUNTED, ElectionStatus.CERTIFIED, ElectionStatus.VOID)


def elections_of(coalition: Coalition, *, include_drafts: bool = False) -> list[Election]:
    """A coalition's elections, newest first, with their candidate counts (one query)."""
    qs = Election.objects.filter(coalition=coalition).annotate(
        candidates=Count("candidacies", filter=Q(candidacies__status=CandidacyStatus.NOMINATED))
    )
    if not include_drafts:
        qs = qs.exclude(status=ElectionStatus.DRAFT)
    return list(qs.order_by("-voting_opens_at", "-pk"))


def election_sessions(coalition: Coalition):
    """The sessions an election may be held in: the coalition's, not yet closed."""
    return (
        AssemblySession.objects.filter(coalition=coalition)
        .exclude(status=SessionStatus.CLOSED)
        .order_by("starts_at")
    )


def candidacies_of(election: Election, *, with_withdrawn: bool = False) -> list[Candidacy]:
    qs = election.candidacies.select_related("city", "person").order_by("city__name", "pk")
    if not with_withdrawn:
        qs = qs.filter(status=CandidacyStatus.NOMINATED)
    return list(qs)


@dataclass
class ResultView:
    """The result with names: totals (or STV stages), elected, skips and ties."""

    names: dict[int, str]
    rows: list[tuple[str, str, bool]] = field(default_factory=list)  # name, votes, elected
    elected: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # name, country
    ties: list[tuple[list[str], str, list[str]]] = field(default_factory=list)
    stages: list[dict] = field(default_factory=list)
    stage_names: list[str] = field(default_factory=list)


def result_view(election: Election, candidacies: list[Candidacy]) -> ResultView | None:
    result = election.result or {}
    if not result:
        return None
    names = {c.pk: c.city.name for c in candidacies}
    view = ResultView(names=names)
    elected = result.get("elected", [])
    view.elected = [names.get(i, str(i)) for i in elected]
    view.skipped = [
        (names.get(s["candidate"], "?"), s["country"]) for s in result.get("skipped", [])
    ]
    view.ties = [
        (
            [names.get(i, "?") for i in t["among"]],
            TIE_RULES.get(t["by"], t["by"]),
            [names.get(i, "?") for i in t["chosen"]],
        )
        for t in result.get("ties", [])
    ]
    totals = result.get("totals") or {}
    view.rows = sorted(
        ((names.get(int(i), i), str(v), int(i) in elected) for i, v in totals.items()),
        key=lambda r: (-int(r[1]), r[0]),
    )
    ids = sorted(names, key=lambda i: names[i])
    view.stage_names = [names[i] for i in ids]
    for stage in result.get("stages", []):
        view.stages.append(
            {
                "number": stage["stage"],
                "action": STAGE_ACTIONS.get(stage["action"], stage["action"]),
                "candidate": names.get(stage["candidate"], "") if stage["candidate"] else "",
                "values": [stage["totals"].get(str(i), "") for i in ids],
                "non_transferable": stage["non_transferable"],
            }
        )
    return view


def opened_ballots(election: Election) -> list[OpenedBallot]:
    """The published list, each ballot's choices also named (`choice_labels`: "8 Rotterdam"),
    so that a reader needs no key to the candidacy numbers (two queries)."""
    names = dict(election.candidacies.values_list("pk", "city__name"))
    ballots = list(OpenedBallot.objects.filter(election=election).order_by("position"))
    for ballot in ballots:
        choices = ballot.choices if isinstance(ballot.choices, list) else []
        ballot.choice_labels = [  # type: ignore[attr-defined]  # for the template only
            f"{c} {names[c]}" if isinstance(c, int) and c in names else str(c) for c in choices
        ]
    return ballots


def sealed_count(election: Election) -> int:
    return SealedBallot.objects.filter(election=election).count()


def city_ballot(election: Election, city_id: int) -> SealedBallot | None:
    return (
        SealedBallot.objects.filter(election=election, city_id=city_id)
        .only("receipt", "cast_at")
        .first()
    )

"""Reads of the governance app. Each owns its joins and costs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coalition.audit import events_for
from coalition.models import AuditEvent
from governance import access, engine, rules
from governance.models import (
    AdmissionApplication,
    Ballot,
    Comment,
    CommitteeOfficer,
    CommitteeSeat,
    CommitteeVote,
    ExclusionProposal,
    OfficerOffice,
    ProposalStatus,
    ProposedAction,
    SeatKind,
    VoteKind,
    VoteStatus,
)
from governance.selectors_delegates import dashboard_panels as delegate_panels
from members.models import Coalition, Membership, MembershipStatus


def committee_seat_ids_for(user) -> frozenset[int]:
    """Ids of the current committee seats this person represents (cached per request)."""
    return frozenset(seat.id for seat in access.held_seats(user))


# --- Votes ------------------------------------------------------------------------------


@dataclass
class SeatRow:
    seat: CommitteeSeat
    state: str  # "voted", "waiting", "recused", "non_voting"
    choice: str = ""
    choice_label: str = ""


@dataclass
class VoteState:
    vote: CommitteeVote
    rule: rules.Rule
    tally: rules.Tally
    quorum_required: int
    quorum_reached: bool
    majority_reached: bool
    show_count: bool
    rows: list[SeatRow] = field(default_factory=list)

    @property
    def voted(self) -> int:
        return self.tally.cast

    @property
    def electorate(self) -> int:
        return self.tally.electorate

    @property
    def recused(self) -> list[SeatRow]:
        return [row for row in self.rows if row.state == "recused"]


def vote_state(vote: CommitteeVote, *, show_count: bool, show_choices: bool = False) -> VoteState:
    """Participation, quorum and (when shown) the count of a vote, live or as stored at close.

    Three queries whatever the size of the committee.
    """
    rule = vote.rule_snapshot
    ballots = {b.seat_id: b for b in Ballot.objects.filter(vote=vote)}
    if vote.status == VoteStatus.OPEN:
        seats = list(
            CommitteeSeat.objects.current()
            .filter(coalition_id=vote.coalition_id)
            .select_related("city", "representative")
            .order_by("city__name", "institution", "id")
        )
        eligible, recused = rules.split_electorate(
            [rules.SeatInfo(s.id, s.city_id, s.kind) for s in seats], vote.subject_city_id
        )
        counts = {"yes": 0, "no": 0, "abstain": 0}
        for seat_id in eligible:
            if seat_id in ballots:
                counts[ballots[seat_id].choice] += 1
        tally = rules.Tally(electorate=len(eligible), **counts)
    else:
        result = vote.result or {}
        eligible = list(result.get("eligible_seats", []))
        recused = list(result.get("recused_seats", []))
        seats = list(
            CommitteeSeat.objects.filter(pk__in=eligible + recused)
            .select_related("city", "representative")
            .order_by("city__name", "institution", "id")
        )
        tally = rules.Tally(
            electorate=result.get("electorate", len(eligible)),
            yes=result.get("yes", 0),
            no=result.get("no", 0),
            abstain=result.get("abstain", 0),
        )
        show_count = True  # the result of a closed vote is no secret to those who see the vote
    eligible_set, recused_set = set(eligible), set(recused)
    rows = []
    for seat in seats:
        if seat.pk in recused_set:
            rows.append(SeatRow(seat, "recused"))
        elif seat.pk in eligible_set:
            ballot = ballots.get(seat.pk)
            if ballot is None:
                rows.append(SeatRow(seat, "waiting"))
            elif show_choices or (not vote.is_open and show_count):
                rows.append(SeatRow(seat, "voted", ballot.choice, ballot.get_choice_display()))
            else:
                rows.append(SeatRow(seat, "voted"))
        elif seat.kind != SeatKind.VOTING:
            rows.append(SeatRow(seat, "non_voting"))
    return VoteState(
        vote=vote,
        rule=rule,
        tally=tally,
        quorum_required=rules.quorum_required(rule, tally.electorate),
        quorum_reached=rules.quorum_reached(rule, tally),
        majority_reached=rules.majority_reached(rule, tally),
        show_count=show_count,
        rows=rows,
    )


def admission_vote_readiness(application: AdmissionApplication) -> engine.Readiness:
    """Whether a vote on this application, opened now, could reach its quorum and close
    early: the electorate and rule its subject would freeze, not yet stored (two queries)."""
    vote = CommitteeVote(
        coalition=application.coalition,
        kind=VoteKind.ADMISSION,
        subject_city=application.city,
        application=application,
    )
    subject = engine.subject_for(VoteKind.ADMISSION)
    return engine.readiness(subject.electorate(vote), subject.rule(vote))


def vote_readiness(vote: CommitteeVote) -> engine.Readiness | None:
    """The same for an open vote, on the electorate that counts now (None once closed)."""
    if vote.status != VoteStatus.OPEN:
        return None
    return engine.readiness(engine.current_electorate(vote), vote.rule_snapshot)


def readiness_warning(readiness: engine.Readiness) -> str:
    """What the bureau must know before (and while) a vote runs, in one paragraph."""
    parts = []
    if readiness.unrepresented:
        parts.append(
            ngettext(
                "%(count)d voting seat has nobody who can vote: %(seats)s.",
                "%(count)d voting seats have nobody who can vote: %(seats)s.",
                len(readiness.unrepresented),
            )
            % {
                "count": len(readiness.unrepresented),
                "seats": get_text_list(list(readiness.unrepresented), _("and")),
            }
        )
    if readiness.quorum_reachable:
        parts.append(
            _(
                "The quorum (%(required)d of %(electorate)d seats) can still be reached by the "
                "%(can)d seats that can vote, but the vote cannot close before its date."
            )
            % {
                "required": readiness.quorum_required,
                "electorate": readiness.electorate,
                "can": readiness.can_vote,
            }
        )
    else:
        parts.append(
            _(
                "The quorum (%(required)d of %(electorate)d seats) cannot be reached: only "
                "%(can)d seats can vote. Give the seats a representative first."
            )
            % {
                "required": readiness.quorum_required,
                "electorate": readiness.electorate,
                "can": readiness.can_vote,
            }
        )
    return " ".join(parts)


def comments_on(vote: CommitteeVote) -> list[Comment]:
    return list(vote.comments.select_related("author", "seat__city").order_by("created_at", "id"))


def open_votes_for_committee(user) -> list[dict]:
    """Open votes in the coalitions where this person holds a seat, with their own ballot."""
    seats = access.held_seats(user)
    if not seats:
        return []
    votes = list(
        CommitteeVote.objects.open()
        .filter(coalition_id__in={s.coalition_id for s in seats})
        .for_lists()
        .order_by("closes_at", "pk")
    )
    mine = {
        (vote_id, seat_id): choice
        for vote_id, seat_id, choice in Ballot.objects.filter(
            vote__in=votes, seat_id__in=[s.id for s in seats]
        ).values_list("vote_id", "seat_id", "choice")
    }
    rows = []
    for vote in votes:
        seat = access.voting_seat_for(user, vote)
        recused = access.recused_seat_for(user, vote)
        choice = mine.get((vote.pk, seat.id)) if seat else None
        rows.append(
            {
                "vote": vote,
                "can_vote": seat is not None,
                "recused": recused is not None and seat is None,
                "my_choice": choice,
                "waiting_for_me": seat is not None and choice is None,
            }
        )
    return rows


def recent_closed_votes(coalition_ids, limit: int = 10) -> list[CommitteeVote]:
    qs = CommitteeVote.objects.filter(status=VoteStatus.CLOSED)
    if coalition_ids is not None:
        qs = qs.filter(coalition_id__in=coalition_ids)
    return list(qs.for_lists().order_by("-closed_at", "-pk")[:limit])


# --- Applications ------------------------------------------------------------------------


def has_applications(user) -> bool:
    """Whether the person ever applied for a city (their navigation then lists them)."""
    return AdmissionApplication.objects.filter(applicant=user).exists()


def applications_of(user) -> list[AdmissionApplication]:
    return list(
        AdmissionApplication.objects.filter(applicant=user)
        .for_lists()
        .order_by("-submitted_at", "-pk")
    )


def application_with_actions(application: AdmissionApplication) -> AdmissionApplication:
    """Prefetch what the detail and review pages show (two queries)."""
    prefetch_related_objects(
        [application],
        Prefetch("proposed_actions", queryset=ProposedAction.objects.order_by("position", "id")),
        Prefetch("plan__commitments"),
    )
    return application


#: Steps of an application shown to its applicant (the bureau sees the whole audit log).
TIMELINE_VERBS = (
    "application.submitted",
    "application.returned",
    "application.resubmitted",
    "application.vote_opened",
    "application.admitted",
    "application.rejected",
    "application.no_quorum",
    "application.withdrawn",
)


def application_timeline(application: AdmissionApplication) -> list[AuditEvent]:
    return list(events_for(application).filter(verb__in=TIMELINE_VERBS))


def application_audit(application: AdmissionApplication) -> list[AuditEvent]:
    """Every recorded step of an application, its votes and the membership it created."""

    def of(model, ids):
        ct = ContentType.objects.get_for_model(model)
        return Q(content_type=ct, object_id__in=[str(i) for i in ids])

    vote_ids = list(application.votes.values_list("pk", flat=True))
    condition = of(AdmissionApplication, [application.pk]) | of(CommitteeVote, vote_ids)
    if application.membership_id:
        condition |= of(Membership, [application.membership_id])
    return list(
        AuditEvent.objects.filter(condition).select_related("actor").order_by("created_at", "id")
    )


# --- Bureau and committee home pages ----------------------------------------------------------


def bureau_overview(user) -> dict:
    ids = access.bureau_coalition_ids(user)

    def scoped(qs):
        return qs if ids is None else qs.filter(coalition_id__in=ids)

    coalitions = Coalition.objects.all() if ids is None else Coalition.objects.filter(pk__in=ids)
    return {
        "coalitions": list(coalitions.order_by("name")),
        "waiting": list(
            scoped(AdmissionApplication.objects.waiting_for_bureau())
            .for_lists()
            .order_by("submitted_at", "pk")
        ),
        "returned": list(
            scoped(AdmissionApplication.objects.filter(status="returned"))
            .for_lists()
            .order_by("-updated_at")
        ),
        "open_votes": list(scoped(CommitteeVote.objects.open()).for_lists().order_by("closes_at")),
        "proposals_waiting_vote": list(
            scoped(ExclusionProposal.objects.filter(status=ProposalStatus.PROPOSED)).for_lists()
        ),
        "proposals_awaiting_assembly": list(
            scoped(
                ExclusionProposal.objects.filter(status=ProposalStatus.AWAITING_ASSEMBLY)
            ).for_lists()
        ),
        "recent_decisions": list(
            scoped(AdmissionApplication.objects.filter(status__in=["admitted", "rejected"]))
            .for_lists()
            .order_by("-decided_at")[:10]
        ),
    }


def seats_of(coalition_ids) -> list[CommitteeSeat]:
    qs = CommitteeSeat.objects.for_display()
    if coalition_ids is not None:
        qs = qs.filter(coalition_id__in=coalition_ids)
    return list(qs.order_by("coalition__name", "-starts_on", "kind", "city__name", "institution"))


def memberships_for_bureau(coalition_ids) -> list[Membership]:
    qs = Membership.objects.filter(
        status__in=[MembershipStatus.MEMBER, MembershipStatus.SUSPENDED]
    ).select_related("city", "coalition")
    if coalition_ids is not None:
        qs = qs.filter(coalition_id__in=coalition_ids)
    return list(qs.order_by("coalition__name", "city__name"))


def committee_overview(user) -> dict:
    seats = access.held_seats(user)
    coalition_ids = {s.coalition_id for s in seats}
    return {
        "seats": list(CommitteeSeat.objects.filter(pk__in=[s.id for s in seats]).for_display()),
        "votes": open_votes_for_committee(user),
        "proposals": list(
            ExclusionProposal.objects.filter(coalition_id__in=coalition_ids)
            .for_lists()
            .order_by("-created_at")[:20]
        ),
        "closed_votes": recent_closed_votes(coalition_ids),
        "can_propose": any(s.is_voting for s in seats),
    }


# --- The coalition page's bodies --------------------------------------------------------------


def coalition_committee(coalition: Coalition) -> dict:
    """The coalition's current steering committee by kind, and past seats (one query)."""
    today = timezone.localdate()
    seats = list(
        CommitteeSeat.objects.filter(coalition=coalition)
        .select_related("city", "representative")
        .order_by("city__name", "institution", "-starts_on")
    )
    current = [
        s for s in seats if s.starts_on <= today and (s.ends_on is None or s.ends_on >= today)
    ]
    past = sorted(
        (s for s in seats if s.ends_on is not None and s.ends_on < today),
        key=lambda s: (s.ends_on, s.holder_name),
        reverse=True,
    )
    # When every current seat shares one term, the page states it once.
    terms = {(s.starts_on, s.ends_on) for s in current}
    return {
        "coalition": coalition,
        "voting": [s for s in current if s.kind == SeatKind.VOTING],
        "observers": [s for s in current if s.kind == SeatKind.OBSERVER],
        "advisers": [s for s in current if s.kind == SeatKind.ADVISER],
        "partners": [s for s in current if not s.city_id],
        "past": past,
        "has_committee": bool(current),
        "common_term": next(iter(terms)) if len(terms) == 1 else None,
    }


def coalition_officers(coalition: Coalition) -> list[CommitteeOfficer]:
    """The committee's current officers, the President first, each with the term (one query)."""
    return sorted(
        CommitteeOfficer.objects.current()
        .filter(coalition=coalition)
        .select_related("city", "person"),
        key=lambda o: (o.office != OfficerOffice.PRESIDENT, o.starts_on, o.city.name),
    )


def city_committee_seats(city) -> dict:
    """A city's seats on any coalition's steering committee, current and past, with terms
    (one query). For the city's public profile (members includes it through a tag)."""
    today = timezone.localdate()
    seats = list(
        CommitteeSeat.objects.filter(city=city)
        .select_related("coalition")
        .order_by("-starts_on", "coalition__short_name", "id")
    )
    return {
        "city": city,
        "current_seats": [
            s for s in seats if s.starts_on <= today and (s.ends_on is None or s.ends_on >= today)
        ],
        "past_seats": [s for s in seats if s.ends_on is not None and s.ends_on < today],
        "future_seats": [s for s in seats if s.starts_on > today],
    }


# --- Dashboard ----------------------------------------------------------------------------------


def dashboard_panels(user) -> list[dict]:
    """Panels for the personal dashboard: {"title", "body", "items": [{"label", "url"}]}."""
    panels: list[dict] = []
    if not getattr(user, "is_authenticated", False):
        return panels
    if access.held_seats(user):
        rows = open_votes_for_committee(user)
        waiting = [r for r in rows if r["waiting_for_me"]]
        panels.append(
            {
                "title": _("Votes waiting for you"),
                "body": (
                    " ".join(
                        (
                            ngettext(
                                "%(n)s vote is open in the steering committee.",
                                "%(n)s votes are open in the steering committee.",
                                len(rows),
                            )
                            % {"n": len(rows)},
                            ngettext(
                                "%(m)s waits for your vote.",
                                "%(m)s wait for your vote.",
                                len(waiting),
                            )
                            % {"m": len(waiting)},
                        )
                    )
                    if rows
                    else _("No vote is open in the steering committee.")
                ),
                "items": [
                    {"label": r["vote"].question, "url": r["vote"].get_absolute_url()}
                    for r in waiting
                ]
                + [{"label": _("Steering committee"), "url": reverse("governance:committee_home")}],
            }
        )
    applications = applications_of(user)
    if applications:
        panels.append(
            {
                "title": _("My applications"),
                "body": "",
                "items": [
                    {
                        "label": _("%(city)s → %(coalition)s: %(status)s")
                        % {
                            "city": a.city_display,
                            "coalition": a.coalition.short_name,
                            "status": a.get_status_display(),
                        },
                        "url": a.get_absolute_url(),
                    }
                    for a in applications[:5]
                ]
                + [
                    {
                        "label": _("All my applications"),
                        "url": reverse("governance:my_applications"),
                    }
                ],
            }
        )
    if access.is_bureau(user):
        ids = access.bureau_coalition_ids(user)

        def scoped(qs):
            return qs if ids is None else qs.filter(coalition_id__in=ids)

        waiting = scoped(AdmissionApplication.objects.waiting_for_bureau()).count()
        open_votes = scoped(CommitteeVote.objects.open()).count()
        awaiting = scoped(
            ExclusionProposal.objects.filter(
                status__in=[ProposalStatus.PROPOSED, ProposalStatus.AWAITING_ASSEMBLY]
            )
        ).count()
        panels.append(
            {
                "title": _("Bureau queue"),
                "body": get_text_list(
                    [
                        ngettext(
                            "%(n)s application waiting for you",
                            "%(n)s applications waiting for you",
                            waiting,
                        )
                        % {"n": waiting},
                        ngettext("%(n)s open vote", "%(n)s open votes", open_votes)
                        % {"n": open_votes},
                        ngettext(
                            "%(n)s exclusion proposal to handle",
                            "%(n)s exclusion proposals to handle",
                            awaiting,
                        )
                        % {"n": awaiting},
                    ],
                    _("and"),
                )
                + ".",
                "items": [
                    {"label": _("Open the bureau's page"), "url": reverse("governance:bureau_home")}
                ],
            }
        )

    return panels + delegate_panels(user)

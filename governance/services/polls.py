"""Polls of the General Assembly: who may open, cast, enter, close, release and confirm them.

The life of a poll is the engine's (`governance.engine.polls`); this module checks who acts
(the chair or the bureau run the room, the card holder votes for a city, a teller confirms)
and what may be put to the vote (only an item that may be decided, only while quorate), and
registers one subject per kind of poll. ADR 0015.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from governance import access, rules
from governance import selectors_attendance as reads
from governance.engine import PollSubject, register_poll
from governance.engine import polls as engine
from governance.engine.electorate import ELIGIBLE, RECUSED, Elector, Electorate
from governance.models import (
    AgendaItem,
    AgendaItemKind,
    AgendaItemStatus,
    Amendment,
    AssemblyPoll,
    BallotVia,
    CardHolding,
    CityBallot,
    PollKind,
    PollOption,
    ProposalStatus,
    Proxy,
    SessionStatus,
)
from governance.services import assemblies, exclusions, motions
from governance.services import minutes as minutes_services
from governance.services.attendance import check_quorum
from governance.services.common import GovernanceError
from members.models import City

#: The kinds of poll an agenda item of each kind may carry (the first is the default).
KINDS_FOR_ITEM: dict[str, tuple[str, ...]] = {
    AgendaItemKind.MOTION: (PollKind.MOTION, PollKind.AMENDMENT, PollKind.PROCEDURAL),
    AgendaItemKind.STATUTE_CHANGE: (PollKind.MOTION, PollKind.AMENDMENT, PollKind.PROCEDURAL),
    AgendaItemKind.EXCLUSION: (PollKind.EXCLUSION, PollKind.PROCEDURAL),
    AgendaItemKind.AWARD: (PollKind.CHOICE, PollKind.PROCEDURAL),
    AgendaItemKind.ELECTION: (PollKind.CHOICE, PollKind.PROCEDURAL),
}
DEFAULT_KINDS: tuple[str, ...] = (PollKind.MOTION, PollKind.PROCEDURAL, PollKind.CHOICE)


def kinds_for(item: AgendaItem) -> tuple[str, ...]:
    if item.status == AgendaItemStatus.PENDING_APPROVAL:
        return (PollKind.LATE_ITEM,)
    return KINDS_FOR_ITEM.get(item.kind, DEFAULT_KINDS)


# --- Subjects ---------------------------------------------------------------------------------


class AssemblySubject(PollSubject):
    """The cities with voting rights present as the poll opens; the city concerned is recused."""

    def electorate(self, poll: AssemblyPoll) -> Electorate:
        present = reads.present_voting_cities(poll.session)
        return Electorate(
            tuple(
                Elector(
                    None,
                    city_id,
                    RECUSED if city_id == poll.subject_city_id else ELIGIBLE,
                    "subject_city" if city_id == poll.subject_city_id else "present",
                )
                for city_id in present
            )
        )


class MotionSubject(AssemblySubject):
    def decision_kind(self, poll: AssemblyPoll) -> str:
        if poll.item.kind == AgendaItemKind.STATUTE_CHANGE:
            return rules.AssemblyDecisionKind.STATUTE_CHANGE
        return rules.AssemblyDecisionKind.ORDINARY

    def on_outcome(self, *, poll, outcome, actor) -> None:
        adopted = outcome == rules.Outcome.ADOPTED
        reference = f"poll {poll.pk}: {poll.arithmetic}"
        if poll.amendment_id:
            motions.record_amendment_outcome(
                actor=actor, amendment=poll.amendment, adopted=adopted, result_ref=reference
            )
        elif poll.motion_id:
            motions.record_motion_outcome(
                actor=actor, motion=poll.motion, adopted=adopted, result_ref=reference
            )
        if poll.item.kind == AgendaItemKind.MINUTES:
            minutes_services.record_assembly_vote(actor=actor, poll=poll, adopted=adopted)
        if poll.kind == PollKind.MOTION:
            AgendaItem.objects.filter(pk=poll.item_id).update(status=AgendaItemStatus.DECIDED)


class ProceduralSubject(AssemblySubject):
    """A procedural question: a simple majority, no consequence but the record."""


class LateItemSubject(AssemblySubject):
    """Whether to add an item at the session: the profile's late-item majority."""

    def decision_kind(self, poll) -> str:
        return rules.AssemblyDecisionKind.LATE_ITEM

    def on_outcome(self, *, poll, outcome, actor) -> None:
        assemblies.record_late_item_vote(
            actor=actor,
            item=poll.item,
            yes=poll.result["yes"],
            no=poll.result["no"],
            abstain=poll.result["abstain"],
        )


class ExclusionSubject(AssemblySubject):
    """The committee's adopted proposal: the city concerned recused; the outcome recorded."""

    def decision_kind(self, poll) -> str:
        return rules.AssemblyDecisionKind.EXCLUSION

    def on_outcome(self, *, poll, outcome, actor) -> None:
        exclusions.decide_exclusion_by_poll(actor=actor, poll=poll)


class ChoiceSubject(AssemblySubject):
    """A choice among options (the ECCAR Award by population band): the most votes wins."""

    is_choice = True


SUBJECTS = {
    PollKind.MOTION: MotionSubject(),
    PollKind.AMENDMENT: MotionSubject(),
    PollKind.PROCEDURAL: ProceduralSubject(),
    PollKind.LATE_ITEM: LateItemSubject(),
    PollKind.EXCLUSION: ExclusionSubject(),
    PollKind.CHOICE: ChoiceSubject(),
}
for _kind, _subject in SUBJECTS.items():
    register_poll(_kind, _subject)


def next_up(item: AgendaItem):
    """The amendment or motion of the item the voting order puts to the vote now (or None)."""
    motion = item.motions.filter(status="submitted").order_by("id").first()
    if motion is None:
        return None
    remaining = motions.next_to_put_to_vote(motion)
    return remaining[0] if remaining else None


def _motion_target(item: AgendaItem, kind: str) -> dict:
    """For a motion or amendment poll on an item carrying a motion: what the order says is next."""
    if kind not in (PollKind.MOTION, PollKind.AMENDMENT):
        return {}
    first = next_up(item)
    if first is None:
        return {}
    if isinstance(first, Amendment) != (kind == PollKind.AMENDMENT):
        if isinstance(first, Amendment):
            raise GovernanceError(
                _("Put the amendment of %(city)s (%(range)s) to the vote first.")
                % {"city": first.city.name, "range": first.range_label},
                field="kind",
            )
        raise GovernanceError(_("No amendment is left: put the motion as amended."), field="kind")
    motions.check_may_put_to_vote(first)
    if isinstance(first, Amendment):
        return {"amendment": first, "motion": first.motion}
    return {"motion": first}


# --- Who acts ---------------------------------------------------------------------------------


def is_chair(user, session) -> bool:
    """The chair runs the polls; the bureau of the coalition may stand in (the desk)."""
    return access.is_desk(user, session)


def is_teller(user, session) -> bool:
    return getattr(user, "is_authenticated", False) and user.pk in (
        session.teller_1_id,
        session.teller_2_id,
    )


def _require_chair(actor, session) -> None:
    if not is_chair(actor, session):
        raise GovernanceError(_("Only the chair or the bureau runs the polls."))


def _require_teller(actor, session) -> None:
    if not is_teller(actor, session):
        raise GovernanceError(_("Only a teller of the session can confirm this."))


# --- The chair --------------------------------------------------------------------------------


def open_poll(
    *,
    actor,
    item: AgendaItem,
    kind: str,
    question: str,
    named: bool = True,
    options: tuple[str, ...] = (),
) -> AssemblyPoll:
    """Open a poll on an item that may be decided, while the session is quorate."""
    item = AgendaItem.objects.select_related(
        "session__coalition", "exclusion_proposal__membership__city"
    ).get(pk=item.pk)
    session = item.session
    _require_chair(actor, session)
    if session.status != SessionStatus.IN_SESSION:
        raise GovernanceError(_("Polls are held while the session sits."))
    if kind not in kinds_for(item):
        raise GovernanceError(_("This kind of poll does not fit this item."), field="kind")
    if kind != PollKind.LATE_ITEM:
        assemblies.check_item_may_be_decided(item)
    subject_city = None
    if kind == PollKind.EXCLUSION:
        proposal = item.exclusion_proposal
        if proposal is None or proposal.status != ProposalStatus.AWAITING_ASSEMBLY:
            raise GovernanceError(
                _("No proposal of the steering committee awaits the assembly on this item.")
            )
        subject_city = proposal.membership.city
    target = _motion_target(item, kind)
    quorum = check_quorum(session)
    return engine.open_poll(
        actor=actor,
        session=session,
        item=item,
        kind=kind,
        question=question,
        named=named,
        options=options if kind == PollKind.CHOICE else (),
        subject_city=subject_city,
        quorum={
            "present": quorum.present,
            "with_voting_rights": quorum.with_voting_rights,
            "required": quorum.required,
            "convocation": quorum.convocation,
            "by_proxy": len(quorum.proxy_ids),
        },
        **target,
    )


def enter_hand_vote(
    *, actor, poll: AssemblyPoll, city: City, choice: str = "", option: PollOption | None = None
) -> CityBallot:
    """The chair enters a city's vote given by hand; it counts once a teller confirms it."""
    _require_chair(actor, poll.session)
    return engine.cast_ballot(
        actor=actor, poll=poll, city_id=city.pk, choice=choice, option=option, via=BallotVia.HAND
    )


def confirm_hand_vote(*, actor, ballot: CityBallot) -> CityBallot:
    _require_teller(actor, ballot.poll.session)
    return engine.confirm_hand_vote(actor=actor, ballot=ballot)


def close_poll(*, actor, poll: AssemblyPoll) -> AssemblyPoll:
    _require_chair(actor, poll.session)
    return engine.close_poll(actor=actor, poll=poll)


def cancel_poll(*, actor, poll: AssemblyPoll) -> AssemblyPoll:
    _require_chair(actor, poll.session)
    return engine.cancel_poll(actor=actor, poll=poll)


def release_result(*, actor, poll: AssemblyPoll) -> AssemblyPoll:
    _require_chair(actor, poll.session)
    return engine.release_result(actor=actor, poll=poll)


def confirm_result(*, actor, poll: AssemblyPoll) -> AssemblyPoll:
    _require_teller(actor, poll.session)
    return engine.confirm_result(actor=actor, poll=poll)


# --- The card holder --------------------------------------------------------------------------


def holding_of(user, session) -> CardHolding | None:
    """The voting card this person holds in the session now, if any (one query)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        CardHolding.objects.filter(session=session, holder=user, current=True)
        .select_related("city")
        .first()
    )


def proxies_held(user, session) -> list[Proxy]:
    """The proxies in force of the city whose card this person holds (one or two queries)."""
    holding = holding_of(user, session)
    if holding is None:
        return []
    return list(
        Proxy.objects.in_force()
        .filter(session=session, holder_id=holding.city_id)
        .select_related("principal")
        .order_by("principal__name", "id")
    )


def cast_ballot(
    *,
    actor,
    poll: AssemblyPoll,
    choice: str = "",
    option: PollOption | None = None,
    city: City | None = None,
) -> CityBallot:
    """The person holding a city's card casts the city's one ballot.

    With `city` another than the card's, the ballot is that city's, cast by proxy: the card
    holder's city must hold a validated proxy of it. Each city gets its own ballot.
    """
    holding = holding_of(actor, poll.session)
    if holding is None:
        raise GovernanceError(_("Only the person holding a city's voting card can vote."))
    if city is not None and city.pk != holding.city_id:
        proxy = (
            Proxy.objects.in_force()
            .filter(session_id=poll.session_id, principal=city, holder_id=holding.city_id)
            .first()
        )
        if proxy is None:
            raise GovernanceError(
                _("Your city holds no proxy of %(city)s in force.") % {"city": city.name}
            )
        return engine.cast_ballot(
            actor=actor,
            poll=poll,
            city_id=city.pk,
            choice=choice,
            option=option,
            holding=holding,
            proxy=proxy,
            via=BallotVia.PROXY,
        )
    return engine.cast_ballot(
        actor=actor,
        poll=poll,
        city_id=holding.city_id,
        choice=choice,
        option=option,
        holding=holding,
        via=BallotVia.CARD,
    )

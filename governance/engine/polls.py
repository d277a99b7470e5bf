"""Assembly polls on the engine: the electors are cities, one ballot each, cast by a card holder.

The same shape as committee votes (`governance.engine.votes`): a registered subject per kind
(`PollSubject`, in `governance.engine.registry`) builds the electorate and carries out the
outcome; the electorate is an `Electorate` of `Elector`s frozen as rows when the poll opens;
the rule is copied from the statute snapshot; the result is computed once at the close by
the pure functions of `governance.rules`. What differs (ADR 0015): the chair opens and closes
a poll in the room (no closing date), a ballot is never changed, a vote given by hand is
entered by the chair and confirmed by a teller, and the result is released by the chair and
confirmed by a teller before anyone else sees it.
"""

from __future__ import annotations

from typing import Any, cast

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coalition import audit
from coalition.services import model_update
from governance import rules
from governance.engine.electorate import ELIGIBLE, Elector, Electorate
from governance.engine.registry import poll_subject_for
from governance.errors import GovernanceError
from governance.models import (
    RESULT_STATUSES,
    AgendaItem,
    AssemblyPoll,
    AssemblySession,
    BallotVia,
    CardHolding,
    Choice,
    CityBallot,
    PollElector,
    PollOption,
    PollStatus,
    Proxy,
    ProxyStatus,
)
from governance.rules import Outcome
from members.models import City


class SecondBallotError(GovernanceError):
    """The city has a ballot already: the attempt is refused (and audited by `cast_ballot`)."""


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def lock_poll(poll: AssemblyPoll) -> AssemblyPoll:
    return (
        AssemblyPoll.objects.select_for_update(of=("self",))
        .select_related("session")
        .get(pk=poll.pk)
    )


def opening_electorate(poll: AssemblyPoll) -> Electorate:
    return Electorate(
        tuple(Elector(None, e.city_id, e.status, e.reason) for e in poll.electors.order_by("id"))
    )


@transaction.atomic
def open_poll(
    *,
    actor,
    session: AssemblySession,
    item: AgendaItem,
    kind: str,
    question: str,
    named: bool = True,
    options: tuple[str, ...] = (),
    subject_city: City | None = None,
    quorum: dict | None = None,
    motion=None,
    amendment=None,
) -> AssemblyPoll:
    """Open a poll of `kind` on `item` (the caller has checked the item and the quorum)."""
    subject = poll_subject_for(kind)
    if not question.strip():
        raise GovernanceError(_("Write the question put to the vote."), field="question")
    options = tuple(o.strip() for o in options if o.strip())
    if subject.is_choice and len(options) < 2:
        raise GovernanceError(_("A choice needs at least two options."), field="options")
    snapshot = dict(session.statute_snapshot or {})
    poll = AssemblyPoll(
        session=session,
        item=item,
        kind=kind,
        question=question.strip()[:300],
        named=named,
        subject_city=subject_city,
        motion=motion,
        amendment=amendment,
        statute_snapshot=snapshot,
        opened_by=_actor(actor),
        quorum_at_opening=quorum or {},
    )
    poll.decision_kind = subject.decision_kind(poll)
    poll.rule = {
        "decision_kind": poll.decision_kind,
        "majority": rules.assembly_majority_rule(snapshot, poll.decision_kind),
        "abstentions_count_as_cast": bool(snapshot.get("abstentions_count_as_cast")),
        "statute_version": snapshot.get("version"),
        "source": (snapshot.get("sources") or {}).get(f"majority_{poll.decision_kind}", ""),
    }
    electorate = subject.electorate(poll)
    if not electorate.cities(ELIGIBLE):
        raise GovernanceError(_("No city with voting rights is present: nobody could vote."))
    try:
        with transaction.atomic():
            poll.save()
    except IntegrityError as exc:
        raise GovernanceError(_("Another poll is open in this session: close it first.")) from exc
    now = timezone.now()
    PollElector.objects.bulk_create(
        PollElector(
            poll=poll,
            city_id=cast("int", e.city_id),  # an assembly's electors are cities
            status=e.status,
            reason=e.reason,
            recorded_at=now,
        )
        for e in electorate.electors
    )
    PollOption.objects.bulk_create(
        PollOption(poll=poll, position=i, label=label[:200]) for i, label in enumerate(options, 1)
    )
    audit.record(
        actor=actor,
        target=poll,
        verb="poll.opened",
        to_state=PollStatus.OPEN,
        message=poll.question,
        data={
            "item": item.pk,
            "rule": poll.rule,
            "quorum": poll.quorum_at_opening,
            "eligible_cities": electorate.cities(ELIGIBLE),
            "recused_cities": electorate.cities("recused"),
        },
    )
    subject.opened(poll=poll, actor=actor)
    return poll


def _lock_elector(poll: AssemblyPoll, city_id: int) -> PollElector | None:
    """Lock the city's row of the electorate: two people of one city are served in turn."""
    # of=self: the default ordering joins the city, whose row must not be locked (the foreign
    # key checks of a check-in or a ballot for the city take FOR KEY SHARE on it).
    return (
        PollElector.objects.select_for_update(of=("self",))
        .filter(poll=poll, city_id=city_id)
        .first()
    )


def _lock_proxy_in_force(poll: AssemblyPoll, city_id: int, proxy: Proxy) -> bool:
    """Lock the proxy's row; whether it is still validated for this city and session."""
    return (
        Proxy.objects.select_for_update(of=("self",))
        .filter(
            pk=proxy.pk,
            status=ProxyStatus.VALIDATED,
            session_id=poll.session_id,
            principal_id=city_id,
        )
        .exists()
    )


def _check_choice(poll: AssemblyPoll, choice: str, option: PollOption | None) -> None:
    if poll.is_choice:
        if option is None and choice != Choice.ABSTAIN:
            raise GovernanceError(_("Choose one of the options, or abstain."), field="choice")
        if option is not None and option.poll_id != poll.pk:
            raise GovernanceError(_("Choose one of the options, or abstain."), field="choice")
    elif option is not None or choice not in Choice.values:
        raise GovernanceError(_("Choose yes, no or abstain."), field="choice")


@transaction.atomic
def _cast(
    *,
    actor,
    poll: AssemblyPoll,
    city_id: int,
    choice: str,
    option: PollOption | None,
    via: str,
    holding: CardHolding | None,
    proxy: Proxy | None = None,
) -> CityBallot:
    elector = _lock_elector(poll, city_id)
    # Read the poll after the lock: a close that locked the electorate first has committed.
    poll = AssemblyPoll.objects.get(pk=poll.pk)
    if poll.status != PollStatus.OPEN:
        raise GovernanceError(_("This poll is closed: no ballot can be cast."))
    if elector is None:
        raise GovernanceError(_("This city was not present with voting rights at the opening."))
    if elector.status != ELIGIBLE:
        raise GovernanceError(_("This city is recused from this poll: it is its subject."))
    # By proxy, the card is the holder city's; the proxy must still be in force: its row is
    # locked (a check-in of the principal city ends it under the same lock, and both take
    # their locks before any audit record, so they cannot deadlock).
    card_city = proxy.holder_id if proxy is not None else city_id
    if proxy is not None and not _lock_proxy_in_force(poll, city_id, proxy):
        raise GovernanceError(_("This proxy is no longer in force: the city votes itself."))
    if (
        holding is not None
        and not CardHolding.objects.filter(
            pk=holding.pk, current=True, holder=actor, city_id=card_city
        ).exists()
    ):
        raise GovernanceError(_("Only the person holding the city's voting card can vote."))
    existing = CityBallot.objects.filter(poll=poll, city_id=city_id).values_list("pk", flat=True)
    if existing:
        raise SecondBallotError(_("This city has voted already: one city, one ballot."))
    _check_choice(poll, choice, option)
    try:
        with transaction.atomic():
            ballot = CityBallot.objects.create(
                poll=poll,
                city_id=city_id,
                choice="" if option is not None else choice,
                option=option,
                via=via,
                cast_by=actor,
                holding_ref=holding.pk if holding is not None else None,
                proxy_ref=proxy.pk if proxy is not None else None,
            )
    except IntegrityError as exc:
        raise SecondBallotError(_("This city has voted already: one city, one ballot.")) from exc
    audit.record(
        actor=actor,
        target=poll,
        verb="poll.hand_vote_entered" if via == BallotVia.HAND else "poll.ballot_cast",
        data={
            "city": city_id,
            "ballot": ballot.pk,
            "via": via,
            **({"proxy": proxy.pk, "holder_city": proxy.holder_id} if proxy else {}),
        },
    )  # the choice is not in the log while the poll is open
    return ballot


def cast_ballot(
    *,
    actor,
    poll: AssemblyPoll,
    city_id: int,
    choice: str = "",
    option: PollOption | None = None,
    holding: CardHolding | None = None,
    via: str = BallotVia.CARD,
    proxy: Proxy | None = None,
) -> CityBallot:
    """Record a city's one ballot. A second attempt is refused, and the refusal audited."""
    try:
        return _cast(
            actor=actor,
            poll=poll,
            city_id=city_id,
            choice=choice,
            option=option,
            via=via,
            holding=holding,
            proxy=proxy,
        )
    except SecondBallotError:
        audit.record(
            actor=actor,
            target=poll,
            verb="poll.second_ballot_refused",
            data={"city": city_id, "via": via},
        )
        raise


@transaction.atomic
def confirm_hand_vote(*, actor, ballot: CityBallot) -> CityBallot:
    ballot = (
        CityBallot.objects.select_for_update(of=("self",)).select_related("poll").get(pk=ballot.pk)
    )
    if ballot.via != BallotVia.HAND:
        raise GovernanceError(_("Only a vote given by hand needs a teller's confirmation."))
    if ballot.confirmed_at is not None:
        raise GovernanceError(_("This vote is confirmed already."))
    if ballot.poll.status != PollStatus.OPEN:
        raise GovernanceError(_("This poll is closed."))
    if ballot.cast_by_id == getattr(actor, "pk", None):
        raise GovernanceError(_("The person who entered a vote cannot confirm it."))
    model_update(
        ballot,
        fields={"confirmed_by": _actor(actor), "confirmed_at": timezone.now()},
        actor=actor,
    )
    audit.record(
        actor=actor,
        target=ballot.poll,
        verb="poll.hand_vote_confirmed",
        data={"city": ballot.city_id, "ballot": ballot.pk},
    )
    return ballot


def progress(poll: AssemblyPoll) -> tuple[int, int]:
    """(cities that voted, cities that may vote): all anyone sees while the poll is open."""
    eligible = poll.electors.filter(status=ELIGIBLE).count()
    voted = poll.ballots.filter(city__in=poll.electors.filter(status=ELIGIBLE).values("city"))
    return voted.count(), eligible


def _result(poll: AssemblyPoll, eligible: set[int]) -> tuple[str, dict]:
    ballots = [
        b
        for b in poll.ballots.select_related("city", "option").order_by("city__name")
        if b.city_id in eligible
    ]
    named = [
        {"city": b.city.name, "vote": b.option.label if b.option else b.choice, "via": b.via}
        for b in ballots
    ]
    common: dict[str, Any] = {"electorate": len(eligible), "ballots": len(ballots)}
    if poll.named:
        common["named"] = named
    if poll.is_choice:
        options = list(poll.options.order_by("position"))
        counts = {o.pk: 0 for o in options}
        abstain = 0
        for b in ballots:
            if b.option_id:
                counts[b.option_id] += 1
            else:
                abstain += 1
        top = max(counts.values(), default=0)
        leaders = [o for o in options if counts[o.pk] == top and top > 0]
        winner = leaders[0] if len(leaders) == 1 else None
        result = {
            **common,
            "options": [{"id": o.pk, "label": o.label, "votes": counts[o.pk]} for o in options],
            "abstain": abstain,
            "winner": winner.label if winner else "",
        }
        return (f"option:{winner.pk}" if winner else "tie"), result
    numbers = dict.fromkeys(Choice.values, 0)
    for b in ballots:
        numbers[b.choice] += 1
    figures = rules.assembly_poll_result(
        poll.statute_snapshot,
        poll.decision_kind,
        numbers[Choice.YES],
        numbers[Choice.NO],
        numbers[Choice.ABSTAIN],
    )
    outcome = Outcome.ADOPTED if figures["adopted"] else Outcome.REJECTED
    return outcome, {**common, **figures}


@transaction.atomic
def close_poll(*, actor, poll: AssemblyPoll) -> AssemblyPoll:
    """Close the poll and compute its result once (kept from everyone but the chair and tellers)."""
    poll = lock_poll(poll)
    if poll.status != PollStatus.OPEN:
        raise GovernanceError(_("This poll is not open."))
    # Wait for the casts in flight: each holds its city's row until it commits.
    electors = list(PollElector.objects.select_for_update(of=("self",)).filter(poll=poll))
    if poll.ballots.filter(via=BallotVia.HAND, confirmed_at__isnull=True).exists():
        raise GovernanceError(_("A vote given by hand awaits a teller's confirmation."))
    eligible = {e.city_id for e in electors if e.status == ELIGIBLE}
    outcome, result = _result(poll, eligible)
    result["rule"] = poll.rule
    with translation.override("en"):
        arithmetic = rules.describe_poll_result(result)
    model_update(
        poll,
        fields={
            "status": PollStatus.CLOSED,
            "closed_by": _actor(actor),
            "closed_at": timezone.now(),
            "outcome": outcome,
            "result": result,
            "arithmetic": arithmetic,
        },
        actor=actor,
    )
    audit.record(
        actor=actor,
        target=poll,
        verb="poll.closed",
        from_state=PollStatus.OPEN,
        to_state=PollStatus.CLOSED,
        data={"ballots": result["ballots"], "electorate": result["electorate"]},
    )  # the figures enter the log when they are published
    return poll


@transaction.atomic
def release_result(*, actor, poll: AssemblyPoll) -> AssemblyPoll:
    poll = lock_poll(poll)
    if poll.status != PollStatus.CLOSED:
        raise GovernanceError(_("Only a closed poll's result can be released."))
    model_update(
        poll,
        fields={
            "status": PollStatus.RELEASED,
            "released_by": _actor(actor),
            "released_at": timezone.now(),
        },
        actor=actor,
    )
    audit.record(
        actor=actor,
        target=poll,
        verb="poll.released",
        from_state=PollStatus.CLOSED,
        to_state=poll.status,
    )
    return poll


@transaction.atomic
def confirm_result(*, actor, poll: AssemblyPoll) -> AssemblyPoll:
    """A teller confirms the released result: it becomes public and its outcome is carried out."""
    poll = lock_poll(poll)
    if poll.status != PollStatus.RELEASED:
        raise GovernanceError(_("Only a released result can be confirmed."))
    if poll.released_by_id == getattr(actor, "pk", None):
        raise GovernanceError(_("The person who released the result cannot confirm it."))
    model_update(
        poll,
        fields={
            "status": PollStatus.PUBLISHED,
            "confirmed_by": _actor(actor),
            "confirmed_at": timezone.now(),
        },
        actor=actor,
    )
    audit.record(
        actor=actor,
        target=poll,
        verb="poll.published",
        from_state=PollStatus.RELEASED,
        to_state=poll.status,
        message=poll.arithmetic,
        data={"outcome": poll.outcome, "result": poll.result},
    )
    poll_subject_for(poll.kind).on_outcome(poll=poll, outcome=poll.outcome, actor=actor)
    return poll


@transaction.atomic
def cancel_poll(*, actor, poll: AssemblyPoll) -> AssemblyPoll:
    """Cancel an open poll (the quorum was lost, the question was wrong): no result at all."""
    poll = lock_poll(poll)
    if poll.status != PollStatus.OPEN:
        raise GovernanceError(_("This poll is not open."))
    model_update(
        poll,
        fields={
            "status": PollStatus.CANCELLED,
            "closed_by": _actor(actor),
            "closed_at": timezone.now(),
        },
        actor=actor,
    )
    audit.record(
        actor=actor,
        target=poll,
        verb="poll.cancelled",
        from_state=PollStatus.OPEN,
        to_state=poll.status,
    )
    return poll


def result_visible(poll: AssemblyPoll, *, officer: bool) -> bool:
    """Everyone sees a published result; the chair and the tellers see it from the close."""
    if poll.status == PollStatus.PUBLISHED:
        return True
    return officer and poll.status in RESULT_STATUSES

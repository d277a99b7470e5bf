"""Polls on the demo's motion and its amendments: the voting order decides what may be put, and the
published result goes to the motions' services (a merged version, then the motion as amended)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from governance.demo import MOTION_TITLE, NEXT_ASSEMBLY_TITLE
from governance.models import Amendment, AssemblySession, Motion, Registration
from governance.services import GovernanceError, attendance, motions
from governance.services import polls as services


@pytest.fixture
def sitting(demo, bureau, delegate, committee_member):
    session = AssemblySession.objects.get(title=NEXT_ASSEMBLY_TITLE)
    now = timezone.now()
    AssemblySession.objects.filter(pk=session.pk).update(
        status="in_session",
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=6),
        teller_1=committee_member,
        statute_snapshot={**session.statute_snapshot, "quorum_kind": "none"},
    )
    session.refresh_from_db()
    registration = Registration.objects.get(session=session, person=delegate)
    attendance.check_in(actor=bureau, registration=registration, channel="desk")
    return session


def _run(session, bureau, delegate, teller, kind, choice="yes"):
    item = session.items.get(kind="motion")
    poll = services.open_poll(actor=bureau, item=item, kind=kind, question="Adopt?")
    services.cast_ballot(actor=delegate, poll=poll, choice=choice)
    services.close_poll(actor=bureau, poll=poll)
    services.release_result(actor=bureau, poll=poll)
    return services.confirm_result(actor=teller, poll=poll)


def test_the_voting_order_is_enforced_and_the_outcomes_recorded(
    sitting, bureau, delegate, committee_member
):
    motion = Motion.objects.get(title=MOTION_TITLE)
    first = motions.next_to_put_to_vote(motion)[0]
    assert isinstance(first, Amendment)
    item = sitting.items.get(kind="motion")
    with pytest.raises(GovernanceError, match="amendment of"):
        services.open_poll(actor=bureau, item=item, kind="motion", question="The motion?")
    poll = _run(sitting, bureau, delegate, committee_member, "amendment")
    assert poll.amendment == first and poll.motion == motion
    first.refresh_from_db()
    assert first.status == "adopted" and f"poll {poll.pk}" in first.result_ref
    # Each remaining amendment in turn (rejected), then the motion as amended.
    while isinstance(services.next_up(item), Amendment):
        _run(sitting, bureau, delegate, committee_member, "amendment", "no")
    poll = _run(sitting, bureau, delegate, committee_member, "motion")
    motion.refresh_from_db()
    assert poll.motion == motion and poll.amendment is None
    assert motion.status == "adopted" and motion.adopted_sha256
    assert services.next_up(item) is None

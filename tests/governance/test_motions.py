"""Motions and amendments through their services and pages: deadlines, numbering, conflicts,
the voting order with a fallen amendment, merged versions and hashes, the declaration's public
page and PDF, and the motions list's query count."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from coalition.models import AuditEvent
from governance import declarations, selectors_motions
from governance import motion_text as mt
from governance.demo import DECLARATION_TITLE, MOTION_TITLE, NEXT_ASSEMBLY_TITLE
from governance.errors import GovernanceError
from governance.models import (
    Amendment,
    AssemblySession,
    DeclarationPDF,
    Motion,
    MotionVersion,
)
from governance.services import assemblies
from governance.services import motions as services
from members.models import City


@pytest.fixture
def session(demo):
    return AssemblySession.objects.get(title=NEXT_ASSEMBLY_TITLE)


@pytest.fixture
def motion(demo):
    return Motion.objects.get(title=MOTION_TITLE)


def amendments_of(motion):
    potsdam = Amendment.objects.get(motion=motion, city__name="Potsdam")
    graz_replace = Amendment.objects.get(motion=motion, city__name="Graz", operation="replace")
    graz_insert = Amendment.objects.get(motion=motion, city__name="Graz", operation="insert_after")
    return potsdam, graz_replace, graz_insert


def _shift_deadline(session, key: str, days: int) -> None:
    snapshot = dict(session.statute_snapshot)
    snapshot[key] = days
    AssemblySession.objects.filter(pk=session.pk).update(statute_snapshot=snapshot)
    session.refresh_from_db()


def _start_in(session) -> int:
    return (session.local_starts_at.date() - timezone.localdate(timezone.now(), session.zone)).days


def test_a_motion_after_the_deadline_is_refused_with_the_date_and_the_source(session, coordinator):
    _shift_deadline(session, "motion_deadline_days", _start_in(session) + 1)
    due = services.deadline(session, "motion").due
    with pytest.raises(GovernanceError) as refused:
        services.submit_motion(
            actor=coordinator,
            session=session,
            item=session.items.get(kind="motion"),
            kind="resolution",
            title="Too late",
            language="en",
            lines=mt.build(body="A line."),
            submitter="city",
            city=City.objects.get(name="Potsdam"),
        )
    message = str(refused.value)
    assert message.startswith("Motions to this session were due by")
    assert str(due.year) in message and "Statute 2019 §7(5)" in message
    assert f"{_start_in(session) + 1} days before it starts" in message


def test_the_motion_form_shows_the_deadline_refusal(client, session, coordinator):
    _shift_deadline(session, "motion_deadline_days", _start_in(session) + 1)
    client.force_login(coordinator)
    item = session.items.get(kind="motion")
    potsdam = City.objects.get(name="Potsdam")
    response = client.post(
        reverse("governance:motion_submit", kwargs={"pk": session.pk}),
        {
            "item": item.pk,
            "kind": "resolution",
            "title": "Too late",
            "submitter": f"city:{potsdam.pk}",
            "language": "en",
            "body": "A line.",
        },
    )
    assert response.status_code == 400
    assert "Motions to this session were due by" in response.content.decode()
    assert not Motion.objects.filter(title="Too late").exists()


def test_an_amendment_after_its_deadline_is_refused(motion, coordinator):
    _shift_deadline(motion.session, "amendment_deadline_days", _start_in(motion.session) + 1)
    with pytest.raises(GovernanceError, match="Amendments to this session were due by"):
        services.submit_amendment(
            actor=coordinator,
            motion=motion,
            city=City.objects.get(name="Potsdam"),
            operation="delete",
            first_line=1,
            last_line=1,
            new_text=[],
            justification="Shorter.",
        )


def test_a_city_submits_a_motion_with_numbered_lines_and_its_hash(session, coordinator):
    lines = mt.build(body="First line\n\nSecond line")
    motion = services.submit_motion(
        actor=coordinator,
        session=session,
        item=session.items.get(kind="motion"),
        kind="resolution",
        title="Two lines",
        language="en",
        lines=lines,
        submitter="city",
        city=City.objects.get(name="Potsdam"),
    )
    version = motion.versions.get()
    assert version.number == 1 and version.sha256 == mt.sha256(lines)
    numbered = selectors_motions.numbered_lines(version)
    assert [(n.number, n.text) for n in numbered] == [(1, "First line"), (2, "Second line")]
    assert AuditEvent.objects.filter(verb="motion.submitted", object_id=str(motion.pk)).exists()


def test_an_outsider_cannot_submit_for_a_city(session, delegate, outsider):
    with pytest.raises(GovernanceError, match="Only a coordinator or delegate"):
        services.submit_motion(
            actor=outsider,
            session=session,
            item=session.items.get(kind="motion"),
            kind="resolution",
            title="Not mine",
            language="en",
            lines=mt.build(body="A line."),
            submitter="city",
            city=City.objects.get(name="Potsdam"),
        )


def test_overlapping_amendments_are_flagged_on_both(motion):
    potsdam, graz_replace, graz_insert = amendments_of(motion)
    conflicts = selectors_motions.conflicting_amendments(list(motion.amendments.all()))
    assert conflicts[potsdam.pk] == {graz_replace.pk}
    assert conflicts[graz_replace.pk] == {potsdam.pk}
    assert conflicts[graz_insert.pk] == set()


def test_the_voting_order_puts_the_furthest_reaching_first_then_the_motion(motion):
    potsdam, graz_replace, graz_insert = amendments_of(motion)
    assert services.next_to_put_to_vote(motion) == [potsdam, graz_replace, graz_insert, motion]
    with pytest.raises(GovernanceError, match="Put the amendment of Potsdam"):
        services.check_may_put_to_vote(graz_replace)
    with pytest.raises(GovernanceError, match="Put the amendment of Potsdam"):
        services.check_may_put_to_vote(motion)
    services.check_may_put_to_vote(potsdam)


def test_an_adopted_amendment_merges_a_new_version_and_the_conflicting_one_falls(motion, bureau):
    potsdam, graz_replace, graz_insert = amendments_of(motion)
    v1 = services.current_version(motion)
    v1_lines = selectors_motions.numbered_lines(v1)
    services.record_amendment_outcome(
        actor=bureau, amendment=potsdam, adopted=True, result_ref="poll 1"
    )
    graz_replace.refresh_from_db()
    assert graz_replace.status == "fallen" and graz_replace.fallen_because_id == potsdam.pk
    v2 = services.current_version(motion)
    assert v2.number == 2 and v2.amendment_id == potsdam.pk
    expected = mt.merge(
        mt.from_json(v1.lines), [mt.Change("replace", 4, 5, tuple(potsdam.new_text))]
    )
    assert mt.from_json(v2.lines) == expected and v2.sha256 == mt.sha256(expected)
    # Version 1's numbers do not move.
    assert selectors_motions.numbered_lines(MotionVersion.objects.get(pk=v1.pk)) == v1_lines
    assert services.next_to_put_to_vote(motion) == [graz_insert, motion]
    services.record_amendment_outcome(actor=bureau, amendment=graz_insert, adopted=True)
    v3 = services.current_version(motion)
    assert v3.number == 3
    assert mt.from_json(v3.lines) == mt.merge(
        mt.from_json(v1.lines),
        [
            mt.Change("replace", 4, 5, tuple(potsdam.new_text)),
            mt.Change("insert_after", 7, 7, tuple(graz_insert.new_text)),
        ],
    )
    motion = services.record_motion_outcome(
        actor=bureau, motion=motion, adopted=True, result_ref="poll 3"
    )
    assert motion.adopted_version_id == v3.pk and motion.adopted_sha256 == v3.sha256
    assert services.next_to_put_to_vote(motion) == []
    with pytest.raises(GovernanceError):
        services.check_may_put_to_vote(motion)
    event = AuditEvent.objects.get(verb="motion.decided", object_id=str(motion.pk))
    assert event.data["sha256"] == v3.sha256 and event.to_state == "adopted"
    assert AuditEvent.objects.filter(verb="amendment.fallen", object_id=str(graz_replace.pk))


def test_a_rejected_amendment_lets_the_conflicting_one_come_up(motion, bureau):
    potsdam, graz_replace, graz_insert = amendments_of(motion)
    services.record_amendment_outcome(actor=bureau, amendment=potsdam, adopted=False)
    assert services.next_to_put_to_vote(motion) == [graz_replace, graz_insert, motion]
    assert services.current_version(motion).number == 1


def test_no_amendment_once_voting_has_begun(motion, bureau, coordinator):
    potsdam, _graz_replace, _graz_insert = amendments_of(motion)
    services.record_amendment_outcome(actor=bureau, amendment=potsdam, adopted=False)
    with pytest.raises(GovernanceError, match="Voting on the amendments has begun"):
        services.submit_amendment(
            actor=coordinator,
            motion=motion,
            city=City.objects.get(name="Potsdam"),
            operation="delete",
            first_line=1,
            last_line=1,
            new_text=[],
            justification="Shorter.",
        )


def test_recommendation_accepted_puts_the_modified_text_to_the_vote(
    motion, committee_member, coordinator, bureau
):
    potsdam, graz_replace, _graz_insert = amendments_of(motion)
    services.recommend_amendment(
        actor=committee_member,
        amendment=potsdam,
        recommendation="adopt_modified",
        text=["Decides on a common data standard within two cycles;"],
        note="Shorter.",
    )
    with pytest.raises(GovernanceError, match="Only the submitting city"):
        services.respond_to_recommendation(actor=bureau, amendment=potsdam, accept=True)
    potsdam = services.respond_to_recommendation(actor=coordinator, amendment=potsdam, accept=True)
    assert potsdam.response == "accepted" and potsdam.recommended_as == "committee"
    services.record_amendment_outcome(actor=bureau, amendment=potsdam, adopted=True)
    texts = [line.text for line in mt.from_json(services.current_version(motion).lines)]
    assert "Decides on a common data standard within two cycles;" in texts
    assert texts.count("Decides on a common data standard within two cycles;") == 1


def test_a_withdrawn_amendment_leaves_the_order_and_its_conflicts(motion, coordinator):
    potsdam, graz_replace, graz_insert = amendments_of(motion)
    services.withdraw_amendment(actor=coordinator, amendment=potsdam)
    assert services.next_to_put_to_vote(motion) == [graz_replace, graz_insert, motion]
    conflicts = selectors_motions.conflicting_amendments(list(motion.amendments.all()))
    assert conflicts[graz_replace.pk] == set()


def test_the_motion_page_shows_lines_conflicts_and_the_voting_order(client, motion, delegate):
    client.force_login(delegate)
    response = client.get(reverse("governance:motion_detail", kwargs={"pk": motion.pk}))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="current-line-4"' in html and 'value="7"' in html
    assert html.count(">Conflicting</span>") == 2
    assert "Voting order" in html and "The motion as amended" in html


def test_withdrawing_through_the_page_asks_first(client, motion, coordinator):
    potsdam, *_ = amendments_of(motion)
    client.force_login(coordinator)
    url = reverse("governance:amendment_withdraw", kwargs={"pk": potsdam.pk})
    assert client.post(url, {}).status_code == 200  # the confirmation page, nothing changed
    potsdam.refresh_from_db()
    assert potsdam.status == "submitted"
    assert client.post(url, {"confirmed": "1"}).status_code == 302
    potsdam.refresh_from_db()
    assert potsdam.status == "withdrawn"


def test_the_amendment_form_posts_an_amendment(client, motion, coordinator):
    client.force_login(coordinator)
    potsdam = City.objects.get(name="Potsdam")
    response = client.post(
        reverse("governance:amendment_submit", kwargs={"pk": motion.pk}),
        {
            "city": potsdam.pk,
            "operation": "insert_after",
            "first_line": "0",
            "new_text": "A new first line.",
            "justification": "An opening.",
        },
    )
    assert response.status_code == 302
    amendment = Amendment.objects.get(motion=motion, first_line=0)
    assert (
        amendment.new_text == ["A new first line."]
        and amendment.summary == "Insertion before line 1"
    )


# --- The published declaration --------------------------------------------------------------


def test_the_demo_declaration_is_public_with_its_translation_marked(client, demo):
    motion = Motion.objects.get(title=DECLARATION_TITLE)
    response = client.get(reverse("governance:declaration_detail", kwargs={"slug": motion.slug}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Concerned with the persistence of racism" in html
    assert "Translation; the English text is authoritative." in html
    assert 'lang="fr"' in html and motion.adopted_sha256 in html


def _adopted_declaration(session, bureau, committee_member, text: str) -> Motion:
    motion = services.submit_motion(
        actor=committee_member,
        session=session,
        item=session.items.get(kind="motion"),
        kind="declaration",
        title="Declaration <b>of</b> Potsdam",
        language="en",
        lines=mt.build(preamble=f"Concerned with {text},", operative="Call upon cities;"),
        submitter="committee",
    )
    return services.record_motion_outcome(actor=bureau, motion=motion, adopted=True)


def test_a_published_declaration_has_a_pdf_with_the_escaped_text(
    client, session, bureau, committee_member
):
    hostile = '<script>alert("x")</script> & <i>cities</i>'
    motion = _adopted_declaration(session, bureau, committee_member, hostile)
    motion = services.publish_declaration(actor=bureau, motion=motion)
    assert declarations.render_declaration(motion.pk) in ("ready", "skipped")
    pdf = DeclarationPDF.objects.get(motion=motion)
    assert pdf.is_ready and len(pdf.sha256) == 64
    response = client.get(reverse("governance:declaration_pdf", kwargs={"slug": motion.slug}))
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "<script>alert" in " ".join(text.split())
    assert "Declaration <b>of</b> Potsdam" in " ".join(text.split())
    assert motion.adopted_sha256 in text.replace("\n", "")
    page = client.get(reverse("governance:declaration_detail", kwargs={"slug": motion.slug}))
    html = page.content.decode()
    assert "&lt;script&gt;alert" in html and "<script>alert" not in html


def test_only_an_adopted_declaration_is_published(motion, bureau):
    with pytest.raises(GovernanceError, match="Only an adopted declaration"):
        services.publish_declaration(actor=bureau, motion=motion)


# --- Query counts -------------------------------------------------------------------------


def _fill(session, committee_member, coordinator, n: int) -> None:
    potsdam = City.objects.get(name="Potsdam")
    item = session.items.get(kind="motion")
    for i in range(n):
        motion = services.submit_motion(
            actor=committee_member,
            session=session,
            item=item,
            kind="resolution",
            title=f"Motion {i}",
            language="en",
            lines=mt.build(body="one\ntwo\nthree"),
            submitter="committee",
        )
        for first in (1, 2):
            services.submit_amendment(
                actor=coordinator,
                motion=motion,
                city=potsdam,
                operation="delete",
                first_line=first,
                last_line=first + 1,
                new_text=[],
                justification="Shorter.",
            )


def _list_queries(client, session) -> int:
    url = reverse("governance:session_motions", kwargs={"pk": session.pk})
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_motions_list_costs_the_same_queries_at_two_sizes(
    client, session, committee_member, coordinator
):
    client.force_login(coordinator)
    _fill(session, committee_member, coordinator, 2)
    small = _list_queries(client, session)
    _fill(session, committee_member, coordinator, 20)
    large = _list_queries(client, session)
    assert Motion.objects.filter(session=session).count() == 23
    assert large == small
    with CaptureQueriesContext(connection) as queries:
        rows = selectors_motions.motions_of_session(session)
    assert len(queries) == 2 and sum(r.conflicting for r in rows) == 2 + 22 * 2


def test_the_motion_page_costs_the_same_queries_with_more_amendments(client, motion, coordinator):
    client.force_login(coordinator)
    url = reverse("governance:motion_detail", kwargs={"pk": motion.pk})
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for _ in range(10):
        services.submit_amendment(
            actor=coordinator,
            motion=motion,
            city=City.objects.get(name="Potsdam"),
            operation="delete",
            first_line=1,
            last_line=1,
            new_text=[],
            justification="Shorter.",
        )
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


def test_deadlines_follow_the_session_snapshot(session):
    due = services.deadline(session, "amendment")
    assert due.days == 7
    assert due.due == session.local_starts_at.date() - dt.timedelta(days=7)


def test_a_declaration_is_submitted_through_the_form_with_its_two_parts(
    client, session, committee_member
):
    client.force_login(committee_member)
    response = client.post(
        reverse("governance:motion_submit", kwargs={"pk": session.pk}),
        {
            "item": session.items.get(kind="motion").pk,
            "kind": "declaration",
            "title": "Declaration of Potsdam",
            "submitter": "committee",
            "language": "en",
            "preamble": "Concerned with A,\nConvinced of B,",
            "operative": "Call upon C;",
        },
    )
    assert response.status_code == 302
    version = Motion.objects.get(title="Declaration of Potsdam").versions.get()
    assert [(line["section"], line["text"]) for line in version.lines] == [
        ("preamble", "Concerned with A,"),
        ("preamble", "Convinced of B,"),
        ("operative", "Call upon C;"),
    ]


def test_the_bureau_prepares_a_motion_on_a_new_item_of_a_draft_session(session, bureau):
    draft = assemblies.create_session(
        actor=bureau,
        coalition=session.coalition,
        details=assemblies.SessionDetails(
            body="general_assembly",
            title="Draft",
            starts_at=session.starts_at + dt.timedelta(days=60),
            ends_at=session.ends_at + dt.timedelta(days=60),
        ),
    )
    motion = services.submit_motion(
        actor=bureau,
        session=draft,
        item=None,
        kind="budget",
        title="Budget 2028",
        language="en",
        lines=mt.build(body="Income 10\nSpending 10"),
        submitter="bureau",
    )
    assert motion.item.session_id == draft.pk and motion.item.kind == "budget"
    assert motion.item.title == "Budget 2028"


def test_the_bureau_moves_a_motion_and_every_step_is_audited(motion, bureau, session):
    other = session.items.get(kind="other")
    services.attach_motion(actor=bureau, motion=motion, item=other)
    motion.refresh_from_db()
    assert motion.item_id == other.pk
    event = AuditEvent.objects.get(verb="motion.attached", object_id=str(motion.pk))
    assert event.data["item"] == other.pk


def test_a_translation_keeps_the_lines_and_is_marked_in_the_pdf(session, bureau, committee_member):
    motion = _adopted_declaration(session, bureau, committee_member, "hate speech")
    with pytest.raises(GovernanceError, match="same lines"):
        services.add_translation(
            actor=bureau, motion=motion, language="fr", lines=mt.build(preamble="Un,")
        )
    services.add_translation(
        actor=bureau,
        motion=motion,
        language="fr",
        lines=mt.build(preamble="Préoccupées par le discours de haine,", operative="Appellent;"),
    )
    motion = services.publish_declaration(actor=bureau, motion=motion)
    declarations.render_declaration(motion.pk)
    pdf = DeclarationPDF.objects.get(motion=motion)
    with pdf.file.open("rb") as fh:
        text = " ".join(page.extract_text() for page in PdfReader(fh).pages)
    text = " ".join(text.split())
    assert "Translation; the English text is authoritative." in text
    assert "Préoccupées par le discours de haine," in text
    assert AuditEvent.objects.filter(verb="motion.translation_added").exists()
    assert AuditEvent.objects.filter(verb="declaration.published", object_id=str(motion.pk))


def test_the_list_shows_the_conflicts(client, session, delegate):
    client.force_login(delegate)
    html = client.get(reverse("governance:session_motions", kwargs={"pk": session.pk})).content
    assert "2 in conflict" in html.decode()


def test_the_session_page_links_to_its_motions_for_those_who_see_them(
    client, session, committee_member, outsider
):
    url = reverse("governance:session_detail", kwargs={"pk": session.pk})
    motions = reverse("governance:session_motions", kwargs={"pk": session.pk})
    client.force_login(committee_member)
    assert motions in client.get(url).content.decode()
    client.force_login(outsider)
    page = client.get(url)
    assert page.status_code == 200 and motions not in page.content.decode()

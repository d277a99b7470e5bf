"""The bureau's application check: items with the portal's evidence, ticks recorded and audited,
the committee's vote refused until every applicable item is ticked; and the confirmation of
"open the vote" on an application and on an exclusion proposal."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from coalition.audit import events_for
from governance import services
from governance.models import ApplicationCheck, CheckItem, CommitteeVote
from governance.selectors_application_checks import checklist_for
from governance.services import application_checks
from governance.services.application_checks import Tick
from members.models import Membership
from tests.factories import UserFactory
from tests.governance.conftest import pdf_upload

pytestmark = pytest.mark.django_db

ALL_FOUR = {
    CheckItem.LETTER_SIGNED,
    CheckItem.ACTION_PER_COMMITMENT,
    CheckItem.FOCAL_POINT_REACHABLE,
    CheckItem.COUNCIL_RESOLUTION,
}


def _tick(world, application, *items, note=""):
    return application_checks.record_checks(
        actor=world.bureau,
        application=application,
        ticks={item: Tick(checked=True, note=note) for item in items},
    )


def _open(world, application):
    return services.open_admission_vote(
        actor=world.bureau,
        application=application,
        closes_at=timezone.now() + dt.timedelta(days=7),
    )


# --- The service ------------------------------------------------------------------------------


def test_the_vote_is_refused_until_every_applicable_item_is_ticked(world):
    application = world.apply()  # Newtown, France: a council resolution is needed
    assert {r.item for r in checklist_for(application).applicable} == ALL_FOUR
    with pytest.raises(services.GovernanceError, match="application check is not complete"):
        _open(world, application)
    _tick(world, application, *(ALL_FOUR - {CheckItem.COUNCIL_RESOLUTION}))
    with pytest.raises(services.GovernanceError) as refused:
        _open(world, application)
    assert "Still to check: The city council's resolution is at hand." in str(refused.value)
    assert not CommitteeVote.objects.filter(application=application).exists()
    _tick(world, application, CheckItem.COUNCIL_RESOLUTION)
    vote = _open(world, application)
    assert vote.application_id == application.pk


def test_a_council_resolution_is_asked_only_where_the_country_needs_one(world, settings):
    settings.COUNCIL_RESOLUTION_COUNTRIES = ["DE"]
    application = world.apply(country="DK", city_name="Odense")
    checklist = checklist_for(application)
    council = checklist.row(CheckItem.COUNCIL_RESOLUTION)
    assert not council.applies
    assert "Denmark" in council.not_applicable_reason
    with pytest.raises(services.GovernanceError, match="not needed for this city"):
        _tick(world, application, CheckItem.COUNCIL_RESOLUTION)
    _tick(world, application, *(ALL_FOUR - {CheckItem.COUNCIL_RESOLUTION}))
    assert checklist_for(application).complete
    _open(world, application)


def test_each_tick_records_who_when_and_the_note_and_reaches_the_audit_log(world):
    application = world.apply()
    changed = _tick(world, application, CheckItem.LETTER_SIGNED, note="Signature of the mayor.")
    assert len(changed) == 1
    record = ApplicationCheck.objects.get(application=application, item=CheckItem.LETTER_SIGNED)
    assert record.checked and record.changed_by == world.bureau
    assert record.note == "Signature of the mayor."
    assert abs((timezone.now() - record.changed_at).total_seconds()) < 60
    assert "read by the portal" in record.evidence
    event = events_for(application).get(verb="application.check_ticked")
    assert event.actor == world.bureau
    assert event.message == "Signature of the mayor."
    assert event.data["item"] == "letter_signed" and event.data["checked"] is True
    # The same tick again writes nothing; an untick is recorded and audited too.
    assert _tick(world, application, CheckItem.LETTER_SIGNED, note="Signature of the mayor.") == []
    application_checks.record_checks(
        actor=world.bureau,
        application=application,
        ticks={CheckItem.LETTER_SIGNED: Tick(checked=False, note="Not the mayor's signature.")},
    )
    record.refresh_from_db()
    assert not record.checked
    assert events_for(application).filter(verb="application.check_unticked").count() == 1
    assert events_for(application).filter(verb__startswith="application.check").count() == 2


def test_only_an_application_waiting_for_the_bureau_is_checked(world):
    application = world.apply()
    services.return_application(actor=world.bureau, application=application, message="More.")
    with pytest.raises(services.GovernanceError, match="waiting for the bureau"):
        _tick(world, application, CheckItem.LETTER_SIGNED)
    assert not ApplicationCheck.objects.exists()


def test_a_resubmission_undoes_the_ticks_whose_evidence_changed(world):
    applicant = UserFactory()
    application = world.apply(applicant)
    application_checks.tick_every_item(actor=world.bureau, application=application)
    services.return_application(actor=world.bureau, application=application, message="Letter?")
    services.resubmit_application(
        actor=applicant,
        application=application,
        details=world.details(),
        letter=pdf_upload("new-letter.pdf"),
    )
    checked = dict(application.checks.values_list("item", "checked"))
    assert checked == {
        "letter_signed": False,
        "council_resolution": False,
        "action_per_commitment": True,
        "focal_point_reachable": True,
    }
    cleared = events_for(application).filter(verb="application.check_cleared")
    assert {e.data["item"] for e in cleared} == {"letter_signed", "council_resolution"}
    row = application.checks.get(item="letter_signed")
    assert row.cleared_reason and row.changed_by == applicant
    with pytest.raises(services.GovernanceError, match="Still to check"):
        _open(world, application)


def test_the_portal_prefills_what_it_can_verify(world):
    application = world.apply()
    checklist = checklist_for(application)
    actions = checklist.row(CheckItem.ACTION_PER_COMMITMENT)
    assert actions.verified is True
    assert "3 of 3 commitments have at least one action (3 actions in all)." in actions.evidence
    letter = checklist.row(CheckItem.LETTER_SIGNED)
    assert letter.verified is True
    assert "letter.pdf" in letter.evidence_text and "1 page" in letter.evidence_text
    focal = checklist.row(CheckItem.FOCAL_POINT_REACHABLE)
    assert focal.verified is None and "No portal account" in focal.evidence_text
    # Once the focal point has an account with that address confirmed, the portal says so.
    person = UserFactory(email="fabien@newtown.example")
    EmailAddress.objects.update_or_create(
        user=person, email=person.email, defaults={"verified": True, "primary": True}
    )
    focal = checklist_for(application).row(CheckItem.FOCAL_POINT_REACHABLE)
    assert focal.verified is True and "becomes the city's coordinator" in focal.evidence_text
    # Nothing is ticked for the bureau: each item still needs its tick.
    assert not checklist.complete and checklist.checked_count == 0


def test_an_unreadable_letter_is_shown_as_missing(world):
    application = world.apply()
    application.letter.storage.delete(application.letter.name)
    letter = checklist_for(application).row(CheckItem.LETTER_SIGNED)
    assert letter.verified is False and "could not read" in letter.evidence_text


# --- The review page ---------------------------------------------------------------------------


def _review(client, application):
    return client.get(reverse("governance:application_review", args=[application.pk]))


def test_the_review_page_shows_the_check_and_why_the_vote_cannot_open_yet(client, world):
    application = world.apply()
    client.force_login(world.bureau)
    page = _review(client, application).content.decode()
    assert 'id="application-check"' in page
    assert "0 of 4 items checked." in page
    assert "3 of 3 commitments have at least one action" in page
    assert 'disabled aria-describedby="open-vote-blocked"' in page
    assert "4 items are still to tick" in page
    assert "data-confirm=" not in page


def test_the_bureau_ticks_the_check_on_the_review_page_then_may_open_the_vote(client, world):
    application = world.apply()
    client.force_login(world.bureau)
    url = reverse("governance:application_checks", args=[application.pk])
    data = dict.fromkeys(ALL_FOUR, "on") | {"letter_signed_note": "Signed by the mayor."}
    response = client.post(url, data)
    assert response.status_code == 302
    assert response.url.endswith("#application-check")
    assert checklist_for(application).complete
    page = _review(client, application).content.decode()
    assert "4 of 4 items checked." in page
    assert "Ticked by" in page and "Signed by the mayor." in page
    assert "open-vote-blocked" not in page
    assert "data-confirm=\"Open the committee's vote on the admission of Newtown?" in page
    # Unticking one item (its box left out of the POST) closes the way again.
    data.pop(CheckItem.FOCAL_POINT_REACHABLE)
    client.post(url, data)
    assert not checklist_for(application).complete


def test_a_note_too_long_is_shown_on_its_field(client, world):
    application = world.apply()
    client.force_login(world.bureau)
    response = client.post(
        reverse("governance:application_checks", args=[application.pk]),
        {"letter_signed": "on", "letter_signed_note": "x" * 2001},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_letter_signed_note_errors"' in page
    assert not ApplicationCheck.objects.exists()


def test_a_refused_check_is_shown_on_the_form(client, world):
    application = world.apply()
    client.force_login(world.bureau)
    url = reverse("governance:application_checks", args=[application.pk])
    services.return_application(actor=world.bureau, application=application, message="More.")
    response = client.post(url, {"letter_signed": "on"})
    assert response.status_code == 400
    assert "Only an application waiting for the bureau can be checked." in response.content.decode()


# --- Confirmation of "open the vote" -------------------------------------------------------


def test_without_javascript_opening_the_vote_goes_through_a_confirmation_page(client, world):
    application = world.apply()
    application_checks.tick_every_item(actor=world.bureau, application=application)
    client.force_login(world.bureau)
    url = reverse("governance:application_open_vote", args=[application.pk])
    closes_on = (timezone.localdate() + dt.timedelta(days=12)).isoformat()
    response = client.post(url, {"closes_on": closes_on})
    assert response.status_code == 302
    assert response.url == f"{url}?closes_on={closes_on}"
    assert not CommitteeVote.objects.filter(application=application).exists()
    page = client.get(response.url)
    content = page.content.decode()
    assert page.status_code == 200
    assert "Open the committee's vote on the admission of Newtown to TCC?" in content
    assert f'name="closes_on" value="{closes_on}"' in content
    assert 'name="confirmed" value="1"' in content
    assert "cannot be undone" in content
    response = client.post(url, {"closes_on": closes_on, "confirmed": "1"})
    vote = application.votes.get()
    assert response.url == vote.get_absolute_url()
    assert timezone.localtime(vote.closes_at).date().isoformat() == closes_on


def test_the_confirmation_page_sends_back_to_the_check_while_it_is_incomplete(client, world):
    application = world.apply()
    client.force_login(world.bureau)
    url = reverse("governance:application_open_vote", args=[application.pk])
    response = client.get(url)
    assert response.status_code == 302 and response.url.endswith("#application-check")
    response = client.post(url, {"closes_on": "2099-01-01", "confirmed": "1"})
    assert response.status_code == 400  # more than 180 days ahead: the date's own error
    closes_on = (timezone.localdate() + dt.timedelta(days=12)).isoformat()
    response = client.post(url, {"closes_on": closes_on, "confirmed": "1"}, follow=True)
    assert "Tick every item of the application check" in response.content.decode()
    assert not CommitteeVote.objects.filter(application=application).exists()


def _proposal(world):
    membership = Membership.objects.get(city=world.cities[4], coalition=world.coalition)
    return services.propose_exclusion(
        actor=world.members[0], membership=membership, grounds="The plan was left aside."
    )


def test_opening_the_vote_on_an_exclusion_is_confirmed_too(client, world):
    proposal = _proposal(world)
    client.force_login(world.bureau)
    detail = client.get(proposal.get_absolute_url()).content.decode()
    assert "data-confirm=\"Open the committee's vote on excluding Seatville 4?" in detail
    url = reverse("governance:exclusion_open_vote", args=[proposal.pk])
    closes_on = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    response = client.post(url, {"closes_on": closes_on})
    assert response.url == f"{url}?closes_on={closes_on}"
    assert not proposal.votes.exists()
    page = client.get(response.url).content.decode()
    assert "Open the committee's vote on excluding Seatville 4 from TCC?" in page
    response = client.post(url, {"closes_on": closes_on, "confirmed": "1"})
    vote = proposal.votes.get()
    assert response.url == vote.get_absolute_url()

"""The governance pages through the test client: applying, the letter, voting, the tally."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from coalition.audit import events_for
from governance import services
from governance.letters import MAX_LETTER_BYTES
from governance.models import (
    AdmissionApplication,
    ApplicationStatus,
    Ballot,
    LetterUpload,
    SeatKind,
)
from governance.selectors import vote_state
from governance.services import application_checks
from members.models import Membership
from tests.factories import UserFactory
from tests.governance.conftest import form_data, pdf_bytes, pdf_upload, seat_with_a_successor

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(client, world):
    user = UserFactory(email="applicant@newtown.example")
    client.force_login(user)
    return user


def test_the_form_lists_every_commitment_of_the_plan_in_force(client, applicant, world):
    response = client.get(reverse("governance:apply"), {"coalition": "tcc"})
    assert response.status_code == 200
    html = response.content.decode()
    for c in world.commitments:
        assert f'name="actions_{c.pk}"' in html
        assert f"{c.number}. {c.title}" in html
    assert 'value="applicant@newtown.example"' in html  # the contact email is offered


def test_applying_creates_the_application_and_shows_its_status(client, applicant, world):
    data = form_data(world, letter=pdf_upload("Mairie de Newtown.pdf"))
    response = client.post(reverse("governance:apply"), data)
    application = AdmissionApplication.objects.get()
    assert response.status_code == 302
    assert response.url == application.get_absolute_url()
    assert application.applicant == applicant
    assert application.city_local_name == "Villeneuve"
    assert application.proposed_actions.count() == 6
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Submitted, waiting for the bureau" in page
    assert "Application submitted" in page  # the timeline
    assert "Second action under 3" in page


def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_typed_is_lost(client, applicant, world):
    fake = SimpleUploadedFile("letter.pdf", b"GIF89a not a pdf at all", "application/pdf")
    response = client.post(reverse("governance:apply"), form_data(world, letter=fake))
    assert response.status_code == 200
    assert not AdmissionApplication.objects.exists()
    html = response.content.decode()
    assert "This file is not a PDF" in html
    assert 'id="id_letter_errors"' in html
    assert 'aria-describedby="id_letter_helptext id_letter_errors"' in html
    for kept in ('value="Newtown"', 'value="Villeneuve"', 'value="fabien@newtown.example"',
                 "Second action under 2", 'value="FR" selected'):  # fmt: skip
        assert kept in html, kept
    assert not LetterUpload.objects.exists()


def test_a_damaged_pdf_is_refused(client, applicant, world):
    broken = SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n" + b"\x00garbage" * 50)
    response = client.post(reverse("governance:apply"), form_data(world, letter=broken))
    assert "damaged" in response.content.decode()
    assert not AdmissionApplication.objects.exists()


def test_a_letter_over_ten_megabytes_gets_a_form_error_not_a_failure(client, applicant, world):
    big = pdf_bytes() + b"%" + b"0" * (12 * 1024 * 1024)
    upload = SimpleUploadedFile("big.pdf", big, "application/pdf")
    response = client.post(reverse("governance:apply"), form_data(world, letter=upload))
    assert response.status_code == 200
    html = response.content.decode()
    assert "the largest file accepted is 10.0\xa0MB" in html
    assert 'value="Newtown"' in html
    assert not AdmissionApplication.objects.exists()
    assert MAX_LETTER_BYTES == 10 * 1024 * 1024


def test_a_valid_letter_is_kept_when_another_field_is_wrong(client, applicant, world):
    original = pdf_bytes("The original signed letter")
    data = form_data(world, contact_email="not-an-address")
    data["letter"] = SimpleUploadedFile("signed.pdf", original, "application/pdf")
    response = client.post(reverse("governance:apply"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid email address" in html
    assert "We kept the letter you sent" in html and "signed.pdf" in html
    token = response.context["form"].data["kept_letter"]
    assert token

    # Second try: no file chosen again, the kept one is used.
    data = form_data(world, kept_letter=token)
    response = client.post(reverse("governance:apply"), data)
    assert response.status_code == 302
    application = AdmissionApplication.objects.get()
    assert application.letter_filename == "signed.pdf"
    assert application.letter.read() == original
    assert not LetterUpload.objects.exists()


def test_a_kept_letter_cannot_be_claimed_by_someone_else(client, applicant, world):
    data = form_data(world, contact_email="bad")
    data["letter"] = pdf_upload()
    token = client.post(reverse("governance:apply"), data).context["form"].data["kept_letter"]
    client.force_login(UserFactory())
    response = client.post(reverse("governance:apply"), form_data(world, kept_letter=token))
    assert response.status_code == 200
    assert "Attach the mayor" in response.content.decode()
    assert not AdmissionApplication.objects.exists()


def test_an_existing_city_and_a_new_one_cannot_both_be_given(client, applicant, world):
    response = client.post(
        reverse("governance:apply"),
        form_data(world, city=world.cities[0].pk, letter=pdf_upload()),
    )
    assert "leave the new city" in response.content.decode()
    response = client.post(
        reverse("governance:apply"), form_data(world, city_name="", letter=pdf_upload())
    )
    assert "Choose your city from the list" in response.content.decode()


def test_the_letter_download_is_an_attachment_that_browsers_do_not_sniff(client, world):
    applicant = UserFactory()
    application = world.apply(applicant)
    client.force_login(applicant)
    response = client.get(reverse("governance:application_letter", args=[application.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="letter.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content)
    assert "Letter of commitment" in PdfReader(io.BytesIO(body)).pages[0].extract_text()


def test_a_returned_application_is_edited_and_resubmitted(client, world):
    applicant = UserFactory()
    application = world.apply(applicant)
    client.force_login(applicant)
    edit = reverse("governance:application_edit", args=[application.pk])
    assert client.get(edit).status_code == 302  # not returned yet: back to the page
    services.return_application(actor=world.bureau, application=application, message="Coords?")
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Coords?" in page and edit in page
    form = client.get(edit)
    assert form.status_code == 200
    assert 'value="Newtown"' in form.content.decode()
    data = form_data(world, latitude="43.604652", longitude="1.444209")
    response = client.post(edit, data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RESUBMITTED
    assert str(application.latitude) == "43.604652"
    assert application.letter_filename == "letter.pdf"  # the letter already sent is kept


def test_bureau_returns_and_opens_the_vote_from_the_review_page(client, world):
    application = world.apply()
    client.force_login(world.bureau)
    review = reverse("governance:application_review", args=[application.pk])
    assert client.get(review).status_code == 200
    response = client.post(
        reverse("governance:application_open_vote", args=[application.pk]),
        {"closes_on": timezone.localdate().isoformat(), "confirmed": "1"},
    )
    assert response.status_code == 400
    assert "must be after today" in response.content.decode()
    application_checks.tick_every_item(actor=world.bureau, application=application)
    closes_on = timezone.localdate() + dt.timedelta(days=9)
    response = client.post(
        reverse("governance:application_open_vote", args=[application.pk]),
        {"closes_on": closes_on.isoformat(), "confirmed": "1"},
    )
    vote = application.votes.get()
    assert response.status_code == 302 and response.url == vote.get_absolute_url()
    assert timezone.localtime(vote.closes_at).date() == closes_on
    audit = client.get(reverse("governance:application_audit", args=[application.pk]))
    assert "application.vote_opened" in audit.content.decode()
    assert "vote.opened" in audit.content.decode()


def test_a_member_votes_and_changes_the_vote_on_the_page(client, world):
    vote = world.open_vote(world.apply())
    member = world.members[0]
    client.force_login(member)
    page = client.get(vote.get_absolute_url())
    assert page.status_code == 200
    assert "Cast my vote" in page.content.decode()
    assert client.post(vote.get_absolute_url(), {"choice": "yes"}).status_code == 302
    assert client.post(vote.get_absolute_url(), {"choice": "abstain"}).status_code == 302
    ballot = Ballot.objects.get(vote=vote)
    assert ballot.choice == "abstain" and ballot.times_changed == 1
    page = client.get(vote.get_absolute_url()).content.decode()
    assert "Change my vote" in page and 'id="my-choice">Abstain' in page


def test_a_ballot_after_the_close_is_refused_with_a_message(client, world):
    vote = world.open_vote(world.apply())
    for member in world.members:
        services.cast_vote(actor=member, vote=vote, choice="yes")
    client.force_login(world.members[0])
    response = client.post(vote.get_absolute_url(), {"choice": "no"})
    assert response.status_code == 403
    assert "This vote has closed" in response.content.decode()
    assert Ballot.objects.get(vote=vote, seat=world.seats[0]).choice == "yes"


def test_the_tally_shows_the_running_count_to_the_committee_only(client, world):
    vote = world.open_vote(world.apply())
    services.cast_vote(actor=world.members[0], vote=vote, choice="yes")
    services.cast_vote(actor=world.members[1], vote=vote, choice="no")
    tally = reverse("governance:vote_tally", args=[vote.pk])

    client.force_login(world.observer_seat.representative)
    html = client.get(tally, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 10s"' in html
    assert "2 / 5" in html and "not reached" in html
    assert ">Yes<" in html and ">Abstentions<" in html

    client.force_login(world.bureau)
    html = client.get(tally).content.decode()
    assert "2 / 5" in html
    assert ">Yes<" not in html  # the bureau sees participation and quorum, not the count

    services.cast_vote(actor=world.members[2], vote=vote, choice="yes")
    html = client.get(tally).content.decode()
    assert "3 / 5" in html and ">reached<" in html


def test_a_closed_vote_shows_its_stored_result_and_stops_polling(client, world):
    vote = world.open_vote(world.apply())
    for member, choice in zip(world.members, ["yes", "yes", "yes", "no", "abstain"], strict=True):
        services.cast_vote(actor=member, vote=vote, choice=choice)
    client.force_login(world.bureau)
    html = client.get(vote.get_absolute_url()).content.decode()
    assert 'id="vote-outcome">Adopted' in html
    assert "every 10s" not in html
    assert "Every voting seat had voted" in html


def test_the_recused_seat_is_shown_on_the_vote_page(client, world):
    proposal = services.propose_exclusion(
        actor=world.members[1],
        membership=Membership.objects.get(city=world.cities[0], coalition=world.coalition),
        grounds="Grounds",
    )
    vote = services.open_exclusion_vote(
        actor=world.bureau, proposal=proposal, closes_at=timezone.now() + dt.timedelta(days=3)
    )
    client.force_login(world.members[0])
    html = client.get(vote.get_absolute_url()).content.decode()
    assert "recused, as the city this decision is about" in html
    assert "Your city is the subject of this vote" in html
    assert "Cast my vote" not in html
    assert client.post(vote.get_absolute_url(), {"choice": "no"}).status_code == 403


def test_observers_comment_but_see_no_ballot_form(client, world):
    vote = world.open_vote(world.apply())
    client.force_login(world.adviser_seat.representative)
    html = client.get(vote.get_absolute_url()).content.decode()
    assert "Cast my vote" not in html and "without a vote" in html
    response = client.post(
        reverse("governance:vote_comment", args=[vote.pk]), {"body": "Good plan."}
    )
    assert response.status_code == 302
    assert "Good plan." in client.get(vote.get_absolute_url()).content.decode()


def test_a_member_proposes_an_exclusion_and_the_bureau_records_the_conference_decision(
    client, world
):
    membership = Membership.objects.get(city=world.cities[4], coalition=world.coalition)
    client.force_login(world.members[0])
    response = client.post(
        reverse("governance:propose_exclusion"),
        {"membership": membership.pk, "grounds": "The city left the plan unimplemented."},
    )
    proposal = membership.exclusion_proposals.get()
    assert response.url == proposal.get_absolute_url()
    client.force_login(world.bureau)
    closes_on = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    client.post(
        reverse("governance:exclusion_open_vote", args=[proposal.pk]),
        {"closes_on": closes_on, "confirmed": "1"},
    )
    vote = proposal.votes.get()
    for member in world.members[:4]:
        services.cast_vote(actor=member, vote=vote, choice="yes")
    response = client.post(
        reverse("governance:exclusion_decision", args=[proposal.pk]),
        {
            "exclude": "yes",
            "body": "general_conference",
            "decided_on": timezone.localdate().isoformat(),
            "reference": "GC, resolution 7",
            "reason": "Excluded by the General Conference.",
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == "excluded"


def test_the_bureau_records_a_suspension_from_the_membership_page(client, world):
    membership = Membership.objects.get(city=world.cities[1], coalition=world.coalition)
    client.force_login(world.bureau)
    url = reverse("governance:membership_decision", args=[membership.pk])
    response = client.post(
        url, {"kind": "suspension", "body": "steering_committee", "decided_on": "", "reason": ""}
    )
    assert response.status_code == 200
    assert 'id="id_reason_errors"' in response.content.decode()
    response = client.post(
        url,
        {
            "kind": "suspension",
            "body": "steering_committee",
            "decided_on": timezone.localdate().isoformat(),
            "reason": "No annual report for three years.",
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == "suspended"


def test_the_bureau_adds_and_ends_seats(client, world):
    client.force_login(world.bureau)
    response = client.post(
        reverse("governance:seat_list"),
        {
            "coalition": world.coalition.pk,
            "kind": SeatKind.OBSERVER,
            "institution": "Council of Europe",
            "representative_email": "nobody@nowhere.example",
            "starts_on": timezone.localdate().isoformat(),
        },
    )
    assert "No account uses this address" in response.content.decode()
    response = client.post(
        reverse("governance:seat_list"),
        {
            "coalition": world.coalition.pk,
            "kind": SeatKind.OBSERVER,
            "institution": "Council of Europe",
            "representative_email": world.members[0].email,
            "starts_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    seat = world.coalition.committee_seats.get(institution="Council of Europe")
    assert seat.representative == world.members[0]
    response = client.post(
        reverse("governance:seat_end", args=[seat.pk]),
        {"ends_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.ends_on == timezone.localdate()


def test_the_bureau_hands_a_seat_to_a_new_representative_who_then_votes(client, world):
    seat = world.seats[0]
    before, successor = seat.representative, UserFactory()
    vote = world.open_vote(world.apply())
    client.force_login(world.bureau)
    url = reverse("governance:seat_change", args=[seat.pk])
    assert before.email in client.get(url).content.decode()  # the form shows who sits now

    response = client.post(url, {"representative_email": successor.email, "ends_on": ""})
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.representative == successor
    assert [e.verb for e in events_for(seat)][-1] == "seat.changed"

    with pytest.raises(services.GovernanceError):
        services.cast_vote(actor=before, vote=vote, choice="yes")
    services.cast_vote(actor=successor, vote=vote, choice="yes")
    assert vote.ballots.get().city == seat.city


def test_changing_a_seat_tells_what_is_wrong_on_the_field_and_saves_nothing(client, world):
    seat = world.seats[0]
    client.force_login(world.bureau)
    url = reverse("governance:seat_change", args=[seat.pk])
    response = client.post(url, {"representative_email": "nobody@nowhere.example"})
    assert response.status_code == 200
    assert response.context["form"].errors["representative_email"] == [
        "No account uses this address. Ask the person to create an account first."
    ]
    earlier = (seat.starts_on - dt.timedelta(days=1)).isoformat()
    response = client.post(url, {"representative_email": "", "ends_on": earlier})
    assert response.context["form"].errors["ends_on"] == ["The term cannot end before it starts."]
    seat.refresh_from_db()
    assert seat.representative is not None and seat.ends_on is None


def test_a_seat_cannot_be_stretched_over_the_next_seat_of_its_city_from_the_page(client, world):
    seat, later = seat_with_a_successor(world, days_later=10)
    client.force_login(world.bureau)
    response = client.post(
        reverse("governance:seat_change", args=[seat.pk]),
        {"representative_email": "", "ends_on": later.starts_on.isoformat()},
    )
    assert response.status_code == 200
    assert "already holds a seat during that term" in response.content.decode()
    seat.refresh_from_db()
    assert seat.ends_on == seat.starts_on


def test_the_coalition_bodies_tag_costs_two_queries_whatever_the_committee_size(
    world, django_assert_num_queries
):
    """One query for the seats, one for the officers (President, Vice-Presidents)."""
    template = Template("{% load governance_tags %}{% coalition_bodies coalition %}")
    with django_assert_num_queries(2):
        html = template.render(Context({"coalition": world.coalition}))
    assert "Seatville 0" in html and "UNESCO" in html and "Scientific advisers" in html
    for i in range(5, 15):
        city = world.cities[0].__class__.objects.create(
            name=f"Extra {i}", slug=f"extra-{i}", country="DE"
        )
        services.add_seat(
            actor=world.admin,
            coalition=world.coalition,
            kind=SeatKind.OBSERVER,
            city=city,
            starts_on=timezone.localdate(),
        )
    with django_assert_num_queries(2):
        html = template.render(Context({"coalition": world.coalition}))
    assert "Extra 14" in html


def test_the_vote_state_costs_the_same_queries_for_any_committee(world, django_assert_num_queries):
    vote = world.open_vote(world.apply())
    with django_assert_num_queries(2):
        small = vote_state(vote, show_count=True)
    for i in range(10):
        city = world.cities[0].__class__.objects.create(
            name=f"Watcher {i}", slug=f"watcher-{i}", country="DE"
        )
        services.add_seat(
            actor=world.admin,
            coalition=world.coalition,
            kind=SeatKind.OBSERVER,
            city=city,
            starts_on=timezone.localdate(),
        )
    with django_assert_num_queries(2):
        large = vote_state(vote, show_count=True)
    assert len(large.rows) == len(small.rows) + 10


def test_dashboard_panels_show_votes_applications_and_the_bureau_queue(client, world):
    applicant = UserFactory()
    vote = world.open_vote(world.apply(applicant))
    client.force_login(world.members[0])
    html = client.get(reverse("dashboard")).content.decode()
    assert "Votes waiting for you" in html and vote.get_absolute_url() in html
    assert "1 vote is open in the steering committee. 1 waits for your vote." in html
    client.force_login(applicant)
    html = client.get(reverse("dashboard")).content.decode()
    assert "My applications" in html
    client.force_login(world.bureau)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Bureau queue" in html
    # Each count takes its own plural form.
    assert (
        "0 applications waiting for you, 1 open vote and 0 exclusion proposals to handle." in html
    )


def test_the_bureau_cannot_name_itself_a_seats_representative(client, world):
    """Staff who made themselves a seat's representative would vote in the committee."""
    seat = world.seats[0]
    before = seat.representative
    client.force_login(world.bureau)
    url = reverse("governance:seat_change", args=[seat.pk])
    response = client.post(url, {"representative_email": world.bureau.email, "ends_on": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["representative_email"] == [
        "You cannot name yourself a seat's representative: ask another member of staff."
    ]
    seat.refresh_from_db()
    assert seat.representative == before
    with pytest.raises(services.GovernanceError, match="cannot name yourself"):
        services.add_seat(
            actor=world.bureau,
            coalition=seat.coalition,
            kind=seat.kind,
            starts_on=seat.starts_on,
            city=seat.city,
            representative=world.bureau,
        )
    # An administrator correcting the record may (the admin's rights are a superuser's).
    services.update_seat(actor=world.admin, seat=seat, representative=world.admin)
    seat.refresh_from_db()
    assert seat.representative == world.admin

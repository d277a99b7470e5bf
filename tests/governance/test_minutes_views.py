"""The minutes' pages: every URL against every persona, on the demo's Zurich assembly of
October 2025 (its minutes published) and on the same minutes put back into circulation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from coalition.demo import demo_email
from coalition.models import AuditEvent, OutgoingEmail, User
from governance.demo.minutes import TITLE
from governance.models import AssemblySession, Minutes, MinutesObjection, Registration
from governance.services import GovernanceError
from governance.services import minutes as services
from governance.urls import urlpatterns
from members.models import City
from tests import permissions

PERSONAS = [
    "anonymous",
    "outsider",
    "coordinator",
    "delegate",
    "substitute",
    "committee_member",
    "teller",
    "secretariat",
    "bureau",
    "administrator",
]


def expect(default: int, **overrides: int) -> dict[str, int]:
    table = dict.fromkeys(PERSONAS, default)
    table["anonymous"] = 302
    for persona, status in overrides.items():
        assert persona in table, persona
        table[persona] = status
    return table


#: The Zurich minute-taker is the secretariat's account; the bureau chaired. Circulated minutes
#: are read by the member cities' coordinators and delegates, and by the session's accredited
#: substitutes (Potsdam's sat in Zurich: it objects for Potsdam too).
WRITERS = {"secretariat": 200, "bureau": 200, "administrator": 200}
EVERYONE = dict.fromkeys(PERSONAS, 200)


def writers(status: int) -> dict[str, int]:
    return expect(403, **dict.fromkeys(WRITERS, status))


# (label, method, url name, state of the minutes, POST data, expected statuses)
MINUTES_MATRIX = [
    ("minutes editor", "get", "governance:minutes_edit", "published", None, writers(200)),
    ("save the narrative", "post", "governance:minutes_edit", "published", {}, writers(400)),
    ("draw the record", "post", "governance:minutes_generate", "published", {}, writers(302)),
    ("circulate", "post", "governance:minutes_circulate", "published", {}, writers(400)),
    ("reopen", "post", "governance:minutes_reopen", "published", {}, writers(302)),
    ("before an assembly", "post", "governance:minutes_before_assembly", "published", {},
     writers(400)),
    ("publish", "post", "governance:minutes_publish", "published", {}, writers(302)),
    ("circulation page", "get", "governance:minutes_circulation", "circulated", None,
     expect(404, coordinator=200, delegate=200, substitute=200, **WRITERS)),
    # The coordinator objects first; Potsdam's delegate and substitute are then refused (one
    # objection per city).
    ("object", "post", "governance:minutes_circulation", "circulated",
     {"city": "potsdam", "reason": "The vote of Potsdam is missing."},
     expect(404, coordinator=302, delegate=400, substitute=400,
            **dict.fromkeys(WRITERS, 400))),
    ("published minutes", "get", "governance:minutes_public", "published", None, EVERYONE),
    ("minutes PDF", "get", "governance:minutes_pdf", "published", None, EVERYONE),
    # Translations: written by the writers in any status (here published), their PDFs public.
    ("save a translation", "post", "governance:minutes_edit", "published", {"language": "fr"},
     writers(302)),
    ("minutes PDF in a language", "get", "governance:minutes_pdf_language", "published", None,
     EVERYONE),
]  # fmt: skip

#: URL arguments besides the session's pk (the demo's minutes are in English).
URL_KWARGS = {"governance:minutes_pdf_language": {"language": "en"}}


@pytest.fixture
def teller(demo):
    return User.objects.get(email=demo_email("metz"))


@pytest.fixture
def zurich(demo):
    return AssemblySession.objects.get(title=TITLE)


def _circulate_again(session) -> None:
    """Test data: the published minutes back in a circulation whose window is open today."""
    today = timezone.localdate(timezone.now(), session.zone)
    Minutes.objects.filter(session=session).update(
        status="circulated",
        approved_at=None,
        approval_route="",
        approval_ref="",
        published_at=None,
        objections_from=today,
        objections_until=today + dt.timedelta(days=7),
    )


def test_the_matrix_names_every_minutes_url():
    names = {row[2] for row in MINUTES_MATRIX}
    views = {
        f"governance:{p.name}"
        for p in urlpatterns
        if p.callback.__module__ == "governance.views.minutes"
    }
    assert names == views


@pytest.mark.parametrize(
    ("label", "method", "name", "state", "data", "expected"),
    MINUTES_MATRIX,
    ids=[row[0] for row in MINUTES_MATRIX],
)
def test_minutes_permission_matrix(
    persona_client, no_template_rendering, zurich, label, method, name, state, data, expected
):
    if state == "circulated":
        _circulate_again(zurich)
    if data and data.get("city") == "potsdam":
        data = {**data, "city": City.objects.get(name="Potsdam").pk}
    url = reverse(name, kwargs={"pk": zurich.pk, **URL_KWARGS.get(name, {})})
    wrong = permissions.check(
        persona_client,
        url,
        expected,
        method=method,
        data=data,
        personas=PERSONAS,
        redirects={"anonymous": reverse("account_login")},
        label=label,
    )
    assert not wrong, f"{label} {url}: " + "; ".join(wrong)


def test_the_demo_minutes_are_published_with_their_pdf(client, zurich):
    minutes = Minutes.objects.get(session=zurich)
    assert minutes.status == "published" and minutes.approval_route == "circulation"
    assert minutes.pdf.is_ready and len(minutes.pdf.sha256) == 64
    page = client.get(reverse("governance:minutes_public", args=[zurich.pk]))
    body = page.content.decode()
    assert "Yes 11, No 1, Abstain 1" in body  # the admission poll's arithmetic
    assert "Esch-sur-Alzette 9" in body  # the award's, under 50,000 inhabitants
    assert minutes.pdf.sha256 in body
    response = client.get(reverse("governance:minutes_pdf", args=[zurich.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    session_page = client.get(reverse("governance:session_detail", args=[zurich.pk]))
    assert reverse("governance:minutes_public", args=[zurich.pk]) in session_page.content.decode()


def test_the_record_of_the_demo_is_dated_october_2025(zurich):
    record = Minutes.objects.get(session=zurich).record
    times = [
        e["at"]
        for city in record["attendance"]
        for person in city["people"]
        for e in person["events"]
    ]
    assert times and all(t.startswith(("2025-10-23", "2025-10-24")) for t in times)
    potsdam = next(c for c in record["attendance"] if c["city"] == "Potsdam")
    assert [c["handed_from"] for c in potsdam["cards"]] == [
        "",
        "David Delegate",
        "Sami Substitute",
        "David Delegate",
    ]


def test_a_draft_is_hidden_from_the_cities(persona_client, zurich):
    Minutes.objects.filter(session=zurich).update(
        status="draft", approved_at=None, approval_route="", published_at=None
    )
    url = reverse("governance:minutes_circulation", args=[zurich.pk])
    assert persona_client("coordinator").get(url).status_code == 404
    assert persona_client("secretariat").get(url).status_code == 200
    public = reverse("governance:minutes_public", args=[zurich.pk])
    assert persona_client("anonymous").get(public).status_code == 404


def test_an_objection_through_the_page_reaches_the_bureau(persona_client, zurich):
    _circulate_again(zurich)
    url = reverse("governance:minutes_circulation", args=[zurich.pk])
    page = persona_client("coordinator").get(url)
    assert "Object to the minutes" in page.content.decode()
    potsdam = City.objects.get(name="Potsdam")
    response = persona_client("coordinator").post(
        url, {"city": potsdam.pk, "reason": "<script>x</script> Our vote is missing."}
    )
    assert response.status_code == 302
    objection = MinutesObjection.objects.get(minutes__session=zurich)
    assert objection.city == potsdam
    editor = persona_client("bureau").get(reverse("governance:minutes_edit", args=[zurich.pk]))
    body = editor.content.decode()
    assert "&lt;script&gt;x&lt;/script&gt; Our vote is missing." in body
    assert "<script>x</script>" not in body


def test_a_substitute_who_sat_objects_and_a_second_person_of_the_city_is_refused(
    persona_client, zurich, substitute
):
    _circulate_again(zurich)
    url = reverse("governance:minutes_circulation", args=[zurich.pk])
    potsdam = City.objects.get(name="Potsdam")
    page = persona_client("substitute").get(url)
    assert page.status_code == 200 and "Object to the minutes" in page.content.decode()
    response = persona_client("substitute").post(
        url, {"city": potsdam.pk, "reason": "The hand-over at 11:00 is missing."}
    )
    assert response.status_code == 302
    objection = MinutesObjection.objects.get(minutes__session=zurich)
    assert (objection.city, objection.filed_by) == (potsdam, substitute)
    again = persona_client("coordinator").post(
        url, {"city": potsdam.pk, "reason": "Our vote is missing."}
    )
    assert again.status_code == 400
    body = again.content.decode()
    assert "Potsdam has objected to this circulation already" in body
    assert "Sami Substitute" in body and "one objection per city" in body
    assert MinutesObjection.objects.filter(minutes__session=zurich).count() == 1


def test_a_substitute_who_did_not_sit_does_not_object(zurich, substitute):
    _circulate_again(zurich)
    minutes = Minutes.objects.get(session=zurich)
    Registration.objects.filter(session=zurich, person=substitute).update(
        status="rejected", rejection_reason="Test data: not accredited."
    )
    assert services.objecting_city_ids(substitute, minutes) == []
    with pytest.raises(GovernanceError, match="accredited substitute may object"):
        services.object_to_minutes(
            actor=substitute,
            minutes=minutes,
            city=City.objects.get(name="Potsdam"),
            reason="Missing.",
        )


def test_reading_the_circulation_page_after_the_window_changes_nothing(persona_client, zurich):
    _circulate_again(zurich)
    today = timezone.localdate(timezone.now(), zurich.zone)
    Minutes.objects.filter(session=zurich).update(
        objections_from=today - dt.timedelta(days=10), objections_until=today - dt.timedelta(days=1)
    )
    before = Minutes.objects.values().get(session=zurich)
    events = AuditEvent.objects.count()
    emails = OutgoingEmail.objects.count()
    url = reverse("governance:minutes_circulation", args=[zurich.pk])
    for persona in ("coordinator", "bureau", "substitute"):
        page = persona_client(persona).get(url)
        assert page.status_code == 200
        assert "approval is pending" in page.content.decode()
    assert Minutes.objects.values().get(session=zurich) == before
    assert (AuditEvent.objects.count(), OutgoingEmail.objects.count()) == (events, emails)
    # Celery beat's task approves them.
    assert services.settle_due_circulations() == [before["id"]]
    assert Minutes.objects.get(session=zurich).status == "approved"


def test_how_each_city_voted_reads_in_the_readers_language(client, zurich):
    url = reverse("governance:minutes_public", args=[zurich.pk])
    english = client.get(url).content.decode()
    assert "<bdi>Yes</bdi>" in english and "<bdi>Abstain</bdi>" in english
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "<bdi>Oui</bdi>" in french and "<bdi>Abstention</bdi>" in french
    assert "<bdi>yes</bdi>" not in french  # the stored value is never shown as it is


def test_the_demo_minutes_have_a_french_translation_with_marked_fallbacks(client, zurich):
    minutes = Minutes.objects.get(session=zurich)
    assert sorted(minutes.pdfs.values_list("language", "status")) == [
        ("en", "ready"),
        ("fr", "ready"),
    ]
    url = reverse("governance:minutes_public", args=[zurich.pk])
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "sans modification" in french and "hospitalité" in french
    # The items the demo left untranslated are shown in English, and say so.
    assert "The chair thanked the candidate cities" in french
    assert 'lang="en"' in french
    english = client.get(url).content.decode()
    assert "sans modification" not in english

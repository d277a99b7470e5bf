"""The delegate pages: certifying with a letter, validating, revoking, appointing city roles."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from governance.models import CertificationStatus, DelegateCertification, LetterUpload
from members.models import City, Coalition, Role, RoleKind
from tests.factories import UserFactory
from tests.governance.conftest import pdf_upload


def _potsdam():
    return City.objects.get(name="Potsdam")


def _form(person_email: str, **overrides) -> dict:
    data = {
        "coalition": "",
        "person_email": person_email,
        "role": "substitute",
        "scope": "standing",
        "valid_from": timezone.localdate().isoformat(),
        "valid_until": "",
        "signed_by_name": "Mike Mayor",
        "signed_by_office": "Mayor of Potsdam",
    }
    data.update(overrides)
    return data


def _eccar_pk():
    return Coalition.objects.get(short_name="ECCAR").pk


def test_a_wrong_upload_keeps_everything_else_typed_and_the_error_is_on_the_letter(
    client, coordinator
):
    newcomer = UserFactory(email="newcomer@potsdam.example")
    client.force_login(coordinator)
    url = reverse("governance:certify_delegate", args=[_potsdam().pk])
    data = _form(newcomer.email, coalition=_eccar_pk())
    data["letter"] = SimpleUploadedFile("letter.pdf", b"not a pdf at all", "application/pdf")

    response = client.post(url, data)

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["letter"]
    html = response.content.decode()
    assert 'value="newcomer@potsdam.example"' in html
    assert 'value="Mike Mayor"' in html
    assert 'aria-invalid="true"' in html
    assert not DelegateCertification.objects.filter(person=newcomer).exists()


def test_a_valid_letter_is_kept_while_another_field_is_corrected(client, coordinator):
    newcomer = UserFactory(email="newcomer@potsdam.example")
    client.force_login(coordinator)
    url = reverse("governance:certify_delegate", args=[_potsdam().pk])
    data = _form("nobody@nowhere.example", coalition=_eccar_pk(), letter=pdf_upload())

    response = client.post(url, data)

    assert list(response.context["form"].errors) == ["person_email"]
    token = response.context["form"].data["kept_letter"]
    assert LetterUpload.objects.filter(uploaded_by=coordinator).count() == 1
    response = client.post(
        url, _form(newcomer.email, coalition=_eccar_pk(), kept_letter=token), follow=True
    )
    certification = DelegateCertification.objects.get(person=newcomer)
    assert certification.status == CertificationStatus.SUBMITTED
    assert certification.mandate_letter.read().startswith(b"%PDF-")
    assert not LetterUpload.objects.filter(uploaded_by=coordinator).exists()
    assert "newcomer@potsdam.example" in response.content.decode()


def test_the_bureau_validates_and_the_delegates_dashboard_says_for_which_city(
    client, bureau, delegate
):
    waiting = DelegateCertification.objects.get(city__name="Graz", status="submitted")
    client.force_login(bureau)
    queue = client.get(reverse("governance:certification_queue")).content.decode()
    assert "Graz" in queue
    response = client.post(reverse("governance:certification_validate", args=[waiting.pk]))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == CertificationStatus.VALIDATED

    client.force_login(delegate)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Certified to vote for a city" in html
    today = timezone.localdate()
    assert f"Delegate of Potsdam in ECCAR, from {date_format(today, 'DATE_FORMAT')}" in html


def test_rejecting_without_a_reason_shows_the_error_on_the_reason(client, bureau):
    waiting = DelegateCertification.objects.get(city__name="Graz", status="submitted")
    client.force_login(bureau)
    response = client.post(
        reverse("governance:certification_reject", args=[waiting.pk]), {"reject-reason": ""}
    )
    assert response.status_code == 200
    assert list(response.context["reject_form"].errors) == ["reason"]
    waiting.refresh_from_db()
    assert waiting.status == CertificationStatus.SUBMITTED


def test_the_coordinator_revokes_through_a_confirmation_page(client, coordinator, delegate):
    certification = DelegateCertification.objects.get(person=delegate)
    client.force_login(coordinator)
    url = reverse("governance:certification_revoke", args=[certification.pk])
    page = client.get(url).content.decode()
    assert "takes effect at once" in page
    assert client.post(url, {"reason": ""}).status_code == 200  # the reason is asked for
    response = client.post(url, {"reason": "No longer on the council."})
    assert response.status_code == 302
    certification.refresh_from_db()
    assert certification.status == CertificationStatus.REVOKED
    assert not Role.objects.current().filter(user=delegate, kind=RoleKind.DELEGATE).exists()


def test_the_bureau_lists_each_member_city_with_its_delegate_and_substitutes(
    client, bureau, django_assert_max_num_queries
):
    client.force_login(bureau)
    with django_assert_max_num_queries(20):
        html = client.get(reverse("governance:delegate_list")).content.decode()
    assert "David Delegate" in html
    assert "Sami Substitute" in html


def test_the_bureau_appoints_a_coordinator_by_email_and_ends_the_role_with_a_reason(client, bureau):
    person = UserFactory(email="new.focal@potsdam.example")
    client.force_login(bureau)
    response = client.post(
        reverse("governance:role_list"),
        {
            "city": _potsdam().pk,
            "kind": "coordinator",
            "email": "NEW.FOCAL@potsdam.example",
            "starts_on": timezone.localdate().isoformat(),
            "ends_on": "",
        },
    )
    assert response.status_code == 302
    role = Role.objects.get(user=person, kind=RoleKind.COORDINATOR, city=_potsdam())
    url = reverse("governance:role_end", args=[role.pk])
    response = client.post(url, {"ends_on": "", "reason": "Moved to another office."})
    assert list(response.context["form"].errors) == ["ends_on"]
    last_day = timezone.localdate() + dt.timedelta(days=30)
    response = client.post(url, {"ends_on": last_day.isoformat(), "reason": "Moved."})
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.ends_on == last_day


def test_the_bureau_cannot_appoint_in_a_city_outside_its_coalition(client, bureau):
    person = UserFactory(email="someone@nairobi.example")
    client.force_login(bureau)
    nairobi = City.objects.get(name="Nairobi")  # a member of ACCAR, not of ECCAR
    response = client.post(
        reverse("governance:role_list"),
        {
            "city": nairobi.pk,
            "kind": "coordinator",
            "email": person.email,
            "starts_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["city"]
    assert not Role.objects.filter(user=person).exists()
    other = Role.objects.create(user=person, kind=RoleKind.COORDINATOR, city=nairobi)
    assert client.get(reverse("governance:role_end", args=[other.pk])).status_code == 404

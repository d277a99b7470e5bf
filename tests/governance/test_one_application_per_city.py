"""One application in progress per city: a second applicant is told so on the form.

The concurrent case (ten submissions at the same instant) is in test_concurrency.py.
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from governance import services
from governance.models import AdmissionApplication, ApplicationStatus
from governance.models.admissions import city_name_key
from tests.factories import UserFactory
from tests.governance.conftest import form_data, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "spelling",
    ["Saint-Étienne", "saint étienne", "SAINT ETIENNE", "Saint–Etienne", "  Saint -  étienne ",
     "Saint\u2010E\u0301tienne", "saint_etienne"],
)  # fmt: skip
def test_spellings_of_one_city_name_share_a_key(spelling):
    assert city_name_key(spelling) == "saint etienne"


def test_different_cities_keep_different_keys():
    assert city_name_key("Saint-Étienne") != city_name_key("Saint-Étienne-du-Rouvray")
    assert city_name_key("L’Haÿ-les-Roses") == city_name_key("l'hay les roses")


def test_a_second_account_applying_for_the_same_new_city_gets_a_form_message(client, world):
    first = UserFactory()
    client.force_login(first)
    data = form_data(world, city_name="Saint-Étienne", letter=pdf_upload())
    assert client.post(reverse("governance:apply"), data).status_code == 302

    client.force_login(UserFactory())
    data = form_data(world, city_name="saint etienne", letter=pdf_upload())
    response = client.post(reverse("governance:apply"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_city_name_errors"' in html
    assert "An application for saint etienne to join TCC is already in progress." in html
    assert 'value="fabien@newtown.example"' in html  # the rest of the form is kept
    assert AdmissionApplication.objects.get().applicant == first


def test_a_returned_application_cannot_be_renamed_to_a_city_already_applying(client, world):
    world.apply(city_name="Villeneuve-sur-Lot")
    applicant = UserFactory()
    application = world.apply(applicant)
    services.return_application(actor=world.bureau, application=application, message="Name?")
    client.force_login(applicant)
    edit = reverse("governance:application_edit", args=[application.pk])
    response = client.post(edit, form_data(world, city_name="Villeneuve sur Lot"))
    assert response.status_code == 200
    assert "is already in progress" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RETURNED
    assert application.city_name == "Newtown"


def test_the_database_refuses_a_second_application_in_progress_for_a_new_city(world):
    application = world.apply()
    assert application.city_key == "newtown"
    twin = AdmissionApplication.objects.get(pk=application.pk)
    twin.pk = None
    twin.city_name = "NEWTOWN"
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()  # even bypassing the services
    twin.status = ApplicationStatus.REJECTED
    twin.save()  # a decided application is outside the constraint


def test_once_the_application_is_withdrawn_the_city_may_apply_again(world):
    applicant = UserFactory()
    application = world.apply(applicant)
    services.withdraw_application(actor=applicant, application=application)
    again = world.apply(city_name="Newtown")
    assert again.status == ApplicationStatus.SUBMITTED


def test_the_same_name_in_another_country_is_another_city(world):
    world.apply()
    assert world.apply(country="BE").city_key == "newtown"

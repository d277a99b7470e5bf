"""The bureau's statute profile and fees pages: values with sources, the preview and its
confirmation (without JavaScript), errors tied to fields, payments and the CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django import forms
from django.urls import reverse
from django.utils import timezone

from coalition.demo import DEMO_TOTP_SECRET
from governance.models import FeeStatus, MembershipFee, StatuteProfile
from governance.statute_forms import StatuteProfileForm
from members import services as members_services
from members.models import Coalition
from tests.factories import UserFactory


def today():
    """Read at use, not at import: a run may cross midnight (in TIME_ZONE) between the two."""
    return timezone.localdate()


@pytest.fixture
def eccar(demo):
    return Coalition.objects.get(slug="eccar")


@pytest.fixture
def desk(client, bureau):
    client.force_login(bureau)
    return client


def form_data(coalition, **overrides) -> dict:
    """The edit form as a browser posts it untouched, with `overrides` typed in."""
    latest = StatuteProfile.objects.filter(coalition=coalition).order_by("-version").first()
    form = StatuteProfileForm(coalition=coalition, profile=latest)
    data = {}
    for name, field in form.fields.items():
        value = form.get_initial_for_field(field, name)
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif isinstance(value, dt.date):
            data[name] = value.isoformat()
        else:
            data[name] = "" if value is None else str(value)
    for name, value in overrides.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def edit_url(coalition):
    return reverse("governance:statute_edit", args=[coalition.slug])


def test_the_profile_page_shows_each_value_with_its_source(desk, eccar):
    page = desk.get(reverse("governance:statute_profile", args=[eccar.slug])).content.decode()
    assert "Statute 2019 §7(3)" in page
    assert "BGB §33(1) sentence 1" in page  # a default the statute leaves to German law
    assert "Version 1" in page


def test_the_bureau_home_links_to_the_statute_and_the_fees(desk, eccar):
    page = desk.get(reverse("governance:bureau_home")).content.decode()
    assert reverse("governance:statute_profile", args=[eccar.slug]) in page
    assert reverse("governance:fee_list", args=[eccar.slug]) in page


def test_the_edit_page_says_how_many_cities_each_condition_would_exclude(desk, eccar):
    members = eccar.memberships.filter(status__in=["member", "suspended"]).count()
    due = MembershipFee.objects.filter(coalition=eccar, year=today().year, status="due").count()
    page = desk.get(edit_url(eccar)).content.decode()
    assert f"Today this condition would exclude {due} of {members} member cities." in page
    overdue = eccar.memberships.filter(
        status__in=["member", "suspended"], report_overdue_since__lte=today()
    ).count()
    assert f"Today this condition would exclude {overdue} of {members} member cities." in page


def test_previewing_shows_who_would_lose_the_vote_and_saves_nothing(desk, eccar):
    response = desk.post(edit_url(eccar), form_data(eccar, requires_fee_paid="on", preview="1"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "3 cities would lose their voting rights" in page
    assert "Nancy" in page
    assert StatuteProfile.objects.filter(coalition=eccar).count() == 1


def test_a_change_that_takes_voting_rights_asks_for_a_confirmation_then_saves(desk, eccar):
    data = form_data(eccar, requires_fee_paid="on", save="1", note="Assembly of 2026")
    refused = desk.post(edit_url(eccar), data)
    page = refused.content.decode()
    assert refused.status_code == 200
    assert 'id="id_confirm_errors"' in page
    assert 'name="confirm"' in page
    assert StatuteProfile.objects.filter(coalition=eccar).count() == 1
    saved = desk.post(edit_url(eccar), {**data, "confirm": "on"})
    assert saved.status_code == 302
    profile = StatuteProfile.objects.get(coalition=eccar, version=2)
    assert profile.requires_fee_paid
    assert StatuteProfile.objects.get(coalition=eccar, version=1).requires_fee_paid is False


def test_a_change_that_takes_nobodys_vote_saves_at_once(desk, eccar):
    data = form_data(eccar, quorum_kind="share", quorum_share="1/3", save="1")
    data["source_quorum"] = "Statute 2019 §7(7)"
    assert desk.post(edit_url(eccar), data).status_code == 302
    profile = StatuteProfile.current_for(eccar)
    assert (profile.version, profile.quorum_share) == (2, "1/3")
    assert profile.source_of("quorum") == "Statute 2019 §7(7)"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"quorum_kind": "share", "quorum_share": "3/2"}, "quorum_share"),
        ({"quorum_kind": "share", "quorum_share": ""}, "quorum_share"),
        ({"quorum_kind": "number", "quorum_number": ""}, "quorum_number"),
        ({"proxies_allowed": "on", "proxy_cap": ""}, "proxy_cap"),
        ({"fee_bands": "* 500\n100 200"}, "fee_bands"),
        ({"valid_from": "2019-01-01"}, "valid_from"),
    ],
)
def test_errors_are_tied_to_their_fields(desk, eccar, overrides, field):
    response = desk.post(edit_url(eccar), form_data(eccar, save="1", **overrides))
    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_{field}_errors"' in page
    assert StatuteProfile.objects.filter(coalition=eccar).count() == 1


def test_an_edit_begun_before_another_was_saved_is_refused(desk, eccar):
    stale = form_data(eccar, quorum_kind="share", quorum_share="1/2", save="1")
    first = desk.post(edit_url(eccar), form_data(eccar, substitutes_per_city="3", save="1"))
    assert first.status_code == 302
    page = desk.post(edit_url(eccar), stale).content.decode()
    assert "meanwhile" in page
    assert StatuteProfile.objects.filter(coalition=eccar).count() == 2


# --- Fees ---------------------------------------------------------------------------------


def fees_url(coalition, **query):
    url = reverse("governance:fee_list", args=[coalition.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_fees_page_filters_by_status(desk, eccar):
    page = desk.get(fees_url(eccar, status="due")).content.decode()
    assert "Nancy" in page and "Metz" in page
    assert "Potsdam" not in page
    waived = desk.get(fees_url(eccar, status="waived")).content.decode()
    assert "Esch-sur-Alzette" in waived


def test_recording_a_payment(desk, eccar):
    fee = MembershipFee.objects.get(coalition=eccar, city__name="Nancy", year=today().year)
    url = reverse("governance:fee_record", args=[fee.pk])
    response = desk.post(url, {"status": "paid", "amount": "750", "paid_on": today().isoformat()})
    assert response.status_code == 302
    fee.refresh_from_db()
    assert (fee.status, fee.paid_on) == (FeeStatus.PAID, today())


def test_a_payment_dated_in_the_future_is_refused_on_its_field(desk, eccar):
    fee = MembershipFee.objects.get(coalition=eccar, city__name="Nancy", year=today().year)
    later = (today() + dt.timedelta(days=3)).isoformat()
    response = desk.post(
        reverse("governance:fee_record", args=[fee.pk]),
        {"status": "paid", "amount": "750", "paid_on": later},
    )
    assert 'id="id_paid_on_errors"' in response.content.decode()
    fee.refresh_from_db()
    assert fee.status == FeeStatus.DUE


def test_another_coalitions_fee_is_not_found(client, db, demo):
    other = Coalition.objects.exclude(slug="eccar").first()
    fee = MembershipFee.objects.filter(coalition__slug="eccar").first()
    staff = UserFactory(email="other-bureau@example.org")
    TOTP.activate(staff, DEMO_TOTP_SECRET)
    members_services.grant_role(actor=demo["admin"], user=staff, kind="bureau", coalition=other)
    client.force_login(staff)
    assert client.get(reverse("governance:fee_record", args=[fee.pk])).status_code == 404
    assert client.get(fees_url(Coalition.objects.get(slug="eccar"))).status_code == 403


def test_the_csv_export_neutralises_formulas(desk, eccar):
    fee = MembershipFee.objects.get(coalition=eccar, city__name="Metz", year=today().year)
    fee.note = '=HYPERLINK("http://evil.example","x")'
    fee.save(update_fields=["note"])
    response = desk.get(reverse("governance:fee_export", args=[eccar.slug]) + "?status=due")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["city", "country", "year"]
    metz = next(row for row in rows if row[0] == "Metz")
    assert metz[-1].startswith("'=HYPERLINK")
    assert {row[5] for row in rows[1:]} == {"due"}


def test_generating_again_creates_nothing(desk, eccar):
    before = MembershipFee.objects.filter(coalition=eccar).count()
    response = desk.post(
        reverse("governance:fee_generate", args=[eccar.slug]), {"year": today().year}
    )
    assert response.status_code == 302
    assert MembershipFee.objects.filter(coalition=eccar).count() == before


def test_the_fees_page_costs_a_fixed_number_of_queries(desk, eccar, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        assert desk.get(fees_url(eccar)).status_code == 200

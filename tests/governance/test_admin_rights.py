"""Seats in the admin: the bureau names the people of its coalition, never itself."""

from __future__ import annotations

from coalition.audit import events_for
from governance.models import CommitteeSeat
from tests.html_forms import form_values


def ghent_seat():
    return CommitteeSeat.objects.current().get(city__name="Ghent")


def test_bureau_cannot_make_herself_a_seats_representative(client, bureau):
    seat = ghent_seat()
    representative = seat.representative_id
    url = f"/admin/governance/committeeseat/{seat.pk}/change/"
    client.force_login(bureau)
    data = form_values(client.get(url))
    data["representative"] = str(bureau.pk)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "representative" in response.context["adminform"].form.errors
    seat.refresh_from_db()
    assert seat.representative_id == representative


def test_bureau_names_another_person_of_her_coalition_and_the_change_is_audited(
    client, bureau, delegate
):
    seat = ghent_seat()
    url = f"/admin/governance/committeeseat/{seat.pk}/change/"
    client.force_login(bureau)
    data = form_values(client.get(url))
    data["representative"] = str(delegate.pk)
    assert client.post(url, data).status_code == 302
    seat.refresh_from_db()
    assert seat.representative == delegate
    assert events_for(seat).last().verb == "seat.changed"


def test_another_coalitions_bureau_cannot_take_an_eccar_seat(client, other_bureau):
    seat = ghent_seat()
    representative = seat.representative_id
    client.force_login(other_bureau)
    url = f"/admin/governance/committeeseat/{seat.pk}/change/"
    response = client.post(url, {"representative": other_bureau.pk, "kind": seat.kind})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    seat.refresh_from_db()
    assert seat.representative_id == representative

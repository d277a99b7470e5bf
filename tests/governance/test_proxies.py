"""Proxies (city to city, where the statute allows them) and the second convocation."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coalition.models import AuditEvent, OutgoingEmail, User
from governance import minutes_record
from governance import selectors_attendance as reads
from governance.engine import polls as engine
from governance.models import CityBallot, Proxy, ProxyStatus
from governance.services import GovernanceError, attendance, proxies
from governance.services import polls as polls_services
from members.models import Role
from tests.governance.conftest import pdf_upload
from tests.governance.polls_support import sitting_room

pytestmark = pytest.mark.django_db

PROXIES = {"proxies_allowed": True, "proxy_cap": 2}


def _grant(room, principal, holder, **kwargs):
    return proxies.register_proxy(
        actor=room.world.bureau,
        session=room.session,
        principal=principal,
        holder=holder,
        signed_by_name="The Mayor",
        form=kwargs.pop("form", None) or pdf_upload("proxy.pdf", "Proxy form"),
    )


def _validated(room, principal, holder):
    return proxies.validate_proxy(actor=room.world.bureau, proxy=_grant(room, principal, holder))


def test_a_profile_without_proxies_refuses_them_with_a_clear_message():
    room = sitting_room(3, present=1)
    with pytest.raises(GovernanceError, match="allows no proxies"):
        _grant(room, room.cities[2], room.cities[0])
    assert not Proxy.objects.exists()


def test_a_proxy_is_registered_with_its_form_then_validated_and_audited():
    room = sitting_room(3, present=1, **PROXIES)
    proxy = _grant(room, room.cities[2], room.cities[0])
    assert proxy.status == ProxyStatus.SUBMITTED
    assert proxy.form.name.startswith("governance/proxies/")
    assert proxy.form_filename == "proxy.pdf"
    proxy = proxies.validate_proxy(actor=room.world.bureau, proxy=proxy)
    assert proxy.status == ProxyStatus.VALIDATED
    verbs = set(AuditEvent.objects.filter(object_id=str(proxy.pk)).values_list("verb", flat=True))
    assert {"proxy.registered", "proxy.validated"} <= verbs


def test_a_form_that_is_not_a_pdf_is_refused():
    room = sitting_room(3, present=1, **PROXIES)
    fake = SimpleUploadedFile("proxy.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(GovernanceError, match="PDF") as caught:
        _grant(room, room.cities[2], room.cities[0], form=fake)
    assert caught.value.field == "form"


def test_the_cap_per_holder_city_is_enforced():
    room = sitting_room(5, present=1, **{**PROXIES, "proxy_cap": 1})
    holder = room.cities[0]
    _grant(room, room.cities[3], holder)
    with pytest.raises(GovernanceError, match="holds 1 proxies already"):
        _grant(room, room.cities[4], holder)
    # A rejected proxy frees its place.
    proxies.reject_proxy(
        actor=room.world.bureau, proxy=Proxy.objects.get(principal=room.cities[3]), reason="No"
    )
    _grant(room, room.cities[4], holder)


def test_a_city_gives_one_proxy_and_no_chains():
    room = sitting_room(5, present=2, **PROXIES)
    a, b, c = room.cities[0], room.cities[3], room.cities[4]
    _grant(room, b, a)
    with pytest.raises(GovernanceError, match="given its proxy"):
        _grant(room, b, room.cities[1])
    with pytest.raises(GovernanceError, match="holds a proxy itself"):
        _grant(room, a, c)
    with pytest.raises(GovernanceError, match="given its own proxy"):
        _grant(room, c, b)
    with pytest.raises(GovernanceError, match="its own proxy"):
        _grant(room, c, c)


def test_a_city_checked_in_cannot_give_its_proxy():
    room = sitting_room(3, present=2, **PROXIES)
    with pytest.raises(GovernanceError, match="checked in"):
        _grant(room, room.cities[1], room.cities[0])


def test_the_proxy_ends_when_the_principal_city_checks_in():
    room = sitting_room(3, present=1, **PROXIES)
    principal = room.cities[2]
    proxy = _validated(room, principal, room.cities[0])
    assert principal.pk in reads.live_quorum(room.session).proxy_ids
    attendance.check_in(
        actor=room.world.bureau, registration=room.substitutes[principal.pk], channel="desk"
    )
    proxy.refresh_from_db()
    assert proxy.status == ProxyStatus.ENDED
    assert proxy.end_reason == "checked_in"
    assert proxy.ended_at is not None
    assert AuditEvent.objects.filter(verb="proxy.ended", object_id=str(proxy.pk)).exists()
    quorum = reads.live_quorum(room.session)
    assert principal.pk not in quorum.proxy_ids and principal.pk in quorum.present_ids


def test_a_represented_city_counts_as_present_by_default():
    room = sitting_room(4, present=1, quorum_kind="number", quorum_number=2, **PROXIES)
    assert not reads.live_quorum(room.session).quorate
    _validated(room, room.cities[3], room.cities[0])
    quorum = reads.live_quorum(room.session)
    assert quorum.present == 2 and quorum.quorate
    assert "(1 by proxy)" in quorum.label


def test_a_statute_that_says_so_does_not_count_represented_cities():
    room = sitting_room(
        4,
        present=1,
        quorum_kind="number",
        quorum_number=2,
        proxies_count_for_quorum=False,
        **PROXIES,
    )
    principal = room.cities[3]
    _validated(room, principal, room.cities[0])
    quorum = reads.live_quorum(room.session)
    assert quorum.present == 1 and not quorum.quorate
    assert principal.pk in quorum.voting_ids  # it still votes


def test_a_proxy_of_an_absent_holder_city_represents_nobody():
    room = sitting_room(4, present=1, **PROXIES)
    _validated(room, room.cities[3], room.cities[2])  # city 2 is absent
    assert not reads.live_quorum(room.session).proxy_ids


def test_the_card_holder_casts_separate_ballots_for_each_city():
    room = sitting_room(4, present=1, **PROXIES)
    holder, principal = room.cities[0], room.cities[3]
    proxy = _validated(room, principal, holder)
    poll = polls_services.open_poll(actor=room.chair, item=room.item, kind="motion", question="Q?")
    assert set(poll.electors.values_list("city_id", flat=True)) == {holder.pk, principal.pk}
    delegate = room.delegates[holder.pk].person
    own = polls_services.cast_ballot(actor=delegate, poll=poll, choice="yes")
    by_proxy = polls_services.cast_ballot(actor=delegate, poll=poll, choice="no", city=principal)
    assert (own.city_id, own.via, own.proxy_ref) == (holder.pk, "card", None)
    assert (by_proxy.city_id, by_proxy.via, by_proxy.proxy_ref) == (principal.pk, "proxy", proxy.pk)
    assert by_proxy.cast_by_id == delegate.pk
    assert by_proxy.holding_ref == own.holding_ref
    with pytest.raises(GovernanceError, match="voted already"):
        polls_services.cast_ballot(actor=delegate, poll=poll, choice="yes", city=principal)
    assert CityBallot.objects.filter(poll=poll).count() == 2


def test_without_a_proxy_in_force_nobody_votes_for_another_city():
    room = sitting_room(4, present=2, **PROXIES)
    _grant(room, room.cities[3], room.cities[0])  # not validated
    poll = polls_services.open_poll(actor=room.chair, item=room.item, kind="motion", question="Q?")
    delegate = room.delegates[room.cities[0].pk].person
    for city in (room.cities[3], room.cities[1]):
        with pytest.raises(GovernanceError, match="no proxy of"):
            polls_services.cast_ballot(actor=delegate, poll=poll, choice="yes", city=city)


def test_a_proxy_ended_after_the_opening_no_longer_votes():
    room = sitting_room(4, present=1, **PROXIES)
    principal = room.cities[3]
    proxy = _validated(room, principal, room.cities[0])
    poll = polls_services.open_poll(actor=room.chair, item=room.item, kind="motion", question="Q?")
    delegate = room.delegates[room.cities[0].pk].person
    holding = polls_services.holding_of(delegate, room.session)

    proxies.withdraw_proxy(actor=room.world.bureau, proxy=proxy)
    with pytest.raises(GovernanceError, match="no longer in force"):
        engine.cast_ballot(
            actor=delegate,
            poll=poll,
            city_id=principal.pk,
            choice="yes",
            holding=holding,
            proxy=proxy,
            via="proxy",
        )


# --- The second convocation -------------------------------------------------------------------


def test_the_second_convocation_applies_its_own_quorum():
    room = sitting_room(
        4,
        present=1,
        quorum_kind="number",
        quorum_number=3,
        second_convocation_allowed=True,
        second_quorum_kind="none",
    )
    with pytest.raises(GovernanceError, match="not quorate"):
        attendance.check_quorum(room.session)
    session = proxies.convene_second_convocation(actor=room.world.bureau, session=room.session)
    assert session.convocation_number == 2
    assert session.first_quorum_failure["required"] == 3
    quorum = attendance.check_quorum(session)
    assert quorum.convocation == 2 and quorum.required == 0
    assert quorum.label.startswith("Second convocation: ")
    assert "no quorum required" in quorum.label
    poll = polls_services.open_poll(actor=room.chair, item=room.item, kind="motion", question="Q?")
    assert poll.quorum_at_opening["convocation"] == 2
    assert AuditEvent.objects.filter(verb="session.second_convocation").exists()


def test_no_second_convocation_where_the_statute_has_none_or_the_first_is_quorate():
    room = sitting_room(4, present=1, quorum_kind="number", quorum_number=3)
    with pytest.raises(GovernanceError, match="provides no second convocation"):
        proxies.convene_second_convocation(actor=room.world.bureau, session=room.session)
    room.session.statute_snapshot = {
        **room.session.statute_snapshot,
        "second_convocation_allowed": True,
        "second_quorum_kind": "none",
        "quorum_number": 1,
    }
    room.session.save(update_fields=["statute_snapshot"])
    with pytest.raises(GovernanceError, match="first convocation is quorate"):
        proxies.convene_second_convocation(actor=room.world.bureau, session=room.session)


def test_the_desk_the_quorum_the_roll_call_and_the_minutes_name_the_proxy(client):
    from django.urls import reverse  # noqa: PLC0415 - the one test here that reads pages

    room = sitting_room(4, present=2, **PROXIES)
    principal, holder = room.cities[3], room.cities[0]
    _validated(room, principal, holder)
    quorum, rows = reads.desk_rows(room.session)
    assert quorum.represented == ((principal.pk, principal.name, holder.name),)
    by_city = {row.city.pk: row for row in rows}
    assert by_city[principal.pk].proxy_holder == holder.name
    assert by_city[holder.pk].proxy_holder == ""
    roll_call = attendance.take_roll_call(actor=room.world.bureau, session=room.session)
    entry = roll_call.entries.get(city=principal)
    assert entry.present and entry.proxy_holder_name == holder.name
    assert roll_call.entries.get(city=holder).proxy_holder_name == ""
    record = minutes_record.build_record(room.session)
    entries = {e["city"]: e for e in record["roll_calls"][0]["entries"]}
    assert entries[principal.name]["proxy_holder"] == holder.name
    assert entries[holder.name]["proxy_holder"] == ""
    client.force_login(room.world.bureau)
    represented = f"represented by <bdi>{holder.name}</bdi> (proxy)"
    for url in (
        reverse("governance:session_desk", args=[room.session.pk]),
        reverse("governance:session_quorum", args=[room.session.pk]),
        reverse("governance:roll_call_detail", args=[roll_call.pk]),
    ):
        assert represented in client.get(url).content.decode(), url


def _proxy_emails(since: int):
    from coalition.models import OutgoingEmail  # noqa: PLC0415 - the email tests only

    return list(OutgoingEmail.objects.filter(pk__gt=since).order_by("pk"))


def _last_email_pk() -> int:

    return OutgoingEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _delegate_email(room, city) -> str:
    """The city's delegate in the room, given the delegate role (the room leaves roles out)."""

    person = room.delegates[city.pk].person
    Role.objects.get_or_create(user=person, city=city, kind="delegate")
    return person.email


def test_each_step_of_a_proxy_is_emailed_to_those_concerned_in_their_language():

    room = sitting_room(4, present=1, **PROXIES)
    principal, holder = room.cities[3], room.cities[0]
    holder_delegate = _delegate_email(room, holder)
    principal_delegate = _delegate_email(room, principal)
    User.objects.filter(email=holder_delegate).update(language="fr")
    start = _last_email_pk()
    proxy = _grant(room, principal, holder)
    sent = _proxy_emails(start)
    assert {m.template for m in sent} == {"proxy"}
    to = {m.to for m in sent}
    assert principal_delegate in to and holder_delegate in to
    french = next(m for m in sent if m.to == holder_delegate)
    # Rendered in French (the catalogue's words arrive with the merge of the pending .po).
    assert '<html lang="fr"' in french.html
    mark = _last_email_pk()
    proxies.reject_proxy(actor=room.world.bureau, proxy=proxy, reason="The form is not signed.")
    rejected = _proxy_emails(mark)
    assert rejected and all(
        "The form is not signed." in m.text for m in rejected if m.to != holder_delegate
    )
    mark = _last_email_pk()
    second = _validated(room, principal, holder)
    validated = _proxy_emails(mark)
    assert any("validated" in m.subject for m in validated)
    mark = _last_email_pk()
    attendance.check_in(
        actor=room.world.bureau, registration=room.delegates[principal.pk], channel="desk"
    )
    second.refresh_from_db()
    assert second.status == ProxyStatus.ENDED
    ended = _proxy_emails(mark)
    assert {m.to for m in ended if m.template == "proxy"} >= {holder_delegate}

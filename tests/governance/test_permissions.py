"""Every governance URL against every persona: the expected status.

404 where the existence of an application (or of a vote or proposal about a
city) is private to those involved; 403 where the page is known to exist but
the person's role does not allow it; 302 to the sign-in page for anonymous
visitors (and after a successful POST).
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from coalition.demo import demo_email
from coalition.models import User
from governance import convocations, declarations, services
from governance.demo import DECLARATION_TITLE, MOTION_TITLE, NEXT_ASSEMBLY_TITLE
from governance.letters import minimal_pdf
from governance.models import (
    AdmissionApplication,
    Amendment,
    AssemblySession,
    CardHolding,
    CommitteeSeat,
    ConvocationDelivery,
    DelegateCertification,
    ExclusionProposal,
    MembershipFee,
    Motion,
)
from governance.services import application_checks, assemblies, attendance
from governance.urls import urlpatterns
from members.models import City, Membership, Role
from tests import permissions
from tests.built_once import built_once
from tests.governance.test_election_permissions import ELECTION_MATRIX
from tests.governance.test_election_release_permissions import RELEASE_MATRIX
from tests.governance.test_minutes_views import MINUTES_MATRIX
from tests.governance.test_poll_permissions import POLL_MATRIX
from tests.governance.test_proxy_permissions import PROXY_MATRIX

#: Every governance page sends an anonymous visitor to sign in first.
expect = functools.partial(permissions.expect, anonymous=302)


ANY_SIGNED_IN = expect(200)
BUREAU_ONLY = expect(403, bureau=200, administrator=200)
PRIVATE_TO_BUREAU = expect(404, bureau=200, administrator=200)
SEEN_BY_COMMITTEE = expect(404, committee_member=200, bureau=200, administrator=200)
MOTIONS_SEEN = expect(404, coord=200, deleg=200, comm=200, bur=200, adm=200)

# (label, method, url name, object key, POST data, expected statuses)
MATRIX = [
    ("apply", "get", "governance:apply", None, None, ANY_SIGNED_IN),
    ("my applications", "get", "governance:my_applications", None, None, ANY_SIGNED_IN),
    ("waiting application", "get", "governance:application_detail", "waiting", None,
     PRIVATE_TO_BUREAU),
    ("application under vote", "get", "governance:application_detail", "under_vote", None,
     SEEN_BY_COMMITTEE),
    ("edit application", "get", "governance:application_edit", "waiting", None,
     expect(404, bureau=403, administrator=403)),
    ("withdraw application", "post", "governance:application_withdraw", "waiting", {},
     expect(404, bureau=403, administrator=403)),
    ("letter of waiting application", "get", "governance:application_letter", "waiting", None,
     PRIVATE_TO_BUREAU),
    ("letter of application under vote", "get", "governance:application_letter", "under_vote",
     None, SEEN_BY_COMMITTEE),
    ("bureau home", "get", "governance:bureau_home", None, None, BUREAU_ONLY),
    ("review waiting application", "get", "governance:application_review", "waiting", None,
     BUREAU_ONLY),
    ("review application under vote", "get", "governance:application_review", "under_vote",
     None, BUREAU_ONLY),
    ("return application", "post", "governance:application_return", "waiting",
     {"message": "Please add the council's resolution."},
     expect(403, bureau=302, administrator=302)),
    ("open admission vote", "post", "governance:application_open_vote", "waiting",
     {"closes_on": "CLOSES_ON"}, expect(403, bureau=302, administrator=302)),
    ("open admission vote, confirmed", "post", "governance:application_open_vote", "waiting",
     {"closes_on": "CLOSES_ON", "confirmed": "1"}, expect(403, bureau=302, administrator=302)),
    ("open admission vote confirmation page", "get", "governance:application_open_vote",
     "waiting", None, BUREAU_ONLY),
    ("open admission vote page, check incomplete", "get", "governance:application_open_vote",
     "unchecked", None, expect(403, bureau=302, administrator=302)),
    ("application check", "post", "governance:application_checks", "waiting",
     {"letter_signed": "on", "letter_signed_note": "Signed."},
     expect(403, bureau=302, administrator=302)),
    ("application check of an application under vote", "post",
     "governance:application_checks", "under_vote", {"letter_signed": "on"},
     expect(403, bureau=400, administrator=400)),
    ("audit log", "get", "governance:application_audit", "under_vote", None, BUREAU_ONLY),
    ("portal audit log", "get", "governance:audit_log", None, None, BUREAU_ONLY),
    ("portal audit log export", "get", "governance:audit_log_export", None, None, BUREAU_ONLY),
    ("seats", "get", "governance:seat_list", None, None, BUREAU_ONLY),
    ("end seat", "get", "governance:seat_end", "seat", None, BUREAU_ONLY),
    ("change seat", "get", "governance:seat_change", "seat", None, BUREAU_ONLY),
    ("save seat", "post", "governance:seat_change", "seat",
     {"representative_email": "", "ends_on": ""}, expect(403, bureau=302, administrator=302)),
    ("memberships", "get", "governance:membership_list", None, None, BUREAU_ONLY),
    ("membership decision", "get", "governance:membership_decision", "membership", None,
     BUREAU_ONLY),
    ("open exclusion vote", "post", "governance:exclusion_open_vote", "proposal",
     {"closes_on": "CLOSES_ON"}, expect(403, bureau=302, administrator=302)),
    ("open exclusion vote confirmation page", "get", "governance:exclusion_open_vote",
     "open_proposal", None, BUREAU_ONLY),
    ("open exclusion vote, confirmed", "post", "governance:exclusion_open_vote",
     "open_proposal", {"closes_on": "CLOSES_ON", "confirmed": "1"},
     expect(403, bureau=302, administrator=302)),
    ("assembly decision", "get", "governance:exclusion_decision", "proposal", None,
     BUREAU_ONLY),
    ("statute profile", "get", "governance:statute_profile", "eccar", None, BUREAU_ONLY),
    ("statute profile edit", "get", "governance:statute_edit", "eccar", None, BUREAU_ONLY),
    ("statute profile preview", "post", "governance:statute_edit", "eccar", {"preview": "1"},
     BUREAU_ONLY),
    ("fees", "get", "governance:fee_list", "eccar", None, BUREAU_ONLY),
    ("fees export", "get", "governance:fee_export", "eccar", None, BUREAU_ONLY),
    ("generate fees", "post", "governance:fee_generate", "eccar", {"year": "YEAR"},
     expect(403, bureau=302, administrator=302)),
    ("fee", "get", "governance:fee_record", "fee", None, BUREAU_ONLY),
    ("record fee", "post", "governance:fee_record", "fee", {"status": "waived", "amount": "500"},
     expect(403, bureau=302, administrator=302)),
    # Delegates: the city's own pages (404 to all but its coordinators), the certification
    # (seen by its person, the city's coordinators and the bureau), the bureau's pages.
    ("city delegates", "get", "governance:city_delegates", "potsdam", None,
     expect(404, coordinator=200)),
    ("certify delegate", "get", "governance:certify_delegate", "potsdam", None,
     expect(404, coordinator=200)),
    ("revoke certification page", "get", "governance:certification_revoke", "certification",
     None, expect(404, delegate=403, coordinator=200, bureau=200, administrator=200)),
    ("revoke certification", "post", "governance:certification_revoke", "certification",
     {"reason": "Left the city council."},
     expect(404, delegate=403, coordinator=302, bureau=302, administrator=302)),
    ("mandate letter", "get", "governance:certification_letter", "certification", None,
     expect(404, delegate=200, coordinator=200, bureau=200, administrator=200)),
    ("certifications waiting", "get", "governance:certification_queue", None, None,
     BUREAU_ONLY),
    ("review certification", "get", "governance:certification_review", "waiting_certification",
     None, BUREAU_ONLY),
    ("validate certification", "post", "governance:certification_validate",
     "waiting_certification", {}, expect(403, bureau=302, administrator=302)),
    ("reject certification", "post", "governance:certification_reject",
     "waiting_certification", {"reject-reason": "The letter is not signed."},
     expect(403, bureau=302, administrator=302)),
    ("delegates of member cities", "get", "governance:delegate_list", None, None, BUREAU_ONLY),
    ("city roles", "get", "governance:role_list", None, None, BUREAU_ONLY),
    ("end city role", "get", "governance:role_end", "city_role", None, BUREAU_ONLY),
    # Assembly sessions: the bureau's pages (a draft is private to its bureau), the public
    # pages of a convened session, a city's request for an extraordinary assembly.
    ("sessions", "get", "governance:session_list", None, None, BUREAU_ONLY),
    ("new session", "get", "governance:session_create", None, None, BUREAU_ONLY),
    ("manage session", "get", "governance:session_manage", "draft_session", None, BUREAU_ONLY),
    ("edit session", "get", "governance:session_edit", "draft_session", None, BUREAU_ONLY),
    ("add agenda item", "post", "governance:agenda_item_add", "draft_session",
     {"kind": "debate", "title": "A debate"}, expect(403, bureau=302, administrator=302)),
    ("convene page", "get", "governance:session_convene", "draft_session", None, BUREAU_ONLY),
    ("open session", "post", "governance:session_open", "session", {},
     expect(403, bureau=302, administrator=302)),
    ("close session", "post", "governance:session_close", "session", {},
     expect(403, bureau=302, administrator=302)),
    ("late item", "post", "governance:late_item_add", "session",
     {"late-kind": "motion", "late-title": "Urgent"}, expect(403, bureau=400, administrator=400)),
    ("deliveries", "get", "governance:session_deliveries", "session", None, BUREAU_ONLY),
    ("move agenda item", "post", "governance:agenda_item_move", "draft_item", {"up": "1"},
     expect(403, bureau=302, administrator=302)),
    ("withdraw agenda item", "post", "governance:agenda_item_withdraw", "other_item", {},
     expect(403, bureau=302, administrator=302)),
    ("agenda document", "get", "governance:agenda_document_add", "draft_item", None,
     BUREAU_ONLY),
    ("late item vote", "post", "governance:late_item_vote", "draft_item",
     {"yes": "3", "no": "1", "abstain": "0"}, expect(403, bureau=302, administrator=302)),
    ("record bounce", "post", "governance:delivery_bounce", "delivery", {"note": "550"},
     expect(403, bureau=302, administrator=302)),
    ("coalition sessions", "get", "governance:coalition_sessions", "eccar", None,
     expect(200, anonymous=200)),
    ("convened session", "get", "governance:session_detail", "session", None,
     expect(200, anonymous=200)),
    ("draft session page", "get", "governance:session_detail", "draft_session", None,
     expect(404, anonymous=404, bureau=200, administrator=200)),
    ("convocation PDF", "get", "governance:session_convocation", "session", None,
     expect(200, anonymous=200)),
    ("members' document", "get", "governance:agenda_document", "document", None,
     expect(404, anonymous=404, coordinator=200, delegate=200, bureau=200, administrator=200)),
    ("extraordinary request", "get", "governance:extraordinary_request", "potsdam", None,
     expect(404, coordinator=200)),
    # Registration, attendance, voting cards and roll calls: the demo's convened assembly
    # (the bureau is its chair); Potsdam's delegate and Ghent's observer (the committee
    # member) are accredited; Graz's observer waits; the delegate holds Potsdam's card.
    ("city registrations", "get", "governance:city_registrations", "potsdam_registrations",
     None, expect(404, coordinator=200, delegate=200)),
    ("session registrations", "get", "governance:session_registrations", "session", None,
     BUREAU_ONLY),
    ("accredit registration", "post", "governance:registration_accredit", "graz_registration",
     {}, expect(403, bureau=302, administrator=302)),
    ("reject registration", "get", "governance:registration_reject", "graz_registration",
     None, BUREAU_ONLY),
    ("attendance desk", "get", "governance:session_desk", "session", None, BUREAU_ONLY),
    ("desk check-in by code", "post", "governance:desk_check_in", "session",
     {"code": "AAAA-BBBB-CCCC"}, expect(403, bureau=400, administrator=400)),
    ("live quorum", "get", "governance:session_quorum", "session", None, BUREAU_ONLY),
    ("take roll call", "post", "governance:roll_call_take", "session", {},
     expect(403, bureau=302, administrator=302)),
    ("room view", "get", "governance:session_room", "session", None,
     expect(403, delegate=200, committee_member=200, bureau=200, administrator=200)),
    ("roll call", "get", "governance:roll_call_detail", "roll_call", None,
     expect(404, coordinator=200, delegate=200, bureau=200, administrator=200)),
    ("desk check-in or out", "post", "governance:desk_attendance", "substitute_registration",
     {"action": "out"}, expect(404, bureau=302, administrator=302)),
    ("my registrations", "get", "governance:my_registrations", None, None, ANY_SIGNED_IN),
    ("registration page", "get", "governance:registration_detail", "delegate_registration",
     None, expect(404, delegate=200, coordinator=200, bureau=200, administrator=200)),
    ("show a new code", "post", "governance:registration_code", "delegate_registration", {},
     expect(404, delegate=200, coordinator=403, bureau=403, administrator=403)),
    ("join online", "post", "governance:registration_online", "delegate_registration",
     {"action": "join"}, expect(404, delegate=302, coordinator=403, bureau=403,
                                administrator=403)),
    ("take the card", "post", "governance:card_take", "delegate_registration", {},
     expect(404, delegate=302, coordinator=403, bureau=403, administrator=403)),
    ("hand the card", "post", "governance:card_hand", "holding",
     {"to": "SUBSTITUTE_REGISTRATION"}, expect(404, delegate=302, bureau=302,
                                               administrator=302)),
    # The steering committee
    # Motions and amendments: seen by the coalition's bureau, committee and member cities'
    # people; amended, answered and withdrawn by the submitting city; recommended on by the
    # committee or the bureau; a published declaration is public.
    ("session motions", "get", "governance:session_motions", "session", None, MOTIONS_SEEN),
    ("submit motion", "get", "governance:motion_submit", "session", None, MOTIONS_SEEN),
    ("motion page", "get", "governance:motion_detail", "motion", None, MOTIONS_SEEN),
    ("amend motion", "get", "governance:amendment_submit", "motion", None,
     expect(404, coord=200, deleg=200, comm=403, bur=403, adm=403)),
    ("attach motion", "post", "governance:motion_attach", "motion", {"item": "ITEM"},
     expect(404, coord=403, deleg=403, comm=403, bur=302, adm=302)),
    ("motion translation", "get", "governance:motion_translation", "motion", None,
     expect(404, coord=403, deleg=403, comm=403, bur=200, adm=200)),
    ("publish declaration", "get", "governance:motion_publish", "motion", None,
     expect(404, coord=403, deleg=403, comm=403, bur=200, adm=200)),
    ("recommend on amendment", "get", "governance:amendment_recommend", "amendment", None,
     expect(404, coord=403, deleg=403, comm=200, bur=200, adm=200)),
    ("answer recommendation", "post", "governance:amendment_respond", "amendment",
     {"answer": "decline"}, expect(404, coord=302, deleg=302, comm=403, bur=403, adm=403)),
    ("withdraw amendment", "get", "governance:amendment_withdraw", "amendment", None,
     expect(404, coord=200, deleg=200, comm=403, bur=403, adm=403)),
    ("withdraw another city's amendment", "post", "governance:amendment_withdraw",
     "other_amendment", {"confirmed": "1"}, expect(404, coord=403, deleg=403, comm=403,
                                                   bur=403, adm=403)),
    ("declaration", "get", "governance:declaration_detail", "declaration", None,
     expect(200, anonymous=200)),
    ("declaration PDF", "get", "governance:declaration_pdf", "declaration", None,
     expect(200, anonymous=200)),
    ("committee home", "get", "governance:committee_home", None, None,
     expect(403, committee_member=200)),
    ("vote page", "get", "governance:vote_detail", "vote", None, SEEN_BY_COMMITTEE),
    ("cast a ballot", "post", "governance:vote_detail", "vote", {"choice": "yes"},
     expect(404, committee_member=302, bureau=403, administrator=403)),
    ("live tally", "get", "governance:vote_tally", "vote", None, SEEN_BY_COMMITTEE),
    ("comment", "post", "governance:vote_comment", "vote", {"body": "A remark."},
     expect(404, committee_member=302, bureau=302, administrator=302)),
    ("propose exclusion", "get", "governance:propose_exclusion", None, None,
     expect(403, committee_member=200)),
    ("exclusion proposal", "get", "governance:exclusion_detail", "proposal", None,
     SEEN_BY_COMMITTEE),
]  # fmt: skip


#: Object keys whose URLs name a city rather than an object of their own.
CITY_KEYS = {"potsdam": "city_pk"}


def _sessions(bureau) -> dict:
    """The demo's convened assembly (with its PDF drawn, a members' document and a delivery),
    and a draft with two items."""
    convened = AssemblySession.objects.get(title=NEXT_ASSEMBLY_TITLE)
    convocations.render_convocation(convened.pk)
    item = convened.items.first()
    document = assemblies.add_agenda_document(
        actor=bureau,
        item=item,
        title="Draft accounts",
        upload=SimpleUploadedFile("accounts.pdf", minimal_pdf(["Accounts"])),
        public=False,
    )
    zone = zoneinfo.ZoneInfo("Europe/Berlin")
    start = dt.datetime.combine(
        timezone.localdate() + dt.timedelta(days=90), dt.time(10), tzinfo=zone
    )
    draft = assemblies.create_session(
        actor=bureau,
        coalition=convened.coalition,
        details=assemblies.SessionDetails(
            body="general_conference",
            title="Draft conference",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=6),
        ),
    )
    first = assemblies.add_agenda_item(actor=bureau, session=draft, kind="debate", title="One")
    other = assemblies.add_agenda_item(actor=bureau, session=draft, kind="debate", title="Two")
    return {
        "session": convened.pk,
        "draft_session": draft.pk,
        "draft_item": first.pk,
        "other_item": other.pk,
        "document": document.pk,
        # The demo's convocations were not emailed (demo people get none): one delivery.
        "delivery": ConvocationDelivery.objects.create(
            session=convened,
            city=item.session.host_city,
            email="coordinator@potsdam.example",
            role="coordinator",
            language="en",
        ).pk,
    }


def _attendance(bureau) -> dict:
    session = AssemblySession.objects.get(title=NEXT_ASSEMBLY_TITLE)
    registrations = {r.person.email.split("@")[0]: r for r in session.registrations.all()}
    delegate, substitute = registrations["delegate"], registrations["substitute"]
    attendance.check_in(actor=bureau, registration=delegate, channel="desk")
    attendance.check_in(actor=bureau, registration=substitute, channel="desk")
    potsdam = delegate.city_id
    return {
        "potsdam_registrations": {"pk": session.pk, "city_pk": potsdam},
        "graz_registration": registrations["graz"].pk,
        "delegate_registration": delegate.pk,
        "substitute_registration": substitute.pk,
        "holding": CardHolding.objects.get(session=session, city_id=potsdam, current=True).pk,
        "roll_call": attendance.take_roll_call(actor=bureau, session=session).pk,
    }


def _motions() -> dict:
    """The demo's motion, Potsdam's and Graz's amendments, the published declaration."""
    motion = Motion.objects.get(title=MOTION_TITLE)
    declaration = Motion.objects.get(title=DECLARATION_TITLE)
    declarations.render_declaration(declaration.pk)
    return {
        "motion": motion.pk,
        "item": motion.item_id,
        "amendment": Amendment.objects.get(motion=motion, city__name="Potsdam").pk,
        "other_amendment": Amendment.objects.filter(motion=motion, city__name="Graz").first().pk,
        "declaration": {"slug": declaration.slug},
    }


@built_once(on_the_demo=True)
def objects():
    """The demo's two applications and open vote, a seat, a membership, an adopted proposal,
    ECCAR (by its slug) and a fee of this year still due."""
    committee_member = User.objects.get(email=demo_email("committee"))
    bureau = User.objects.get(email=demo_email("bureau"))
    waiting = AdmissionApplication.objects.get(city_name="Leipzig")
    under_vote = AdmissionApplication.objects.get(city_name="Aarhus")
    proposal = services.propose_exclusion(
        actor=committee_member,
        membership=Membership.objects.get(city__name="Bologna", coalition__short_name="ECCAR"),
        grounds="Grounds for the test.",
    )
    # As if the committee had adopted it: the assembly's decision is awaited.
    ExclusionProposal.objects.filter(pk=proposal.pk).update(status="awaiting_assembly")
    open_proposal = services.propose_exclusion(
        actor=committee_member,
        membership=Membership.objects.get(city__name="Graz", coalition__short_name="ECCAR"),
        grounds="Other grounds for the test.",
    )
    # Leipzig's application check done, as the bureau would; a second application unchecked.
    application_checks.tick_every_item(actor=bureau, application=waiting)
    unchecked = services.submit_application(
        actor=waiting.applicant,
        details=services.ApplicationDetails(
            coalition=waiting.coalition,
            city_name="Neustadt am Probe",
            country="DE",
            contact_name="Anna Applicant",
            contact_email=waiting.applicant.email,
            focal_point_name="Focal point",
            focal_point_email="focal@neustadt.example",
            letter_signed_on=timezone.localdate(),
            actions={c.pk: ["An action."] for c in waiting.plan.commitments.all()},
        ),
        letter=SimpleUploadedFile("letter.pdf", minimal_pdf(["Letter"])),
    )
    return {
        "waiting": waiting.pk,
        "under_vote": under_vote.pk,
        "vote": under_vote.votes.get().pk,
        "proposal": proposal.pk,
        "open_proposal": open_proposal.pk,
        "unchecked": unchecked.pk,
        "seat": CommitteeSeat.objects.get(representative=committee_member).pk,
        "membership": Membership.objects.get(
            city__name="Potsdam", coalition__short_name="ECCAR"
        ).pk,
        "eccar": {"slug": "eccar"},
        "fee": MembershipFee.objects.filter(coalition__slug="eccar", status="due").first().pk,
        "potsdam": City.objects.get(name="Potsdam").pk,
        "certification": DelegateCertification.objects.get(
            city__name="Potsdam", role="delegate", status="validated"
        ).pk,
        "waiting_certification": DelegateCertification.objects.get(
            city__name="Graz", status="submitted"
        ).pk,
        "city_role": Role.objects.get(kind="coordinator", city__name="Potsdam").pk,
        **_sessions(bureau),
        **_attendance(bureau),
        **_motions(),
    }


def test_the_matrix_names_every_governance_url():
    named = {f"governance:{p.name}" for p in urlpatterns}
    rows = MATRIX + ELECTION_MATRIX + POLL_MATRIX + RELEASE_MATRIX + MINUTES_MATRIX + PROXY_MATRIX
    assert named == {row[2] for row in rows}


@pytest.mark.parametrize(
    ("label", "method", "name", "key", "data", "expected"),
    MATRIX,
    ids=[row[0] for row in MATRIX],
)
def test_permission_matrix(
    persona_client, no_template_rendering, objects, label, method, name, key, data, expected
):
    """One URL, every persona in turn (the demo data is loaded once per URL)."""
    if isinstance(objects.get(key), dict):
        kwargs = objects[key]
    else:
        kwargs = {CITY_KEYS.get(key, "pk"): objects.get(key)}
    url = reverse(name, kwargs=kwargs if key else None)
    if data is not None:
        closes_on = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
        year = str(timezone.localdate().year)
        placeholders = {
            "CLOSES_ON": closes_on,
            "YEAR": year,
            "SUBSTITUTE_REGISTRATION": str(objects["substitute_registration"]),
        }
        placeholders = {"CLOSES_ON": closes_on, "YEAR": year, "ITEM": objects["item"]}
        data = {k: placeholders.get(v, v) for k, v in data.items()}
    wrong = permissions.check(
        persona_client,
        url,
        expected,
        method=method,
        data=data,
        redirects={"anonymous": reverse("account_login")},
        label=label,
    )
    assert not wrong, f"{label} {url}: " + "; ".join(wrong)

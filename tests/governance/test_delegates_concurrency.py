"""Delegates under concurrent requests, on PostgreSQL (skipped on SQLite; failed in CI)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from governance.models import CertificationStatus, DelegateCertification
from governance.services import GovernanceError
from governance.services import delegates as services
from members import services as members_services
from members.models import RoleKind
from tests.factories import UserFactory
from tests.governance.conftest import build_world, pdf_upload
from tests.governance.test_concurrency import run_at_once

pytestmark = pytest.mark.integration


def test_ten_simultaneous_validations_of_two_delegates_leave_one_in_force(
    postgres, transactional_db
):
    world = build_world(voting_seats=1)
    city = world.cities[0]
    coordinator = UserFactory()
    members_services.grant_role(
        actor=world.admin, user=coordinator, kind=RoleKind.COORDINATOR, city=city
    )
    certifications = [
        services.submit_certification(
            actor=coordinator,
            details=services.CertificationDetails(
                city=city,
                coalition=world.coalition,
                person=UserFactory(),
                role="delegate",
                scope="standing",
                valid_from=timezone.localdate(),
                valid_until=None,
                signed_by_name="Mayor",
                signed_by_office="Mayor's office",
            ),
            letter=pdf_upload(),
        )
        for _ in range(2)
    ]

    errors = run_at_once(
        [
            lambda c=certifications[i % 2]: services.validate_certification(
                actor=world.bureau, certification=c
            )
            for i in range(10)
        ]
    )

    # Every request but one was refused with a message, none with a database error.
    assert len(errors) == 9
    assert all(isinstance(e, GovernanceError) for e in errors), errors
    validated = DelegateCertification.objects.filter(status=CertificationStatus.VALIDATED)
    assert validated.count() == 1
    (voters,) = services.certified_voters(world.coalition)
    assert voters.delegate == validated.get()
    assert voters.delegate.granted_role.is_current

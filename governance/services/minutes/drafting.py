"""The draft's record: drawn from the session's stored data (governance.minutes_record)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from coalition.services import model_update
from coalition.translated import written_language
from governance import minutes_record
from governance.models import AssemblySession, Minutes, SessionStatus
from governance.services.common import GovernanceError, acting_user

from .shared import _require_writer

#: Sessions whose minutes may be drawn: those that sat.
SAT = (SessionStatus.IN_SESSION, SessionStatus.CLOSED)


@transaction.atomic
def generate_minutes(*, actor, session: AssemblySession) -> Minutes:
    """Draw the record from the session's stored data; the narrative is kept as it was."""
    session = AssemblySession.objects.select_for_update(of=("self",)).get(pk=session.pk)
    _require_writer(actor, session)
    if session.status not in SAT:
        raise GovernanceError(_("Minutes are drawn once the session has sat."))
    record = minutes_record.build_record(session)
    digest = minutes_record.record_sha256(record)
    minutes = Minutes.objects.select_for_update().filter(session=session).first()
    now = timezone.now()
    if minutes is None:
        minutes = Minutes.objects.create(
            session=session,
            record=record,
            record_sha256=digest,
            generated_at=now,
            generated_by=acting_user(actor),
            # The writer's language (the page's) until they say otherwise in the editor.
            source_language=written_language(),
        )
        verb = "minutes.generated"
    else:
        if not minutes.is_draft:
            raise GovernanceError(_("Only a draft is generated again."))
        model_update(
            minutes,
            fields={
                "record": record,
                "record_sha256": digest,
                "generated_at": now,
                "generated_by": acting_user(actor),
            },
            actor=actor,
        )
        verb = "minutes.regenerated"
    audit.record(
        actor=acting_user(actor),
        target=minutes,
        verb=verb,
        to_state=minutes.status,
        data={"session": session.pk, "sha256": digest},
    )
    return minutes

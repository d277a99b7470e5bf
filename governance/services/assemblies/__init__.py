"""Sessions of the General Assembly and Conference: drafting, the agenda, convening, late items,
and member cities requiring an extraordinary assembly.

Every function is keyword-only, atomic and audited. The session follows the statute
profile copied when it is convened (`statute_snapshot`), never a later edit. The
procedural vote on an item added at the session is recorded here as its count
(`record_late_item_vote`, judged by the profile's late-item majority); casting it
through the vote engine belongs to the polls work.

One module per concept (docs/architecture.md: a module past ~500 lines becomes a package):
sessions (details, opening and closing), agenda (with the exclusion loop), convocation (with
the deliveries' bounces), late_items, extraordinary; shared holds their private helpers.
Callers keep importing from `governance.services.assemblies`.
"""

from .agenda import (
    add_agenda_document,
    add_agenda_item,
    move_agenda_item,
    next_session,
    schedule_exclusions,
    withdraw_agenda_item,
)
from .convocation import (
    CONVOCATION_EMAIL,
    NoticeCheck,
    Recipient,
    convene_session,
    notice_check,
    recipients,
    record_bounce,
)
from .extraordinary import ExtraordinaryStatus, extraordinary_status, request_extraordinary_assembly
from .late_items import add_late_item, check_item_may_be_decided, record_late_item_vote
from .sessions import (
    FIELDS,
    SessionDetails,
    close_session,
    create_session,
    open_session,
    update_session,
)

__all__ = [
    "CONVOCATION_EMAIL",
    "ExtraordinaryStatus",
    "FIELDS",
    "NoticeCheck",
    "Recipient",
    "SessionDetails",
    "add_agenda_document",
    "add_agenda_item",
    "add_late_item",
    "check_item_may_be_decided",
    "close_session",
    "convene_session",
    "create_session",
    "extraordinary_status",
    "move_agenda_item",
    "next_session",
    "notice_check",
    "open_session",
    "recipients",
    "record_bounce",
    "record_late_item_vote",
    "request_extraordinary_assembly",
    "schedule_exclusions",
    "update_session",
    "withdraw_agenda_item",
]

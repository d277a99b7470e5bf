"""The minutes of an assembly session: generated, written, approved two ways, published.

- `generate_minutes` (drafting): the minute-taker or the bureau draws the record from the
  session's stored data (governance.minutes_record); generating again while a draft replaces
  the record only.
- `save_narrative` (narrative): the minute-taker or the bureau writes per item and general
  remarks.
- Approval by circulation (circulation): the bureau circulates the draft with an objection
  window; only a city that attended the session objects (its coordinator, delegate or
  accredited substitute, with a reason; one objection per city and round); the bureau reopens
  the draft to amend it and circulates again; a window that ends with no objection approves the
  minutes (`settle_circulation`, from Celery beat: reading a page never changes them).
- Approval at an assembly (assembly): the bureau puts the draft before an "approval of the
  minutes" item of a later session; the poll on that item, once its result is public, approves
  the minutes (`record_assembly_vote`, called by the poll's subject) or sends them back to the
  draft.
- `publish_minutes` (publication): the bureau publishes approved minutes; their PDF is rendered
  by Celery.

Every step is audited and emailed to those concerned, each in their own language. One module
per concept (docs/architecture.md: a module past ~500 lines becomes a package); shared holds
who acts, the attending cities, the row lock, the emails and the approval both routes reach.
Callers keep importing from `governance.services.minutes`.
"""

from .assembly import put_before_assembly, record_assembly_vote
from .circulation import (
    circulate_minutes,
    object_to_minutes,
    reopen_minutes,
    settle_circulation,
    settle_due_circulations,
)
from .drafting import generate_minutes
from .narrative import save_narrative
from .publication import publish_minutes
from .shared import objecting_city_ids

__all__ = [
    "circulate_minutes",
    "generate_minutes",
    "object_to_minutes",
    "objecting_city_ids",
    "publish_minutes",
    "put_before_assembly",
    "record_assembly_vote",
    "reopen_minutes",
    "save_narrative",
    "settle_circulation",
    "settle_due_circulations",
]

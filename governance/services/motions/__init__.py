"""Motions, amendments, their voting order and outcomes, translations and the declaration.

Every write is keyword-only, atomic and audited. The text model is governance.motion_text
(pure); here are the rules of the statute and the session around it (ADR 0009):

- a motion is submitted before the statute's motion deadline (days before the session's
  first day, in its time zone), by a member city's coordinator or delegate, a committee
  member on the committee's behalf, or the bureau; to an item of a convened session;
- amendments come from member cities before the amendment deadline, to the current
  version, and only until the first amendment is decided: all of a motion's amendments are
  numbered against one version, so the merge never has to move their lines;
- the voting order is `next_to_put_to_vote`: open amendments (conflicting ones
  furthest-reaching first, otherwise by line), then the motion as amended. The polls call
  `check_may_put_to_vote` before opening a poll, and `record_amendment_outcome` /
  `record_motion_outcome` with its result.

One module per concept (docs/architecture.md: a module past ~500 lines becomes a package):
eligibility (who acts, the deadlines), submission, amendments, voting_order, publication
(translations and the declaration); shared holds the versions, the row locks and their
private helpers. Callers keep importing from `governance.services.motions`.
"""

from .amendments import (
    change_of,
    recommend_amendment,
    respond_to_recommendation,
    submit_amendment,
    withdraw_amendment,
)
from .eligibility import (
    Deadline,
    check_deadline,
    deadline,
    is_bureau_of,
    is_committee_of,
    speaks_for_city,
)
from .publication import RENDER_TASK, add_translation, publish_declaration
from .shared import LANGUAGES, current_version
from .submission import attach_motion, submit_motion
from .voting_order import (
    check_may_put_to_vote,
    next_to_put_to_vote,
    open_amendments_in_order,
    record_amendment_outcome,
    record_motion_outcome,
)

__all__ = [
    "Deadline",
    "LANGUAGES",
    "RENDER_TASK",
    "add_translation",
    "attach_motion",
    "change_of",
    "check_deadline",
    "check_may_put_to_vote",
    "current_version",
    "deadline",
    "is_bureau_of",
    "is_committee_of",
    "next_to_put_to_vote",
    "open_amendments_in_order",
    "publish_declaration",
    "recommend_amendment",
    "record_amendment_outcome",
    "record_motion_outcome",
    "respond_to_recommendation",
    "speaks_for_city",
    "submit_amendment",
    "submit_motion",
    "withdraw_amendment",
]

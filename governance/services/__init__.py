"""State changes of the governance app.

Every public function is keyword-only, runs in one transaction, writes an audit
record for each step (coalition.audit.record) and sends its emails after
commit. Permission checks (who may call what) belong to the views, through
governance.access; the services guard the state machines and the invariants.
"""

from governance.engine import count
from governance.services.admission import open_admission_vote
from governance.services.applications import (
    ApplicationDetails,
    keep_letter,
    purge_stale_letter_uploads,
    resubmit_application,
    return_application,
    submit_application,
    withdraw_application,
)
from governance.services.common import (
    GovernanceError,
    VoteClosedError,
    current_seats,
)
from governance.services.exclusions import (
    open_exclusion_vote,
    propose_exclusion,
    record_assembly_decision,
    record_reinstatement,
    record_suspension,
    record_withdrawal,
)
from governance.services.fees import FeeGeneration, generate_fees_for_year, record_fee
from governance.services.seats import (
    add_seat,
    check_new_seat,
    check_no_overlap,
    check_seat_term,
    end_seat,
    update_seat,
)
from governance.services.statute import VotingRightsLossNotConfirmed, update_statute_profile
from governance.services.votes import (
    REMINDER_LEAD_TIME,
    add_comment,
    cast_vote,
    close_vote,
    electorate_of,
    send_vote_reminders,
)

__all__ = [
    "REMINDER_LEAD_TIME",
    "ApplicationDetails",
    "FeeGeneration",
    "GovernanceError",
    "VoteClosedError",
    "VotingRightsLossNotConfirmed",
    "add_comment",
    "add_seat",
    "cast_vote",
    "check_new_seat",
    "check_no_overlap",
    "check_seat_term",
    "close_vote",
    "count",
    "current_seats",
    "electorate_of",
    "end_seat",
    "generate_fees_for_year",
    "keep_letter",
    "open_admission_vote",
    "open_exclusion_vote",
    "propose_exclusion",
    "purge_stale_letter_uploads",
    "record_assembly_decision",
    "record_fee",
    "record_reinstatement",
    "record_suspension",
    "record_withdrawal",
    "resubmit_application",
    "return_application",
    "send_vote_reminders",
    "submit_application",
    "update_seat",
    "update_statute_profile",
    "withdraw_application",
]

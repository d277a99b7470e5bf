"""Reads of the governance app. Each owns its joins and costs a fixed number of queries. The
reads of assemblies, delegates, elections and application checks are the `selectors_*`
modules beside this package.

One module per concept:
- `votes`: Committee votes as their pages show them: the seats and their choices, readiness,
  comments, the open and recent votes.
- `applications`: Admission applications: the applicant's own, their actions and timeline, and the
  audit the bureau reads.
- `home`: The bureau's and the committee's home pages: the overview, seats and memberships of their
  coalitions.
- `bodies`: The coalition page's bodies: its steering committee, its officers, and a city's seats.
- `dashboard`: The personal dashboard's governance panels.
"""

from __future__ import annotations

from governance.selectors.applications import (  # noqa: F401
    TIMELINE_VERBS,
    application_audit,
    application_timeline,
    application_with_actions,
    applications_of,
    has_applications,
)
from governance.selectors.bodies import (  # noqa: F401
    city_committee_seats,
    coalition_committee,
    coalition_officers,
)
from governance.selectors.dashboard import (  # noqa: F401
    dashboard_panels,
)
from governance.selectors.home import (  # noqa: F401
    bureau_overview,
    committee_overview,
    memberships_for_bureau,
    seats_of,
)
from governance.selectors.votes import (  # noqa: F401
    SeatRow,
    VoteState,
    admission_vote_readiness,
    comments_on,
    committee_seat_ids_for,
    open_votes_for_committee,
    readiness_warning,
    recent_closed_votes,
    vote_readiness,
    vote_state,
)

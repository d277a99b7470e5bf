"""Reads of the reporting app. Each owns its joins, so a page costs a fixed number of queries.

One module per concept:
- `reports`: A report's own reads: the reports a person may open, its sections, indicators, question
  rounds and the actions chosen at accession.
- `cycles`: Cycles and the secretariat's dashboard: the cycles a person sees, their counts, the
  released averages and the score table.
- `scores`: Scores as charts: a coalition's averages (released, or consented for the public), a
  city's history and the charts drawn from them.
- `public`: Public reads: a city's published reports and the good-practice library with its filters.
- `dashboard`: The personal dashboard: the panels a signed-in person sees, by role.
"""

from __future__ import annotations

from reporting.selectors.cycles import (  # noqa: F401
    city_score_table,
    commitment_averages,
    cycle_counts,
    cycles_for,
    released_scores,
)
from reporting.selectors.dashboard import (  # noqa: F401
    dashboard_panels,
)
from reporting.selectors.public import (  # noqa: F401
    approved_good_practices,
    good_practice_filter_options,
    published_reports_for_city,
    search_good_practices,
)
from reporting.selectors.reports import (  # noqa: F401
    chosen_actions_for,
    evaluation_for,
    indicator_counts,
    indicators_by_commitment,
    my_reports,
    question_rounds_for,
    rubric,
    sections_for,
)
from reporting.selectors.scores import (  # noqa: F401
    averages_chart,
    city_charts,
    city_history,
    commitments_of,
    public_commitment_averages,
    public_min_cities,
    published_report_scores,
    report_scores,
)

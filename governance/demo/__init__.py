"""Demo governance data (see coalition.demo). Idempotent: creates what is missing only.

One module per concept, loaded in this order by `load`:

- `committee`: ECCAR's steering committee (the cities of the seed, UNESCO as observer), with
  committee@demo holding Ghent's seat, for a term around today, and a few seats of the
  previous term so that the history shows;
- `officers`: the committee's President and two Vice-Presidents;
- `statute`: ECCAR's statute profile (version 1); its values and section numbers are
  illustrative demo data, not a reading of ECCAR's statute; values left to German law cite
  the BGB;
- `fees`: this year's membership fees: most paid, three due, one waived;
- `applications`: an applicant account (applicant@demo, password "demo") with one application
  waiting for the bureau (Leipzig) and one under the committee's vote (Aarhus), each with a
  real small PDF letter;
- `delegates`: Potsdam's certified delegate (delegate@demo) and substitute (substitute@demo),
  validated, each with a mandate letter; and Graz's coordinator (graz@demo) certifying herself
  as Graz's delegate, waiting for the bureau;
- `sessions`: ECCAR's next General Assembly, convened for a date ahead (hybrid, in Potsdam),
  with an agenda holding a motion and a placeholder for a pending exclusion, and its
  registrations (Potsdam's delegate and substitute and Ghent's committee member as an observer
  accredited, Graz's coordinator as an observer waiting for the bureau); before it, through
  `minutes` (with `sitting` and `clock`), the past General Assembly of Zurich (23-24 October
  2025, hybrid) with its attendance, roll calls, four released polls and its approved,
  published minutes and their PDF;
- `motions`: on the next assembly's motion item, a motion of the steering committee with two
  amendments that conflict (Potsdam's and Graz's, on overlapping lines) and a third that does
  not; and a past General Conference (2024, demo) whose final declaration, recorded as
  history, is published with a French translation and its PDF;
- `elections`: two elections of the steering committee: a partial renewal whose call for
  candidates is open, and a by-election whose voting window is open (and a counted one);
- `proxies`: proxies at work in ECCAR-DE, whose statute allows them (ECCAR's does not): in its
  next members' meeting, Berlin represented by Potsdam's delegate through a validated proxy,
  and Munich's proxy to Potsdam waiting for the bureau (bureau-de@demo).
"""

from __future__ import annotations

from members.models import Coalition

from . import (
    applications,
    committee,
    delegates,
    elections,
    fees,
    motions,
    officers,
    proxies,
    sessions,
    statute,
)
from .motions import DECLARATION_TITLE, MOTION_TITLE
from .sessions import NEXT_ASSEMBLY_TITLE, PAST_ASSEMBLY_TITLE

__all__ = [
    "DECLARATION_TITLE",
    "MOTION_TITLE",
    "NEXT_ASSEMBLY_TITLE",
    "PAST_ASSEMBLY_TITLE",
    "load",
]


def load(*, users: dict) -> None:
    eccar = Coalition.objects.get(short_name="ECCAR")
    committee.load(eccar, users)
    officers.load(eccar, users, term=committee.current_term())
    statute.load(eccar, users)
    fees.load(eccar, users)
    applications.load(eccar, users)
    delegates.load(eccar, users)
    sessions.load(eccar, users)
    sessions.load_registrations(eccar, users)
    motions.load(eccar, users)
    elections.load(eccar, users, term_ends_on=committee.current_term()[1])
    proxies.load(users)

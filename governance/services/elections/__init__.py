"""Elections of the steering committee: call, candidacies, sealed ballots, tally, seats.

The server never holds an open ballot against a city: the browser seals the ballot
(choices and a tracker it makes) to the election's public key; the tally opens the whole
box at once, from ciphertexts read without their cities, shuffles and publishes the list.
See ADR 0013 for the threat model.

One module per step (docs/architecture.md: a module past ~500 lines becomes a package):
`candidacies` (timetable, call, candidacies, the published list), `voting` (who casts,
the key ceremony, casting, closing), `tally` (opening the box, certification, the
published file), `steps` (lock and status move). Callers keep using
`from governance.services import elections` and `elections.<function>`.
"""

from .candidacies import (
    ElectionDetails,
    balance_problems,
    candidacy_refusals,
    candidate_data,
    candidates_of,
    create_election,
    nominate_candidate,
    open_call,
    publish_candidates,
    vacancies,
    withdraw_candidacy,
)
from .tally import certify_election, published_bundle, tally
from .voting import (
    MAX_CIPHERTEXT_BYTES,
    cast_ballot,
    cities_cast_by,
    close_voting,
    electorate_of,
    open_voting,
    persons_casting_for,
)

__all__ = [
    "MAX_CIPHERTEXT_BYTES",
    "ElectionDetails",
    "balance_problems",
    "candidacy_refusals",
    "candidate_data",
    "candidates_of",
    "cast_ballot",
    "certify_election",
    "cities_cast_by",
    "close_voting",
    "create_election",
    "electorate_of",
    "nominate_candidate",
    "open_call",
    "open_voting",
    "persons_casting_for",
    "publish_candidates",
    "published_bundle",
    "tally",
    "vacancies",
    "withdraw_candidacy",
]

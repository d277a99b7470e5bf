"""Certified delegates and substitutes, and the city roles the bureau appoints in the portal.

A city's coordinator submits a certification with the mandate letter; the bureau
validates or rejects it; the city's coordinator or the bureau revokes it, at once.
Validating a delegate grants the `delegate` role (members.services.grant_role) so
the rest of the portal says "delegate of Potsdam"; revoking ends or cancels it.
The authority to vote is read from the certifications themselves
(certified_voters), never from the role: a revocation takes effect immediately.

One module per concept (docs/architecture.md: a module past ~500 lines becomes a package):
cities (who speaks for a city, the substitutes allowed), submission, review (validate, reject,
revoke), voters, city_roles; shared holds their private helpers. Callers keep importing from
`governance.services.delegates`.
"""

from .cities import coordinators_of, is_coordinator_of, substitutes_allowed
from .city_roles import appoint_city_role, end_city_role
from .review import reject_certification, revoke_certification, validate_certification
from .submission import CertificationDetails, Letter, submit_certification
from .voters import CityVoters, certified_voters

__all__ = [
    "CertificationDetails",
    "CityVoters",
    "Letter",
    "appoint_city_role",
    "certified_voters",
    "coordinators_of",
    "end_city_role",
    "is_coordinator_of",
    "reject_certification",
    "revoke_certification",
    "submit_certification",
    "substitutes_allowed",
    "validate_certification",
]

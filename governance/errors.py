"""The errors the governance services and the vote engine raise."""


class GovernanceError(Exception):
    """A step the rules do not allow now; the message is shown to the person."""


class VoteClosedError(GovernanceError):
    """A ballot or comment arrived after the vote closed."""

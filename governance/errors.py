"""The errors the governance services and the vote engine raise."""


class GovernanceError(Exception):
    """A step the rules do not allow now; the message is shown to the person.

    `field` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message: str = "", *, field: str | None = None):
        super().__init__(message)
        self.field = field


class VoteClosedError(GovernanceError):
    """A ballot or comment arrived after the vote closed."""

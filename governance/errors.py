"""The errors the governance services and the vote engine raise."""


class GovernanceError(Exception):
    """A step the rules do not allow now; the message is shown to the person.

    `field` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message: str = "", *, field: str | None = None):
        super().__init__(message)
        self.field = field

    def add_to(self, form) -> None:
        """Show the message on `form`: on its field (or the field for its `_email`), if any."""
        for name in (self.field, f"{self.field}_email"):
            if self.field and name in form.fields:
                form.add_error(name, str(self))
                return
        form.add_error(None, str(self))


class VoteClosedError(GovernanceError):
    """A ballot or comment arrived after the vote closed."""

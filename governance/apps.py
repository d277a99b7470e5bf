from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        # Importing the subject modules registers their kinds of vote with the engine. Models
        # and services can be imported only once the app registry is ready, hence here.
        from governance import engine  # noqa: PLC0415 - the app registry is not ready earlier
        from governance.models import PollKind, VoteKind  # noqa: PLC0415 - the app registry is not ready earlier
        from governance.services import admission, exclusions, polls  # noqa: PLC0415, F401 - registry not ready earlier; imported to register

        engine.check_registry(VoteKind.values)
        engine.check_poll_registry(PollKind.values)

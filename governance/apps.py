from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        # Importing the subject modules registers their kinds of vote with the engine.
        from governance import engine  # noqa: PLC0415
        from governance.models import VoteKind  # noqa: PLC0415
        from governance.services import applications, exclusions  # noqa: F401, PLC0415

        engine.check_registry(VoteKind.values)

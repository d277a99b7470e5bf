"""The coalition's statute as data: one `StatuteProfile` version per change, each value sourced.

A version is never changed once saved: editing the profile saves a new version
(`services.update_statute_profile`), and sessions and polls copy `snapshot()` when
they open, as committee votes copy their rule, so a later edit never changes a past
outcome. Where the statute is silent, German association law (the BGB) governs ECCAR,
an e.V.: `StatuteProfile.german_law_defaults()` is that profile, and what
`current_for` answers for a coalition that has recorded none.

The election rules (issue 11) are values too: the cap per country, whether uncontested
candidates are elected without a ballot, whether a city may vote again while the window is
open, and who may stand (fee paid, a minimum membership time). A minimum per region will
join them as a field of its own when regions are defined.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from governance.rules import (
    AssemblyDecisionKind,
    AssemblyMajority,
    AssemblyQuorum,
    QuorumComparison,
    parse_share,
)
from members.models import Coalition


@dataclass(frozen=True)
class SourcedValue:
    """One value of the statute, as the edit form and the profile page group it."""

    key: str  # the key of its source in `StatuteProfile.sources`
    label: StrOrPromise
    fields: tuple[str, ...]


#: Every value of the profile, in the order of the page and the form, with the fields it
#: covers. Each has one source ("Statute 2019 §7(3)", "BGB §32(1) sentence 3").
SOURCED_VALUES: tuple[SourcedValue, ...] = (
    SourcedValue("notice_ordinary", _("Notice of an ordinary assembly"), ("notice_days_ordinary",)),
    SourcedValue(
        "notice_extraordinary",
        _("Notice of an extraordinary assembly"),
        ("notice_days_extraordinary",),
    ),
    SourcedValue(
        "extraordinary_request",
        _("Extraordinary assembly required by member cities"),
        ("extraordinary_request_share", "extraordinary_convene_days"),
    ),
    SourcedValue("motion_deadline", _("Deadline for motions"), ("motion_deadline_days",)),
    SourcedValue("amendment_deadline", _("Deadline for amendments"), ("amendment_deadline_days",)),
    SourcedValue(
        "quorum",
        _("Quorum of the assembly"),
        ("quorum_kind", "quorum_comparison", "quorum_share", "quorum_number"),
    ),
    SourcedValue(
        "second_convocation",
        _("Second convocation"),
        (
            "second_convocation_allowed",
            "second_quorum_kind",
            "second_quorum_comparison",
            "second_quorum_share",
            "second_quorum_number",
        ),
    ),
    SourcedValue("majority_ordinary", _("Majority: ordinary decisions"), ("majority_ordinary",)),
    SourcedValue(
        "majority_statute_change",
        _("Majority: change of the statute"),
        ("majority_statute_change",),
    ),
    SourcedValue("majority_dissolution", _("Majority: dissolution"), ("majority_dissolution",)),
    SourcedValue("majority_exclusion", _("Majority: exclusion"), ("majority_exclusion",)),
    SourcedValue(
        "late_items",
        _("Items added at the session"),
        ("late_items_allowed", "majority_late_item"),
    ),
    SourcedValue("abstentions", _("Abstentions"), ("abstentions_count_as_cast",)),
    SourcedValue("proxies", _("Proxies"), ("proxies_allowed", "proxy_cap")),
    SourcedValue("requires_fee_paid", _("Voting rights: fee paid"), ("requires_fee_paid",)),
    SourcedValue(
        "requires_no_report_overdue",
        _("Voting rights: no report overdue"),
        ("requires_no_report_overdue",),
    ),
    SourcedValue("substitutes", _("Substitutes per city"), ("substitutes_per_city",)),
    SourcedValue("fees", _("Membership fees"), ("fee_currency", "fee_bands")),
    SourcedValue(
        "election_cap_per_country",
        _("Elections: seats per country"),
        ("election_cap_per_country",),
    ),
    SourcedValue(
        "elected_without_ballot",
        _("Elections: uncontested candidates"),
        ("elected_without_ballot_when_uncontested",),
    ),
    SourcedValue(
        "election_revote",
        _("Elections: voting again"),
        ("election_revote_allowed",),
    ),
    SourcedValue(
        "candidacy_conditions",
        _("Elections: who may stand"),
        ("candidacy_requires_fee_paid", "candidacy_min_membership_months"),
    ),
    SourcedValue("vice_presidents", _("Officers: Vice-Presidents"), ("vice_presidents",)),
)

#: The fields a version holds (its values), in form order.
VALUE_FIELDS: tuple[str, ...] = tuple(f for value in SOURCED_VALUES for f in value.fields)

#: Where German association law stands when the statute is silent.
GERMAN_LAW_SOURCES: dict[str, str] = {
    "notice_ordinary": "BGB §32(1): no period in law (portal default: 14 days)",
    "notice_extraordinary": "BGB §32(1): no period in law (portal default: 14 days)",
    "extraordinary_request": (
        "BGB §37(1): one tenth of the members can require an assembly; §37(2) sets no period"
        " (portal default: 30 days to convene)"
    ),
    "motion_deadline": "Not regulated by the BGB: no deadline",
    "amendment_deadline": "Not regulated by the BGB: no deadline",
    "quorum": "BGB §32: no quorum",
    "second_convocation": "Not in the BGB: only if the statute provides one",
    "majority_ordinary": "BGB §32(1) sentence 3: majority of the votes cast",
    "majority_statute_change": "BGB §33(1) sentence 1: three quarters of the votes cast",
    "majority_dissolution": "BGB §41 sentence 2: three quarters of the votes cast",
    "majority_exclusion": "Not in the BGB: majority of the votes cast (BGB §32(1) sentence 3)",
    "late_items": "BGB §32(1) sentence 2: decisions only on items announced in the convocation",
    "abstentions": "BGB §32(1) sentence 3: abstentions are not votes cast",
    "proxies": "BGB §38 sentence 2: membership rights cannot be exercised by a proxy",
    "requires_fee_paid": "Not in the BGB: only if the statute says so",
    "requires_no_report_overdue": "Not in the BGB: only if the statute says so",
    "substitutes": "Not in the BGB (portal default: one substitute)",
    "fees": "BGB §58 no. 2: the statute sets the fees",
    "election_cap_per_country": "Not in the BGB: no cap",
    "vice_presidents": "BGB §26: the statute composes the board (portal default: no fixed number)",
    "elected_without_ballot": "Not in the BGB: every election is balloted",
    "election_revote": "Not in the BGB (portal default: the last ballot cast counts)",
    "candidacy_conditions": "Not in the BGB: every member city with voting rights may stand",
}


def _check_share(value: str) -> None:
    if value:
        try:
            parse_share(value)
        except ValueError as exc:
            raise ValidationError(
                _("Write a fraction above 0 and at most 1, such as 1/2 or 2/3.")
            ) from exc


class StatuteProfileQuerySet(models.QuerySet):
    def in_force(self, coalition: Coalition, on: dt.date):
        return self.filter(coalition=coalition, valid_from__lte=on).order_by("-version")


class StatuteProfile(models.Model):
    """One version of a coalition's statute, as data. Saved once, never changed."""

    coalition = models.ForeignKey(
        Coalition, verbose_name=_("coalition"), on_delete=models.PROTECT, related_name="statutes"
    )
    version = models.PositiveIntegerField(_("version"))
    adopted_on = models.DateField(
        _("adopted on"),
        null=True,
        blank=True,
        help_text=_("When the assembly adopted the statute text this version reflects."),
    )
    valid_from = models.DateField(
        _("valid from"), help_text=_("Sessions and polls opened from this day follow it.")
    )
    note = models.CharField(_("what changed and why"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Convocation and deadlines (days before the session).
    notice_days_ordinary = models.PositiveSmallIntegerField(
        _("notice of an ordinary assembly (days)"), default=14
    )
    notice_days_extraordinary = models.PositiveSmallIntegerField(
        _("notice of an extraordinary assembly (days)"), default=14
    )
    extraordinary_request_share = models.CharField(
        _("share of member cities that can require an extraordinary assembly"),
        max_length=12,
        default="1/10",
        validators=[_check_share],
        help_text=_("A fraction, such as 1/10."),
    )
    extraordinary_convene_days = models.PositiveSmallIntegerField(
        _("days the bureau has to convene once the share is reached"), default=30
    )
    motion_deadline_days = models.PositiveSmallIntegerField(
        _("motions due (days before the session)"),
        null=True,
        blank=True,
        help_text=_("Empty: no deadline."),
    )
    amendment_deadline_days = models.PositiveSmallIntegerField(
        _("amendments due (days before the session)"),
        null=True,
        blank=True,
        help_text=_("Empty: amendments may be made at the session."),
    )

    # Quorum, first and second convocation (definitions in governance.rules).
    quorum_kind = models.CharField(
        _("quorum"), max_length=10, choices=AssemblyQuorum.choices, default=AssemblyQuorum.NONE
    )
    quorum_comparison = models.CharField(
        _("share counted as"),
        max_length=10,
        choices=QuorumComparison.choices,
        default=QuorumComparison.AT_LEAST,
    )
    quorum_share = models.CharField(
        _("share of the cities with voting rights"),
        max_length=12,
        blank=True,
        validators=[_check_share],
        help_text=_("A fraction, such as 1/2 or 1/3."),
    )
    quorum_number = models.PositiveSmallIntegerField(_("number of cities"), null=True, blank=True)
    second_convocation_allowed = models.BooleanField(
        _("a second convocation may follow an assembly without quorum"), default=False
    )
    second_quorum_kind = models.CharField(
        _("quorum of the second convocation"),
        max_length=10,
        choices=AssemblyQuorum.choices,
        default=AssemblyQuorum.NONE,
    )
    second_quorum_comparison = models.CharField(
        _("share counted as"),
        max_length=10,
        choices=QuorumComparison.choices,
        default=QuorumComparison.AT_LEAST,
    )
    second_quorum_share = models.CharField(
        _("share of the cities with voting rights"),
        max_length=12,
        blank=True,
        validators=[_check_share],
        help_text=_("A fraction, such as 1/2 or 1/3."),
    )
    second_quorum_number = models.PositiveSmallIntegerField(
        _("number of cities"), null=True, blank=True
    )

    # Majorities per kind of decision (of the votes cast).
    majority_ordinary = models.CharField(
        _("ordinary decisions"),
        max_length=20,
        choices=AssemblyMajority.choices,
        default=AssemblyMajority.SIMPLE,
    )
    majority_statute_change = models.CharField(
        _("change of the statute"),
        max_length=20,
        choices=AssemblyMajority.choices,
        default=AssemblyMajority.THREE_QUARTERS,
    )
    majority_dissolution = models.CharField(
        _("dissolution"),
        max_length=20,
        choices=AssemblyMajority.choices,
        default=AssemblyMajority.THREE_QUARTERS,
    )
    majority_exclusion = models.CharField(
        _("exclusion of a member city"),
        max_length=20,
        choices=AssemblyMajority.choices,
        default=AssemblyMajority.SIMPLE,
    )
    late_items_allowed = models.BooleanField(
        _("the assembly may add items at the session"),
        default=False,
        help_text=_("Otherwise it decides only on items announced in the convocation."),
    )
    majority_late_item = models.CharField(
        _("majority to add an item"),
        max_length=20,
        choices=AssemblyMajority.choices,
        default=AssemblyMajority.TWO_THIRDS,
    )
    abstentions_count_as_cast = models.BooleanField(
        _("abstentions count as votes cast (they then weigh like no)"), default=False
    )

    # Representation.
    proxies_allowed = models.BooleanField(_("a city may vote by proxy"), default=False)
    proxy_cap = models.PositiveSmallIntegerField(
        _("proxies one city may hold"), null=True, blank=True
    )
    substitutes_per_city = models.PositiveSmallIntegerField(
        _("substitutes a city may name"), default=1
    )

    # Voting rights: being a member and not suspended always; these only if the statute says so.
    requires_fee_paid = models.BooleanField(
        _("the year's membership fee must be paid (or waived)"), default=False
    )
    requires_no_report_overdue = models.BooleanField(
        _("no annual report may be overdue"), default=False
    )

    # Fees.
    fee_currency = models.CharField(_("currency of the fees"), max_length=3, default="EUR")
    fee_bands = models.JSONField(
        _("fees by population"),
        default=list,
        blank=True,
        help_text='[{"up_to": 50000, "amount": "500.00"}, {"up_to": null, "amount": "1000.00"}]',
    )

    # Elections (read by the election features of later issues).
    election_cap_per_country = models.PositiveSmallIntegerField(
        _("most seats one country may hold"), null=True, blank=True, help_text=_("Empty: no cap.")
    )
    elected_without_ballot_when_uncontested = models.BooleanField(
        _("candidates are elected without a ballot when they do not exceed the seats"),
        default=False,
    )
    election_revote_allowed = models.BooleanField(
        _("a city may vote again while voting is open (its last ballot counts)"), default=True
    )
    candidacy_requires_fee_paid = models.BooleanField(
        _("a candidate city must have paid (or been let off) the year's fee"), default=False
    )
    candidacy_min_membership_months = models.PositiveSmallIntegerField(
        _("a candidate city must have been a member for at least (months)"),
        null=True,
        blank=True,
        help_text=_("Empty: no minimum."),
    )

    # Officers (governance.services.officer_elections: never more Vice-Presidents at once).
    vice_presidents = models.PositiveSmallIntegerField(
        _("number of Vice-Presidents of the steering committee"),
        null=True,
        blank=True,
        help_text=_("Empty: no fixed number."),
    )

    #: The source of each value, keyed as `SOURCED_VALUES`.
    sources = models.JSONField(_("sources"), default=dict, blank=True)

    objects = StatuteProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("statute profile")
        verbose_name_plural = _("statute profiles")
        ordering = ["coalition", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "version"], name="statute_one_row_per_version"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="statute_version_positive"),
            models.CheckConstraint(
                condition=~Q(quorum_kind="share") | ~Q(quorum_share=""),
                name="statute_quorum_share_given",
            ),
            models.CheckConstraint(
                condition=~Q(quorum_kind="number") | Q(quorum_number__gte=1),
                name="statute_quorum_number_given",
            ),
            models.CheckConstraint(
                condition=~Q(proxies_allowed=True) | Q(proxy_cap__gte=1),
                name="statute_proxy_cap_given",
            ),
        ]

    def __str__(self) -> str:
        if self.pk is None:
            return f"{self.coalition}: German association law"
        return f"{self.coalition}: statute profile v{self.version}"

    @classmethod
    def german_law_defaults(cls, coalition: Coalition) -> StatuteProfile:
        """The unsaved profile of a coalition whose statute is silent on everything."""
        return cls(
            coalition=coalition,
            version=0,
            valid_from=dt.date.min,
            sources=dict(GERMAN_LAW_SOURCES),
        )

    @classmethod
    def current_for(cls, coalition: Coalition, on: dt.date | None = None) -> StatuteProfile:
        """The version in force on `on` (default today), or German law's defaults."""
        on = on or timezone.localdate()
        return cls.objects.in_force(coalition, on).first() or cls.german_law_defaults(coalition)

    @property
    def is_default(self) -> bool:
        return self.pk is None

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        for prefix in ("", "second_"):
            if prefix and not self.second_convocation_allowed:
                continue
            kind = getattr(self, f"{prefix}quorum_kind")
            if kind == AssemblyQuorum.SHARE and not getattr(self, f"{prefix}quorum_share"):
                errors[f"{prefix}quorum_share"] = _("Give the share, such as 1/2.")
            if kind == AssemblyQuorum.NUMBER and not getattr(self, f"{prefix}quorum_number"):
                errors[f"{prefix}quorum_number"] = _("Give the number of cities.")
        if self.proxies_allowed and not self.proxy_cap:
            errors["proxy_cap"] = _("Say how many proxies one city may hold.")
        if errors:
            raise ValidationError(errors)

    def values(self) -> dict:
        """The profile's values as JSON types (a share stays the text "1/2")."""
        return {name: getattr(self, name) for name in VALUE_FIELDS}

    def source_of(self, key: str) -> str:
        return (self.sources or {}).get(key, "")

    def snapshot(self) -> dict:
        """What a session or poll copies when it opens: every value, its source, the version."""
        return {
            "profile_id": self.pk,
            "coalition_id": self.coalition_id,
            "version": self.version,
            "valid_from": None if self.is_default else self.valid_from.isoformat(),
            "adopted_on": self.adopted_on.isoformat() if self.adopted_on else None,
            **self.values(),
            "sources": {value.key: self.source_of(value.key) for value in SOURCED_VALUES},
        }

    def decision_kinds(self) -> list[tuple[str, str]]:
        """(label, majority label) per kind of decision, for the profile page."""
        return [
            (str(kind.label), str(AssemblyMajority(getattr(self, f"majority_{kind.value}")).label))
            for kind in AssemblyDecisionKind
        ]

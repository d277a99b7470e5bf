"""Admin for governance. Seats and decision rules are managed here by bureau staff; the
records of decisions (applications, votes, ballots, proposals) are read-only: they
change only through the services, which keep the audit log. Staff see and change only
their own coalition's (coalition.admin_access)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from coalition.admin_access import (
    PortalModelAdmin,
    ReadOnlyModelAdmin,
    ReadOnlyTabularInline,
)
from coalition.admin_audit import AuditedModelAdmin
from governance import services
from governance.models import (
    AdmissionApplication,
    AssemblyPoll,
    Ballot,
    CityBallot,
    Comment,
    CommitteeSeat,
    CommitteeVote,
    DecisionRule,
    ExclusionProposal,
    MembershipDecision,
    MembershipFee,
    ProposedAction,
    StatuteProfile,
    VoteReminder,
)


class CommitteeSeatForm(forms.ModelForm):
    class Meta:
        model = CommitteeSeat
        fields = (
            "coalition",
            "kind",
            "city",
            "institution",
            "representative",
            "starts_on",
            "ends_on",
        )

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and not self.errors:
            try:
                services.check_new_seat(
                    coalition=data.get("coalition"),
                    kind=data.get("kind"),
                    starts_on=data.get("starts_on"),
                    ends_on=data.get("ends_on"),
                    city=data.get("city"),
                    institution=data.get("institution") or "",
                )
            except services.GovernanceError as exc:
                raise ValidationError(str(exc)) from exc
        elif self.instance.pk is not None and not self.errors:
            try:
                services.check_seat_term(
                    self.instance, starts_on=data.get("starts_on"), ends_on=data.get("ends_on")
                )
            except services.GovernanceError as exc:
                raise ValidationError(str(exc)) from exc
        return data


@admin.register(CommitteeSeat)
class CommitteeSeatAdmin(PortalModelAdmin):
    """Bureau staff add seats and end terms here; every change goes through the services.

    The representative is picked among the people of the coalition (never oneself)."""

    form = CommitteeSeatForm
    coalition_path = "coalition"
    deletable = False  # who sat when is history: end the term instead
    list_display = ("holder_name", "coalition", "kind", "representative", "starts_on", "ends_on")
    list_filter = ("coalition", "kind")
    search_fields = ("city__name", "institution", "representative__email")
    autocomplete_fields = ("city", "representative")
    date_hierarchy = "starts_on"

    def get_readonly_fields(self, request, obj=None):
        # The holder of an existing seat never changes; a new holder is a new seat.
        return ("coalition", "city", "institution") if obj else ()

    def save_model(self, request, obj, form, change):
        if change:
            services.update_seat(
                actor=request.user,
                seat=obj,
                **{
                    name: form.cleaned_data[name]
                    for name in form.changed_data
                    if name in {"representative", "starts_on", "ends_on", "kind"}
                },
            )
        else:
            saved = services.add_seat(
                actor=request.user,
                coalition=obj.coalition,
                kind=obj.kind,
                starts_on=obj.starts_on,
                ends_on=obj.ends_on,
                city=obj.city,
                institution=obj.institution,
                representative=obj.representative,
            )
            obj.pk = saved.pk


@admin.register(DecisionRule)
class DecisionRuleAdmin(AuditedModelAdmin):
    coalition_path = "coalition"
    deletable = False
    list_display = (
        "coalition",
        "quorum",
        "abstentions_count_for_quorum",
        "majority",
        "default_vote_days",
    )


class ProposedActionInline(ReadOnlyTabularInline):
    model = ProposedAction
    fields = ("commitment", "description")


@admin.register(AdmissionApplication)
class AdmissionApplicationAdmin(ReadOnlyModelAdmin):
    coalition_path = "coalition"
    list_display = ("__str__", "status", "applicant", "submitted_at", "decided_at")
    list_filter = ("coalition", "status")
    search_fields = ("city__name", "city_name", "applicant__email", "contact_email")
    date_hierarchy = "submitted_at"
    inlines = [ProposedActionInline]
    exclude = ("letter",)  # downloaded through the portal's checked view only


class BallotInline(ReadOnlyTabularInline):
    model = Ballot
    fields = ("seat", "choice", "cast_by", "cast_at", "changed_at", "times_changed")


@admin.register(CommitteeVote)
class CommitteeVoteAdmin(ReadOnlyModelAdmin):
    coalition_path = "coalition"
    list_display = ("question", "kind", "coalition", "status", "outcome", "closes_at")
    list_filter = ("coalition", "kind", "status", "outcome")
    search_fields = ("question",)
    inlines = [BallotInline]


@admin.register(Ballot)
class BallotAdmin(ReadOnlyModelAdmin):
    coalition_path = "vote__coalition"
    list_display = ("vote", "seat", "choice", "cast_at", "times_changed")
    list_filter = ("vote__coalition", "choice")


@admin.register(Comment)
class CommentAdmin(ReadOnlyModelAdmin):
    coalition_path = "vote__coalition"
    list_display = ("vote", "author", "created_at")


@admin.register(VoteReminder)
class VoteReminderAdmin(ReadOnlyModelAdmin):
    coalition_path = "vote__coalition"
    list_display = ("vote", "seat", "sent_to", "sent_at")


@admin.register(ExclusionProposal)
class ExclusionProposalAdmin(ReadOnlyModelAdmin):
    coalition_path = "coalition"
    list_display = ("__str__", "status", "proposed_by", "created_at")
    list_filter = ("coalition", "status")


@admin.register(MembershipDecision)
class MembershipDecisionAdmin(ReadOnlyModelAdmin):
    coalition_path = "membership__coalition"
    list_display = ("membership", "kind", "body", "decided_on", "recorded_by")
    list_filter = ("kind", "body")
    search_fields = ("membership__city__name", "reference")


@admin.register(StatuteProfile)
class StatuteProfileAdmin(ReadOnlyModelAdmin):
    """Versions are saved by the bureau's page (a new version each time), never edited here."""

    coalition_path = "coalition"

    list_display = ("coalition", "version", "valid_from", "adopted_on", "created_by")
    list_filter = ("coalition",)


@admin.register(MembershipFee)
class MembershipFeeAdmin(ReadOnlyModelAdmin):
    """Fees are recorded on the bureau's fees page, which keeps the audit log."""

    coalition_path = "coalition"

    list_display = ("city", "coalition", "year", "amount", "currency", "status", "paid_on")
    list_filter = ("coalition", "year", "status")
    search_fields = ("city__name",)


# --- Assembly polls: nothing here shows a vote or a count before the result is public --------


@admin.register(AssemblyPoll)
class AssemblyPollAdmin(ReadOnlyModelAdmin):
    coalition_path = "session__coalition"
    list_display = ("question", "session", "kind", "status", "public_outcome", "opened_at")
    list_filter = ("session__coalition", "kind", "status")
    search_fields = ("question",)
    fields = (
        "session", "item", "kind", "decision_kind", "question", "named", "subject_city",
        "status", "rule", "quorum_at_opening", "opened_by", "opened_at", "closed_by",
        "closed_at", "released_by", "released_at", "confirmed_by", "confirmed_at",
        "public_outcome", "public_arithmetic",
    )  # fmt: skip
    readonly_fields = fields

    @admin.display(description="outcome")
    def public_outcome(self, obj):
        return obj.outcome if obj.is_published else "—"

    @admin.display(description="arithmetic")
    def public_arithmetic(self, obj):
        return obj.arithmetic if obj.is_published else "—"


@admin.register(CityBallot)
class CityBallotAdmin(ReadOnlyModelAdmin):
    coalition_path = "poll__session__coalition"
    list_display = ("poll", "city", "via", "cast_by", "cast_at", "public_vote")
    list_filter = ("poll__session__coalition", "via")
    fields = (
        "poll", "city", "via", "cast_by", "holding_ref", "cast_at", "confirmed_by", "confirmed_at",
        "public_vote",
    )  # fmt: skip
    readonly_fields = fields

    @admin.display(description="vote")
    def public_vote(self, obj):
        if not (obj.poll.is_published and obj.poll.named):
            return "—"
        return obj.option.label if obj.option_id else obj.choice

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("poll", "city", "cast_by", "option")

"""Forms of the session pages: the session, its agenda, documents, bounces, late items,
and a city's request for an extraordinary assembly. Each error is tied to its field."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.models import User
from governance.letters import validate_letter
from governance.models import AgendaItemKind, AssemblySession, SessionBody, SessionMode
from governance.services.assemblies import SessionDetails
from members.models import PUBLIC_STATUSES, City, Coalition

TIME_ZONES = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})


def _local_input():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SessionForm(forms.Form):
    coalition: forms.ModelChoiceField = forms.ModelChoiceField(
        label=gettext_lazy("Coalition"), queryset=Coalition.objects.none(), empty_label=None
    )
    body = forms.ChoiceField(label=gettext_lazy("Body"), choices=SessionBody.choices)
    extraordinary = forms.BooleanField(
        label=gettext_lazy("Extraordinary session (the statute's shorter notice applies)"),
        required=False,
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    theme = forms.CharField(label=gettext_lazy("Theme"), max_length=300, required=False)
    host_city = forms.ModelChoiceField(
        label=gettext_lazy("Host city"), queryset=City.objects.none(), required=False
    )
    venue = forms.CharField(label=gettext_lazy("Venue"), max_length=300, required=False)
    mode = forms.ChoiceField(label=gettext_lazy("How to take part"), choices=SessionMode.choices)
    online_join_instructions = forms.CharField(
        label=gettext_lazy("How to join online"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required for a hybrid or online session: the link, the codes."),
    )
    starts_at = forms.DateTimeField(
        label=gettext_lazy("Starts at"), widget=_local_input(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    ends_at = forms.DateTimeField(
        label=gettext_lazy("Ends at"), widget=_local_input(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Time zone of these times"),
        choices=[(z, z) for z in TIME_ZONES],
        initial="Europe/Berlin",
    )
    chair_email = forms.EmailField(label=gettext_lazy("Chair (email)"), required=False)
    minute_taker_email = forms.EmailField(
        label=gettext_lazy("Minute-taker (email)"), required=False
    )
    teller_1_email = forms.EmailField(label=gettext_lazy("First teller (email)"), required=False)
    teller_2_email = forms.EmailField(label=gettext_lazy("Second teller (email)"), required=False)

    PEOPLE = ("chair", "minute_taker", "teller_1", "teller_2")

    def __init__(self, *args, coalitions, session: AssemblySession | None = None, **kwargs):
        if session is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "coalition": session.coalition_id,
                "body": session.body,
                "extraordinary": session.extraordinary,
                "title": session.title,
                "theme": session.theme,
                "host_city": session.host_city_id,
                "venue": session.venue,
                "mode": session.mode,
                "online_join_instructions": session.online_join_instructions,
                "starts_at": session.local_starts_at.replace(tzinfo=None),
                "ends_at": session.local_ends_at.replace(tzinfo=None),
                "time_zone": session.time_zone,
                **{
                    f"{p}_email": getattr(session, p).email if getattr(session, p) else ""
                    for p in self.PEOPLE
                },
            }
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["coalition"]).queryset = coalitions
        if session is not None:
            self.fields["coalition"].disabled = True
        cast(forms.ModelChoiceField, self.fields["host_city"]).queryset = (
            City.objects.filter(
                memberships__coalition__in=coalitions, memberships__status__in=PUBLIC_STATUSES
            )
            .distinct()
            .order_by("name")
        )
        self.people: dict[str, User | None] = {}

    def clean(self):
        data = super().clean()
        for person in self.PEOPLE:
            email = (data.get(f"{person}_email") or "").strip()
            user = User.objects.filter(email__iexact=email).first() if email else None
            if email and user is None:
                self.add_error(f"{person}_email", _("Nobody has an account with this address."))
            self.people[person] = user
        zone_name = data.get("time_zone")
        if zone_name and data.get("starts_at") and data.get("ends_at"):
            zone = zoneinfo.ZoneInfo(zone_name)
            for name in ("starts_at", "ends_at"):
                value: dt.datetime = data[name]
                data[name] = timezone.make_aware(value.replace(tzinfo=None), zone)
        return data

    def details(self) -> SessionDetails:
        data = self.cleaned_data
        return SessionDetails(
            body=data["body"],
            extraordinary=data["extraordinary"],
            title=data["title"],
            theme=data["theme"],
            host_city=data["host_city"],
            venue=data["venue"],
            mode=data["mode"],
            online_join_instructions=data["online_join_instructions"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            time_zone=data["time_zone"],
            **{p: self.people.get(p) for p in self.PEOPLE},
        )


class AgendaItemForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=AgendaItemKind.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title of the document"), max_length=200)
    file = forms.FileField(
        label=gettext_lazy("PDF file"),
        validators=[validate_letter],
        help_text=gettext_lazy("A PDF of at most 10 MB."),
    )
    public = forms.BooleanField(
        label=gettext_lazy("Public (otherwise for the member cities only)"), required=False
    )


class BounceForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("What bounced"), max_length=500)


class LateVoteForm(forms.Form):
    yes = forms.IntegerField(label=gettext_lazy("Yes"), min_value=0, max_value=10000)
    no = forms.IntegerField(label=gettext_lazy("No"), min_value=0, max_value=10000)
    abstain = forms.IntegerField(label=gettext_lazy("Abstentions"), min_value=0, max_value=10000)


class ExtraordinaryRequestForm(forms.Form):
    coalition: forms.ModelChoiceField = forms.ModelChoiceField(
        label=gettext_lazy("Coalition"), queryset=Coalition.objects.none(), empty_label=None
    )
    reason = forms.CharField(
        label=gettext_lazy("Purpose and reasons"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("What the assembly should decide, and why it cannot wait."),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I confirm that my city requires an extraordinary General Assembly."),
    )

    def __init__(self, *args, city: City, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["coalition"]).queryset = Coalition.objects.filter(
            memberships__city=city, memberships__status__in=PUBLIC_STATUSES
        ).order_by("name")

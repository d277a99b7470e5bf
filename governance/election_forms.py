"""Forms of the election pages: the bureau's election, a city's candidacy, the tellers."""

from __future__ import annotations

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from coalition.admin_access import SafeModelMultipleChoiceField
from coalition.models import User
from governance.letters import validate_letter
from governance.models import (
    AssemblySession,
    CommitteeOfficer,
    CommitteeSeat,
    ElectionMethod,
    OfficerOffice,
)
from governance.services.elections import ElectionDetails
from members.models import Role, RoleKind

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _datetime_field(label):
    return forms.DateTimeField(
        label=label,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


class SeatChoices(SafeModelMultipleChoiceField):
    def label_from_instance(self, seat: CommitteeSeat) -> str:
        return _("%(city)s, term ends %(day)s") % {
            "city": seat.holder_name,
            "day": seat.ends_on.isoformat() if seat.ends_on else "—",
        }


class ElectionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    method = forms.ChoiceField(label=gettext_lazy("Method"), choices=ElectionMethod.choices)
    outgoing_seats = SeatChoices(
        label=gettext_lazy("Outgoing seats"),
        queryset=CommitteeSeat.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Seats whose term ends before the new terms start."),
    )
    additional_seats = forms.IntegerField(
        label=gettext_lazy("Seats added by the bureau"), min_value=0, max_value=50, initial=0
    )
    term_starts_on = forms.DateField(label=gettext_lazy("New terms start"), widget=_date_input())
    term_ends_on = forms.DateField(label=gettext_lazy("New terms end"), widget=_date_input())
    candidacy_deadline = _datetime_field(gettext_lazy("Candidacy deadline"))
    voting_opens_at = _datetime_field(gettext_lazy("Voting opens"))
    voting_closes_at = _datetime_field(gettext_lazy("Voting closes"))
    challenge_ends_on = forms.DateField(
        label=gettext_lazy("Challenge period ends"), widget=_date_input()
    )

    session = forms.ModelChoiceField(
        label=gettext_lazy("Held in the session"),
        queryset=AssemblySession.objects.none(),
        required=False,
        help_text=gettext_lazy(
            "Optional. In a session, the holders of the voting cards cast the ballots and the"
            " voting window lies within the session."
        ),
    )

    def __init__(self, *args, seats, sessions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outgoing_seats"].queryset = seats
        if sessions is not None:
            self.fields["session"].queryset = sessions

    def details(self) -> ElectionDetails:
        d = self.cleaned_data
        return ElectionDetails(
            title=d["title"],
            method=d["method"],
            term_starts_on=d["term_starts_on"],
            term_ends_on=d["term_ends_on"],
            candidacy_deadline=d["candidacy_deadline"],
            voting_opens_at=d["voting_opens_at"],
            voting_closes_at=d["voting_closes_at"],
            challenge_ends_on=d["challenge_ends_on"],
        )


class OfficerTermChoices(SafeModelMultipleChoiceField):
    def label_from_instance(self, term: CommitteeOfficer) -> str:
        return _("%(person)s (%(city)s), %(office)s, %(starts)s to %(ends)s") % {
            "person": term.person.full_name or term.person.email,
            "city": term.city.name,
            "office": term.get_office_display(),
            "starts": date_format(term.starts_on, "SHORT_DATE_FORMAT"),
            "ends": date_format(term.ends_on, "SHORT_DATE_FORMAT")
            if term.ends_on
            else pgettext("term end", "open-ended"),
        }


class OfficerElectionForm(ElectionForm):
    """The bureau's officer election: one office, the terms it renews, its vacancies.

    The offices to fill are the outgoing officers plus the vacancies: a by-election for one
    Vice-President among several names that one's term and leaves the others unticked.
    The service checks the figures agree and the office has room (field-tied errors).
    """

    office = forms.ChoiceField(label=gettext_lazy("Office"), choices=OfficerOffice.choices)
    offices = forms.IntegerField(
        label=gettext_lazy("Offices to fill"),
        min_value=1,
        max_value=10,
        initial=1,
        help_text=gettext_lazy(
            "One for the President; otherwise the number of Vice-Presidents elected: the"
            " outgoing officers ticked below plus the vacancies."
        ),
    )
    outgoing_officers = OfficerTermChoices(
        label=gettext_lazy("Outgoing officers"),
        queryset=CommitteeOfficer.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "The terms this election renews or replaces: certification ends them the day"
            " before the new term starts. The officers left unticked stay in office."
        ),
    )
    vacancies = forms.IntegerField(
        label=gettext_lazy("Vacancies"),
        min_value=0,
        max_value=10,
        initial=0,
        help_text=gettext_lazy(
            "Offices nobody holds any more (an officer resigned, or the term already ended)."
        ),
    )
    field_order = ["office", "offices", "outgoing_officers", "vacancies", "title", "method"]

    def __init__(self, *args, sessions=None, terms=None, **kwargs):
        super().__init__(*args, seats=CommitteeSeat.objects.none(), sessions=sessions, **kwargs)
        del self.fields["outgoing_seats"]
        del self.fields["additional_seats"]
        if terms is not None:
            self.fields["outgoing_officers"].queryset = terms


class StandForm(forms.Form):
    statement = forms.CharField(
        label=gettext_lazy("Statement"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Published with the list of candidates."),
    )


class CandidacyForm(forms.Form):
    person_email = forms.EmailField(
        label=gettext_lazy("Email of the person who will represent the city"),
        help_text=gettext_lazy("The person needs an account on the portal with this address."),
    )
    statement = forms.CharField(
        label=gettext_lazy("Statement"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Published with the list of candidates."),
    )
    letter = forms.FileField(
        label=gettext_lazy("The mayor's endorsement letter (PDF)"),
        validators=[validate_letter],
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def clean_person_email(self):
        email = self.cleaned_data["person_email"].strip()
        person = User.objects.filter(email__iexact=email).first()
        if person is None:
            raise forms.ValidationError(_("No account has this address."))
        self.person = person
        return email


class OpenVotingForm(forms.Form):
    tellers = SafeModelMultipleChoiceField(
        label=gettext_lazy("Tellers"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Each teller receives one share of the election's key."),
    )
    threshold = forms.IntegerField(
        label=gettext_lazy("Shares needed to open the ballot box"),
        min_value=1,
        max_value=20,
        initial=2,
    )

    def __init__(self, *args, coalition, **kwargs):
        super().__init__(*args, **kwargs)
        seats = CommitteeSeat.objects.current().filter(
            coalition=coalition, representative__isnull=False
        )
        bureau = Role.objects.current().filter(kind=RoleKind.BUREAU, coalition=coalition)
        people = [
            *seats.values_list("representative", flat=True),
            *bureau.values_list("user", flat=True),
        ]
        self.fields["tellers"].queryset = User.objects.filter(pk__in=people).order_by(
            "full_name", "email"
        )
        self.fields["tellers"].label_from_instance = lambda u: u.full_name or u.email


class TallyForm(forms.Form):
    def __init__(self, *args, threshold: int, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, threshold + 1):
            self.fields[f"share_{n}"] = forms.CharField(
                label=_("Share %(n)s") % {"n": n},
                max_length=200,
                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            )

    def shares(self) -> list[str]:
        return [v for k, v in self.cleaned_data.items() if k.startswith("share_")]

"""Forms of the proxies: a city gives its vote to another city for one session."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from governance.letters import validate_letter
from members.models import City


class ProxyForm(forms.Form):
    holder = forms.ModelChoiceField(
        label=gettext_lazy("City that will hold the proxy"),
        queryset=City.objects.none(),
        help_text=gettext_lazy("Whoever holds that city's voting card votes for yours."),
    )
    signed_by_name = forms.CharField(
        label=gettext_lazy("Signed by (name and office)"),
        max_length=200,
        help_text=gettext_lazy("The mayor or the person authorised to sign for the city."),
    )
    form = forms.FileField(
        label=gettext_lazy("Signed proxy form (PDF)"),
        validators=[validate_letter],
        help_text=gettext_lazy("A PDF file of at most 10 MB."),
    )

    def __init__(self, *args, cities, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["holder"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = City.objects.filter(pk__in=[c.pk for c in cities]).order_by("name")

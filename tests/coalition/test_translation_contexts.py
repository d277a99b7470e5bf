"""One English word that names different things carries a context (pgettext).

"Withdrawn" is a membership (a city that left), an application, an agenda item, a
candidacy and an amendment; French, Spanish and Arabic give each the gender and often
the word of its own noun. The labels keep their English text; each language's catalogue
(locale/<lang>/LC_MESSAGES/django.po, compiled afresh by the test) says each sense in its own words.
"""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from governance.models import AgendaItemStatus, AmendmentStatus, CandidacyStatus, VoteStatus
from governance.models.assemblies import SessionStatus
from governance.models.elections import ElectionStatus
from governance.models.polls import PollStatus
from governance.templatetags.governance_tags import EVENT_LABELS
from members.models import MembershipStatus
from reporting.models import ReportStatus

ROOT = Path(__file__).resolve().parents[2]

#: Each label, the context it is given, and its English text.
LABELS = [
    (MembershipStatus.APPLICANT.label, "membership status", "Applicant"),
    (MembershipStatus.WITHDRAWN.label, "membership status", "Withdrawn"),
    (EVENT_LABELS["application.withdrawn"], "application status", "Withdrawn"),
    (AgendaItemStatus.WITHDRAWN.label, "agenda item status", "Withdrawn"),
    (CandidacyStatus.WITHDRAWN.label, "candidacy status", "Withdrawn"),
    (AmendmentStatus.WITHDRAWN.label, "amendment status", "Withdrawn"),
    (AmendmentStatus.ADOPTED.label, "amendment status", "Adopted"),
    (AmendmentStatus.REJECTED.label, "amendment status", "Rejected"),
    (SessionStatus.DRAFT.label, "assembly session status", "Draft"),
    (SessionStatus.CLOSED.label, "assembly session status", "Closed"),
    (ElectionStatus.DRAFT.label, "election status", "Draft"),
    (ReportStatus.DRAFT.label, "report status", "Draft"),
    (PollStatus.OPEN.label, "poll status", "Open"),
    (PollStatus.CANCELLED.label, "poll status", "Cancelled"),
    (VoteStatus.OPEN.label, "vote status", "Open"),
    (VoteStatus.CLOSED.label, "vote status", "Closed"),
    (VoteStatus.CANCELLED.label, "vote status", "Cancelled"),
]


@pytest.mark.parametrize(("label", "context", "english"), LABELS)
def test_an_ambiguous_label_has_its_context_and_keeps_its_english(label, context, english):
    assert label._args == (context, english)  # pgettext_lazy(context, msgid)
    with translation.override("en"):
        assert str(label) == english


def test_a_template_gives_its_word_a_context_and_keeps_its_english():
    for source, text in (
        ("templates/governance/vote_detail.html", '{% translate "Open" context "vote status" %}'),
        (
            "templates/governance/bureau_home.html",
            '{% translate "Applicant" context "person who applied" %}',
        ),
    ):
        assert text in (ROOT / source).read_text()
    with translation.override("en"):
        assert Template("{% load i18n %}" + text).render(Context()) in ("Open", "Applicant")


def project_catalogue(language: str, tmp_path: Path) -> gettext.GNUTranslations:
    if not shutil.which("msgfmt"):
        pytest.skip("msgfmt (gettext) is not installed")
    mo = tmp_path / f"{language}.mo"
    po = ROOT / f"locale/{language}/LC_MESSAGES/django.po"
    subprocess.run(["msgfmt", "--check", "-o", str(mo), str(po)], check=True)
    with mo.open("rb") as handle:
        return gettext.GNUTranslations(handle)


@pytest.mark.parametrize("language", ["fr", "de", "es", "ar"])
def test_every_context_is_translated_in_each_language(language, tmp_path):
    catalogue = project_catalogue(language, tmp_path)
    for _label, context, english in LABELS:
        assert catalogue.pgettext(context, english) != english, (language, context)
    assert catalogue.pgettext("person who applied", "Applicant") != "Applicant"


@pytest.mark.parametrize(
    ("language", "senses"),
    [
        # le point, l'amendement / la candidature, l'adhésion
        ("fr", {"agenda item status": "Retiré", "application status": "Retirée"}),
        # el punto / la candidatura, la enmienda
        ("es", {"agenda item status": "Retirado", "candidacy status": "Retirada"}),
        # a city leaves (tritt aus); an item is taken off the agenda
        ("de", {"membership status": "Ausgetreten", "candidacy status": "Zurückgezogen"}),
    ],
)
def test_withdrawn_takes_the_gender_and_word_of_each_thing(language, senses, tmp_path):
    catalogue = project_catalogue(language, tmp_path)
    for context, word in senses.items():
        assert catalogue.pgettext(context, "Withdrawn") == word
    assert len({catalogue.pgettext(c, "Withdrawn") for c in senses}) == len(senses)

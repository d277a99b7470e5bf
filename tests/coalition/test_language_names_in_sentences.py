"""A language's name inside a sentence is written as the reader's language writes it: lower case
in French and Spanish ("le texte en anglais fait foi"), capitalised in German (a noun:
"Englisch") and English; a heading or label showing the name alone keeps the capital
(coalition/languages.py, the `language_in_sentence` filter).

The pages: the demo's published declaration (English, with a French translation) and the demo's
Zurich minutes (published, written in English, partly translated into French).
"""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from coalition.languages import language_in_sentence, language_name
from governance.demo import DECLARATION_TITLE
from governance.demo.minutes import TITLE as ZURICH_MINUTES_SESSION
from governance.models import AssemblySession, Motion

#: "Translation; the English text is authoritative." as each reader's language writes it.
TRANSLATION_NOTE = {
    "en": "Translation; the English text is authoritative.",
    "fr": "Traduction ; le texte en anglais fait foi.",
    "de": "Übersetzung; maßgeblich ist der Text in Englisch.",
    "es": "Traducción; el texto en inglés es el auténtico.",
}


@pytest.mark.parametrize(
    ("reader", "code", "expected"),
    [
        ("en", "en", "English"),
        ("en", "fr", "French"),
        ("fr", "en", "anglais"),
        ("fr", "de", "allemand"),
        ("fr", "fr", "français"),
        ("es", "en", "inglés"),
        ("es", "ar", "árabe"),
        ("de", "en", "Englisch"),
        ("de", "fr", "Französisch"),
        ("ar", "en", "الإنجليزية"),
    ],
)
def test_the_name_in_a_sentence_follows_the_readers_language(reader, code, expected):
    with translation.override(reader):
        assert language_in_sentence(code) == expected


@pytest.mark.parametrize(
    ("reader", "expected"),
    [("en", "English"), ("fr", "Anglais"), ("es", "Inglés"), ("de", "Englisch")],
)
def test_the_name_shown_alone_keeps_its_capital(reader, expected):
    with translation.override(reader):
        assert language_name("en") == expected


def test_the_filter_names_the_language_in_the_language_active_when_it_renders():
    template = Template("{% load language_tags %}{{ code|language_in_sentence }}")
    context = {"code": "en"}
    # One compiled template, rendered for readers of different languages.
    with translation.override("fr"):
        assert template.render(Context(context)) == "anglais"
    with translation.override("de"):
        assert template.render(Context(context)) == "Englisch"
    with translation.override("es"):
        assert template.render(Context(context)) == "inglés"
    assert template.render(Context(context)) == "English"


def _page(client, url: str, reader: str) -> str:
    client.cookies["django_language"] = reader
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("reader", ["en", "fr", "de", "es"])
def test_the_declarations_translation_note_names_english_as_the_reader_writes_it(
    client, demo, reader
):
    motion = Motion.objects.get(title=DECLARATION_TITLE)
    url = reverse("governance:declaration_detail", kwargs={"slug": motion.slug})
    assert TRANSLATION_NOTE[reader] in _page(client, url, reader)


@pytest.mark.parametrize("reader", ["en", "fr", "de", "es"])
def test_the_minutes_translation_note_names_english_as_the_reader_writes_it(client, demo, reader):
    zurich = AssemblySession.objects.get(title=ZURICH_MINUTES_SESSION)
    url = reverse("governance:minutes_public", args=[zurich.pk])
    body = _page(client, url, reader)
    if reader == "en":
        # The authoritative version: its language is a label, alone, capitalised.
        assert "(English)" in body and TRANSLATION_NOTE["en"] not in body
    else:
        assert TRANSLATION_NOTE[reader] in body


def test_the_french_minutes_name_languages_in_lower_case_inside_sentences(client, demo):
    zurich = AssemblySession.objects.get(title=ZURICH_MINUTES_SESSION)
    body = _page(client, reverse("governance:minutes_public", args=[zurich.pk]), "fr")
    assert "Pas encore traduit ; affiché en langue originale (anglais)." in body
    # The French PDF's link says its language in a sentence; its list entry, alone.
    assert "Le procès-verbal – français (PDF)" in body
    assert "Traduction (Français):" in body


def test_the_french_editor_labels_keep_the_capital_and_its_sentences_do_not(persona_client, demo):
    zurich = AssemblySession.objects.get(title=ZURICH_MINUTES_SESSION)
    client = persona_client("secretariat")  # the Zurich minute-taker
    url = reverse("governance:minutes_edit", args=[zurich.pk]) + "?language=fr"
    body = _page(client, url, "fr")
    # The language tabs name each language alone.
    assert 'aria-current="page">Français' in body
    assert 'Anglais <span class="translation-note">' in body
    # Inside sentences, in lower case.
    assert "Texte faisant foi (anglais) :" in body
    assert "Enregistrer la traduction (français)" in body
    assert "Remarques générales (traduction : français)" in body  # a field's label


def test_the_french_motion_page_labels_its_language_alone_and_names_it_in_its_note(
    client, demo, delegate
):
    motion = Motion.objects.get(title=DECLARATION_TITLE)  # English, translated into French
    client.force_login(delegate)
    body = _page(client, reverse("governance:motion_detail", kwargs={"pk": motion.pk}), "fr")
    assert "<dt>Langue faisant foi</dt><dd>Anglais</dd>" in body  # the label: alone
    assert TRANSLATION_NOTE["fr"] in body
    assert "Traduction (français)" in body  # the translation's heading

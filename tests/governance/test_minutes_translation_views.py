"""The minutes' translations through the pages: the editor's language tabs and their form
(labels, errors on their fields, the text given back), the published page in French with an
item-by-item fallback marked and isolated (lang, dir), the Arabic page, and a PDF per language
linked from the page. On the demo's Zurich minutes (published, written in English)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coalition.models import AuditEvent
from governance import minutes_pdf
from governance.demo.minutes import TITLE
from governance.models import AssemblySession, Minutes, MinutesPDF


@pytest.fixture
def zurich(demo):
    return AssemblySession.objects.get(title=TITLE)


def _items(minutes: Minutes) -> list[dict]:
    return minutes.record["items"]


def _translate(persona_client, zurich, language: str, texts: dict, remarks: str = ""):
    data = {"language": language, "remarks": remarks}
    data.update({f"item_{pk}": text for pk, text in texts.items()})
    return persona_client("secretariat").post(
        reverse("governance:minutes_edit", args=[zurich.pk]), data
    )


def test_the_editor_has_a_tab_per_language_and_labels_the_translation(persona_client, zurich):
    client = persona_client("secretariat")  # the Zurich minute-taker
    url = reverse("governance:minutes_edit", args=[zurich.pk])
    body = client.get(url + "?language=fr").content.decode()
    assert 'aria-current="page">French' in body
    assert 'English <span class="translation-note">(authoritative)' in body
    assert "French translation)" in body  # each field's label says which translation
    assert "Authoritative text (English):" in body
    assert 'name="language" value="fr"' in body and 'lang="fr" dir="ltr"' in body
    assert "does not change what was approved" in body  # the minutes are approved
    arabic = client.get(url + "?language=ar").content.decode()
    assert 'lang="ar" dir="rtl"' in arabic  # the Arabic textareas are right-to-left
    # An unknown language falls back to the authoritative tab (published: read-only).
    other = client.get(url + "?language=xx").content.decode()
    assert "changes only while the minutes are a draft" in other


def test_a_translation_after_publication_is_saved_audited_and_marked(
    persona_client, zurich, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    minutes = Minutes.objects.get(session=zurich)
    approved = minutes.text_sha256
    audited = AuditEvent.objects.filter(verb="minutes.translation_saved").count()
    first, *rest = _items(minutes)
    response = _translate(
        persona_client, zurich, "fr", {first["id"]: "<script>x</script> Ouverture."}
    )
    assert response.status_code == 302 and response["Location"].endswith(
        "?language=fr#narrative-heading"
    )
    minutes.refresh_from_db()
    assert minutes.text_sha256 == approved and minutes.status == "published"
    # One more than the demo's own French translation.
    assert AuditEvent.objects.filter(verb="minutes.translation_saved").count() == audited + 1

    client = persona_client("anonymous")
    client.cookies["django_language"] = "fr"
    body = client.get(reverse("governance:minutes_public", args=[zurich.pk])).content.decode()
    assert "&lt;script&gt;x&lt;/script&gt; Ouverture." in body and "<script>x</script>" not in body
    assert "Traduction" in body  # "Translation; the English text is authoritative."
    if rest and minutes.narrative_for(rest[0]["id"]):
        # The other items are not translated: shown in English, marked, isolated.
        assert 'lang="en" dir="ltr"' in body
    assert approved in body  # what approval covers, unchanged

    client.cookies["django_language"] = "ar"
    arabic = client.get(reverse("governance:minutes_public", args=[zurich.pk])).content.decode()
    assert 'lang="ar" dir="rtl"' in arabic  # the page (base.html)
    assert arabic.count('lang="en" dir="ltr"') >= 1  # the English fallbacks inside it


def test_each_pdf_is_linked_and_served_in_its_language(persona_client, zurich, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    minutes = Minutes.objects.get(session=zurich)
    first = _items(minutes)[0]
    _translate(persona_client, zurich, "de", {first["id"]: "Eröffnung."}, remarks="Dank.")
    assert MinutesPDF.objects.get(minutes=minutes, language="de").status == "queued"
    minutes_pdf.render_minutes(minutes.pk)
    client = persona_client("anonymous")
    body = client.get(reverse("governance:minutes_public", args=[zurich.pk])).content.decode()
    german = reverse("governance:minutes_pdf_language", args=[zurich.pk, "de"])
    assert german in body and "Authoritative version" in body
    response = client.get(german)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"minutes-{zurich.pk}-de.pdf" in response["Content-Disposition"]
    # No Spanish translation, no Spanish PDF.
    missing = client.get(reverse("governance:minutes_pdf_language", args=[zurich.pk, "es"]))
    assert missing.status_code == 404


def test_form_errors_are_tied_to_their_fields_and_the_text_is_given_back(persona_client, zurich):
    minutes = Minutes.objects.get(session=zurich)
    first = _items(minutes)[0]
    response = _translate(persona_client, zurich, "fr", {first["id"]: "x" * 20001})
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="id_item_{first["id"]}_errors"' in body
    assert f'aria-describedby="id_item_{first["id"]}_errors' in body or "aria-invalid" in body
    assert "x" * 20001 in body  # nothing typed is lost
    # The authoritative text of published minutes: the refusal names the reason.
    authoritative = persona_client("secretariat").post(
        reverse("governance:minutes_edit", args=[zurich.pk]),
        {"remarks": "Changed", "source_language": "en"},
    )
    assert authoritative.status_code == 400
    assert "no longer a draft" in authoritative.content.decode()
    assert "Changed" in authoritative.content.decode()

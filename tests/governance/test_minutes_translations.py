"""The minutes' narrative in several languages (ADR 0014, ADR 0017): the authoritative text in
its source language, translations per language with an item-by-item fallback, what approval
covers, translations after approval (audited, approval unchanged), and a PDF per language."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone, translation

from coalition.migration_helpers import copy_into_default_language
from coalition.models import AuditEvent
from governance import minutes_pdf, selectors_minutes
from governance.models import Minutes, MinutesPDF
from governance.services import GovernanceError
from governance.services import minutes as services
from governance.services.minutes.publication import pdf_languages
from tests.governance.test_minutes import _sat_session


def _two_items(minutes: Minutes) -> tuple[int, int]:
    """Test data: a second item in the record (a copy of the first under another id)."""
    first = minutes.record["items"][0]
    second = {**first, "id": first["id"] + 1000, "position": 2, "title": "Budget"}
    record = {**minutes.record, "items": [first, second]}
    Minutes.objects.filter(pk=minutes.pk).update(record=record)
    minutes.refresh_from_db()
    return first["id"], second["id"]


def _drafted(room):
    minutes = services.generate_minutes(actor=room.world.bureau, session=room.session)
    one, two = _two_items(minutes)
    services.save_narrative(
        actor=room.world.bureau,
        minutes=minutes,
        narrative={one: "The chair opened the debate.", two: "The budget was presented."},
        remarks="Thanks to Zurich.",
    )
    minutes.refresh_from_db()
    return minutes, one, two


def _approved(room):
    minutes, one, two = _drafted(room)
    today = timezone.localdate(timezone.now(), room.session.zone)
    services.circulate_minutes(
        actor=room.world.bureau,
        minutes=minutes,
        objections_from=today,
        objections_until=today + dt.timedelta(days=14),
    )
    services.settle_circulation(minutes=minutes, today=today + dt.timedelta(days=15))
    minutes.refresh_from_db()
    return minutes, one, two


def test_the_source_language_is_kept_and_the_narrative_stored_in_it(db):
    room, _poll = _sat_session()
    with translation.override("fr"):
        minutes = services.generate_minutes(actor=room.world.bureau, session=room.session)
    assert minutes.source_language == "fr"  # the writer's language at generation
    services.save_narrative(
        actor=room.world.bureau,
        minutes=minutes,
        narrative={room.item.pk: "La présidente ouvre le débat."},
        remarks="Merci à Zurich.",
    )
    minutes.refresh_from_db()
    assert minutes.narrative_fr == {str(room.item.pk): "La présidente ouvre le débat."}
    assert minutes.remarks_fr == "Merci à Zurich." and not minutes.remarks_en
    # The writer corrects the label: the text moves to the new authoritative language.
    services.save_narrative(
        actor=room.world.bureau,
        minutes=minutes,
        narrative={},
        remarks="Merci à Zurich.",
        source_language="de",
    )
    minutes.refresh_from_db()
    assert minutes.source_language == "de" and minutes.remarks_de == "Merci à Zurich."
    assert minutes.narrative_for(room.item.pk) == "La présidente ouvre le débat."
    assert not minutes.remarks_fr and not minutes.narrative_fr


def test_a_language_with_a_translation_is_not_taken_as_the_source(db):
    room, _poll = _sat_session()
    minutes, one, _two = _drafted(room)
    services.save_narrative(
        actor=room.world.bureau, minutes=minutes, narrative={one: "Ouverture."}, remarks="",
        language="fr",
    )  # fmt: skip
    with pytest.raises(GovernanceError, match="translation in that language") as caught:
        services.save_narrative(
            actor=room.world.bureau, minutes=minutes, narrative={}, remarks="x",
            source_language="fr",
        )  # fmt: skip
    assert caught.value.field == "source_language"


def test_the_page_falls_back_item_by_item_and_marks_it(db):
    room, _poll = _sat_session()
    minutes, one, two = _drafted(room)
    services.save_narrative(
        actor=room.world.bureau,
        minutes=minutes,
        narrative={one: "La présidente ouvre le débat."},
        remarks="",
        language="fr",
    )
    minutes.refresh_from_db()
    context = selectors_minutes.minutes_context(minutes, "fr")
    first, second = (item["narrative_shown"] for item in context["items"])
    assert (first["text"], first["fallback"]) == ("La présidente ouvre le débat.", False)
    assert (second["text"], second["fallback"], second["lang"]) == (
        "The budget was presented.",
        True,
        "en",
    )
    remarks = context["remarks_shown"]
    assert remarks["fallback"] and remarks["text"] == "Thanks to Zurich."
    assert not context["is_authoritative"]
    # In Arabic nothing is translated: every text is the English one, marked left-to-right.
    arabic = selectors_minutes.minutes_context(minutes, "ar")
    assert all(i["narrative_shown"]["fallback"] for i in arabic["items"])
    assert arabic["items"][0]["narrative_shown"]["dir"] == "ltr"
    # The authoritative language is never a fallback.
    english = selectors_minutes.minutes_context(minutes, "en")
    assert not any(i["narrative_shown"]["fallback"] for i in english["items"])
    assert english["is_authoritative"]
    # The source language's text is untouched by the translation.
    assert minutes.narrative_for(one) == "The chair opened the debate."


def test_the_authoritative_text_changes_only_in_a_draft_a_translation_at_any_time(db):
    room, _poll = _sat_session()
    minutes, one, _two = _approved(room)
    assert minutes.status == "approved" and len(minutes.text_sha256) == 64
    approved = minutes.text_sha256
    assert approved == minutes.authoritative_sha256()
    with pytest.raises(GovernanceError, match="no longer a draft"):
        services.save_narrative(
            actor=room.world.bureau, minutes=minutes, narrative={one: "Changed."}, remarks=""
        )
    with pytest.raises(GovernanceError, match="only while"):
        services.save_narrative(
            actor=room.world.bureau, minutes=minutes, narrative={}, remarks="",
            source_language="fr",
        )  # fmt: skip
    services.save_narrative(
        actor=room.world.bureau,
        minutes=minutes,
        narrative={one: "Die Vorsitzende eröffnet die Debatte."},
        remarks="Dank an Zürich.",
        language="de",
    )
    minutes.refresh_from_db()
    # What was approved is unchanged: the hash covers the authoritative text only.
    assert minutes.text_sha256 == approved == minutes.authoritative_sha256()
    assert minutes.status == "approved"
    event = AuditEvent.objects.filter(verb="minutes.translation_saved").get()
    assert event.data["language"] == "de" and event.data["status"] == "approved"
    assert event.data["approved_sha256"] == approved
    approval = AuditEvent.objects.filter(verb="minutes.approved").get()
    assert approval.data["text_sha256"] == approved and approval.data["language"] == "en"


def test_approval_covers_the_authoritative_narrative(db):
    room, _poll = _sat_session()
    minutes, one, _two = _drafted(room)
    before = minutes.authoritative_sha256()
    services.save_narrative(
        actor=room.world.bureau, minutes=minutes, narrative={one: "Ouverture."}, remarks="",
        language="fr",
    )  # fmt: skip
    minutes.refresh_from_db()
    assert minutes.authoritative_sha256() == before  # a translation is not approved text
    services.save_narrative(
        actor=room.world.bureau, minutes=minutes, narrative={one: "Amended."}, remarks=""
    )
    minutes.refresh_from_db()
    assert minutes.authoritative_sha256() != before


def test_a_pdf_per_language_with_a_translation(db, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    room, _poll = _sat_session()
    minutes, one, _two = _approved(room)
    services.save_narrative(
        actor=room.world.bureau, minutes=minutes, narrative={one: "Ouverture."}, remarks="",
        language="fr",
    )  # fmt: skip
    minutes = services.publish_minutes(actor=room.world.bureau, minutes=minutes)
    assert pdf_languages(minutes) == ["en", "fr"]
    assert minutes_pdf.render_minutes(minutes.pk) == "ready"
    pdfs = {p.language: p for p in MinutesPDF.objects.filter(minutes=minutes)}
    assert set(pdfs) == {"en", "fr"} and all(p.is_ready for p in pdfs.values())
    assert pdfs["en"].sha256 != pdfs["fr"].sha256
    assert minutes.pdf == pdfs["en"] and pdfs["en"].is_authoritative
    # Each labelled; the French one shows the untranslated remarks in English, marked.
    english = minutes_pdf.minutes_html(minutes, "en")
    french = minutes_pdf.minutes_html(minutes, "fr")
    assert "Authoritative version" in english and 'lang="en"' in english
    assert 'lang="fr"' in french and "Traduction" in french
    assert 'lang="en" dir="ltr"><p>The budget was presented.' in french
    # A translation added after publication renders its language's PDF (again).
    services.save_narrative(
        actor=room.world.bureau, minutes=minutes, narrative={one: "Apertura."}, remarks="",
        language="es",
    )  # fmt: skip
    assert MinutesPDF.objects.get(minutes=minutes, language="es").status == "queued"
    assert minutes_pdf.render_minutes(minutes.pk) == "ready"
    assert MinutesPDF.objects.filter(minutes=minutes, status="ready").count() == 3
    # Emptied, a translation takes its PDF away.
    services.save_narrative(
        actor=room.world.bureau, minutes=minutes, narrative={one: ""}, remarks="", language="es"
    )
    assert not MinutesPDF.objects.filter(minutes=minutes, language="es").exists()


def test_the_translated_pdf_escapes_the_text(db):
    room, _poll = _sat_session()
    minutes, one, two = _drafted(room)
    services.save_narrative(
        actor=room.world.bureau,
        minutes=minutes,
        narrative={one: "<script>alert(1)</script>"},
        remarks="<b>gras</b>",
        language="fr",
    )
    minutes.refresh_from_db()
    html = minutes_pdf.minutes_html(minutes, "fr")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>gras</b>" not in html and "&lt;b&gt;gras&lt;/b&gt;" in html


def test_the_migration_keeps_the_text_in_the_source_language(db):
    room, _poll = _sat_session()
    minutes = services.generate_minutes(actor=room.world.bureau, session=room.session)
    # As before migration 0022: the text in the untranslated columns only (raw SQL: the
    # translated manager would write the active language's column).
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Minutes._meta.db_table} SET narrative = %s, remarks = %s,"
            " narrative_en = NULL, remarks_en = NULL WHERE id = %s",
            [json.dumps({str(room.item.pk): "Old text."}), "Old remarks.", minutes.pk],
        )
    state = MigrationLoader(connection).project_state(("governance", "0023_minutes_translations"))
    copy_into_default_language("governance", {"minutes": ("narrative", "remarks")})(
        state.apps, None
    )
    minutes.refresh_from_db()
    assert minutes.source_language == "en" and minutes.remarks_en == "Old remarks."
    assert minutes.narrative_for(room.item.pk) == "Old text."

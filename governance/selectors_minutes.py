"""Reads of a session's minutes for their pages and PDF (fixed queries)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import translation

from coalition.translated import Translated
from governance import rules
from governance.models import (
    AgendaItem,
    AgendaItemKind,
    AgendaItemStatus,
    AttendanceChannel,
    AttendanceKind,
    AttendanceMode,
    AttendeeRole,
    DecisionKind,
    Minutes,
    MinutesObjection,
    MinutesPDF,
    PollKind,
    PollStatus,
    SessionStatus,
)


def _label(choices, value) -> str:
    """The translated label of a stored value (the value itself if the choices lost it)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _parse(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _poll_view(poll: dict[str, Any]) -> dict[str, Any]:
    view = dict(poll)
    view["opened"] = _parse(poll.get("opened_at"))
    view["closed"] = _parse(poll.get("closed_at"))
    result = poll.get("result")
    view["arithmetic_shown"] = rules.describe_poll_result(result) if result else ""
    view["kind_label"] = _label(PollKind, poll.get("kind"))
    view["status_label"] = _label(PollStatus, poll.get("status"))
    view["majority_label"] = _label(
        rules.AssemblyMajority, (poll.get("rule") or {}).get("majority")
    )
    return view


def _person_view(person: dict[str, Any]) -> dict[str, Any]:
    return {
        **person,
        "role_label": _label(AttendeeRole, person.get("role")),
        "mode_label": _label(AttendanceMode, person.get("mode")),
        "events_shown": [
            {
                **e,
                "when": _parse(e["at"]),
                "kind_label": _label(AttendanceKind, e["kind"]),
                "channel_label": _label(AttendanceChannel, e["channel"]),
            }
            for e in person.get("events", [])
        ],
    }


def reading_language(language: str | None = None) -> str:
    """The reader's language (the page's by default), one of the portal's."""
    language = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _in_language(own: str, authoritative: str, language: str, source: str) -> Translated:
    """The reader's text where written, else the authoritative one (marked as a fallback)."""
    if own or language == source:
        return Translated(own, language, False)
    return Translated(authoritative, source, bool(authoritative))


def language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


def narrative_in(minutes: Minutes, language: str) -> dict[str, Translated]:
    """Item by item: the text in `language` where translated, else the authoritative one."""
    source = minutes.source_language
    own, authoritative = minutes.narrative_in(language), minutes.narrative_in(source)
    return {
        key: _in_language(own.get(key, ""), authoritative.get(key, ""), language, source)
        for key in {*own, *authoritative}
    }


def _shown(value: Translated) -> dict[str, Any]:
    return {
        "text": value.text,
        "fallback": value.is_translation_missing,
        "lang": value.language,
        "dir": "rtl" if value.language in settings.LANGUAGES_BIDI else "ltr",
        "language_name": language_name(value.language),
    }


def minutes_context(minutes: Minutes, language: str | None = None) -> dict[str, Any]:
    """The minutes as the pages and the PDF show them: the record with the narrative beside,
    in `language` (the reader's) item by item where translated, else in the authoritative one."""
    language = reading_language(language)
    source = minutes.source_language
    texts = narrative_in(minutes, language)
    empty = Translated("", language, False)
    record = minutes.record or {}
    items = [
        {
            **item,
            "narrative": texts.get(str(item["id"]), empty).text,
            "narrative_shown": _shown(texts.get(str(item["id"]), empty)),
            "kind_label": _label(AgendaItemKind, item.get("kind")),
            "status_label": _label(AgendaItemStatus, item.get("status")),
            "polls_shown": [_poll_view(p) for p in item.get("polls", [])],
            "decision_label": _label(DecisionKind, (item.get("exclusion") or {}).get("decision")),
        }
        for item in record.get("items", [])
    ]
    attendance = [
        {
            **city,
            "people_shown": [_person_view(p) for p in city.get("people", [])],
            "cards_shown": [
                {**c, "from_when": _parse(c["since"]), "until_when": _parse(c["until"])}
                for c in city.get("cards", [])
            ],
        }
        for city in record.get("attendance", [])
    ]
    roll_calls = [{**rc, "when": _parse(rc["taken_at"])} for rc in record.get("roll_calls", [])]
    remarks = _in_language(
        minutes.remarks_in(language), minutes.remarks_in(source), language, source
    )
    return {
        "minutes": minutes,
        "session": minutes.session,
        "language": language,
        "is_authoritative": language == source,
        "source_language": source,
        "source_language_name": language_name(source),
        "source_dir": "rtl" if source in settings.LANGUAGES_BIDI else "ltr",
        "remarks_shown": _shown(remarks),
        "facts": record.get("session", {}),
        "starts": _parse(record.get("session", {}).get("starts_at")),
        "ends": _parse(record.get("session", {}).get("ends_at")),
        "items": items,
        "attendance": attendance,
        "roll_calls": roll_calls,
    }


def language_tabs(minutes: Minutes, current: str) -> list[dict[str, Any]]:
    """The editor's language tabs: the authoritative text first, then each translation."""
    source = minutes.source_language
    codes = [source, *(code for code, _name in settings.LANGUAGES if code != source)]
    return [
        {
            "code": code,
            "name": language_name(code),
            "authoritative": code == source,
            "has_text": minutes.has_text_in(code),
            "current": code == current,
        }
        for code in codes
    ]


def pdfs_of(minutes: Minutes, language: str | None = None) -> list[MinutesPDF]:
    """The minutes' PDFs: the authoritative version, the reader's language, the others."""
    reader = reading_language(language)
    pdfs = list(MinutesPDF.objects.filter(minutes=minutes).select_related("minutes"))
    return sorted(pdfs, key=lambda p: (not p.is_authoritative, p.language != reader, p.language))


def objections_of(minutes: Minutes) -> list[MinutesObjection]:
    return list(
        minutes.objections.select_related("city", "filed_by").order_by("-round", "filed_at")
    )


def approval_items_for(minutes: Minutes) -> list[AgendaItem]:
    """Open "approval of the minutes" items of the coalition's later sessions (one query)."""
    session = minutes.session
    return list(
        AgendaItem.objects.filter(
            kind=AgendaItemKind.MINUTES,
            session__coalition_id=session.coalition_id,
            session__starts_at__gt=session.starts_at,
            session__status__in=[
                SessionStatus.DRAFT,
                SessionStatus.CONVENED,
                SessionStatus.IN_SESSION,
            ],
        )
        .exclude(status__in=["withdrawn", "decided"])
        .exclude(minutes_approved__isnull=False)
        .select_related("session")
        .order_by("session__starts_at", "position")
    )

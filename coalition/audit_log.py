"""The audit log as staff read it: events filtered by coalition, city, person, kind and date.

Events carry no coalition: the log is append-only and hash-chained, so no column is
added and backfilled. Instead each app says, in its `audit_scope` module (listed in
settings.AUDIT_SCOPES), how to reach a coalition's and a city's id from each of its
models, and an event is in a coalition when its target is: one subquery per target
model, OR-ed in a single query, so a page costs the same number of queries however many
events there are. Events about objects no app maps (accounts, outgoing emails, letters
not yet attached) belong to no coalition: administrators alone see them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.module_loading import import_string

from coalition.models import AuditEvent


@cache
def _paths(kind: str) -> dict[type[models.Model], tuple[str, ...]]:
    paths: dict[type[models.Model], tuple[str, ...]] = {}
    for module in settings.AUDIT_SCOPES:
        for model, lookup in import_string(f"{module}.{kind}").items():
            paths[model] = (lookup,) if isinstance(lookup, str) else tuple(lookup)
    return paths


def _targets_in(kind: str, ids: Iterable[int]) -> Q:
    """Events whose target reaches one of `ids` by the `kind` paths (no event if none)."""
    ids = list(ids)
    paths = _paths(kind)
    content_types = ContentType.objects.get_for_models(*paths, for_concrete_models=False)
    condition = Q(pk__in=[])
    for model, lookups in paths.items():
        reached = Q()
        for lookup in lookups:
            reached |= Q(**{f"{lookup}__in": ids})
        # object_id is text (it holds any model's key): compare it with the key as text.
        keys = (
            model._default_manager.filter(reached)
            .annotate(key_text=Cast("pk", CharField()))
            .values("key_text")
        )
        condition |= Q(content_type=content_types[model], object_id__in=keys)
    return condition


def audit_events(
    *,
    coalition_ids: Iterable[int] | None,
    city_id: int | None = None,
    actor_email: str = "",
    verb: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """The events in those coalitions (None: every event), newest first, with their actor.

    `actor_email` matches part of the acting person's email; `verb` is a kind of event
    ("application.submitted"), or the part before its dot for all of that family
    ("application");
    `since` and `until` are days, both included.
    """
    events = AuditEvent.objects.all()
    if coalition_ids is not None:
        events = events.filter(_targets_in("COALITION_PATHS", coalition_ids))
    if city_id is not None:
        events = events.filter(_targets_in("CITY_PATHS", [city_id]))
    if actor_email:
        events = events.filter(actor__email__icontains=actor_email)
    if verb:
        events = events.filter(Q(verb=verb) | Q(verb__startswith=f"{verb}."))
    if since is not None:
        events = events.filter(created_at__date__gte=since)
    if until is not None:
        events = events.filter(created_at__date__lte=until)
    return events.select_related("actor", "content_type").order_by("-created_at", "-id")


def verbs_in(events: QuerySet[AuditEvent]) -> list[str]:
    """The kinds of event present among these events, in order (one query)."""
    return list(events.order_by("verb").values_list("verb", flat=True).distinct())


def verb_choices(verbs: Iterable[str]) -> list[tuple[str, str]]:
    """Each family of verbs ("fee", for "fee.recorded"...) followed by its verbs."""
    choices: list[tuple[str, str]] = []
    families: set[str] = set()
    for verb in verbs:
        family = verb.split(".", 1)[0]
        if "." in verb and family not in families:
            families.add(family)
            choices.append((family, f"{family}.*"))
        choices.append((verb, verb))
    return choices

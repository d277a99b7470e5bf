"""Subjects of votes: each kind of vote registers how it is decided and what its outcome does."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from governance import rules
from governance.engine.electorate import Electorate
from governance.models import CommitteeVote, DecisionRule


class VoteSubject:
    """What a kind of vote is about. Subclass it and `register` one instance per kind.

    The engine calls, in this order: `electorate` and `rule` when the vote opens
    (both are then stored and never recomputed), `opened` once it is saved,
    `current_electorate` at each ballot and at the close, and `on_outcome` once
    the outcome is stored. All run inside the engine's transaction.
    """

    def electorate(self, vote: CommitteeVote) -> Electorate:
        """Who may vote and who is recused, and why, as the vote opens."""
        raise NotImplementedError

    def no_electorate(self) -> str:
        """Why a vote cannot open when `electorate` finds nobody who may vote."""
        return _("Nobody may vote on this matter.")

    def current_electorate(self, vote: CommitteeVote, opening: Electorate | None) -> Electorate:
        """The electorate that counts now. By default the opening one, frozen."""
        return opening if opening is not None else self.electorate(vote)

    def rule(self, vote: CommitteeVote) -> rules.Rule:
        """The decision rule, copied into the vote when it opens."""
        return DecisionRule.rule_for(vote.coalition)

    def opened(self, *, vote: CommitteeVote, actor) -> None:
        """After the vote is saved and audited (e.g. tell the voters)."""

    def on_outcome(
        self, *, vote: CommitteeVote, outcome: str, tally: rules.Tally, rule: rules.Rule, actor
    ) -> None:
        """Carry out the outcome stored on the closed vote."""
        raise NotImplementedError


_subjects: dict[str, VoteSubject] = {}


def register(kind: str, subject: VoteSubject) -> VoteSubject:
    """Make `subject` the handler of the votes of `kind`. Registering twice is a mistake."""
    current = _subjects.get(kind)
    if current is not None and current is not subject:
        raise ImproperlyConfigured(f"Votes of kind {kind!r} already have a subject: {current!r}.")
    _subjects[kind] = subject
    return subject


def unregister(kind: str) -> VoteSubject | None:
    """Remove a registration (for tests of the start-up check)."""
    return _subjects.pop(kind, None)


def subject_for(kind: str) -> VoteSubject:
    try:
        return _subjects[kind]
    except KeyError:
        message = f"No subject is registered for votes of kind {kind!r}."
        raise ImproperlyConfigured(message) from None


def check_registry(kinds: Iterable[str]) -> None:
    """Raise ImproperlyConfigured unless every kind of vote has its subject."""
    missing = sorted(set(kinds) - set(_subjects))
    if missing:
        raise ImproperlyConfigured(
            "No subject is registered for votes of kind: " + ", ".join(missing) + "."
        )


class PollSubject:
    """What a kind of assembly poll is about (the electors are cities; ADR 0015).

    The engine calls `decision_kind` and `electorate` when the poll opens (both stored),
    `opened` once it is saved, and `on_outcome` once a teller has confirmed the result.
    """

    is_choice = False

    def decision_kind(self, poll) -> str:
        """Which majority of the statute applies (a `rules.AssemblyDecisionKind` value)."""
        return rules.AssemblyDecisionKind.ORDINARY

    def electorate(self, poll) -> Electorate:
        """The cities with voting rights present as the poll opens, and the recused."""
        raise NotImplementedError

    def opened(self, *, poll, actor) -> None:
        """After the poll is saved and audited."""

    def on_outcome(self, *, poll, outcome: str, actor) -> None:
        """Carry out the published outcome (nothing, for a question without consequences)."""


_poll_subjects: dict[str, PollSubject] = {}


def register_poll(kind: str, subject: PollSubject) -> PollSubject:
    current = _poll_subjects.get(kind)
    if current is not None and current is not subject:
        raise ImproperlyConfigured(f"Polls of kind {kind!r} already have a subject: {current!r}.")
    _poll_subjects[kind] = subject
    return subject


def poll_subject_for(kind: str) -> PollSubject:
    try:
        return _poll_subjects[kind]
    except KeyError:
        message = f"No subject is registered for polls of kind {kind!r}."
        raise ImproperlyConfigured(message) from None


def check_poll_registry(kinds: Iterable[str]) -> None:
    missing = sorted(set(kinds) - set(_poll_subjects))
    if missing:
        raise ImproperlyConfigured(
            "No subject is registered for polls of kind: " + ", ".join(missing) + "."
        )

"""The count: approval, plurality and Scottish STV, with the cap per country applied.

Pure Python on plain data (no Django), so that `verify_election` and anyone holding the
published bundle recompute the same result. Input:

- `candidates`: [{"id": 7, "name": "Ghent", "country": "BE"}, ...] in the ballot's order;
- `ballots`: the published list, [{"tracker": "…", "choices": [7, 3]}, ...]; a ballot that
  did not open or is malformed has "choices": null and counts as invalid;
- `seats`, `cap` (most seats per country, or None), `seed` (the published list's hash).

Ties are broken by lot: the candidates' order is that of SHA-256(seed, context, id), which
anyone can recompute; the result names every tie it broke. STV follows the Scottish Local
Government Elections Order 2007 (SSI 2007/42, schedule 1, rules 46-52): Droop quota on the
valid papers, weighted inclusive Gregory transfers truncated to five decimals, the largest
surplus first, exclusion of the lowest, ties settled by the earliest earlier stage at which
the candidates differed, then by lot.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

#: STV values are integers in hundred-thousandths: five decimal places, remainders dropped.
UNIT = 100_000

APPROVAL = "approval"
PLURALITY = "plurality"
STV = "stv"


def lot_order(ids, *, seed: str, context: str) -> list[int]:
    """`ids` in the order a reproducible lot draws them."""
    return sorted(ids, key=lambda i: hashlib.sha256(f"{seed}:{context}:{i}".encode()).hexdigest())


def valid_choices(choices, *, method: str, seats: int, known: set[int]) -> list[int] | None:
    """The ballot's choices if the ballot is valid for the method, else None."""
    if not isinstance(choices, list) or not all(
        isinstance(c, int) and not isinstance(c, bool) for c in choices
    ):
        return None
    if len(set(choices)) != len(choices) or not set(choices) <= known:
        return None
    limit = 1 if method == PLURALITY else seats if method == APPROVAL else len(known)
    if len(choices) > limit:
        return None
    return choices


def count(
    *, method: str, candidates: list[dict], ballots: list[dict], seats: int, cap, seed: str
) -> dict:
    known = {c["id"] for c in candidates}
    papers, invalid, blank = [], 0, 0
    for ballot in ballots:
        choices = valid_choices(ballot.get("choices"), method=method, seats=seats, known=known)
        if choices is None:
            invalid += 1
        elif not choices:
            blank += 1
        else:
            papers.append(choices)
    base = {
        "method": method,
        "seats": seats,
        "cap_per_country": cap,
        "ballots": len(ballots),
        "invalid": invalid,
        "blank": blank,
        "seed": seed,
    }
    country = {c["id"]: c.get("country", "") for c in candidates}
    if method == STV:
        return base | _stv(papers, sorted(known), seats, cap, country, seed)
    return base | _approval(papers, sorted(known), seats, cap, country, seed)


def _approval(papers, ids, seats, cap, country, seed) -> dict:
    totals = Counter(dict.fromkeys(ids, 0))
    for choices in papers:
        totals.update(choices)
    lot = {i: n for n, i in enumerate(lot_order(ids, seed=seed, context="order"))}
    ranked = sorted(ids, key=lambda i: (-totals[i], lot[i]))
    elected: list[Any] = []
    skipped: list[Any] = []
    held: Counter = Counter()
    for candidate in ranked:
        if len(elected) == seats:
            break
        if totals[candidate] == 0:
            continue
        if cap is not None and held[country[candidate]] >= cap:
            skipped.append({"candidate": candidate, "reason": "cap", "country": country[candidate]})
            continue
        elected.append(candidate)
        held[country[candidate]] += 1
    ties = []
    for votes in sorted({totals[i] for i in ids}, reverse=True):
        group = [i for i in ranked if totals[i] == votes]
        chosen = [i for i in group if i in elected]
        if len(group) > 1 and 0 < len(chosen) < len(group):
            ties.append({"among": group, "votes": votes, "chosen": chosen, "by": "lot"})
    return {
        "totals": {str(i): totals[i] for i in ids},
        "elected": elected,
        "skipped": skipped,
        "ties": ties,
    }


def _fmt(value: int) -> str:
    return f"{value // UNIT}.{value % UNIT:05d}"


def _stv(papers, ids, seats, cap, country, seed) -> dict:
    quota = (len(papers) // (seats + 1) + 1) * UNIT
    continuing = set(ids)
    piles: dict[int, list[list]] = {i: [] for i in ids}  # candidate -> [[choices, pos, value]]
    for choices in papers:
        piles[choices[0]].append([choices, 0, UNIT])
    elected: list[int] = []
    skipped: list[dict] = []
    ties: list[dict] = []
    excluded: list[int] = []
    surplus_due: list[int] = []
    history: list[dict[int, int]] = []
    stages: list[dict] = []
    non_transferable = 0
    held: Counter = Counter()

    def total(i: int) -> int:
        return sum(p[2] for p in piles[i])

    def move(pile: list[list], value_of) -> int:
        """Pass each paper to its next continuing preference; the value lost with no next."""
        lost = 0
        for choices, pos, value in pile:
            new_value = value_of(value)
            nxt = pos + 1
            while nxt < len(choices) and choices[nxt] not in continuing:
                nxt += 1
            if nxt < len(choices):
                piles[choices[nxt]].append([choices, nxt, new_value])
            else:
                lost += new_value
        return lost

    def break_tie(group: list[int], *, highest: bool, context: str) -> int:
        for stage in history:  # the earliest stage at which they differed
            values = {i: stage.get(i, 0) for i in group}
            best = max(values.values()) if highest else min(values.values())
            if list(values.values()).count(best) == 1:
                chosen = next(i for i, v in values.items() if v == best)
                ties.append({"among": group, "chosen": [chosen], "by": "earlier stage"})
                return chosen
        chosen = lot_order(group, seed=seed, context=context)[0]
        ties.append({"among": group, "chosen": [chosen], "by": "lot"})
        return chosen

    def snapshot(action: str, candidate=None) -> None:
        totals = {i: total(i) for i in ids}
        history.append(totals)
        stages.append(
            {
                "stage": len(stages) + 1,
                "action": action,
                "candidate": candidate,
                "totals": {str(i): _fmt(v) for i, v in totals.items()},
                "non_transferable": _fmt(non_transferable),
                "elected": list(elected),
                "excluded": list(excluded),
            }
        )

    def elect_or_skip(candidate: int, *, with_surplus: bool) -> None:
        continuing.discard(candidate)
        if cap is not None and held[country[candidate]] >= cap:
            skipped.append({"candidate": candidate, "reason": "cap", "country": country[candidate]})
            excluded.append(candidate)
            return
        elected.append(candidate)
        held[country[candidate]] += 1
        if with_surplus:
            surplus_due.append(candidate)

    snapshot("first preferences")
    skip_pending: list[int] = []
    while len(elected) < seats and (continuing or skip_pending):
        # Those at or over the quota are elected, the highest first (rule 47).
        reached = [i for i in continuing if total(i) >= quota]
        while reached:
            top = max(total(i) for i in reached)
            group = sorted(i for i in reached if total(i) == top)
            first = (
                group[0]
                if len(group) == 1
                else break_tie(group, highest=True, context=f"elect-{len(stages)}")
            )
            reached.remove(first)
            elect_or_skip(first, with_surplus=True)
            if first in excluded:
                skip_pending.append(first)
            if len(elected) == seats:
                break
        if len(elected) == seats:
            break
        # A candidate the cap now bars is skipped; its papers pass on at their value.
        if cap is not None:
            for i in sorted(continuing):
                if held[country[i]] >= cap:
                    continuing.discard(i)
                    excluded.append(i)
                    skipped.append({"candidate": i, "reason": "cap", "country": country[i]})
                    skip_pending.append(i)
        if skip_pending:
            candidate = skip_pending.pop(0)
            non_transferable += move(piles[candidate], lambda v: v)
            piles[candidate] = []
            snapshot("skipped for the cap", candidate)
            continue
        if len(continuing) <= seats - len(elected):
            for i in sorted(continuing, key=lambda i: -total(i)):
                elect_or_skip(i, with_surplus=False)
            snapshot("last candidates elected")
            continue
        surpluses = [i for i in surplus_due if total(i) > quota]
        if surpluses:
            top = max(total(i) for i in surpluses)
            group = sorted(i for i in surpluses if total(i) == top)
            candidate = (
                group[0]
                if len(group) == 1
                else break_tie(group, highest=True, context=f"surplus-{len(stages)}")
            )
            surplus_due.remove(candidate)
            credited = total(candidate)
            surplus = credited - quota
            pile, piles[candidate] = piles[candidate], []
            lost = move(pile, lambda v, s=surplus, t=credited: v * s // t)
            non_transferable += lost
            piles[candidate] = [[[candidate], 0, quota]]  # the candidate keeps the quota
            snapshot("surplus transferred", candidate)
            continue
        surplus_due.clear()
        if not continuing:
            break
        low = min(total(i) for i in continuing)
        group = sorted(i for i in continuing if total(i) == low)
        candidate = (
            group[0]
            if len(group) == 1
            else break_tie(group, highest=False, context=f"exclude-{len(stages)}")
        )
        continuing.discard(candidate)
        excluded.append(candidate)
        pile, piles[candidate] = piles[candidate], []
        non_transferable += move(pile, lambda v: v)
        snapshot("excluded", candidate)
    return {
        "quota": _fmt(quota),
        "elected": elected,
        "skipped": skipped,
        "ties": ties,
        "stages": stages,
    }

"""The election's pure parts: the key's k-of-n shares, sealed ballots, the count, the bundle."""

from __future__ import annotations

import base64
import json

import pytest
from nacl.public import PrivateKey, SealedBox

from governance.elections import bundle, count, crypto


def test_any_k_shares_rebuild_the_key_and_k_minus_one_do_not():
    ceremony = crypto.generate_and_split(election_id=7, threshold=3, tellers=5)
    assert len(ceremony.shares) == 5 and len(set(ceremony.shares)) == 5
    sealed = crypto.seal(ceremony.public_key, b'{"choices": [1]}')
    for chosen in ([0, 1, 2], [4, 2, 0], [1, 3, 4]):
        key = crypto.recombine(
            [ceremony.shares[i] for i in chosen], election_id=7, public_key=ceremony.public_key
        )
        assert crypto.open_all(key, [sealed]) == [b'{"choices": [1]}']
    with pytest.raises(crypto.ShareError):
        crypto.recombine(ceremony.shares[:2], election_id=7, public_key=ceremony.public_key)


def test_a_share_of_another_election_or_a_garbled_one_is_refused():
    ceremony = crypto.generate_and_split(election_id=7, threshold=2, tellers=3)
    other = crypto.generate_and_split(election_id=8, threshold=2, tellers=3)
    with pytest.raises(crypto.ShareError):
        crypto.recombine(
            [ceremony.shares[0], other.shares[1]], election_id=7, public_key=ceremony.public_key
        )
    with pytest.raises(crypto.ShareError):
        crypto.recombine(["hello", "world"], election_id=7, public_key=ceremony.public_key)
    # One character changed in a share's body rebuilds another key: refused too.
    tampered = ceremony.shares[1][:-1] + ("0" if ceremony.shares[1][-1] != "0" else "1")
    with pytest.raises(crypto.ShareError):
        crypto.recombine(
            [ceremony.shares[0], tampered], election_id=7, public_key=ceremony.public_key
        )


def test_a_ballot_sealed_as_libsodium_does_opens_only_with_the_key():
    key = PrivateKey.generate()
    sealed = SealedBox(key.public_key).encrypt(b"secret")
    assert crypto.open_all(key, [sealed, b"x" * 60]) == [b"secret", None]
    assert crypto.receipt_of(sealed) != crypto.receipt_of(
        SealedBox(key.public_key).encrypt(b"secret")
    )


def _candidates(*names, countries=None):
    countries = countries or ["X"] * len(names)
    return [
        {"id": n, "name": name, "country": country}
        for n, (name, country) in enumerate(zip(names, countries, strict=True), 1)
    ]


def _ballots(*groups):
    return [{"tracker": "", "choices": list(c)} for times, c in groups for _ in range(times)]


def test_stv_the_worked_example_of_the_food_election():
    """Wikipedia's "Single transferable vote" example: 20 voters, 3 seats, Droop quota 6.
    Chocolate's surplus of 6 passes at 0.5; Pears is excluded; Oranges reaches the quota;
    Hamburgers is excluded; Strawberries takes the last seat."""
    oranges, pears, chocolate, strawberries, hamburgers = 1, 2, 3, 4, 5
    result = count.count(
        method=count.STV,
        candidates=_candidates("Oranges", "Pears", "Chocolate", "Strawberries", "Hamburgers"),
        ballots=_ballots(
            (4, [oranges]),
            (2, [pears, oranges]),
            (8, [chocolate, strawberries]),
            (4, [chocolate, hamburgers]),
            (1, [strawberries]),
            (1, [hamburgers]),
        ),
        seats=3,
        cap=None,
        seed="s",
    )
    assert result["quota"] == "6.00000"
    assert result["elected"] == [chocolate, oranges, strawberries]
    surplus = result["stages"][1]
    assert surplus["action"] == "surplus transferred" and surplus["candidate"] == chocolate
    assert surplus["totals"][str(strawberries)] == "5.00000"
    assert surplus["totals"][str(hamburgers)] == "3.00000"
    assert [s["candidate"] for s in result["stages"] if s["action"] == "excluded"] == [
        pears,
        hamburgers,
    ]


def test_stv_transfer_values_are_truncated_to_five_decimals():
    """A's surplus of 3 over 7 papers passes at 3/7 = 0.42857 (SSI 2007/42 rule 48(3))."""
    a, b, c = 1, 2, 3
    result = count.count(
        method=count.STV,
        candidates=_candidates("A", "B", "C"),
        ballots=_ballots((4, [a, b]), (3, [a, c]), (1, [b]), (1, [c])),
        seats=2,
        cap=None,
        seed="s",
    )
    assert result["quota"] == "4.00000"
    assert result["stages"][1]["totals"] == {"1": "4.00000", "2": "2.71428", "3": "2.28571"}
    assert result["elected"] == [a, b]
    assert result["stages"][2]["action"] == "excluded" and result["stages"][2]["candidate"] == c
    assert result["stages"][2]["non_transferable"] == "2.28571"


def test_stv_a_tie_for_exclusion_looks_at_earlier_stages_then_draws_a_reproducible_lot():
    """B and C tie at the last stage; the earlier stage (first preferences) had C lower."""
    a, b, c, d = 1, 2, 3, 4
    ballots = _ballots((6, [a]), (2, [b]), (1, [c]), (1, [d, c]), (2, [d]))
    result = count.count(
        method=count.STV,
        candidates=_candidates("A", "B", "C", "D"),
        ballots=ballots,
        seats=2,
        cap=None,
        seed="s",
    )
    # Quota 5; A elected, surplus 1 non-transferable; C (1) is lowest and goes.
    assert result["elected"][0] == a
    assert result["stages"][2]["candidate"] == c
    # Two candidates with identical histories tie everywhere: the lot decides, the same way
    # each time for the same seed, and the result says so.
    tied = count.count(
        method=count.STV,
        candidates=_candidates("A", "B", "C"),
        ballots=_ballots((1, [a]), (1, [b]), (1, [c])),
        seats=1,
        cap=None,
        seed="published-hash",
    )
    again = count.count(
        method=count.STV,
        candidates=_candidates("A", "B", "C"),
        ballots=_ballots((1, [a]), (1, [b]), (1, [c])),
        seats=1,
        cap=None,
        seed="published-hash",
    )
    assert tied == again
    assert tied["ties"] and all(t["by"] == "lot" for t in tied["ties"])


def test_stv_a_candidate_of_a_capped_country_is_skipped_and_named():
    a, b, c = 1, 2, 3
    result = count.count(
        method=count.STV,
        candidates=_candidates("A", "B", "C", countries=["DE", "DE", "FR"]),
        ballots=_ballots((5, [a, b]), (3, [b]), (2, [c])),
        seats=2,
        cap=1,
        seed="s",
    )
    assert result["elected"] == [a, c]
    assert result["skipped"] == [{"candidate": b, "reason": "cap", "country": "DE"}]


def test_approval_five_seats_cap_two_skips_the_third_city_of_a_country():
    names = ["Berlin", "Munich", "Potsdam", "Ghent", "Graz", "Nantes"]
    countries = ["DE", "DE", "DE", "BE", "AT", "FR"]
    berlin, munich, potsdam, ghent, graz, nantes = range(1, 7)
    ballots = _ballots(
        (9, [berlin, munich, potsdam, ghent, graz]),
        (1, [nantes, berlin]),
    )
    result = count.count(
        method=count.APPROVAL,
        candidates=_candidates(*names, countries=countries),
        ballots=ballots,
        seats=5,
        cap=2,
        seed="s",
    )
    assert result["totals"][str(potsdam)] == 9 > result["totals"][str(nantes)] == 1
    assert set(result["elected"]) == {berlin, munich, ghent, graz, nantes}
    assert result["skipped"] == [{"candidate": potsdam, "reason": "cap", "country": "DE"}]


def test_invalid_and_blank_ballots_are_counted_apart():
    result = count.count(
        method=count.PLURALITY,
        candidates=_candidates("A", "B"),
        ballots=[
            {"tracker": "1", "choices": [1]},
            {"tracker": "2", "choices": [1, 2]},  # two choices for one office
            {"tracker": "3", "choices": None},  # did not open
            {"tracker": "4", "choices": [9]},  # not a candidate
            {"tracker": "5", "choices": []},
        ],
        seats=1,
        cap=None,
        seed="s",
    )
    assert (result["elected"], result["invalid"], result["blank"]) == ([1], 3, 1)


def _bundle():
    ceremony = crypto.generate_and_split(election_id=1, threshold=1, tellers=2)
    ballots = [{"tracker": f"t{i}", "choices": [1 + i % 2]} for i in range(5)]
    ciphertexts = [crypto.seal(ceremony.public_key, json.dumps(b).encode()) for b in ballots]
    receipts = [crypto.receipt_of(c) for c in ciphertexts]
    data = {
        "method": "plurality",
        "seats": 1,
        "cap_per_country": None,
        "candidates": _candidates("A", "B"),
        "voted_cities": [f"City {i}" for i in range(5)],
        "receipts": receipts,
        "ciphertexts": [base64.b64encode(c).decode() for c in ciphertexts],
        "box_fingerprint": crypto.box_fingerprint(receipts),
        "ballots": ballots,
        "ballots_hash": bundle.ballots_hash(ballots),
    }
    data["result"] = bundle.recount(data)
    return data


def test_verify_accepts_a_true_bundle_and_names_each_tampering():
    data = _bundle()
    assert bundle.verify(data) == []
    changed = json.loads(json.dumps(data))
    changed["ballots"][0]["choices"] = [2]
    assert "the list of opened ballots does not match its hash" in bundle.verify(changed)
    changed = json.loads(json.dumps(data))
    changed["result"]["elected"] = [2]
    assert "the result's elected differs from the recount" in bundle.verify(changed)
    changed = json.loads(json.dumps(data))
    changed["receipts"].pop()
    assert bundle.verify(changed)

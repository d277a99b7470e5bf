"""The permission matrices' one helper: the expected statuses, and the runner that checks them.

Each app keeps its rows in tests/<app>/test_permissions.py: a URL, the method, and what
every persona (tests/conftest.py's PERSONAS) must get. `expect()` writes the last part;
`check()` asks for the URL as each persona in turn and returns what went wrong, so
that one failure names every persona that got the wrong answer.

The matrices check status codes and where a redirect goes, not what a page shows: the
`no_template_rendering` fixture (tests/conftest.py) lets the views run in full (access
checks, queries, forms) and answers "" instead of rendering their templates. The pages
themselves are rendered by the other tests (views, accessibility, hostile input).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from tests.conftest import PERSONAS

#: Short names for a row's overrides: expect(404, coord=200, adm=200).
SHORT = {
    "anon": "anonymous",
    "out": "outsider",
    "coord": "coordinator",
    "deleg": "delegate",
    "comm": "committee_member",
    "bur": "bureau",
    "sec": "secretariat",
    "adm": "administrator",
}

SIGN_IN = "/accounts/login/"


def expect(default: int, **overrides: int) -> dict[str, int]:
    """The status every persona gets: `default`, but for the personas named (full or short)."""
    table = dict.fromkeys(PERSONAS, default)
    for persona, status in overrides.items():
        persona = SHORT.get(persona, persona)
        if persona not in table:
            raise KeyError(f"no persona {persona!r}")
        table[persona] = status
    return table


def check(
    persona_client,
    url: str,
    expected: Mapping[str, int],
    *,
    method: str = "get",
    data: dict | None = None,
    redirects: Mapping[str, str] | None = None,
    personas: Iterable[str] = PERSONAS,
    label: str = "",
) -> list[str]:
    """Request `url` as each persona in turn; the list of wrong answers (empty when all is well).

    `redirects` maps a persona to the start of the address its 302 must send it to (the
    sign-in page, for instance); a persona not in it may be sent anywhere.
    PERSONAS ends with the staff: a successful POST by them cannot hide another's refusal.
    """
    redirects = redirects or {}
    problems = []
    for persona in personas:
        client = persona_client(persona)
        response = client.post(url, data or {}) if method == "post" else client.get(url)
        status = response.status_code
        if status != expected[persona]:
            problems.append(f"{label or url} as {persona}: {status}, not {expected[persona]}")
        elif status == 302 and persona in redirects:
            location = response["Location"]
            if not location.startswith(redirects[persona]):
                problems.append(f"{label or url} as {persona}: sent to {location}")
    return problems

"""Keyboard-only browser steps: Tab to an element, checking at every stop that the focus is on
an element of the page (never lost to <body>), shown on screen, and visibly marked: its
computed outline or box-shadow while focused differs from the same element's unfocused style.

The journeys use only `page.keyboard` (press, type). The one exception is a file input: a
keyboard user opens the system's file chooser with Space, which a headless browser cannot
drive; Playwright's `set_input_files` on the focused input stands in for that chooser.
"""

from __future__ import annotations

from coalition.demo import DEMO_PASSWORD, demo_email
from tests.conftest import enter_totp_code

#: The focused element, its visibility, and its focus indicator against an unfocused copy
#: (a shallow clone put beside it for one style read: same classes, not focused).
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const looks = (s) => [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join('|');
  const style = getComputedStyle(el);
  const focused = looks(style);
  const copy = el.cloneNode(false);
  // Out of the radio group and the form: a checked copy of a radio would uncheck the original.
  for (const attr of ['id', 'name', 'form', 'checked']) copy.removeAttribute(attr);
  copy.removeAttribute('autofocus');
  copy.setAttribute('aria-hidden', 'true');
  copy.tabIndex = -1;
  el.parentNode.insertBefore(copy, el.nextSibling);
  const unfocused = looks(getComputedStyle(copy));
  copy.remove();
  const box = el.getBoundingClientRect();
  const marked = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
    || style.boxShadow !== 'none';
  return {
    tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name') || '',
    type: el.getAttribute('type') || '', value: el.value || '',
    label: (el.labels && el.labels[0] ? el.labels[0].innerText : '').trim(),
    text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 120),
    shown: box.width > 0 && box.height > 0 && style.visibility !== 'hidden'
      && box.bottom > 0 && box.top < window.innerHeight,
    indicator: marked && focused !== unfocused,
    focusVisible: el.matches(':focus-visible'),
    inDialog: !!el.closest('dialog'),
    onMap: !!el.closest('.leaflet-marker-pane, .leaflet-overlay-pane, .leaflet-tooltip-pane'),
  };
}"""


def focused(page) -> dict:
    """The focused element, checked: on the page, shown, with a visible focus indicator."""
    here = page.evaluate(FOCUSED)
    assert here is not None, f"the focus was lost (on <body>) on {page.url}"
    assert here["shown"], f"the focused element is not on screen: {here}"
    assert here["indicator"], f"no visible focus indicator on {here}"
    return here


def tab_to(page, matches, *, limit: int = 120, backwards: bool = False) -> dict:
    """Press Tab until the focused element matches; check each stop (see `focused`)."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        here = focused(page)
        if matches(here):
            return here
        seen.append(here["text"] or here["name"] or here["tag"])
    raise AssertionError(f"never reached the element in {limit} presses of Tab: {seen[-20:]}")


def focus_kept(page) -> dict:
    """After an action within the page (a dialog closed, a fragment swapped): not on <body>."""
    return focused(page)


def at(page, matches) -> bool:
    here = page.evaluate(FOCUSED)
    return here is not None and matches(here)


def by_text(text: str):
    return lambda f: f["text"] == text


def by_name(name: str, *, value: str | None = None):
    return lambda f: f["name"] == name and (value is None or f["value"] == value)


def by_label(label: str):
    return lambda f: f["label"].rstrip(" *:") == label or f["label"].startswith(label)


def fill(page, matches, text: str, **tab) -> None:
    """Tab to a field and type into it (selecting what it held first)."""
    if not at(page, matches):
        tab_to(page, matches, **tab)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)


#: The order of day, month and year in the browser's date fields (its locale's).
DATE_ORDER = """() => new Intl.DateTimeFormat(navigator.language)
  .formatToParts(new Date(2000, 10, 22)).map(p => p.type)
  .filter(t => ['day', 'month', 'year'].includes(t))"""


def type_date(page, date) -> None:
    """Type a date into the focused <input type=date>, segment by segment.

    Chromium lays the segments out in its own interface language (the process's, not the
    page's locale), so the page's locale gives the first guess; a wrong order is cleared
    (Backspace on each segment, Shift+Tab back) and typed again in the next order.
    """
    parts = {"day": f"{date.day:02}", "month": f"{date.month:02}", "year": f"{date.year:04}"}
    orders = [page.evaluate(DATE_ORDER), ["month", "day", "year"], ["day", "month", "year"]]
    for order in orders:
        page.keyboard.type("".join(parts[p] for p in order))
        if page.evaluate("() => document.activeElement.value") == date.isoformat():
            return
        for _ in range(2):
            page.keyboard.press("Backspace")
            page.keyboard.press("Shift+Tab")
        page.keyboard.press("Backspace")
    raise AssertionError(f"the date field did not take {date} in any order")


def press_and_load(page, key: str = "Enter") -> None:
    """Press a key that sends a form or follows a link, and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press(key)
    page.wait_for_load_state("load")


def sign_in_with_the_keyboard(page, live_server, account: str, *, password: str = DEMO_PASSWORD):
    """The login form (and the staff's two-factor step), with Tab, typing and Enter only."""
    email = account if "@" in account else demo_email(account)
    page.goto(f"{live_server.url}/accounts/login/")
    fill(page, lambda f: f["name"] == "login", email)
    fill(page, lambda f: f["name"] == "password", password, limit=5)
    press_and_load(page)

    def send(code: str) -> None:
        fill(page, lambda f: f["name"] == "code", code)
        press_and_load(page)

    enter_totp_code(page, send)
    assert "/accounts/login/" not in page.url and "/2fa/" not in page.url, page.url
    return page

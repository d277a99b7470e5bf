"""Charts drawn on the server as accessible SVG, for pages and PDFs alike.

Each chart has a <title> and a <desc> the SVG is labelled by, values written
beside the marks (colour is never the only cue), and the same figures as a data
table (`Chart.table`) that templates show beside it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#0b4f8a", "#b3262d", "#1d6b3a", "#8a5a00")
FONT = "DejaVu Sans, system-ui, sans-serif"
# In Arabic the Naskh face first: DejaVu Sans has bare Arabic glyphs, so a fallback after it
# would never be reached, and WeasyPrint draws the PDF charts' text with the first face listed.
FONT_RTL = "Noto Naskh Arabic, Noto Sans Arabic, DejaVu Sans, system-ui, sans-serif"
INK = "#1b2430"
GRID = "#d5dce4"


@dataclass
class Chart:
    chart_id: str
    title: str
    description: str
    svg: SafeString
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    #: Shown below the chart: why a figure is missing from it (e.g. too few cities).
    note: str = ""
    #: The legend as HTML beside the SVG, (palette index, series name), right to left only:
    #: WeasyPrint lays out an SVG text letter by letter, so Arabic inside the SVG comes out in
    #: the PDF unjoined and reversed; an HTML list is shaped like the rest of the page.
    legend: list[tuple[int, str]] = field(default_factory=list)

    @property
    def has_data(self) -> bool:
        return bool(self.rows)


def _fmt(value: float | None) -> str:
    """A score as the reader writes it: 2.5, 2,5."""
    return "–" if value is None else number_format(value, 1)


@dataclass(frozen=True)
class _Axis:
    """Horizontal positions, mirrored for a right-to-left reader (the charts' axes, bars,
    labels and legend start on the right in Arabic)."""

    width: int
    rtl: bool

    def x(self, x: float) -> float:
        return self.width - x if self.rtl else x

    def rect_x(self, x: float, w: float) -> float:
        return self.width - x - w if self.rtl else x

    def anchor(self, anchor: str) -> str:
        # The SVG's `direction` is rtl in Arabic (set on it, as the page's is): "start" is then
        # the right-hand end of a text, so the anchors stay as they are, mirrored by it.
        return anchor


def _axis(width: int) -> _Axis:
    return _Axis(width, translation.get_language_bidi())


def _open_svg(chart_id: str, title: str, description: str, width: int, height: int) -> list[str]:
    font = FONT_RTL if translation.get_language_bidi() else FONT
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="{font}" '
        f'direction="{"rtl" if translation.get_language_bidi() else "ltr"}" '
        f'font-size="12" fill="{INK}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]


def _legend(
    parts: list[str], names: Sequence[str], *, x: int, y: int, axis: _Axis
) -> list[tuple[int, str]]:
    """The legend drawn in the SVG, or, right to left, returned for the HTML beside it."""
    if axis.rtl:
        return [(index % len(PALETTE), name) for index, name in enumerate(names)]
    for index, name in enumerate(names):
        colour = PALETTE[index % len(PALETTE)]
        cx = x + index * 190
        parts.append(
            f'<rect x="{axis.rect_x(cx, 12):.1f}" y="{y - 10}" width="12" height="12" '
            f'fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{axis.x(cx + 18):.1f}" y="{y}" text-anchor="{axis.anchor("start")}">'
            f"{escape(name)}</text>"
        )
    return []


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[tuple[str, str]],
    series: Sequence[tuple[str, Sequence[float | None]]],
    max_value: float = 4,
    value_header: str = "",
    note: str = "",
) -> Chart:
    """Horizontal grouped bars. categories: (short label, full name); series: (name, values)."""
    width, label_w, right = 640, 200, 40
    bar_h, gap = 14, 10
    group_h = bar_h * max(len(series), 1) + gap
    top = 28
    height = top + group_h * len(categories) + 40
    plot_w = width - label_w - right
    parts = _open_svg(chart_id, title, description, width, height)
    axis = _axis(width)
    for tick in range(int(max_value) + 1):
        x = axis.x(label_w + plot_w * tick / max_value)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" '
            f'y2="{top + group_h * len(categories)}" stroke="{GRID}"/>'
        )
        parts.append(f'<text x="{x:.1f}" y="{top - 10}" text-anchor="middle">{tick}</text>')
    for row, (short, _full) in enumerate(categories):
        y0 = top + row * group_h
        label = short if len(short) <= 30 else short[:29] + "…"
        if axis.rtl and (number := re.match(r"\s*(\d+)", short)):
            # Right to left, the commitment's number only: WeasyPrint draws SVG text without
            # joining Arabic letters, and the full names are in the table beside the chart.
            label = number.group(1)
        parts.append(
            f'<text x="{axis.x(label_w - 8):.1f}" y="{y0 + group_h / 2:.1f}" '
            f'text-anchor="{axis.anchor("end")}" dominant-baseline="middle">{escape(label)}</text>'
        )
        for index, (_name, values) in enumerate(series):
            value = values[row] if row < len(values) else None
            y = y0 + index * bar_h
            if value is None:
                parts.append(
                    f'<text x="{axis.x(label_w + 4):.1f}" y="{y + bar_h - 3}" '
                    f'text-anchor="{axis.anchor("start")}">–</text>'
                )
                continue
            w = plot_w * max(0.0, min(value, max_value)) / max_value
            colour = PALETTE[index % len(PALETTE)]
            parts.append(
                f'<rect x="{axis.rect_x(label_w, w):.1f}" y="{y}" width="{w:.1f}" '
                f'height="{bar_h - 2}" '
                f'fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{axis.x(label_w + w + 4):.1f}" y="{y + bar_h - 3}" '
                f'text-anchor="{axis.anchor("start")}">{_fmt(value)}</text>'
            )
    legend = _legend(parts, [name for name, _v in series], x=label_w, y=height - 12, axis=axis)
    parts.append("</svg>")
    headers = [value_header, *[name for name, _v in series]]
    rows = [
        [full, *[_fmt(values[i] if i < len(values) else None) for _n, values in series]]
        for i, (_short, full) in enumerate(categories)
    ]
    svg = mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above
    return Chart(chart_id, title, description, svg, headers, rows, note, legend)


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    max_value: float = 4,
    x_header: str = "",
    note: str = "",
) -> Chart:
    """Lines over years, each point marked with a shape per series and its value."""
    width, height = 640, 260
    left, right, top, bottom = 40, 20, 20, 60
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = _open_svg(chart_id, title, description, width, height)
    axis = _axis(width)
    for tick in range(int(max_value) + 1):
        y = top + plot_h - plot_h * tick / max_value
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>'
            if not axis.rtl
            else f'<line x1="{right}" y1="{y:.1f}" x2="{width - left}" y2="{y:.1f}" '
            f'stroke="{GRID}"/>'
        )
        parts.append(
            f'<text x="{axis.x(left - 8):.1f}" y="{y + 4:.1f}" '
            f'text-anchor="{axis.anchor("end")}">{tick}</text>'
        )
    count = len(x_labels)

    def x_at(i: int) -> float:
        return axis.x(left + (plot_w / 2 if count == 1 else plot_w * i / (count - 1)))

    for i, label in enumerate(x_labels):
        parts.append(
            f'<text x="{x_at(i):.1f}" y="{top + plot_h + 18}" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    for index, (_name, values) in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        points = [
            (x_at(i), top + plot_h - plot_h * min(v, max_value) / max_value, v)
            for i, v in enumerate(values)
            if v is not None
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _v in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"'
                + (' stroke-dasharray="6 4"' if index % 2 else "")
                + "/>"
            )
        for x, y, v in points:
            if index % 2:
                parts.append(
                    f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
                )
            else:
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}"/>')
            dy = -8 if index % 2 == 0 else 16
            parts.append(
                f'<text x="{x:.1f}" y="{y + dy:.1f}" text-anchor="middle">{_fmt(v)}</text>'
            )
    legend = _legend(parts, [name for name, _v in series], x=left, y=height - 12, axis=axis)
    parts.append("</svg>")
    headers = [x_header, *[name for name, _v in series]]
    rows = [
        [label, *[_fmt(values[i] if i < len(values) else None) for _n, values in series]]
        for i, label in enumerate(x_labels)
    ]
    svg = mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above
    return Chart(chart_id, title, description, svg, headers, rows, note, legend)

"""How the national picture's figures print: a share as a percentage with one decimal, a missing
figure as a dash, a withheld one in words; and each table's chart as an inline SVG of bars, hidden
from assistive technology because its data table beside it says the same."""

from django import template
from django.utils.html import format_html, format_html_join

from insights.figures import Rate
from insights.tables import Suppressed, Table

register = template.Library()

COLOURS = ["#1d70b8", "#505a5f"]
WIDTH, LABEL_WIDTH, BAR_WIDTH, BAR_HEIGHT, GAP = 680, 260, 340, 14, 10


@register.filter
def figure(value) -> str:
    if isinstance(value, Suppressed):
        return value.label
    if isinstance(value, Rate):
        value = value.percent
        return "–" if value is None else f"{value:.1f}%"
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


@register.filter
def numeric(value) -> bool:
    return isinstance(value, int | float | Rate | Suppressed) or value is None


def _short(text: str, length: int = 42) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


@register.simple_tag
def bar_chart(table: Table):
    """The table's bars: one row per bar group, one bar per scope, 0 to 100%."""
    if not table.chart:
        return ""
    scopes = [name for name, _ in table.chart[0].values]
    group = len(scopes) * (BAR_HEIGHT + 2) + GAP
    legend = 22 if len(scopes) > 1 else 0
    height = legend + group * len(table.chart) + 4
    parts = []
    for i, name in enumerate(scopes):
        if legend:
            x = LABEL_WIDTH + i * 170
            parts.append(
                format_html(
                    '<rect x="{}" y="4" width="12" height="12" fill="{}"/>'
                    '<text x="{}" y="15" font-size="12">{}</text>',
                    x,
                    COLOURS[i % 2],
                    x + 16,
                    _short(name, 24),
                )
            )
    for row, bar in enumerate(table.chart):
        top = legend + row * group
        parts.append(
            format_html(
                '<text x="0" y="{}" font-size="12">{}</text>',
                top + BAR_HEIGHT,
                _short(bar.label),
            )
        )
        for i, (_name, percent) in enumerate(bar.values):
            y = top + i * (BAR_HEIGHT + 2)
            width = 0 if percent is None else round(BAR_WIDTH * max(0, min(percent, 100)) / 100, 1)
            label = "–" if percent is None else f"{percent:.1f}%"
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                    '<text x="{}" y="{}" font-size="11">{}</text>',
                    LABEL_WIDTH,
                    y,
                    width,
                    BAR_HEIGHT,
                    COLOURS[i % 2],
                    LABEL_WIDTH + width + 4,
                    y + BAR_HEIGHT - 3,
                    label,
                )
            )
    return format_html(
        '<svg class="insights-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'width="100%" aria-hidden="true" focusable="false">{}</svg>',
        WIDTH,
        height,
        format_html_join("", "{}", ((p,) for p in parts)),
    )

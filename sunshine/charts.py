"""Server-rendered, accessible SVG bar charts (no script). Each chart has a <title> and <desc>,
is referenced by its figure's caption, and the page puts the same numbers in a table next to it.
Suppressed values (None) are drawn as no bar with a "<5" label."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH = 640
HEIGHT = 260
LEFT = 44
BOTTOM = 40
TOP = 16
COLOURS = ("#1d4e89", "#c2410c")  # dark blue, dark orange: ≥ 4.5:1 on white


def _nice_max(value):
    """The smallest of 1, 2, 2.5, 5 × 10^n that is ≥ value (the top of the axis)."""
    if value <= 0:
        return 1
    magnitude = 1
    while True:
        for step in (1, 2, 2.5, 5):
            if step * magnitude >= value:
                return step * magnitude
        magnitude *= 10


def bar_chart(chart_id, title, description, labels, series, *, unit="", max_value=None):
    """Grouped vertical bars: `series` is [(name, [value|None, …])], one value per label."""
    values = [v for _name, data in series for v in data if v is not None]
    top = max_value or _nice_max(max(values, default=0))
    plot_w = WIDTH - LEFT - 8
    plot_h = HEIGHT - TOP - BOTTOM
    group_w = plot_w / max(len(labels), 1)
    bar_w = max(group_w * 0.8 / max(len(series), 1), 2)
    parts = [
        f'<svg class="sun-chart" id="{chart_id}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for i in range(5):
        value = top * i / 4
        y = TOP + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - 8}" y1="{y:.1f}" y2="{y:.1f}" class="sun-grid"/>')
        label = f"{value:g}{unit}"
        parts.append(f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" class="sun-axis">{escape(label)}</text>')
    for index, label in enumerate(labels):
        x0 = LEFT + group_w * index + group_w * 0.1
        for s_index, (name, data) in enumerate(series):
            value = data[index]
            x = x0 + bar_w * s_index
            colour = COLOURS[s_index % len(COLOURS)]
            if value is None:
                parts.append(
                    f'<text x="{x + bar_w / 2:.1f}" y="{TOP + plot_h - 4:.1f}" text-anchor="middle" '
                    f'class="sun-small">&lt;5</text>'
                )
                continue
            height = plot_h * min(value / top, 1)
            parts.append(
                f'<rect x="{x:.1f}" y="{TOP + plot_h - height:.1f}" width="{bar_w - 1:.1f}" height="{height:.1f}" '
                f'fill="{colour}"><title>{escape(label)} · {escape(name)}: {value:g}{escape(unit)}</title></rect>'
            )
        parts.append(
            f'<text x="{LEFT + group_w * index + group_w / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" '
            f'text-anchor="middle" class="sun-axis">{escape(label)}</text>'
        )
    legend_x = LEFT
    for s_index, (name, _data) in enumerate(series):
        colour = COLOURS[s_index % len(COLOURS)]
        parts.append(f'<rect x="{legend_x}" y="{HEIGHT - 14}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{legend_x + 14}" y="{HEIGHT - 5}" class="sun-axis">{escape(name)}</text>')
        legend_x += 14 + 10 * len(name) + 40
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()

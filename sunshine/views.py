"""Public pages and open data of Sunshine: thin views over `sunshine.stats`."""

import csv
import io

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_safe

from desk.choices import Kind

from . import charts, stats


def _lang():
    return "en" if (get_language() or "").startswith("en") else "zh-hans"


def _name(item, lang):
    return item.get("name_en" if lang == "en" else "name_zh") or item["key"]


@require_GET
def service(request):
    """The last 12 months in numbers (works without JavaScript; charts are inline SVG)."""
    lang = _lang()
    summary = stats.service_summary()
    kinds = dict(Kind.choices)
    by_month = summary["by_month"]
    labels = [row["key"][2:].replace("-", "/") for row in by_month]
    volume_chart = charts.bar_chart(
        "chart-volume",
        _("Requests received and closed per month"),
        _("Bar chart of the last 12 months; the same numbers are in the table next to it."),
        labels,
        [
            (pgettext("sunshine", "Received"), [r["received"] for r in by_month]),
            (pgettext("sunshine", "Closed"), [r["closed"] for r in by_month]),
        ],
    )
    satisfaction_chart = charts.bar_chart(
        "chart-satisfaction",
        _("Satisfaction rate per month"),
        _("Share of ratings from “fairly satisfied” to “very satisfied” per month; the numbers are in the table."),
        labels,
        [(_("Satisfaction rate"), [r["satisfaction_pct"] for r in by_month])],
        unit="%",
        max_value=100,
    )
    levels = [
        (5, _("Very satisfied")),
        (4, _("Satisfied")),
        (3, _("Fairly satisfied")),
        (2, _("Dissatisfied")),
        (1, _("Very dissatisfied")),
    ]
    total = summary["total"]
    ratings_chart = charts.bar_chart(
        "chart-ratings",
        _("Ratings in the last 12 months by level"),
        _("Number of ratings per level; the table next to it has the numbers."),
        [label for _level, label in levels],
        [(pgettext("sunshine", "Ratings"), [total["ratings"][str(level)] for level, _label in levels])],
    )
    context = {
        "summary": summary,
        "as_of": summary["as_of"],
        "by_month": by_month,
        "by_kind": [{**row, "name": kinds.get(row["key"], row["key"])} for row in summary["by_kind"]],
        "by_category": [{**row, "name": _name(row, lang)} for row in summary["by_category"]],
        "by_department": [{**row, "name": _name(row, lang)} for row in summary["by_department"]],
        "total": total,
        "levels": [(str(level), label) for level, label in levels],
        "rating_rows": [(label, total["ratings"][str(level)]) for level, label in levels],
        "chat": [{"month": month, **figures} for month, figures in summary["chat"].items()],
        "volume_chart": volume_chart,
        "satisfaction_chart": satisfaction_chart,
        "ratings_chart": ratings_chart,
        "threshold": stats.SUPPRESSION_THRESHOLD,
        "open_data_json": "/api/open-data/service-stats.json",
        "open_data_csv": "/api/open-data/service-stats.csv",
    }
    response = render(request, "sunshine/service.html", context)
    response["Cache-Control"] = "public, max-age=60"
    return response


# --- open data ---------------------------------------------------------------------------------


def _range(request):
    """(first, last) months from ?from=YYYY-MM&to=YYYY-MM (default: the last 12 months; `to` alone:
    the 12 months ending with it; `from` alone: up to this month), or an error message."""
    default = stats.last_months()
    raw_from = request.GET.get("from")
    raw_to = request.GET.get("to") or default[-1]
    last = stats.parse_month(raw_to)
    if raw_from:
        first = stats.parse_month(raw_from)
    else:
        # Only `to`: the 12 months that end with it (as the default ends with this month), not
        # "the default's first month", which would make an earlier `to` a reversed range.
        first = stats.window_start(last) if last is not None else None
    if first is None or last is None:
        return None, None, "from and to must be months written YYYY-MM"
    if first > last:
        return None, None, "from must not be after to"
    if (last[0] * 12 + last[1]) - (first[0] * 12 + first[1]) >= stats.MAX_MONTHS:
        return None, None, f"at most {stats.MAX_MONTHS} months per request"
    return first, last, None


def _open_data_headers(response):
    response["Cache-Control"] = "public, max-age=60"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def open_data_json(request):
    first, last, error = _range(request)
    if error:
        return _open_data_headers(JsonResponse({"errors": {"__all__": [error]}}, status=400))
    return _open_data_headers(JsonResponse(stats.open_data(first, last), json_dumps_params={"ensure_ascii": False}))


CSV_COLUMNS = [
    "month",
    "kind",
    "department",
    "received",
    "closed",
    "closed_on_time",
    "median_working_days_to_close",
    "ratings_1",
    "ratings_2",
    "ratings_3",
    "ratings_4",
    "ratings_5",
    "bad_ratings_followed_up",
]


@require_safe
def open_data_csv(request):
    first, last, error = _range(request)
    if error:
        return _open_data_headers(HttpResponse(error + "\n", status=400, content_type="text/plain; charset=utf-8"))
    data = stats.open_data(first, last)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in data["rows"]:
        flat = {**row, **{f"ratings_{level}": row["ratings"][str(level)] for level in range(1, 6)}}
        writer.writerow(["" if flat[column] is None else flat[column] for column in CSV_COLUMNS])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="service-stats.csv"'
    response["X-Generated-At"] = data["generated_at"]
    return _open_data_headers(response)

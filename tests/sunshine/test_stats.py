"""The service in numbers: month boundaries in Asia/Shanghai, suppression below 5, figures that
survive retention, the open data's JSON and CSV contract, and the public page."""

import csv
import datetime
import io

from django.core.cache import cache

from desk import actions
from desk.models import FollowUp, Inquiry
from desk.retention import anonymize_inquiries
from sunshine import stats

from .conftest import at, place

UTC = datetime.UTC


def _rows(first, last):
    return stats.open_data_rows(first, last)


def test_months_are_counted_in_beijing_time(file_request):
    # 31 January 15:59 UTC is 23:59 in Beijing (January); 16:30 UTC is 00:30 on 1 February.
    for _ in range(5):
        place(file_request(), created=datetime.datetime(2026, 1, 31, 15, 59, tzinfo=UTC))
    for _ in range(6):
        place(file_request(), created=datetime.datetime(2026, 1, 31, 16, 30, tzinfo=UTC))
    rows = {row["month"]: row for row in _rows((2026, 1), (2026, 2))}
    assert rows["2026-01"]["received"] == 5
    assert rows["2026-02"]["received"] == 6
    assert stats.month_key(datetime.datetime(2026, 1, 31, 16, 0, tzinfo=UTC)) == "2026-02"
    assert stats.last_months(datetime.datetime(2026, 12, 31, 16, 5, tzinfo=UTC), count=2) == ["2026-12", "2027-01"]


def test_fewer_than_five_is_suppressed_everywhere(file_request):
    for _ in range(4):
        inquiry = place(
            file_request(),
            created=at(2026, 3, 2),
            first_reply=at(2026, 3, 3),
            closed=at(2026, 3, 4),
            due=at(2026, 3, 9),
        )
    (row,) = _rows((2026, 3), (2026, 3))
    assert row["received"] is None and row["closed"] is None and row["closed_on_time"] is None
    assert row["median_working_days_to_close"] is None
    assert row["ratings"] == {"1": None, "2": None, "3": None, "4": None, "5": None}
    place(file_request(), created=at(2026, 3, 5), closed=at(2026, 3, 6), due=at(2026, 3, 9))
    (row,) = _rows((2026, 3), (2026, 3))
    assert (row["received"], row["closed"], row["closed_on_time"]) == (5, 5, 5)
    # Mon 2 → Wed 4 March is 2 working days (four of them), Thu 5 → Fri 6 is 1: median 2.
    assert row["median_working_days_to_close"] == 2.0
    assert inquiry.status == "closed"


def test_working_days_skip_holidays_and_count_make_up_days(db):  # the schedules are in the database
    index = stats.WorkdayIndex()
    # Filed Wednesday 30 September 2026, closed Saturday 10 October (make-up workday): 1–7 Oct off.
    assert index.between(datetime.date(2026, 9, 30), datetime.date(2026, 10, 10)) == 3
    assert index.between(datetime.date(2026, 9, 30), datetime.date(2026, 9, 30)) == 0
    assert index.between(datetime.date(2026, 9, 28), datetime.date(2026, 9, 30)) == 2


def test_ratings_and_follow_ups_are_counted_and_junk_is_not(desk, closed_request):
    inquiries = [closed_request() for _ in range(6)]
    for inquiry in inquiries:
        actions.rate_inquiry(inquiry, 1)
    for inquiry in inquiries[:5]:
        actions.record_follow_up(desk.lead, inquiry.follow_up, fix="已整改")
    junk = closed_request()
    actions.reopen(desk.duty, junk)
    actions.mark_junk(desk.duty, junk, "广告")
    month = stats.parse_month(stats.month_key(inquiries[0].closed_at))
    (row,) = _rows(month, month)
    assert row["received"] == 6 and row["closed"] == 6
    assert row["ratings"]["1"] == 6 and row["bad_ratings_followed_up"] == 5
    summary = stats.compute_summary()
    assert summary["total"]["bad_ratings"] == 6 and summary["total"]["bad_ratings_followed_up_pct"] == 83.3
    assert summary["total"]["satisfaction_pct"] == 0.0


def test_statistics_do_not_change_when_retention_anonymises(desk, closed_request):
    inquiries = [closed_request() for _ in range(7)]
    for inquiry, score in zip(inquiries, [5, 5, 4, 1, 2, 3, 5], strict=True):
        actions.rate_inquiry(inquiry, score, "评论")
    for inquiry in inquiries[3:5]:
        actions.record_follow_up(desk.lead, inquiry.follow_up, fix="已回访")
    old = at(2022, 5, 10)
    for offset, inquiry in enumerate(inquiries):
        place(
            inquiry,
            created=old,
            first_reply=old + datetime.timedelta(days=1),
            closed=old + datetime.timedelta(days=2 + offset % 3),
            due=old + datetime.timedelta(days=3),
        )
    before = _rows((2022, 5), (2022, 5))
    assert before[0]["received"] == 7
    assert anonymize_inquiries() == 7
    assert Inquiry.objects.filter(anonymized_at__isnull=False, email="").count() == 7
    assert set(FollowUp.objects.values_list("fix", "call_note")) == {("", "")}
    assert FollowUp.objects.filter(done_at__isnull=False).count() == 2
    cache.clear()
    assert _rows((2022, 5), (2022, 5)) == before


def test_open_data_json_contract(client, desk, closed_request):
    for _ in range(5):
        actions.rate_inquiry(closed_request(), 5)
    month = stats.month_key(Inquiry.objects.first().created_at)
    response = client.get(f"/api/open-data/service-stats.json?from={month}&to={month}")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert set(data) == {"generated_at", "suppression_threshold", "rows"}
    assert data["suppression_threshold"] == 5
    (row,) = data["rows"]
    assert set(row) == {
        "month",
        "kind",
        "department",
        "received",
        "closed",
        "closed_on_time",
        "median_working_days_to_close",
        "ratings",
        "bad_ratings_followed_up",
    }
    options_kinds = {k["slug"] for k in client.get("/api/inquiries/options").json()["kinds"]}
    assert row["kind"] in options_kinds and row["kind"] == "consultation"
    assert row["department"] == "traffic" and row["month"] == month
    assert row["ratings"] == {"1": None, "2": None, "3": None, "4": None, "5": 5}
    assert row["bad_ratings_followed_up"] is None
    for bad in ("from=2026-13", "from=2026-05&to=2026-01", "from=2001-01&to=2026-01", "to=abc"):
        assert client.get(f"/api/open-data/service-stats.json?{bad}").status_code == 400


def test_open_data_csv_has_the_same_rows(client, closed_request):
    for _ in range(5):
        closed_request()
    month = stats.month_key(Inquiry.objects.first().created_at)
    json_rows = client.get(f"/api/open-data/service-stats.json?from={month}&to={month}").json()["rows"]
    response = client.get(f"/api/open-data/service-stats.csv?from={month}&to={month}")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == len(json_rows) == 1
    assert rows[0]["month"] == month and rows[0]["department"] == "traffic" and rows[0]["received"] == "5"
    assert rows[0]["ratings_5"] == "" and rows[0]["median_working_days_to_close"] == "0.0"


def test_figures_are_cached_at_most_a_minute(client, closed_request, settings):
    for _ in range(5):
        closed_request()
    first = client.get("/api/open-data/service-stats.json").json()
    closed_request()
    assert client.get("/api/open-data/service-stats.json").json() == first  # cached
    cache.clear()  # (what 60 seconds do)
    assert client.get("/api/open-data/service-stats.json").json()["rows"][0]["received"] == 6
    assert settings.SUNSHINE_STATS_MAX_AGE == 60


def test_public_page_in_both_languages(client, closed_request):
    for _ in range(3):
        closed_request()
    page = client.get("/zh-hans/sunshine/").content.decode()
    assert "服务数据公开" in page and "数据截至" in page and "&lt;5" in page
    assert '<svg class="sun-chart"' in page and "<table" in page
    english = client.get("/en/sunshine/").content.decode()
    assert "Our service in numbers" in english and 'role="img"' in english
    home_footer = client.get("/en/requests/track/").content.decode()
    assert 'href="/en/sunshine/"' in home_footer


def test_the_fast_database_path_matches_the_portable_one(desk, closed_request, file_request, monkeypatch):
    """Times are read as Unix seconds computed by the database (SQLite strftime, PostgreSQL
    EXTRACT); the portable path converts datetimes in Python. Both must give the same cube."""
    for index in range(12):
        inquiry = closed_request()
        actions.rate_inquiry(inquiry, 1 + index % 5)
        hour = 15 + index % 3  # around midnight in Beijing (15:00–17:59 UTC)
        created = datetime.datetime(2026, 4, 30, hour, 10 * index % 60, 30, 500000, tzinfo=UTC)
        place(
            inquiry,
            created=created,
            first_reply=created + datetime.timedelta(hours=20),
            closed=created + datetime.timedelta(days=index),
            due=created + datetime.timedelta(days=4),
        )
    place(file_request(), created=datetime.datetime(2026, 5, 31, 16, 0, tzinfo=UTC))
    fast = stats.cube((2026, 4), (2026, 6))
    monkeypatch.setattr(stats, "_epoch_sql", lambda vendor, column: None)
    assert stats.cube((2026, 4), (2026, 6)) == fast
    received = {
        month: sum(c.received for k, c in fast.items() if k[0] == month) for month in ("2026-04", "2026-05", "2026-06")
    }
    assert received == {"2026-04": 4, "2026-05": 8, "2026-06": 1}  # 31 May 16:00 UTC is 1 June in Beijing

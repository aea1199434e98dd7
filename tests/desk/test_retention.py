"""The privacy notice's periods for requests and addresses (desk.retention, run by desk_worker and
`manage.py apply_retention`): closed requests are anonymised 3 years after closing (case files
and open requests are not), statistics stay as they were, IP addresses go after 6 months."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from desk import actions, integrity, retention
from desk.choices import AuditAction, EntryKind, Status
from desk.models import AuditLog, IdempotencyRecord, Inquiry, Notification, Rating, TimelineEntry

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def ago(days):
    return timezone.now() - days * DAY


def closed_request(file_inquiry, duty, *, closed_days_ago, key=None, **overrides):
    """A request that went the whole way (filed, a citizen message, a reply, closed, rated) and
    was closed `closed_days_ago` days ago."""
    result = file_inquiry(idempotency_key=key, client_address="203.0.113.9", **overrides)
    inquiry = result.inquiry
    actions.add_followup(inquiry, "补充：我的手机号 13900000000", client_address="203.0.113.9")
    actions.claim(duty, inquiry)
    actions.reply(duty, inquiry, "张三您好，请带户口簿到派出所补办。")
    actions.close(duty, inquiry, "已答复张三")
    actions.rate(inquiry, 4, "张三很满意")
    closed = ago(closed_days_ago)
    Inquiry.objects.filter(pk=inquiry.pk).update(
        created_at=closed - 20 * DAY, first_reply_at=closed - 18 * DAY, due_at=closed - 5 * DAY, closed_at=closed
    )
    inquiry.refresh_from_db()
    return result


def statistics():
    """What response-time and satisfaction figures are computed from."""
    rows = Inquiry.objects.order_by("pk").values_list(
        "reference", "kind", "category_id", "department_id", "status", "channel", "created_at", "first_reply_at",
        "due_at", "closed_at",
    )  # fmt: skip
    timeline = TimelineEntry.objects.order_by("pk").values_list("inquiry_id", "kind", "public", "created_at")
    return list(rows), list(timeline), list(Rating.objects.order_by("pk").values_list("inquiry_id", "score"))


def test_a_request_closed_over_three_years_ago_is_anonymised_and_statistics_do_not_change(file_inquiry, duty):
    old = closed_request(file_inquiry, duty, closed_days_ago=3 * 365 + 2, key="old-key")
    recent = closed_request(file_inquiry, duty, closed_days_ago=3 * 365 - 30, phone="13700000000")
    before = statistics()

    assert retention.anonymize_inquiries(dry_run=True) == 1
    assert Inquiry.objects.get(pk=old.inquiry.pk).name == "张三", "a dry run changes nothing"
    assert retention.anonymize_inquiries() == 1

    inquiry = Inquiry.objects.get(pk=old.inquiry.pk)
    assert inquiry.anonymized_at is not None
    personal = ("subject", "description", "location", "name", "phone", "email", "client_address")
    assert all(getattr(inquiry, field) == "" for field in personal)
    assert actions.lookup(inquiry.reference, old.access_code) is None, "it can no longer be tracked"
    texts = TimelineEntry.objects.filter(inquiry=inquiry).values_list("text", "public_reason", "data")
    assert all(text == reason == "" and "address" not in data for text, reason, data in texts)
    assert Rating.objects.get(inquiry=inquiry).comment == ""
    assert not Notification.objects.filter(inquiry=inquiry).exists()
    assert not IdempotencyRecord.objects.filter(inquiry=inquiry).exists()
    close_entry = AuditLog.objects.get(inquiry=inquiry, action=AuditAction.CLOSE)
    assert close_entry.detail == "" and close_entry.username == duty.username, "who closed it stays"
    assert AuditLog.objects.filter(inquiry=inquiry, action=AuditAction.ANONYMIZE, username="retention").exists()

    assert statistics() == before
    assert Inquiry.objects.get(pk=recent.inquiry.pk).name == "张三", "not yet three years"
    assert actions.lookup(recent.inquiry.reference, recent.access_code) is not None
    assert retention.anonymize_inquiries() == 0, "done once"


def test_case_files_and_requests_not_closed_are_kept(file_inquiry, duty, supervisor):
    case = closed_request(file_inquiry, duty, closed_days_ago=5 * 365)
    actions.set_case_file(supervisor, case.inquiry, True, "并入刑事案卷")
    still_open = file_inquiry()
    Inquiry.objects.filter(pk=still_open.inquiry.pk).update(created_at=ago(5 * 365), status=Status.REPLIED)
    junk = file_inquiry()
    actions.mark_junk(duty, junk.inquiry, "广告")
    Inquiry.objects.filter(pk=junk.inquiry.pk).update(closed_at=ago(4 * 365))

    assert retention.anonymize_inquiries() == 1
    assert Inquiry.objects.get(pk=junk.inquiry.pk).anonymized_at is not None
    assert Inquiry.objects.get(pk=case.inquiry.pk).name == "张三"
    assert Inquiry.objects.get(pk=still_open.inquiry.pk).name == "张三"


def test_only_supervisors_mark_a_case_file_and_it_is_audited(file_inquiry, duty, supervisor):
    inquiry = file_inquiry().inquiry
    with pytest.raises(actions.PermissionDenied):
        actions.set_case_file(duty, inquiry, True)
    actions.set_case_file(supervisor, inquiry, True, "并入案卷")
    inquiry.refresh_from_db()
    assert inquiry.case_file
    assert inquiry.timeline.filter(kind=EntryKind.CASE_FILE, public=False).exists()
    assert AuditLog.objects.filter(inquiry=inquiry, action=AuditAction.CASE_FILE, username="super1").exists()


def test_ip_addresses_are_cleared_after_six_months_and_the_log_entries_stay(file_inquiry, duty):
    old = file_inquiry(client_address="203.0.113.1").inquiry
    actions.add_followup(old, "还有一个问题", client_address="203.0.113.1")
    new = file_inquiry(client_address="203.0.113.2").inquiry
    Inquiry.objects.filter(pk=old.pk).update(created_at=ago(200))
    with integrity.retention_writes():  # backdating the log: PostgreSQL's trigger refuses it otherwise
        TimelineEntry.objects.filter(inquiry=old).update(created_at=ago(200))
    old_view = AuditLog.objects.create(
        username=duty.username, user=duty, action=AuditAction.VIEW, inquiry=old, reference=old.reference,
        personal_data_viewed=True, client_address="10.1.1.1", created_at=ago(200),
    )  # fmt: skip
    recent_view = AuditLog.objects.create(
        username=duty.username, user=duty, action=AuditAction.VIEW, inquiry=new, reference=new.reference,
        personal_data_viewed=True, client_address="10.1.1.2", created_at=ago(150),
    )  # fmt: skip

    assert retention.clear_addresses(dry_run=True) == 3
    assert retention.clear_addresses() == 3
    assert Inquiry.objects.get(pk=old.pk).client_address == ""
    assert Inquiry.objects.get(pk=new.pk).client_address == "203.0.113.2"
    message = TimelineEntry.objects.get(inquiry=old, kind=EntryKind.CITIZEN_MESSAGE)
    assert "address" not in message.data and message.text == "还有一个问题"
    old_view = AuditLog.objects.get(pk=old_view.pk)
    assert old_view.client_address == "" and old_view.username == duty.username and old_view.personal_data_viewed
    assert AuditLog.objects.get(pk=recent_view.pk).client_address == "10.1.1.2"
    assert retention.clear_addresses() == 0


def test_the_audit_log_stays_append_only_apart_from_blanking():
    with pytest.raises(PermissionError):
        AuditLog.objects.all().redact("username")
    with pytest.raises(PermissionError):
        AuditLog.objects.all().update(detail="")


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime.datetime(2026, 8, 31, 12, 0), datetime.datetime(2026, 2, 28, 12, 0)),
        (datetime.datetime(2026, 3, 15), datetime.datetime(2025, 9, 15)),
        (datetime.datetime(2026, 6, 30), datetime.datetime(2025, 12, 30)),
    ],
)
def test_six_months_are_calendar_months(moment, expected):
    assert retention.months_before(moment, 6) == expected


def test_three_years_from_a_leap_day():
    assert retention.years_before(datetime.datetime(2028, 2, 29), 3) == datetime.datetime(2025, 2, 28)


def test_the_command_prints_counts_and_a_dry_run_changes_nothing(file_inquiry, duty):
    old = closed_request(file_inquiry, duty, closed_days_ago=4 * 365)
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue()
    assert "inquiries anonymised (closed more than 3 years ago): 1" in out.getvalue()
    assert Inquiry.objects.get(pk=old.inquiry.pk).anonymized_at is None

    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert "inquiries anonymised (closed more than 3 years ago): 1" in out.getvalue()
    assert Inquiry.objects.get(pk=old.inquiry.pk).anonymized_at is not None


def test_the_worker_applies_retention(file_inquiry, duty):
    old = closed_request(file_inquiry, duty, closed_days_ago=4 * 365)
    out = io.StringIO()
    call_command("desk_worker", "--once", stdout=out)
    assert "retention: inquiries anonymised" in out.getvalue()
    assert Inquiry.objects.get(pk=old.inquiry.pk).anonymized_at is not None

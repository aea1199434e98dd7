"""Staff pages: follow-ups for department supervisors, the staff assessment for Supervisors only
(audited, CSV), overturning a junk marking (audited, counted against the officer)."""

import csv
import io

import pytest

from desk import actions
from desk.choices import AuditAction, EntryKind, Status
from desk.models import AuditLog, FollowUp
from sunshine import assessment, stats
from tests.desk.test_admin_support import PASSWORD


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_duty_officer_cannot_see_the_assessment_or_the_follow_ups(client, desk):
    login(client, desk.duty)
    for url in (
        "/admin/sunshine/assessment/",
        "/admin/sunshine/assessment/export.csv",
        "/admin/sunshine/review/",
        "/admin/sunshine/follow-ups/",
    ):
        assert client.get(url).status_code == 403, url
    assert not AuditLog.objects.filter(action__in=[AuditAction.ASSESSMENT, AuditAction.EXPORT]).exists()


def test_department_supervisor_sees_own_follow_ups_but_not_the_assessment(client, desk, closed_request):
    inquiry = closed_request()
    actions.rate_inquiry(inquiry, 1, "很差")
    task = FollowUp.objects.get(inquiry=inquiry)
    login(client, desk.household_lead)
    assert inquiry.reference not in client.get("/admin/sunshine/follow-ups/").content.decode()
    assert client.get(f"/admin/sunshine/follow-ups/{task.pk}/").status_code == 404
    client.logout()
    login(client, desk.lead)
    assert client.get("/admin/sunshine/assessment/").status_code == 403
    page = client.get("/admin/sunshine/follow-ups/").content.decode()
    assert inquiry.reference in page
    detail = client.get(f"/admin/sunshine/follow-ups/{task.pk}/")
    assert detail.status_code == 200 and "13900000000" in detail.content.decode()
    assert AuditLog.objects.filter(action=AuditAction.VIEW, user=desk.lead, personal_data_viewed=True).exists()
    response = client.post(
        f"/admin/sunshine/follow-ups/{task.pk}/",
        {"called_back_at": "2000-01-01T10:00", "call_note": "", "fix": "已整改"},
    )
    assert response.status_code == 400  # before the rating
    response = client.post(f"/admin/sunshine/follow-ups/{task.pk}/", {"called_back_at": "", "fix": ""})
    assert response.status_code == 400
    task.refresh_from_db()
    assert not task.is_done


def test_supervisor_assessment_is_audited_and_exported(client, desk, closed_request, file_request):
    handled = [closed_request() for _ in range(3)]
    actions.rate_inquiry(handled[0], 1)
    actions.rate_inquiry(handled[1], 5)
    actions.record_follow_up(desk.lead, handled[0].follow_up, fix="已整改")
    wrongly = file_request()
    actions.mark_junk(desk.duty, wrongly, "以为是广告")
    really = file_request()
    actions.mark_junk(desk.duty, really, "广告")
    actions.overturn_junk(desk.supervisor, wrongly, "这是真实的求助")
    wrongly.refresh_from_db()
    assert wrongly.status == Status.NEW
    entry = wrongly.timeline.get(kind=EntryKind.OVERTURN_JUNK)
    assert entry.data["junk_by"] == desk.duty.pk
    assert AuditLog.objects.get(action=AuditAction.OVERTURN_JUNK).user == desk.supervisor
    actions.mark_junk(desk.duty, wrongly, "again")  # marked a second time: counts again
    with pytest.raises(actions.PermissionDenied):
        actions.overturn_junk(desk.duty, wrongly, "no")  # only Supervisors overturn

    month = stats.month_key(handled[0].closed_at)
    result = assessment.assess(*stats.parse_month(month))
    officer = {row["key"]: row for row in result["officers"]}[desk.duty.username]
    assert officer["handled"] == 3 and officer["closed_on_time_pct"] == 100.0
    assert officer["ratings"]["1"] == 1 and officer["ratings"]["5"] == 1
    assert officer["bad_ratings"] == 1 and officer["follow_ups_done"] == 1
    assert officer["junk"] == 3 and officer["junk_overturned"] == 1
    assert officer["median_first_reply_days"] == 0.0
    department = {row["key"]: row for row in result["departments"]}["traffic"]
    assert department["handled"] == 3

    login(client, desk.supervisor)
    page = client.get(f"/admin/sunshine/assessment/?month={month}")
    assert page.status_code == 200 and desk.duty.username in page.content.decode()
    assert AuditLog.objects.filter(
        action=AuditAction.ASSESSMENT, user=desk.supervisor, detail=f"viewed {month}"
    ).exists()
    export = client.get(f"/admin/sunshine/assessment/export.csv?month={month}")
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    by_key = {(row["scope"], row["key"]): row for row in rows}
    assert by_key[("officer", desk.duty.username)]["junk_overturned"] == "1"
    assert by_key[("department", "traffic")]["handled"] == "3"
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, user=desk.supervisor).exists()


def test_only_supervisors_overturn_junk(desk, file_request):
    inquiry = file_request()
    actions.mark_junk(desk.duty, inquiry, "spam")
    for actor in (desk.duty, desk.lead):
        with pytest.raises(actions.PermissionDenied):
            actions.overturn_junk(actor, inquiry, "不是广告")
    with pytest.raises(actions.ValidationError):
        actions.overturn_junk(desk.supervisor, file_request(), "not junk")


def test_complaint_outcome_is_counted(desk, file_request):
    complaints = []
    for _ in range(5):
        inquiry = file_request(kind="complaint", category="police-conduct", name="赵六")
        actions.close(desk.inspector, inquiry, "已调查")
        actions.set_complaint_outcome(desk.inspector, inquiry, "partly_upheld")
        complaints.append(inquiry)
    with pytest.raises(actions.ValidationError):
        actions.set_complaint_outcome(desk.supervisor, file_request(), "upheld")
    with pytest.raises(actions.PermissionDenied):
        actions.set_complaint_outcome(desk.duty, complaints[0], "upheld")
    summary = stats.compute_summary()
    assert summary["total"]["conduct_received"] == 5
    assert summary["total"]["outcomes"] == {"upheld": None, "partly_upheld": 5, "not_upheld": None}

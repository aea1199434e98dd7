"""好差评: one rating per closed request on five levels with the national indicators; a bad
rating opens a follow-up due in 3 working days for the department's supervisors; they record
the call-back and the fix, which the citizen sees; overdue follow-ups go to the Supervisors."""

import datetime

import pytest
from django.utils import timezone, translation

from desk import actions, deadlines
from desk.choices import AuditAction, EntryKind, NotificationPurpose
from desk.follow_ups import escalate_overdue_follow_ups
from desk.models import AuditLog, FollowUp, Notification, Rating

from .conftest import CST


def test_a_closed_request_is_rated_once_with_the_indicators(closed_request):
    inquiry = closed_request()
    rating = actions.rate_inquiry(
        inquiry, 4, "不错", indicators={"efficiency": 5, "guide_accuracy": 4, "convenience": None, "usability": "3"}
    )
    assert (rating.score, rating.efficiency, rating.guide_accuracy, rating.convenience, rating.usability) == (
        4,
        5,
        4,
        None,
        3,
    )
    with translation.override("zh-hans"):
        assert rating.get_score_display() == "满意"
    with pytest.raises(actions.ValidationError) as exc:
        actions.rate_inquiry(inquiry, 1)
    assert exc.value["__all__"] == ["您已评价过本诉求。"]
    assert Rating.objects.filter(inquiry=inquiry).count() == 1
    assert not FollowUp.objects.exists()


def test_only_a_closed_request_can_be_rated_and_values_are_checked(file_request, closed_request):
    with pytest.raises(actions.ValidationError):
        actions.rate_inquiry(file_request(), 5)
    inquiry = closed_request()
    for bad in ({"efficiency": 6}, {"speed": 3}):
        with pytest.raises(actions.ValidationError):
            actions.rate_inquiry(inquiry, 5, indicators=bad)
    with pytest.raises(actions.ValidationError):
        actions.rate_inquiry(inquiry, 0)
    assert not Rating.objects.exists()


def test_closing_sends_the_rating_link_which_opens_the_rating_form(client, desk, closed_request):
    inquiry = closed_request()
    notices = Notification.objects.filter(inquiry=inquiry, purpose=NotificationPurpose.CLOSING)
    assert {n.channel for n in notices} == {"email", "sms"}
    sms = notices.get(channel="sms").body
    link = sms[sms.index("http") :].split()[0]
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path)
    assert response.status_code == 302 and response["Location"].endswith(f"/track/{inquiry.reference}/#rate")
    page = client.get(response["Location"].split("#")[0])
    assert "非常不满意" in page.content.decode() and 'name="efficiency"' in page.content.decode()
    assert client.get("/" + path[:-3] + "xyz/").status_code == 302  # a changed token grants nothing
    other = client.__class__()
    refused = other.get("/" + path[:-3] + "xyz/", follow=True)
    assert refused.redirect_chain[-1][0].endswith("/requests/track/")
    assert "该评价链接已失效" in refused.content.decode()


def test_a_bad_rating_opens_a_follow_up_due_in_three_working_days(desk, closed_request, monkeypatch):
    inquiry = closed_request()
    # Wednesday 30 September 2026: 1–7 October are holidays, Saturday 10 October is a make-up day.
    rated_at = datetime.datetime(2026, 9, 30, 10, 0, tzinfo=CST)
    monkeypatch.setattr(timezone, "now", lambda: rated_at)
    actions.rate_inquiry(inquiry, 1, "没人理我")
    task = FollowUp.objects.get(inquiry=inquiry)
    assert task.department == desk.traffic
    assert timezone.localtime(task.due_at, CST) == datetime.datetime(2026, 10, 10, 23, 59, 59, tzinfo=CST)
    assert task.due_at == deadlines.due_at(rated_at, 3)
    mails = Notification.objects.filter(purpose=NotificationPurpose.FOLLOW_UP)
    assert [n.recipient for n in mails] == [desk.lead.email]
    # 不满意 (2) opens one too; 基本满意 (3) does not.
    second, third = closed_request(), closed_request()
    actions.rate_inquiry(second, 2)
    actions.rate_inquiry(third, 3)
    assert FollowUp.objects.filter(inquiry=second).exists() and not FollowUp.objects.filter(inquiry=third).exists()


def test_the_follow_up_due_days_are_a_setting(closed_request, settings):
    settings.SUNSHINE_FOLLOW_UP_WORKING_DAYS = 1
    inquiry = closed_request()
    actions.rate_inquiry(inquiry, 1)
    task = FollowUp.objects.get(inquiry=inquiry)
    assert task.due_at == deadlines.due_at(task.created_at, 1)


def test_department_supervisors_record_the_call_back_and_the_citizen_sees_the_fix(client, desk, closed_request):
    inquiry = closed_request()
    actions.rate_inquiry(inquiry, 1, "态度差")
    task = FollowUp.objects.get(inquiry=inquiry)
    for outsider in (desk.duty, desk.household_lead, desk.editor):
        with pytest.raises(actions.PermissionDenied):
            actions.record_follow_up(outsider, task, fix="x")
    with pytest.raises(actions.ValidationError):
        actions.record_follow_up(desk.lead, task, fix="  ")
    actions.record_follow_up(desk.lead, task, fix="已回访，对窗口民警进行了批评教育。", call_note="市民接受")
    task.refresh_from_db()
    assert task.is_done and task.done_by == desk.lead
    with pytest.raises(actions.ValidationError):
        actions.record_follow_up(desk.supervisor, task, fix="again")
    audit = AuditLog.objects.get(action=AuditAction.FOLLOW_UP)
    assert audit.user == desk.lead and audit.reference == inquiry.reference
    entry = inquiry.timeline.get(kind=EntryKind.FOLLOW_UP)
    assert entry.public and "批评教育" in entry.text

    # The citizen's tracking page.
    client.post("/zh-hans/requests/track/", {"reference": inquiry.reference, "access_code": "x"})
    from desk.views import ACCESS_KEY

    session = client.session
    session[ACCESS_KEY] = {inquiry.reference: inquiry.pk}
    session.save()
    page = client.get(f"/zh-hans/requests/track/{inquiry.reference}/").content.decode()
    assert "非常不满意" in page and "批评教育" in page and "市民接受" not in page


def test_overdue_follow_ups_escalate_to_the_supervisors_once(desk, closed_request):
    inquiry = closed_request()
    actions.rate_inquiry(inquiry, 2)
    task = FollowUp.objects.get(inquiry=inquiry)
    assert escalate_overdue_follow_ups(now=task.due_at - datetime.timedelta(minutes=1)) == 0
    later = task.due_at + datetime.timedelta(minutes=1)
    assert escalate_overdue_follow_ups(now=later) == 1
    assert escalate_overdue_follow_ups(now=later) == 0
    task.refresh_from_db()
    assert task.escalated_at == later
    mails = Notification.objects.filter(purpose=NotificationPurpose.FOLLOW_UP, recipient=desk.supervisor.email)
    assert mails.count() == 1 and inquiry.reference in mails.get().subject
    assert AuditLog.objects.filter(action=AuditAction.FOLLOW_UP_ESCALATE, reference=inquiry.reference).count() == 1
    # A follow-up recorded in time is never escalated.
    done = closed_request()
    actions.rate_inquiry(done, 1)
    done_task = FollowUp.objects.get(inquiry=done)
    actions.record_follow_up(desk.lead, done_task, fix="已整改")
    assert escalate_overdue_follow_ups(now=done_task.due_at + datetime.timedelta(days=3)) == 0


def test_the_worker_escalates_follow_ups(desk, closed_request):
    from django.core.management import call_command

    inquiry = closed_request()
    actions.rate_inquiry(inquiry, 1)
    FollowUp.objects.filter(inquiry=inquiry).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    call_command("desk_worker", "--once")
    assert FollowUp.objects.get(inquiry=inquiry).escalated_at is not None


def test_rating_form_on_the_tracking_page(client, desk, closed_request):
    from desk.views import ACCESS_KEY

    inquiry = closed_request()
    session = client.session
    session[ACCESS_KEY] = {inquiry.reference: inquiry.pk}
    session.save()
    url = f"/en/requests/track/{inquiry.reference}/"
    page = client.get(url).content.decode()
    assert "Very dissatisfied" in page and "Efficiency" in page
    response = client.post(url + "rate/", {"score": "1", "efficiency": "2", "comment": "<b>slow</b>"})
    assert response.status_code == 302
    rating = Rating.objects.get(inquiry=inquiry)
    assert (rating.score, rating.efficiency, rating.guide_accuracy) == (1, 2, None)
    page = client.get(url).content.decode()
    assert "will call you back" in page
    assert "1/5 · Very dissatisfied" in page  # the history names the level
    assert "&lt;b&gt;slow&lt;/b&gt;" in page and "<b>slow</b>" not in page  # plain text, escaped
    assert client.post(url + "rate/", {"score": "5"}).status_code == 400


def test_the_chat_offers_the_rating_link_for_a_closed_request(client, desk, file_request):
    from chatbot.engine import respond

    result = actions.open_inquiry(
        kind="consultation",
        category="traffic-fines",
        subject="罚单",
        description="请问交通罚单在哪里缴纳？",
        phone="13900000001",
        lang="zh-hans",
        consent=True,
    )
    actions.close(desk.duty, result.inquiry, "已答复")
    answer = respond({}, f"查询 {result.inquiry.reference} {result.access_code}", "zh-hans")
    reply = answer.replies[-1]
    (link,) = reply.links
    assert link["label"] == "评价服务" and "/requests/rate/" in link["url"]
    redirect = client.get(link["url"])
    assert redirect["Location"].endswith(f"/track/{result.inquiry.reference}/#rate")
    actions.rate_inquiry(result.inquiry, 5)
    again = respond({}, f"查询 {result.inquiry.reference} {result.access_code}", "zh-hans")
    assert again.replies[-1].links == []

"""Issue 11 on the staff inquiry page (desk admin): the citizen's 好差评 rating, the follow-up task
of a bad rating, and the outcome of a complaint about police conduct, recorded right there."""

import pytest
from django.urls import reverse
from django.utils import timezone

from desk import actions
from desk.choices import AuditAction
from desk.models import AuditLog, ComplaintOutcome

from .test_admin_support import PASSWORD, file_request, make_desk

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script>回复太慢，<b>没人</b>接电话'


@pytest.fixture
def desk():
    return make_desk()


def login(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def page_of(client, inquiry):
    response = client.get(reverse("desk_admin:inquiry", args=[inquiry.pk]))
    return response.status_code, response.content.decode()


def closed_and_rated(desk, score, comment=HOSTILE, indicators=None):
    inquiry = file_request().inquiry
    actions.claim(desk.duty, inquiry)
    actions.reply(desk.duty, inquiry, "请到窗口缴纳。")
    actions.close(desk.duty, inquiry, "已答复。")
    actions.rate_inquiry(inquiry, score, comment, indicators=indicators or {})
    inquiry.refresh_from_db()
    return inquiry


def test_the_officer_sees_the_rating_in_words_with_its_indicators_and_the_comment_escaped(client, desk):
    inquiry = closed_and_rated(desk, 1, indicators={"efficiency": 1, "usability": 4})
    status, page = page_of(login(client, desk.duty), inquiry)
    assert status == 200
    section = page[page.index('id="desk-rating"') :]
    assert "非常不满意" in section  # the level in words, not "1"
    assert "办事效率" in section and "1/5" in section
    assert "平台操作性" in section and "4/5" in section
    assert "未评分" in section  # the indicators the citizen left out
    # The comment is shown, but as text: no script, no markup from the citizen.
    assert "回复太慢" in section and "没人" in section
    assert "<script>alert" not in page and "<b>没人</b>" not in page
    assert "&lt;script&gt;alert" in section


def test_the_follow_up_task_shows_due_and_done_and_links_to_sunshine_for_its_supervisors(client, desk):
    inquiry = closed_and_rated(desk, 2, comment="")
    task = inquiry.follow_up
    follow_up_url = reverse("sunshine_admin:follow_up", args=[task.pk])

    # A Duty officer of the department sees the task, but it is not theirs to record.
    status, page = page_of(login(client, desk.duty), inquiry)
    assert status == 200
    assert "不满意" in page and "差评回访" in page
    assert timezone.localtime(task.due_at).strftime("%Y-%m-%d %H:%M") in page
    assert "回访待办" in page  # open
    assert follow_up_url not in page

    # The department's supervisor gets the link to record the call-back and the fix.
    desk.traffic.supervisors.add(desk.duty2)
    status, page = page_of(login(client, desk.duty2), inquiry)
    assert follow_up_url in page
    actions.record_follow_up(desk.duty2, task, fix="已约谈窗口民警，<i>整改</i>告知流程。", call_note="市民接受")
    status, page = page_of(client, inquiry)
    section = page[page.index('id="desk-rating"') :]
    assert "已回访" in section  # done
    assert "已约谈窗口民警" in section and "<i>整改</i>" not in section
    assert "市民接受" in section
    assert follow_up_url in section  # still linked, to read the record


def test_a_rating_is_not_shown_to_staff_who_may_not_see_the_inquiry(client, desk):
    inquiry = closed_and_rated(desk, 1)
    status, page = page_of(login(client, desk.other_duty), inquiry)
    assert status == 404
    assert "回复太慢" not in page and "非常不满意" not in page


def test_supervision_staff_record_the_complaint_outcome_on_the_inquiry_page(client, desk):
    complaint = file_request(kind="complaint", category="police-conduct", subject="民警态度恶劣").inquiry
    url = reverse("desk_admin:inquiry", args=[complaint.pk])
    login(client, desk.inspector)
    status, page = page_of(client, complaint)
    assert status == 200 and 'id="desk-outcome-form"' in page and "尚未记录处理结果" in page

    # Choosing nothing is refused with a message; nothing is recorded.
    response = client.post(url, {"action": "outcome", "outcome-outcome": ""})
    assert response.status_code == 400
    assert not ComplaintOutcome.objects.filter(inquiry=complaint).exists()

    response = client.post(url, {"action": "outcome", "outcome-outcome": "partly_upheld"})
    assert response.status_code == 302
    outcome = ComplaintOutcome.objects.get(inquiry=complaint)
    assert outcome.outcome == "partly_upheld" and outcome.decided_by == desk.inspector
    assert AuditLog.objects.filter(
        inquiry=complaint, action=AuditAction.COMPLAINT_OUTCOME, user=desk.inspector
    ).exists()
    status, page = page_of(client, complaint)
    current = page[page.index('id="desk-outcome-current"') :]
    assert current.split("</p>")[0].count("部分属实") == 1

    # A Duty officer of another department can neither see nor set it.
    login(client, desk.duty)
    assert client.post(url, {"action": "outcome", "outcome-outcome": "upheld"}).status_code == 404
    assert ComplaintOutcome.objects.get(inquiry=complaint).outcome == "partly_upheld"


def test_other_requests_have_no_complaint_outcome(client, desk):
    inquiry = file_request().inquiry
    login(client, desk.duty)
    status, page = page_of(client, inquiry)
    assert status == 200 and 'id="desk-outcome' not in page
    response = client.post(
        reverse("desk_admin:inquiry", args=[inquiry.pk]), {"action": "outcome", "outcome-outcome": "upheld"}
    )
    assert response.status_code == 400
    assert not ComplaintOutcome.objects.exists()

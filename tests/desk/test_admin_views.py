"""The Duty desk inside the Wagtail admin: menu, queue, inquiry page, actions, audit log."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cms import factories
from desk import actions
from desk.choices import EntryKind, Status
from desk.models import AuditLog, Inquiry, Notification

from .test_admin_support import PASSWORD, file_request, make_desk

pytestmark = pytest.mark.django_db

QUEUE = reverse("desk_admin:queue")
AUDIT = reverse("desk_admin:audit")
EXPORT = reverse("desk_admin:audit_export")


@pytest.fixture
def desk():
    return make_desk()


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def inquiry_url(inquiry):
    return reverse("desk_admin:inquiry", args=[inquiry.pk])


# --- menu and access -------------------------------------------------------------------------


def test_duty_staff_see_the_duty_desk_menu_and_editors_do_not(client, desk):
    """Duty staff see "Duty desk" with the queue in the admin menu; an Editor sees neither."""
    login(client, desk.duty)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert QUEUE in page
    assert AUDIT not in page  # the audit log is for Supervisors

    client.logout()
    login(client, desk.editor)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert QUEUE not in page
    assert AUDIT not in page


def test_supervisors_see_the_audit_log_menu_item(client, desk):
    login(client, desk.supervisor)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert QUEUE in page and AUDIT in page


def test_editors_are_refused_the_queue_and_the_inquiry_pages(client, desk):
    inquiry = file_request().inquiry
    login(client, desk.editor)
    assert client.get(QUEUE).status_code == 403
    assert client.get(inquiry_url(inquiry)).status_code == 403
    assert client.post(inquiry_url(inquiry), {"action": "claim"}).status_code == 403
    assert client.get(AUDIT).status_code == 403


def test_anonymous_visitors_are_sent_to_the_admin_login(client, desk):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_duty_staff_cannot_read_the_audit_log(client, desk):
    login(client, desk.duty)
    assert client.get(AUDIT).status_code == 403
    assert client.get(EXPORT).status_code == 403


# --- the queue -------------------------------------------------------------------------------


def test_duty_officer_sees_only_their_departments_inquiries(client, desk):
    """A Duty officer sees the traffic inquiry but never the complaint about police conduct."""
    mine = file_request(subject="罚单疑问").inquiry
    complaint = file_request(subject="民警态度恶劣", kind="complaint", category="police-conduct").inquiry
    assert complaint.department == desk.supervision

    login(client, desk.duty)
    page = client.get(QUEUE).content.decode()
    assert mine.reference in page
    assert complaint.reference not in page
    assert "民警态度恶劣" not in page


def test_a_complaint_is_a_404_for_another_department_exactly_like_a_missing_inquiry(client, desk):
    """A Duty officer of another department cannot learn that a complaint exists: the answer is
    the same as for an inquiry that does not exist."""
    complaint = file_request(kind="complaint", category="police-conduct").inquiry
    login(client, desk.duty)
    hidden = client.get(inquiry_url(complaint))
    missing = client.get(reverse("desk_admin:inquiry", args=[complaint.pk + 1000]))
    assert hidden.status_code == missing.status_code == 404
    assert complaint.reference not in hidden.content.decode()
    assert client.post(inquiry_url(complaint), {"action": "claim"}).status_code == 404
    complaint.refresh_from_db()
    assert complaint.assignee is None
    assert not AuditLog.objects.filter(inquiry=complaint, user=desk.duty).exists()


def test_supervision_department_and_supervisors_see_the_complaint(client, desk):
    complaint = file_request(kind="complaint", category="police-conduct").inquiry
    for user in (desk.inspector, desk.supervisor):
        login(client, user)
        assert complaint.reference in client.get(QUEUE).content.decode()
        assert client.get(inquiry_url(complaint)).status_code == 200
        client.logout()


def test_supervisor_sees_every_department(client, desk):
    traffic = file_request().inquiry
    Inquiry.objects.filter(pk=traffic.pk).update(department=desk.household)
    other = file_request(subject="另一个").inquiry
    login(client, desk.supervisor)
    page = client.get(QUEUE + "?scope=all").content.decode()
    assert traffic.reference in page and other.reference in page


def test_queue_filters_and_their_counts(client, desk):
    """Mine / unassigned / overdue / status / kind / channel filters narrow the list, and the
    count next to each view is the number of items it shows."""
    claimed = file_request(subject="已认领").inquiry
    actions.claim(desk.duty, claimed)
    waiting = file_request(subject="未认领", kind="suggestion", channel="api").inquiry
    late = file_request(subject="已超期").inquiry
    Inquiry.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=1))

    login(client, desk.duty)

    def refs(query):
        response = client.get(QUEUE + query)
        assert response.status_code == 200
        return {i.reference for i in response.context["inquiries"]}, response.context["counts"]

    everything, counts = refs("")
    assert everything == {claimed.reference, waiting.reference, late.reference}
    assert counts["active"] == 3
    assert refs("?scope=mine")[0] == {claimed.reference}
    assert counts["mine"] == 1
    assert refs("?scope=unassigned")[0] == {waiting.reference, late.reference}
    assert counts["unassigned"] == 2
    assert refs("?scope=overdue")[0] == {late.reference}
    assert counts["overdue"] == 1
    assert refs("?scope=department")[0] == everything
    assert refs("?status=assigned")[0] == {claimed.reference}
    assert refs("?kind=suggestion")[0] == {waiting.reference}
    assert refs("?channel=api")[0] == {waiting.reference}
    assert refs("?category=traffic-fines")[0] == everything
    assert refs("?scope=nonsense&status=nonsense")[0] == everything  # bad input: ignored, not an error


def test_queue_search_by_reference_text_and_phone(client, desk):
    first = file_request(subject="驾驶证换证", phone="13912345678").inquiry
    second = file_request(subject="车辆年检", description="车辆年检网上预约失败").inquiry
    login(client, desk.duty)

    def refs(q):
        return {i.reference for i in client.get(QUEUE, {"q": q}).context["inquiries"]}

    assert refs(first.reference) == {first.reference}
    assert refs(first.reference.lower()) == {first.reference}
    assert refs("换证") == {first.reference}
    assert refs("预约失败") == {second.reference}
    assert refs("1391234") == {first.reference}
    assert refs("没有这样的内容") == set()


def test_overdue_and_urgent_rows_are_marked(client, desk):
    late = file_request(subject="超期").inquiry
    Inquiry.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=2))
    urgent = file_request(subject="紧急").inquiry
    actions.flag_urgent(urgent, "emergency words in chat")
    login(client, desk.duty)
    page = client.get(QUEUE).content.decode()
    late_row = page[page.index(f'data-reference="{late.reference}"') - 200 :][:400]
    assert "desk-row--overdue" in late_row
    urgent_row = page[page.index(f'data-reference="{urgent.reference}"') - 200 :][:400]
    assert "desk-row--urgent" in urgent_row
    # Urgent items come first.
    assert page.index(urgent.reference) < page.index(late.reference)


def test_queue_is_paginated(client, desk):
    for n in range(27):
        file_request(subject=f"第{n}件")
    login(client, desk.duty)
    first = client.get(QUEUE)
    assert len(first.context["inquiries"]) == 25
    second = client.get(QUEUE + "?p=2")
    assert len(second.context["inquiries"]) == 2


def test_the_list_fragment_for_live_updates_is_just_the_results(client, desk):
    """desk.js re-fetches the list with X-Desk-Fragment: counts and rows, no admin furniture."""
    inquiry = file_request().inquiry
    login(client, desk.duty)
    response = client.get(QUEUE, headers={"X-Desk-Fragment": "1"})
    html = response.content.decode()
    assert inquiry.reference in html
    assert 'id="desk-queue-results"' in html and 'id="desk-queue-counts"' in html
    assert "<html" not in html and "wagtail-sidebar" not in html
    assert "X-Desk-Fragment" in response["Vary"]


def test_menu_shows_the_number_of_waiting_items(client, desk):
    file_request()
    file_request()
    login(client, desk.duty)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "(2)" in page


# --- the inquiry page ------------------------------------------------------------------------


def test_inquiry_page_shows_sanitized_text_contacts_and_audits_the_view(client, desk):
    """The citizen's text is escaped (never raw HTML); contact details are shown and the view
    of personal data is written to the audit log."""
    inquiry = file_request(description='<script>alert("x")</script><b>粗体</b> 见 https://example.com').inquiry
    login(client, desk.duty)
    response = client.get(inquiry_url(inquiry))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html or "alert(&quot;x&quot;)" in html
    assert "<b>粗体</b>" not in html
    assert "13800138000" in html and "citizen@example.com" in html and "张三" in html
    entry = AuditLog.objects.get(inquiry=inquiry, action="view")
    assert entry.user == desk.duty and entry.personal_data_viewed


def test_timeline_distinguishes_public_and_internal_entries(client, desk):
    inquiry = file_request().inquiry
    actions.reply(desk.duty, inquiry, "请到窗口缴纳。")
    actions.note(desk.duty, inquiry, "内部备注：已电话联系")
    login(client, desk.duty)
    html = client.get(inquiry_url(inquiry)).content.decode()
    reply_at = html.index("请到窗口缴纳。")
    note_at = html.index("内部备注：已电话联系")
    assert "desk-entry--public" in html[html.rfind("<li", 0, reply_at) : reply_at]
    assert "desk-entry--internal" in html[html.rfind("<li", 0, note_at) : note_at]


def test_failed_notifications_are_visible_on_the_inquiry(client, desk):
    inquiry = file_request().inquiry
    notification = Notification.objects.filter(inquiry=inquiry).first()
    assert notification is not None, "filing with contact details queues a receipt"
    Notification.objects.filter(pk=notification.pk).update(status="failed", last_error="gateway timeout 504")
    login(client, desk.duty)
    html = client.get(inquiry_url(inquiry)).content.decode()
    assert "gateway timeout 504" in html
    assert "desk-notification--failed" in html


def post_action(client, inquiry, action, **fields):
    data = {"action": action}
    data.update({f"{action}-{key}": value for key, value in fields.items()})
    return client.post(inquiry_url(inquiry), data)


def test_every_action_through_the_page_lands_in_the_timeline(client, desk):
    """Claim, note, reply, priority, transfer, close, reopen and junk each call desk.actions and
    appear in the timeline (and the audit log)."""
    inquiry = file_request().inquiry
    login(client, desk.duty)

    assert post_action(client, inquiry, "claim").status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.assignee == desk.duty and inquiry.status == Status.ASSIGNED

    assert post_action(client, inquiry, "note", text="先核实罚单").status_code == 302
    assert post_action(client, inquiry, "priority", priority="high").status_code == 302
    assert post_action(client, inquiry, "reply", text="您好，可在线缴纳。").status_code == 302
    assert post_action(client, inquiry, "close", reason="已答复").status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == Status.CLOSED
    assert post_action(client, inquiry, "reopen", reason="市民追问").status_code == 302
    response = post_action(client, inquiry, "transfer", department=desk.household.pk, reason="属户政业务")
    assert response.status_code == 302
    assert response["Location"] == QUEUE  # no longer visible to this officer: back to the queue
    inquiry.refresh_from_db()
    assert inquiry.department == desk.household

    kinds = list(inquiry.timeline.values_list("kind", flat=True))
    for kind in (
        EntryKind.ASSIGN,
        EntryKind.NOTE,
        EntryKind.PRIORITY,
        EntryKind.REPLY,
        EntryKind.CLOSE,
        EntryKind.REOPEN,
        EntryKind.TRANSFER,
    ):
        assert kind in kinds
    reply = inquiry.timeline.get(kind=EntryKind.REPLY)
    assert reply.public and reply.author == desk.duty and reply.text == "您好，可在线缴纳。"
    assert not inquiry.timeline.get(kind=EntryKind.NOTE).public
    audited = set(AuditLog.objects.filter(inquiry=inquiry).values_list("action", flat=True))
    assert {"claim", "note", "priority", "reply", "close", "reopen", "transfer"} <= audited

    # After the transfer the traffic officer no longer sees it.
    assert client.get(inquiry_url(inquiry)).status_code == 404

    login(client, desk.other_duty)
    assert post_action(client, inquiry, "junk", reason="广告").status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == Status.JUNK
    assert inquiry.timeline.filter(kind=EntryKind.JUNK).exists()


def test_invalid_action_input_keeps_the_text_and_explains(client, desk):
    inquiry = file_request().inquiry
    login(client, desk.duty)
    response = post_action(client, inquiry, "close", reason="")
    assert response.status_code == 400
    assert not inquiry.timeline.filter(kind=EntryKind.CLOSE).exists()
    # A reply to a closed inquiry is refused by the action; the typed text stays in the box.
    actions.close(desk.duty, inquiry, "已办结")
    response = post_action(client, inquiry, "note", text="x" * 20000)
    assert response.status_code == 400


def test_duty_officer_cannot_take_a_colleagues_inquiry(client, desk):
    """Claiming an inquiry a colleague already holds is refused (403) and changes nothing."""
    inquiry = file_request().inquiry
    actions.claim(desk.duty, inquiry)
    login(client, desk.duty2)
    page = client.get(inquiry_url(inquiry)).content.decode()
    assert 'value="claim"' not in page  # no claim button offered
    assert post_action(client, inquiry, "claim").status_code == 403
    inquiry.refresh_from_db()
    assert inquiry.assignee == desk.duty


def test_only_supervisors_assign_to_someone_else(client, desk):
    inquiry = file_request().inquiry
    login(client, desk.duty)
    assert post_action(client, inquiry, "assign", assignee=desk.duty2.pk).status_code == 403
    client.logout()
    login(client, desk.supervisor)
    page = client.get(inquiry_url(inquiry)).content.decode()
    assert 'id="desk-assign"' in page
    assert post_action(client, inquiry, "assign", assignee=desk.duty2.pk).status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.assignee == desk.duty2
    # Someone who cannot see the department is not offered.
    form = client.get(inquiry_url(inquiry)).context["forms"]["assign"]
    assert str(desk.other_duty.pk) not in [value for value, _label in form.fields["assignee"].choices]


def test_the_queue_shows_the_time_left_to_each_deadline(client, desk, monkeypatch):
    """Each open row says how long is left before its deadline, or how long it is overdue."""
    soon = file_request(subject="快到期").inquiry
    late = file_request(subject="已超期").inquiry
    now = timezone.now()
    Inquiry.objects.filter(pk=soon.pk).update(due_at=now + timedelta(days=2, hours=3, minutes=1))
    Inquiry.objects.filter(pk=late.pk).update(due_at=now - timedelta(hours=5, minutes=1))
    monkeypatch.setattr(timezone, "now", lambda: now)
    login(client, desk.duty)
    html = client.get(QUEUE, {"scope": "all"}).content.decode()

    def row(inquiry):
        start = html.index(f'data-reference="{inquiry.reference}"')
        return html[start : html.index("</tr>", start)]

    assert "剩余 2\xa0日，3\xa0小时" in row(soon)
    assert "已超期 5\xa0小时" in row(late)


def canned_faqs():
    """A published FAQ (zh-hans) with its English translation, and a draft; built with the
    shared content factories."""
    zh, en = factories.ensure_locales()
    published = factories.make_faq(
        key="fine-pay", question="如何缴纳罚款？", answer="<p>可通过<b>交管12123</b>缴纳。</p>", locale=zh
    )
    factories.make_faq(
        question="How do I pay a fine?",
        answer="<p>Use the app.</p>",
        locale=en,
        translation_of=published,
    )
    draft = factories.make_faq(key="draft", question="草稿问题", answer="<p>草稿答案</p>", locale=zh, live=False)
    return published, draft


def test_canned_reply_insert_without_javascript_fills_the_reply_box(client, desk):
    """Choosing a published FAQ and pressing "Insert" puts its answer into the reply text
    (FAQs in the inquiry's language only; drafts never)."""
    published, draft = canned_faqs()
    inquiry = file_request().inquiry
    login(client, desk.duty)
    form = client.get(inquiry_url(inquiry)).context["forms"]["reply"]
    offered = dict(form.fields["canned"].choices)
    assert str(published.pk) in offered
    assert str(draft.pk) not in offered
    assert "How do I pay a fine?" not in offered.values()

    response = client.post(
        inquiry_url(inquiry),
        {"action": "reply", "insert": "1", "reply-canned": str(published.pk), "reply-text": "您好，"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "您好，\n\n可通过交管12123缴纳。" in html
    assert not inquiry.timeline.filter(kind=EntryKind.REPLY).exists()  # inserting does not send


def test_canned_replies_are_searchable_without_javascript(client, desk):
    """ "Find" narrows the canned replies to those whose question or answer has the words, and
    keeps what the officer has typed so far."""
    published, _draft = canned_faqs()
    zh = published.locale
    passport = factories.make_faq(key="passport", question="护照怎么办理？", answer="<p>到出入境窗口。</p>", locale=zh)
    inquiry = file_request().inquiry
    login(client, desk.duty)
    offered = dict(client.get(inquiry_url(inquiry)).context["forms"]["reply"].fields["canned"].choices)
    assert {str(published.pk), str(passport.pk)} <= set(offered)

    response = client.post(
        inquiry_url(inquiry), {"action": "reply", "find_canned": "1", "reply-find": "12123", "reply-text": "您好，"}
    )
    assert response.status_code == 200
    form = response.context["forms"]["reply"]
    offered = dict(form.fields["canned"].choices)
    assert str(published.pk) in offered and str(passport.pk) not in offered
    html = response.content.decode()
    assert "您好，" in html and 'value="12123"' in html
    assert not inquiry.timeline.filter(kind=EntryKind.REPLY).exists()


def test_chat_conversation_shows_a_join_live_chat_link(client, desk):
    """A request filed from the chat links to the officer's live-chat page of that conversation."""
    from chatbot.models import Conversation

    inquiry = file_request(channel="chat").inquiry
    conversation = Conversation.objects.create(inquiry=inquiry)
    login(client, desk.duty)
    html = client.get(inquiry_url(inquiry)).content.decode()
    assert f'href="{reverse("chatbot_admin:live_chat", args=[conversation.public_id])}"' in html


# --- audit log -------------------------------------------------------------------------------


def test_supervisor_filters_and_exports_the_audit_log_as_csv(client, desk):
    inquiry = file_request().inquiry
    actions.view_inquiry(desk.duty, inquiry)
    actions.note(desk.duty, inquiry, "=cmd|' /C calc'!A0")
    login(client, desk.supervisor)

    page = client.get(AUDIT, {"action": "note"})
    assert page.status_code == 200
    assert [e.action for e in page.context["page"].object_list] == ["note"]

    response = client.get(EXPORT, {"user": "duty_traffic"})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["time", "user", "action"]
    actions_in_csv = [row[2] for row in rows[1:]]
    assert "view" in actions_in_csv and "note" in actions_in_csv
    assert all(row[1] == "duty_traffic" for row in rows[1:])
    assert all(row[3] == inquiry.reference for row in rows[1:])
    # The export itself is audited.
    assert AuditLog.objects.filter(action="export", user=desk.supervisor).exists()


def test_queue_query_count_does_not_grow_with_the_number_of_rows(client, desk):
    """No per-row queries on the queue (category, department, assignee are joined)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, desk.duty)
    for n in range(2):
        actions.claim(desk.duty, file_request(subject=f"少量{n}").inquiry)
    client.get(QUEUE)  # warm caches (Wagtail's sidebar, sessions)
    with CaptureQueriesContext(connection) as few:
        client.get(QUEUE)
    for n in range(12):
        actions.claim(desk.duty, file_request(subject=f"大量{n}").inquiry)
    with CaptureQueriesContext(connection) as many:
        response = client.get(QUEUE)
    assert len(response.context["inquiries"]) == 14
    assert len(many) == len(few)


def test_a_supervisor_marks_a_case_file_on_the_inquiry_page_and_duty_staff_cannot(client, desk):
    """The case-file form is shown to Supervisors only; marking keeps the request out of the
    3-year anonymisation, and the page says so."""
    inquiry = file_request().inquiry
    login(client, desk.duty)
    assert 'id="desk-case-file"' not in client.get(inquiry_url(inquiry)).content.decode()
    assert post_action(client, inquiry, "case_file", case_file="on").status_code == 403
    inquiry.refresh_from_db()
    assert not inquiry.case_file

    client.logout()
    login(client, desk.supervisor)
    assert 'id="desk-case-file"' in client.get(inquiry_url(inquiry)).content.decode()
    assert post_action(client, inquiry, "case_file", case_file="on", reason="并入案卷").status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.case_file
    page = client.get(inquiry_url(inquiry)).content.decode()
    assert "desk-tag--case-file" in page
    assert post_action(client, inquiry, "case_file", reason="撤出案卷").status_code == 302
    inquiry.refresh_from_db()
    assert not inquiry.case_file

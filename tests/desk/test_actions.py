"""The desk's actions: filing, tracking and every staff action with its permission checks."""

import re

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from desk import actions
from desk.choices import EntryKind, NotificationPurpose, Status
from desk.models import AuditLog, Inquiry, Notification, TimelineEntry
from desk.permissions import visible_inquiries

pytestmark = pytest.mark.django_db


def test_filing_gives_a_reference_and_an_access_code_stored_only_hashed(file_inquiry):
    """A new inquiry gets YG-YYYY-NNNNNN and a code that is not stored in clear."""
    first = file_inquiry()
    second = file_inquiry(subject="另一件事")
    assert re.fullmatch(r"YG-20\d\d-\d{6}", first.inquiry.reference)
    assert int(second.inquiry.reference[-6:]) == int(first.inquiry.reference[-6:]) + 1
    assert first.created
    row = Inquiry.objects.get(pk=first.inquiry.pk)
    code = first.access_code
    assert code not in (row.access_code_hash, row.access_code_salt)
    assert row.check_access_code(code)
    assert row.check_access_code(code.lower().replace("-", " "))
    assert not row.check_access_code(second.access_code)


def test_filing_routes_sets_a_deadline_and_records_a_public_entry(file_inquiry, departments):
    """An ID-card consultation lands in household registration with a due date and a timeline."""
    inquiry = file_inquiry().inquiry
    assert inquiry.department == departments["household"]
    assert inquiry.status == Status.NEW
    assert inquiry.due_at > inquiry.created_at
    assert inquiry.consent_at is not None
    entry = inquiry.timeline.get()
    assert entry.kind == EntryKind.CREATED and entry.public


def test_filing_queues_receipt_by_email_and_sms(file_inquiry):
    """The citizen's contact details each get one queued receipt with reference and code."""
    result = file_inquiry()
    rows = Notification.objects.filter(inquiry=result.inquiry, purpose=NotificationPurpose.RECEIPT)
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "sms"]
    for row in rows:
        assert result.inquiry.reference in row.body and result.access_code in row.body
        assert row.status == "queued"


def test_anonymous_tip_is_accepted_but_a_complaint_needs_name_and_phone(file_inquiry):
    """Tips may be anonymous; complaints require a name and a phone number."""
    tip = file_inquiry(kind="tip", category="drugs-gambling", name="", phone="", email="")
    assert tip.created and not tip.inquiry.has_contact
    assert not Notification.objects.filter(inquiry=tip.inquiry).exists()
    with pytest.raises(actions.ValidationError) as info:
        file_inquiry(kind="complaint", category="other", name="", phone="")
    assert set(info.value.keys()) == {"name", "phone"}


def test_consultation_needs_a_way_to_answer(file_inquiry):
    with pytest.raises(actions.ValidationError) as info:
        file_inquiry(phone="", email="")
    assert "phone" in info.value and "email" in info.value


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "bogus"),
        ("category", "no-such-category"),
        ("subject", ""),
        ("description", 42),
        ("email", "not-an-address"),
        ("phone", "call me"),
        ("lang", "fr"),
        ("consent", "yes"),
        ("event_time", "yesterday"),
        ("subject", "x" * 201),
    ],
)
def test_invalid_input_is_reported_per_field(file_inquiry, field, value):
    """Bad values of any type become a field error, never a crash, and nothing is filed."""
    with pytest.raises(actions.ValidationError) as info:
        file_inquiry(**{field: value})
    assert field in info.value
    assert Inquiry.objects.count() == 0


def test_category_reserved_for_another_kind_is_refused(file_inquiry):
    with pytest.raises(actions.ValidationError) as info:
        file_inquiry(kind="consultation", category="police-conduct")
    assert "category" in info.value


def test_messages_are_in_the_requested_language(file_inquiry):
    from django.utils import translation

    with translation.override("en"), pytest.raises(actions.ValidationError) as info:
        file_inquiry(subject="")
    assert info.value["subject"] == ["This field is required."]


def test_idempotency_key_returns_the_first_result_and_files_once(file_inquiry):
    """A retry with the same key and data returns the same reference and code; no second inquiry."""
    first = file_inquiry(idempotency_key="api:abc")
    again = file_inquiry(idempotency_key="api:abc")
    assert not again.created
    assert again.inquiry.pk == first.inquiry.pk and again.access_code == first.access_code
    assert Inquiry.objects.count() == 1
    with pytest.raises(actions.IdempotencyConflict):
        file_inquiry(idempotency_key="api:abc", subject="something else")
    assert Inquiry.objects.count() == 1


def test_lookup_needs_the_right_code_and_reveals_nothing_otherwise(file_inquiry):
    result = file_inquiry()
    ref = result.inquiry.reference
    assert actions.lookup(ref, result.access_code).pk == result.inquiry.pk
    assert actions.lookup(ref.lower(), " " + result.access_code.lower()).pk == result.inquiry.pk
    assert actions.lookup(ref, "AAAAA-AAAAA") is None
    assert actions.lookup("YG-2026-999999", result.access_code) is None
    assert actions.lookup("", "") is None
    assert actions.lookup(None, 5) is None


def test_police_conduct_complaint_goes_to_supervision_and_is_hidden_elsewhere(
    file_inquiry, departments, duty, supervision_duty, supervisor, editor
):
    """A complaint about police conduct is routed to 督察 whatever the rules say, and only the
    supervision department and Supervisors see it."""
    inquiry = file_inquiry(kind="complaint", category="police-conduct").inquiry
    assert inquiry.department == departments["supervision"] and inquiry.confidential
    assert list(visible_inquiries(supervision_duty)) == [inquiry]
    assert list(visible_inquiries(supervisor)) == [inquiry]
    assert not visible_inquiries(duty).exists()
    assert not visible_inquiries(editor).exists()
    with pytest.raises(actions.PermissionDenied):
        actions.claim(duty, inquiry)
    with pytest.raises(actions.ValidationError):
        actions.transfer(supervisor, inquiry, departments["general"], "wrong place")
    inquiry.refresh_from_db()
    assert inquiry.department == departments["supervision"]


def test_duty_staff_see_only_their_departments(file_inquiry, duty, traffic_duty, supervisor, editor):
    household = file_inquiry().inquiry
    traffic = file_inquiry(category="traffic-violations").inquiry
    assert set(visible_inquiries(duty)) == {household}
    assert set(visible_inquiries(traffic_duty)) == {traffic}
    assert set(visible_inquiries(supervisor)) == {household, traffic}
    assert set(visible_inquiries(editor)) == set()
    with pytest.raises(actions.PermissionDenied):
        actions.reply(traffic_duty, household, "hello")
    with pytest.raises(actions.PermissionDenied):
        actions.view_inquiry(editor, household)


def test_claim_assign_and_reassign_rules(file_inquiry, duty, departments, supervisor):
    """Duty staff claim unassigned work; only a Supervisor takes it away from a colleague."""
    from tests.desk.conftest import make_user

    colleague = make_user("duty2", "Duty staff", [departments["household"]])
    inquiry = file_inquiry().inquiry
    actions.claim(duty, inquiry)
    assert inquiry.assignee == duty and inquiry.status == Status.ASSIGNED
    with pytest.raises(actions.PermissionDenied):
        actions.claim(colleague, inquiry)
    actions.assign(supervisor, inquiry, colleague)
    assert inquiry.assignee == colleague
    with pytest.raises(actions.ValidationError):
        actions.assign(supervisor, inquiry, make_user("traffic9", "Duty staff", [departments["traffic"]]))
    kinds = list(inquiry.timeline.values_list("kind", flat=True))
    assert kinds.count(EntryKind.ASSIGN) == 2
    assert AuditLog.objects.filter(inquiry=inquiry, action="claim", user=duty).exists()
    assert AuditLog.objects.filter(inquiry=inquiry, action="assign", user=supervisor).exists()


def test_reply_is_public_and_notifies_while_notes_stay_internal(file_inquiry, duty):
    inquiry = file_inquiry().inquiry
    actions.note(duty, inquiry, "内部：需核实户籍信息")
    actions.reply(duty, inquiry, "请携带户口簿到派出所办理。<script>alert(1)</script>")
    assert inquiry.status == Status.REPLIED and inquiry.first_reply_at is not None
    public = actions.public_timeline(inquiry)
    texts = [item["text"] for item in public]
    assert any("户口簿" in text for text in texts)
    assert not any("内部" in text for text in texts)
    reply_item = next(item for item in public if item["kind"] == "reply")
    assert "<script>" not in reply_item["html"] and reply_item["by"] == "bureau"
    assert Notification.objects.filter(inquiry=inquiry, purpose=NotificationPurpose.REPLY).count() == 2


def test_followup_reopens_work_and_closed_requests_refuse_messages(file_inquiry, duty):
    inquiry = file_inquiry().inquiry
    actions.reply(duty, inquiry, "答复")
    actions.add_followup(inquiry, "还有一个问题")
    assert inquiry.status == Status.IN_PROGRESS
    actions.close(duty, inquiry, "已答复完毕")
    with pytest.raises(actions.ValidationError):
        actions.add_followup(inquiry, "再问一句")


def test_close_with_public_reason_then_rate_once_then_reopen(file_inquiry, duty):
    inquiry = file_inquiry().inquiry
    with pytest.raises(actions.ValidationError):
        actions.rate(inquiry, 5)
    with pytest.raises(actions.ValidationError):
        actions.close(duty, inquiry, "  ")
    actions.close(duty, inquiry, "问题已解决")
    assert inquiry.status == Status.CLOSED and inquiry.closed_at
    assert actions.public_timeline(inquiry)[-1]["reason"] == "问题已解决"
    with pytest.raises(actions.ValidationError):
        actions.rate(inquiry, 6)
    actions.rate(inquiry, 4, "满意")
    assert inquiry.rating.score == 4
    with pytest.raises(actions.ValidationError):
        actions.rate(inquiry, 5)
    actions.reopen(duty, inquiry, "市民补充了材料")
    assert inquiry.status == Status.NEW and inquiry.closed_at is None


def test_junk_is_kept_shown_closed_and_excluded_from_statistics(file_inquiry, duty):
    inquiry = file_inquiry().inquiry
    actions.mark_junk(duty, inquiry, "广告")
    assert Inquiry.objects.filter(pk=inquiry.pk).exists()
    assert inquiry.public_status == Status.CLOSED
    assert not Inquiry.objects.counted().filter(pk=inquiry.pk).exists()
    assert all(item["kind"] != "junk" for item in actions.public_timeline(inquiry))


def test_transfer_needs_a_reason_and_moves_the_inquiry(file_inquiry, duty, traffic_duty, departments):
    inquiry = file_inquiry().inquiry
    actions.claim(duty, inquiry)
    with pytest.raises(actions.ValidationError):
        actions.transfer(duty, inquiry, departments["traffic"], "")
    actions.transfer(duty, inquiry, departments["traffic"], "属于车驾管业务")
    assert inquiry.department == departments["traffic"]
    assert inquiry.assignee is None and inquiry.status == Status.NEW
    assert inquiry in visible_inquiries(traffic_duty)
    assert inquiry not in visible_inquiries(duty)
    entry = inquiry.timeline.get(kind=EntryKind.TRANSFER)
    assert not entry.public and entry.text == "属于车驾管业务"


def test_priority_and_urgent_flag(file_inquiry, duty, editor):
    inquiry = file_inquiry().inquiry
    with pytest.raises(actions.ValidationError):
        actions.set_priority(duty, inquiry, "extreme")
    actions.set_priority(duty, inquiry, "high")
    assert inquiry.priority == "high"
    with pytest.raises(actions.PermissionDenied):
        actions.flag_urgent(inquiry, "危险", actor=editor)
    actions.flag_urgent(inquiry, "聊天中提到紧急情况")  # the system (chatbot), no actor
    assert inquiry.urgent
    assert inquiry.timeline.filter(kind=EntryKind.URGENT, public=False).exists()


def test_viewing_personal_data_is_audited_and_the_log_is_append_only(file_inquiry, duty):
    inquiry = file_inquiry().inquiry
    actions.view_inquiry(duty, inquiry, client_address="10.0.0.5")
    row = AuditLog.objects.get(action="view")
    assert row.personal_data_viewed and row.user == duty and row.client_address == "10.0.0.5"
    assert row.reference == inquiry.reference
    row.detail = "tampered"
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()
    with pytest.raises(PermissionError):
        AuditLog.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditLog.objects.update(detail="x")
    assert AuditLog.objects.get(pk=row.pk).detail == ""


def test_every_staff_action_writes_timeline_and_audit(file_inquiry, duty, departments):
    inquiry = file_inquiry().inquiry
    actions.claim(duty, inquiry)
    actions.note(duty, inquiry, "n")
    actions.set_priority(duty, inquiry, "low")
    actions.reply(duty, inquiry, "r")
    actions.close(duty, inquiry, "c")
    actions.reopen(duty, inquiry, "o")
    actions.mark_junk(duty, inquiry, "j")
    actions.reopen(duty, inquiry)
    actions.transfer(duty, inquiry, departments["general"], "t")
    audit = list(AuditLog.objects.filter(inquiry=inquiry).order_by("pk").values_list("action", flat=True))
    assert audit == ["claim", "note", "priority", "reply", "close", "reopen", "junk", "reopen", "transfer"]
    assert TimelineEntry.objects.filter(inquiry=inquiry).count() == 1 + len(audit)


def _listen(group):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(group, channel)
    return layer, channel


def _drain(layer, channel):
    import asyncio

    messages = []

    async def read():
        while True:
            try:
                messages.append(await asyncio.wait_for(layer.receive(channel), 0.05))
            except TimeoutError:
                return

    async_to_sync(read)()
    return messages


def test_events_are_sent_only_after_commit(file_inquiry, departments, django_capture_on_commit_callbacks):
    """Staff groups get a small event with an increasing seq, only once the filing commits."""
    layer, channel = _listen(f"desk.dept.{departments['household'].pk}")
    all_layer, all_channel = _listen("desk.all")
    with django_capture_on_commit_callbacks() as callbacks:
        result = file_inquiry()
        assert _drain(layer, channel) == []
    assert callbacks
    for callback in callbacks:
        callback()
    [event] = [m for m in _drain(layer, channel) if m["type"] == "inquiry.created"]
    assert event["id"] == result.inquiry.pk and "seq" in event
    assert set(event) <= {"type", "id", "reference", "action", "urgent", "seq"}
    [seen_by_all] = [m for m in _drain(all_layer, all_channel) if m["type"] == "inquiry.created"]
    assert seen_by_all["seq"] == event["seq"]
    with django_capture_on_commit_callbacks(execute=True):
        file_inquiry(subject="second")
    later = [m for m in _drain(layer, channel) if m["type"] == "inquiry.created"]
    assert later and later[0]["seq"] > event["seq"]


def test_nothing_is_sent_or_kept_when_the_transaction_rolls_back(file_inquiry, departments):
    layer, channel = _listen(f"desk.dept.{departments['household'].pk}")

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        file_inquiry()
        raise Abort
    assert Inquiry.objects.count() == 0
    assert _drain(layer, channel) == []


def test_conduct_complaint_events_reach_only_supervision(file_inquiry, departments, django_capture_on_commit_callbacks):
    general_layer, general_channel = _listen(f"desk.dept.{departments['general'].pk}")
    sup_layer, sup_channel = _listen(f"desk.dept.{departments['supervision'].pk}")
    with django_capture_on_commit_callbacks(execute=True):
        file_inquiry(kind="complaint", category="police-conduct")
    assert _drain(general_layer, general_channel) == []
    assert [m["type"] for m in _drain(sup_layer, sup_channel)] == ["inquiry.created"]


def test_options_list_kinds_categories_and_contact_rules(desk_config):
    en = actions.options("en")
    kinds = {kind["slug"]: kind for kind in en["kinds"]}
    assert kinds["tip"]["anonymous_allowed"] and not kinds["complaint"]["anonymous_allowed"]
    assert kinds["complaint"]["contact"]["required"] == ["name", "phone"]
    assert "police-conduct" in kinds["complaint"]["categories"]
    assert "police-conduct" not in kinds["consultation"]["categories"]
    names = {c["slug"]: c["name"] for c in en["categories"]}
    assert names["id-card"] == "Resident ID card"
    assert {c["slug"]: c["name"] for c in actions.options("zh-hans")["categories"]}["id-card"] == "居民身份证"

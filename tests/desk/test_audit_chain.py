"""The handling log nobody can rewrite quietly (desk.integrity, docs/audit-log.md): every audit and
timeline entry is hash-chained; `manage.py verify_audit_log` finds the first entry changed or
deleted with SQL; on PostgreSQL a trigger refuses UPDATE and DELETE outside the retention path;
retention and account deletion keep the chains valid. Runs on SQLite and, with DATABASE_URL set to
a PostgreSQL database, on PostgreSQL (the trigger tests only there)."""

import datetime
import io
import threading

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from desk import actions, integrity, retention
from desk.choices import GROUP_SUPERVISORS, AuditAction, EntryKind
from desk.models import AuditLog, ChainHead, Inquiry, TimelineEntry

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigger")


def verify():
    out = io.StringIO()
    try:
        call_command("verify_audit_log", stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue()


def sql(statement, params=()):
    """What someone with the database's password does. On PostgreSQL the trigger would refuse, so
    this goes round it the way the retention job does (or a superuser disabling the trigger)."""
    with integrity.retention_writes(), connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


@pytest.fixture
def handled(file_inquiry, duty, supervisor):
    """A request that went the whole way: filed, a citizen message, claimed, noted, replied, a
    staff view, closed, rated."""
    inquiry = file_inquiry(client_address="203.0.113.9").inquiry
    actions.add_followup(inquiry, "补充：我的手机号 13900000000", client_address="203.0.113.9")
    actions.claim(duty, inquiry, client_address="10.0.0.7")
    actions.note(duty, inquiry, "内部备注")
    actions.reply(duty, inquiry, "张三您好，请带户口簿到派出所补办。")
    actions.view_inquiry(supervisor, inquiry, client_address="10.0.0.8")
    actions.close(duty, inquiry, "已答复张三")
    actions.rate(inquiry, 4, "很满意")
    return inquiry


def test_every_entry_is_chained_and_verifies(handled):
    """Each entry links to the one before it; the command says OK with the counts."""
    for model in (AuditLog, TimelineEntry):
        rows = list(model.objects.order_by("chain_seq"))
        assert [r.chain_seq for r in rows] == list(range(1, len(rows) + 1))
        assert rows[0].prev_hash == integrity.GENESIS
        for before, after in zip(rows, rows[1:], strict=False):
            assert after.prev_hash == before.entry_hash
        assert len({r.entry_hash for r in rows}) == len(rows)
    code, out = verify()
    audit = AuditLog.objects.count()
    timeline = TimelineEntry.objects.count()
    assert code == 0, out
    assert f"OK audit: {audit} entries" in out
    assert f"OK timeline: {timeline} entries" in out
    head = ChainHead.objects.get(name="timeline")
    assert head.seq == timeline and head.last_hash == TimelineEntry.objects.get(chain_seq=timeline).entry_hash


def test_the_personal_text_is_not_stored_in_clear_in_the_seal(handled):
    entry = TimelineEntry.objects.get(inquiry=handled, kind=EntryKind.REPLY)
    assert "张三" not in str(entry.seal)
    assert set(entry.seal) == {"author_id", "text", "public_reason", "address"}


@pytest.mark.parametrize(
    ("table", "column", "value", "kind"),
    [
        ("desk_timelineentry", "text", "请到派出所补办（已改）", EntryKind.REPLY),
        ("desk_timelineentry", "public", False, EntryKind.REPLY),
        ("desk_timelineentry", "created_at", datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC), EntryKind.REPLY),
        ("desk_timelineentry", "text", "", EntryKind.REPLY),  # blanked, but not by retention
        ("desk_auditlog", "detail", "已答复（已改）", AuditAction.CLOSE),
        ("desk_auditlog", "username", "someone-else", AuditAction.CLOSE),
        ("desk_auditlog", "client_address", "192.0.2.1", AuditAction.VIEW),
    ],
)
def test_a_row_changed_with_sql_is_found(handled, table, column, value, kind):
    model = TimelineEntry if table == "desk_timelineentry" else AuditLog
    filters = {"kind": kind} if model is TimelineEntry else {"action": kind}
    row = model.objects.get(inquiry=handled, **filters)
    assert sql(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, row.pk]) == 1  # noqa: S608
    code, out = verify()
    assert code == 1
    chain = "timeline" if model is TimelineEntry else "audit"
    assert f"BROKEN {chain}: entry #{row.chain_seq} (id {row.pk})" in out, out
    assert f"{row.chain_seq - 1} entries before it verified" in out


def test_an_author_swapped_with_sql_is_found(handled, supervisor):
    reply = TimelineEntry.objects.get(inquiry=handled, kind=EntryKind.REPLY)
    sql("UPDATE desk_timelineentry SET author_id = %s WHERE id = %s", [supervisor.pk, reply.pk])
    code, out = verify()
    assert code == 1 and f"entry #{reply.chain_seq} (id {reply.pk}): author_id was changed" in out


@pytest.mark.parametrize("table", ["desk_timelineentry", "desk_auditlog"])
def test_a_row_deleted_with_sql_is_found(handled, table):
    model = TimelineEntry if table == "desk_timelineentry" else AuditLog
    rows = list(model.objects.order_by("chain_seq"))
    middle, after = rows[2], rows[3]
    sql(f"DELETE FROM {table} WHERE id = %s", [middle.pk])  # noqa: S608
    code, out = verify()
    assert code == 1
    assert f"entry #{after.chain_seq} (id {after.pk}): entries #{middle.chain_seq}–#{middle.chain_seq}" in out, out


def test_deleting_the_last_entries_is_found(handled):
    last = TimelineEntry.objects.order_by("-chain_seq").first()
    sql("DELETE FROM desk_timelineentry WHERE id = %s", [last.pk])
    code, out = verify()
    assert code == 1
    assert f"the chain ends at #{last.chain_seq - 1} but its head says #{last.chain_seq}" in out


def test_a_row_inserted_beside_the_chain_is_found(handled):
    TimelineEntry.objects.bulk_create([TimelineEntry(inquiry=handled, kind=EntryKind.NOTE, text="nachgetragen")])
    code, out = verify()
    assert code == 1 and "an entry was added outside the chain" in out


def test_rewriting_a_whole_entry_consistently_still_breaks_the_next_link(handled):
    """Changing a text and recomputing that entry's own hash does not help: the next entry
    holds the old hash."""
    reply = TimelineEntry.objects.get(inquiry=handled, kind=EntryKind.REPLY)
    reply.text = "改过的答复"
    salt = reply.seal["text"]["s"]
    reply.seal["text"]["d"] = integrity.digest(reply.text, salt)
    new_hash = integrity.compute_hash(integrity.TIMELINE, reply)
    with integrity.retention_writes():
        TimelineEntry.objects.filter(pk=reply.pk).update(text=reply.text, seal=reply.seal, entry_hash=new_hash)
    code, out = verify()
    following = TimelineEntry.objects.get(chain_seq=reply.chain_seq + 1)
    assert code == 1 and f"entry #{following.chain_seq} (id {following.pk}): the link" in out, out


def test_retention_keeps_the_chains_valid(file_inquiry, duty, handled):
    """Anonymising requests and clearing old addresses blank the personal fields; the chains
    still verify, and say how many fields retention removed."""
    long_ago = timezone.now() - datetime.timedelta(days=3 * 365 + 5)
    Inquiry.objects.filter(pk=handled.pk).update(closed_at=long_ago, created_at=long_ago)
    old = timezone.now() - datetime.timedelta(days=200)
    with integrity.retention_writes():  # backdating for the test goes round the trigger too
        TimelineEntry.objects.filter(inquiry=handled).update(created_at=old)
        AuditLog._base_manager.filter(inquiry=handled).update(created_at=old)
    for model in (TimelineEntry, AuditLog):  # the test's backdating: re-seal, as if written then
        _reseal(model)

    assert retention.anonymize_inquiries() == 1
    assert retention.clear_addresses() > 0
    message = TimelineEntry.objects.get(inquiry=handled, kind=EntryKind.CITIZEN_MESSAGE)
    assert message.text == "" and "address" not in message.data
    assert AuditLog.objects.get(inquiry=handled, action=AuditAction.CLOSE).detail == ""
    assert AuditLog.objects.get(inquiry=handled, action=AuditAction.VIEW).client_address == ""
    assert AuditLog.objects.filter(inquiry=handled, action=AuditAction.ANONYMIZE).exists()
    code, out = verify()
    assert code == 0, out
    assert "OK timeline" in out and " 0 fields removed" not in out.split("OK timeline")[1]


def _reseal(model):
    """Rebuild a chain from scratch (test setup only: the rows were backdated)."""
    spec = integrity.BY_MODEL[model.__name__]
    prev = integrity.GENESIS
    with integrity.retention_writes():
        for row in model._base_manager.order_by("chain_seq"):
            row.prev_hash = prev
            row.entry_hash = integrity.compute_hash(spec, row)
            model._base_manager.filter(pk=row.pk).update(prev_hash=row.prev_hash, entry_hash=row.entry_hash)
            prev = row.entry_hash
        ChainHead.objects.filter(name=spec.name).update(last_hash=prev)


def test_a_deleted_staff_account_leaves_the_chains_valid(handled, departments):
    from tests.desk.conftest import make_user

    temp = make_user("temp1", GROUP_SUPERVISORS)
    actions.note(temp, handled, "临时同事的备注")
    temp.delete()
    note = TimelineEntry.objects.get(inquiry=handled, text="临时同事的备注")
    assert note.author_id is None
    assert AuditLog.objects.filter(username="temp1", user__isnull=True).exists()
    code, out = verify()
    assert code == 0, out


def test_entries_written_outside_an_action_are_chained_too(handled, supervisor):
    actions.record_audit(supervisor, AuditAction.EXPORT, detail="csv")
    AuditLog.objects.create(username="x", action=AuditAction.VIEW)
    assert verify()[0] == 0


@on_postgresql
@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE desk_timelineentry SET text = 'x' WHERE id = %(timeline)s",
        "DELETE FROM desk_timelineentry WHERE id = %(timeline)s",
        "UPDATE desk_auditlog SET detail = 'x' WHERE id = %(audit)s",
        "UPDATE desk_auditlog SET user_id = NULL, detail = 'x' WHERE id = %(audit)s",
        "DELETE FROM desk_auditlog WHERE id = %(audit)s",
        "UPDATE desk_chainhead SET seq = seq - 1 WHERE name = 'timeline'",
        "DELETE FROM desk_chainhead",
    ],
)
def test_postgresql_refuses_updates_and_deletes_outside_the_retention_path(handled, statement):
    ids = {
        "timeline": TimelineEntry.objects.filter(inquiry=handled).first().pk,
        "audit": AuditLog.objects.filter(inquiry=handled, action=AuditAction.CLOSE).first().pk,
    }
    with pytest.raises(DatabaseError, match="refused"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, ids)
    assert verify()[0] == 0
    with integrity.retention_writes():  # the path is closed again when its block ends
        pass
    with pytest.raises(DatabaseError, match="refused"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, ids)


@on_postgresql
@pytest.mark.postgres
def test_postgresql_lets_the_retention_path_through(handled):
    entry = TimelineEntry.objects.filter(inquiry=handled, kind=EntryKind.REPLY).first()
    with integrity.retention_writes(), connection.cursor() as cursor:
        cursor.execute("UPDATE desk_timelineentry SET text = 'x' WHERE id = %s", [entry.pk])
    assert TimelineEntry.objects.get(pk=entry.pk).text == "x"
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE desk_timelineentry SET text = 'y' WHERE id = %s", [entry.pk])


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_make_one_chain(desk_config, supervisor):
    """Eight threads writing at once: no position taken twice, no fork, the chain verifies."""
    inquiry = actions.open_inquiry(
        kind="tip",
        category="fraud",
        subject="并发",
        description="并发写入时的一条测试线索描述",
        lang="zh-hans",
        consent=True,
    ).inquiry
    barrier = threading.Barrier(8)
    errors = []

    def work(n):
        try:
            barrier.wait()
            for i in range(3):
                actions.note(User.objects.get(pk=supervisor.pk), Inquiry.objects.get(pk=inquiry.pk), f"备注 {n}-{i}")
                actions.record_audit(None, AuditAction.EXPORT, detail=f"{n}-{i}")
        except Exception as exc:  # asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert TimelineEntry.objects.filter(kind=EntryKind.NOTE).count() == 24
    code, out = verify()
    assert code == 0, out


def test_the_migration_chains_entries_written_before_the_chain(handled):
    """Rows from before migration 0003 (no position, no hash) are chained in id order."""
    import importlib

    from django.db.migrations.loader import MigrationLoader

    apps = MigrationLoader(connection).project_state(("desk", "0003_audit_chain")).apps
    migration = importlib.import_module("desk.migrations.0003_audit_chain")
    with integrity.retention_writes():
        for model in (AuditLog, TimelineEntry):
            model._base_manager.update(chain_seq=None, prev_hash="", entry_hash="", seal={})
        ChainHead.objects.all().delete()
    assert verify()[0] == 1

    class Editor:
        connection = connection

    with integrity.retention_writes():  # in the real order the trigger (0004) comes after 0003
        migration.chain_existing_entries(apps, Editor())
    code, out = verify()
    assert code == 0, out
    actions.note(handled.assignee, handled, "迁移之后的备注")
    assert verify()[0] == 0

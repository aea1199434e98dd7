"""PostgreSQL only: the handling log (desk_auditlog, desk_timelineentry) refuses UPDATE and DELETE
unless the transaction set `portal.retention = 'on'` (desk.integrity.retention_writes, the
retention job's path). One more change is let through: a staff account's deletion setting its
link (user_id / author_id) to NULL and nothing else. The chain heads only move one step forward.
SQLite has no such trigger; there `manage.py verify_audit_log` detects the change instead."""

from django.db import migrations

FUNCTIONS = """
CREATE OR REPLACE FUNCTION desk_log_append_only() RETURNS trigger AS $$
DECLARE
    link text := TG_ARGV[0];
BEGIN
    IF coalesce(current_setting('portal.retention', true), '') = 'on' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) ->> link) IS NULL
       AND (to_jsonb(NEW) - link) = (to_jsonb(OLD) - link) THEN
        RETURN NEW;  -- ON DELETE SET NULL of a deleted staff account
    END IF;
    RAISE EXCEPTION '% on % refused: the handling log is append-only (docs/audit-log.md)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION desk_chainhead_forward_only() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('portal.retention', true), '') = 'on' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.name = OLD.name AND NEW.seq = OLD.seq + 1 THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% on % refused: a chain head only moves forward (docs/audit-log.md)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS desk_auditlog_append_only ON desk_auditlog;
CREATE TRIGGER desk_auditlog_append_only BEFORE UPDATE OR DELETE ON desk_auditlog
    FOR EACH ROW EXECUTE FUNCTION desk_log_append_only('user_id');
DROP TRIGGER IF EXISTS desk_timelineentry_append_only ON desk_timelineentry;
CREATE TRIGGER desk_timelineentry_append_only BEFORE UPDATE OR DELETE ON desk_timelineentry
    FOR EACH ROW EXECUTE FUNCTION desk_log_append_only('author_id');
DROP TRIGGER IF EXISTS desk_chainhead_forward_only ON desk_chainhead;
CREATE TRIGGER desk_chainhead_forward_only BEFORE UPDATE OR DELETE ON desk_chainhead
    FOR EACH ROW EXECUTE FUNCTION desk_chainhead_forward_only();
"""

DROP = """
DROP TRIGGER IF EXISTS desk_auditlog_append_only ON desk_auditlog;
DROP TRIGGER IF EXISTS desk_timelineentry_append_only ON desk_timelineentry;
DROP TRIGGER IF EXISTS desk_chainhead_forward_only ON desk_chainhead;
DROP FUNCTION IF EXISTS desk_log_append_only();
DROP FUNCTION IF EXISTS desk_chainhead_forward_only();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0003_audit_chain"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(FUNCTIONS), _on_postgresql(DROP), elidable=False),
    ]

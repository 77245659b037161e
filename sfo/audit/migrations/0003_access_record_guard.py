"""A second guard on the access log, which no session setting can switch off.

The pgtrigger `Protect` trigger of AccessRecord returns early when the session has set
`pgtrigger.ignore` to its name, and any connection may set that. This plain trigger raises on
every UPDATE or DELETE of a row, whatever `pgtrigger.ignore` says. The table's owner or a
superuser can still switch triggers off (ALTER TABLE … DISABLE TRIGGER, or
session_replication_role): the service should connect as a role that is neither
(docs/operations.md)."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION audit_accessrecord_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The access log is append-only: % refused on %', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_accessrecord_append_only
    BEFORE UPDATE OR DELETE ON audit_accessrecord
    FOR EACH ROW EXECUTE FUNCTION audit_accessrecord_refuse_change();
"""

REVERSE = """
DROP TRIGGER IF EXISTS audit_accessrecord_append_only ON audit_accessrecord;
DROP FUNCTION IF EXISTS audit_accessrecord_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_initial")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]

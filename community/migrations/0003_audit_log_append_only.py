"""The database itself refuses to change audit entries, whoever asks.

PostgreSQL (production) refuses UPDATE and DELETE of rows. TRUNCATE stays possible for the table's
owner, because the test suite empties tables with it; production's application role must not own
the tables (docs/deployment.md). SQLite (development only) refuses UPDATE; it cannot refuse row
deletes without also breaking the way Django's test runner empties tables.
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION community_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'community_auditentry is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER community_auditentry_no_update BEFORE UPDATE OR DELETE ON community_auditentry
    FOR EACH ROW EXECUTE FUNCTION community_auditentry_append_only();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS community_auditentry_no_update ON community_auditentry;
DROP FUNCTION IF EXISTS community_auditentry_append_only();
"""
SQLITE_FORWARD = [
    """CREATE TRIGGER community_auditentry_no_update BEFORE UPDATE ON community_auditentry
       BEGIN SELECT RAISE(ABORT, 'community_auditentry is append-only'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS community_auditentry_no_update;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("community", "0002_default_crisis_contacts")]
    operations = [migrations.RunPython(forward, backward)]

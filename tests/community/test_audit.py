"""The audit log is append-only, down to the database."""

import pytest
from django.db import DatabaseError, connection, transaction

from community import services
from community.models import AuditEntry


@pytest.fixture
def entry(people):
    return services.audit_record(actor=people["admin"], action="test.action", note="why")


def test_the_orm_refuses_bulk_changes(entry):
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="changed")
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).delete()


def test_a_saved_entry_cannot_be_changed_or_deleted(entry):
    entry.action = "changed"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.action"


def test_the_database_refuses_updates(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE community_auditentry SET action = %s WHERE id = %s", ["changed", entry.pk]
        )
    entry.refresh_from_db()
    assert entry.action == "test.action"


def test_the_database_refuses_deletes_on_postgresql(entry):
    """PostgreSQL, where real sites run, refuses row deletes too (SQLite cannot: see the
    migration), so this asserts the refusal on PostgreSQL and its absence elsewhere."""
    statement = "DELETE FROM community_auditentry WHERE id = %s"
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk])
        assert AuditEntry.objects.filter(pk=entry.pk).exists()
    else:
        assert connection.vendor == "sqlite"


def test_role_changes_are_audited(people):
    services.user_set_role(user=people["member"], role="peer_supporter",
                           changed_by=people["admin"])
    entry = AuditEntry.objects.get(action="user.set_role")
    assert entry.actor == people["admin"]
    assert entry.detail == {"previous": "member", "role": "peer_supporter"}
    people["member"].refresh_from_db()
    assert people["member"].role == "peer_supporter" and not people["member"].is_staff

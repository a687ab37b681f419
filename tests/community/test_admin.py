"""The admin site keeps the same rules as the rest of Harbour."""

from django.urls import reverse

from community.models import AuditEntry, User


def test_admin_cannot_add_a_user_with_an_identifying_display_name(client_for, people):
    response = client_for(people["admin"]).post(
        reverse("admin:community_user_add"),
        {"email": "new.person@example.org", "display_name": "07700 900123",
         "password1": "a-long-new-password-5", "password2": "a-long-new-password-5",
         "usable_password": "true"},
    )
    assert response.status_code == 200
    assert "phone number" in response.content.decode()
    assert not User.objects.filter(email="new.person@example.org").exists()


def test_admin_adds_a_user_and_sets_a_role_with_an_audit_entry(client_for, people):
    client = client_for(people["admin"])
    response = client.post(
        reverse("admin:community_user_add"),
        {"email": "new.person@example.org", "display_name": "Calm Otter",
         "password1": "a-long-new-password-5", "password2": "a-long-new-password-5",
         "usable_password": "true"},
    )
    assert response.status_code == 302
    person = User.objects.get(email="new.person@example.org")
    client.post(
        reverse("admin:community_user_changelist"),
        {"action": "set_role_clinician", "_selected_action": [person.pk]},
    )
    person.refresh_from_db()
    assert person.role == "clinician"
    assert AuditEntry.objects.filter(action="user.set_role", target_id=str(person.pk)).exists()


def test_audit_log_cannot_be_changed_in_the_admin(client_for, people):
    from community import services

    entry = services.audit_record(actor=people["admin"], action="test.entry")
    client = client_for(people["admin"])
    change = client.get(reverse("admin:community_auditentry_change", args=[entry.pk]))
    assert change.status_code == 200
    assert b'name="_save"' not in change.content
    delete = client.post(reverse("admin:community_auditentry_delete", args=[entry.pk]),
                         {"post": "yes"})
    assert delete.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()

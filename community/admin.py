from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.core.exceptions import ValidationError
from django.db import models
from django_otp.admin import OTPAdminSite

from community import library, live, services
from community.identity import validate_display_name
from community.models import (
    AuditEntry,
    CrisisContact,
    Invitation,
    Key,
    Resource,
    Role,
    Space,
    Topic,
    User,
)

# The admin site needs a second factor, like the moderation pages.
admin.site.__class__ = OTPAdminSite
admin.site.site_header = "Harbour administration"


def _set_role_action(role: Role):
    def set_role(modeladmin, request, queryset):
        for user in queryset:
            services.user_set_role(user=user, role=role, changed_by=request.user)
        messages.success(request, f"Role set to {role.label} (recorded in the audit log).")

    set_role.__name__ = f"set_role_{role.value}"
    set_role.short_description = f"Set role: {role.label}"
    return set_role


class DisplayNameRulesMixin:
    """The admin site applies the same display-name rules as joining."""

    def clean_display_name(self):
        return validate_display_name(
            self.cleaned_data["display_name"],
            first_name=self.cleaned_data.get("first_name", ""),
            last_name=self.cleaned_data.get("last_name", ""),
        )


class UserCreationForm(DisplayNameRulesMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email", "display_name")


class UserChangeForm(DisplayNameRulesMixin, DjangoUserChangeForm):
    class Meta(DjangoUserChangeForm.Meta):
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserCreationForm
    form = UserChangeForm
    ordering = ["display_name"]
    list_display = ["display_name", "email", "role", "is_active", "date_joined"]
    list_filter = ["role", "is_active"]
    search_fields = ["display_name", "email", "first_name", "last_name"]
    readonly_fields = ["role", "is_staff", "is_superuser", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Seen by other members", {"fields": ["display_name", "avatar"]}),
        ("Private", {"fields": ["first_name", "last_name", "therapy_completed"]}),
        ("Role", {"fields": ["role", "is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined", "agreed_to_rules_at"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["email", "display_name", "password1", "password2",
                           "usable_password"]}),
    ]
    actions = [_set_role_action(role) for role in Role]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            live.disconnect_user(obj.pk, "deactivated")


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "audience"]
    prepopulated_fields = {"slug": ["name"]}


class ReadOnlyAdmin(admin.ModelAdmin):
    """Changes to these go through the app's own pages, so that they are audited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Key)
class KeyAdmin(ReadOnlyAdmin):
    list_display = ["user", "space", "moderates", "granted_by", "granted_at"]
    list_filter = ["space", "moderates"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "role", "created_by", "created_at", "expires_at", "status"]
    list_filter = ["role"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "actor", "target_type", "target_id", "space"]
    list_filter = ["action"]


@admin.register(CrisisContact)
class CrisisContactAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "phone", "text_number", "hours", "last_verified", "verified_recently",
                    "is_listed", "position"]
    list_editable = ["position", "is_listed"]

    @admin.display(boolean=True, description="Checked in the last 6 months")
    def verified_recently(self, contact):
        return not contact.needs_verification

    def changelist_view(self, request, extra_context=None):
        stale = CrisisContact.objects.needing_verification()
        if stale:
            names = ", ".join(contact.name for contact in stale)
            messages.warning(
                request,
                f"Not verified for 6 months: {names}. Check the details with each service, then "
                "update the last-verified date.",
            )
        return super().changelist_view(request, extra_context)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "audience", "status", "published_at"]
    list_filter = ["kind", "audience", "status", "topics"]
    filter_horizontal = ["topics", "spaces"]
    readonly_fields = ["embed_url", "published_at"]

    def save_model(self, request, obj, form, change):
        # Rendering, embed checks and the publishing rules live in the library's services.
        try:
            library.resource_save(resource=obj, editor=request.user,
                                  publish=obj.status == Resource.Status.PUBLISHED)
        except ValidationError as error:
            obj.status = Resource.Status.DRAFT
            library.resource_save(resource=obj, editor=request.user)
            messages.error(request, "Saved as a draft: " + " ".join(error.messages))

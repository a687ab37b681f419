from django.contrib import admin

from community.admin import ReadOnlyAdmin
from moderation.models import (
    Closure,
    Escalation,
    Report,
    ReviewItem,
    RiskPhrase,
    Suspension,
    WeeklyOpening,
)


@admin.register(WeeklyOpening)
class WeeklyOpeningAdmin(admin.ModelAdmin):
    list_display = ["space", "weekday", "opens", "closes"]
    list_filter = ["space"]


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["starts_on", "ends_on", "space", "reason"]


@admin.register(RiskPhrase)
class RiskPhraseAdmin(admin.ModelAdmin):
    list_display = ["phrase", "tier", "is_active"]
    list_filter = ["tier", "is_active"]
    list_editable = ["tier", "is_active"]
    search_fields = ["phrase"]


@admin.register(ReviewItem)
class ReviewItemAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kind", "tier", "space", "created_at", "due_at", "resolved_at"]
    list_filter = ["kind", "tier"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["pk", "reason", "space", "created_at", "is_open"]


@admin.register(Suspension)
class SuspensionAdmin(ReadOnlyAdmin):
    list_display = ["user", "starts_at", "ends_at", "pending_review", "lifted_at"]


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "member", "space", "opened_at", "closed_at"]

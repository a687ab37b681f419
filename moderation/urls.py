from django.urls import path

from moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/escalate/", views.escalate, name="escalate"),
    path("escalations/<int:pk>/", views.escalation_detail, name="escalation"),
    path("members/<int:pk>/", views.member_detail, name="member"),
    path("report/", views.report, name="report"),
    path("duty/<slug:slug>/", views.duty, name="duty"),
    path("check/", views.risk_check, name="risk_check"),
    path("paused/", views.paused, name="paused"),
    path("audit/", views.audit_log, name="audit"),
]

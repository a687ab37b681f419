from django.urls import path

import community.converters  # noqa: F401 - registers the <id:> converter
from moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("items/<id:pk>/", views.item_detail, name="item"),
    path("items/<id:pk>/escalate/", views.escalate, name="escalate"),
    path("escalations/<id:pk>/", views.escalation_detail, name="escalation"),
    path("members/<id:pk>/", views.member_detail, name="member"),
    path("report/", views.report, name="report"),
    path("duty/<slug:slug>/", views.duty, name="duty"),
    path("check/", views.risk_check, name="risk_check"),
    path("paused/", views.paused, name="paused"),
    path("audit/", views.audit_log, name="audit"),
]

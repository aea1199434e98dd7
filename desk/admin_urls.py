"""Admin URLs of the duty desk, mounted under /admin/desk/ by desk.wagtail_hooks."""

from django.urls import path

from . import admin_views

app_name = "desk_admin"

urlpatterns = [
    path("", admin_views.QueueView.as_view(), name="queue"),
    path("<int:pk>/", admin_views.InquiryView.as_view(), name="inquiry"),
    path("audit/", admin_views.AuditLogView.as_view(), name="audit"),
    path("audit/export.csv", admin_views.audit_export, name="audit_export"),
]

"""Admin URLs of Sunshine, mounted under /admin/sunshine/ by sunshine.wagtail_hooks."""

from django.urls import path

from . import admin_views

app_name = "sunshine_admin"

urlpatterns = [
    path("follow-ups/", admin_views.FollowUpListView.as_view(), name="follow_ups"),
    path("follow-ups/<int:pk>/", admin_views.FollowUpView.as_view(), name="follow_up"),
    path("assessment/", admin_views.AssessmentView.as_view(), name="assessment"),
    path("assessment/export.csv", admin_views.assessment_export, name="assessment_export"),
    path("review/", admin_views.ReviewView.as_view(), name="review"),
]

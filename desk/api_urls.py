"""Inquiry API under /api/ (no language prefix; see docs/api-inquiries.md)."""

from django.urls import path

from . import api

urlpatterns = [
    path("inquiries/options", api.options, name="desk_api_options"),
    path("inquiries", api.create, name="desk_api_create"),
    path("inquiries/<str:reference>", api.detail, name="desk_api_detail"),
]

"""Inquiry API under /api/ (no language prefix; see docs/api-inquiries.md)."""

from django.urls import path

from . import api, receipt_views

urlpatterns = [
    path("inquiries/options", api.options, name="desk_api_options"),
    path("receipts/verify", receipt_views.verify_api, name="desk_api_receipt_verify"),
    path("inquiries", api.create, name="desk_api_create"),
    path("inquiries/<str:reference>", api.detail, name="desk_api_detail"),
    # The documented URLs have no trailing slash; a client that adds one gets the same answer
    # (a POST is not redirected, which would lose its body).
    path("inquiries/options/", api.options),
    path("receipts/verify/", receipt_views.verify_api),
    path("inquiries/", api.create),
    path("inquiries/<str:reference>/", api.detail),
]

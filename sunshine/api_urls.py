"""Open data under /api/open-data/ (no language prefix; docs/open-data.md)."""

from django.urls import path

from . import views

urlpatterns = [
    path("open-data/service-stats.json", views.open_data_json, name="sunshine_open_data_json"),
    path("open-data/service-stats.csv", views.open_data_csv, name="sunshine_open_data_csv"),
]

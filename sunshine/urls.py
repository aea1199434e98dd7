"""Public Sunshine pages under /<lang>/sunshine/ (language prefix from portal.urls)."""

from django.urls import path

from . import views

app_name = "sunshine"

urlpatterns = [
    path("", views.service, name="service"),
]

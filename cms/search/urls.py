from django.urls import path

from . import views

app_name = "search"

urlpatterns = [path("", views.search, name="index"), path("click/", views.click, name="click")]

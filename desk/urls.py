"""Public desk pages under /<lang>/requests/ (language prefix from portal.urls)."""

from django.urls import path

from . import views

app_name = "desk"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("new/done/", views.done, name="done"),
    path("track/", views.track, name="track"),
    path("track/<str:reference>/", views.detail, name="detail"),
    path("track/<str:reference>/message/", views.message, name="message"),
    path("track/<str:reference>/rate/", views.rate, name="rate"),
    path("track/<str:reference>/forget/", views.forget, name="forget"),
    path("track/<str:reference>/receipt/", views.printable, name="receipt"),
    path("rate/<str:token>/", views.rate_link, name="rate_link"),
]

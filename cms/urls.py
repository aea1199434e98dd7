"""Feeds: no language prefix (the language is the `lang` query parameter)."""

from django.urls import path

from .feeds import NoticeFeed

urlpatterns = [
    path("feeds/notices.atom", NoticeFeed(), name="notice_feed"),
    path("feeds/notices/<slug:category>.atom", NoticeFeed(), name="notice_category_feed"),
]

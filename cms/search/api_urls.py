"""Non-prefixed API routes, included under /api/ by portal.urls."""

from django.urls import path

from . import api

urlpatterns = [
    path("search", api.search, name="api_search"),
    path("search/suggest", api.suggest, name="api_search_suggest"),
]

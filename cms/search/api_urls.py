"""Non-prefixed API routes, included under /api/ by portal.urls."""

from django.urls import path

from . import api

urlpatterns = [
    path("search", api.search, name="api_search"),
    path("search/suggest", api.suggest, name="api_search_suggest"),
    # The documented URLs have no trailing slash; a client that adds one gets the same answer
    # (not Wagtail's HTML 404 via the language redirect).
    path("search/", api.search),
    path("search/suggest/", api.suggest),
]

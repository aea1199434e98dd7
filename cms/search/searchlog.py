"""Searches that led to no click: the search page's second source for learning from editors
(the chat's unanswered questions being the first; cms.search.learning attaches either to an FAQ).

What is kept is privacy-safe by construction: the words searched (with long digit runs and
e-mail addresses blanked, so a phone or ID number typed into the box is not stored), the page
language, how many results were found, when, and whether a result was then opened. No address,
session, user or cookie is stored; a search is tied to its click only by a random token in the
result links (`/search/click/?s=…&to=…`, which works with JavaScript off). Rows older than
`KEEP_DAYS` are deleted whenever a new search is logged (one indexed DELETE at most once an
hour per process).
"""

import datetime as dt
import re
import secrets
import time

from django.db import models
from django.db.models import Count, Max
from django.utils import timezone

from . import analysis

KEEP_DAYS = 30
MAX_QUERY_LENGTH = 200
_PRUNE_EVERY = 3600.0  # seconds
_last_prune = None

_DIGITS = re.compile(r"\d{5,}")
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+")


class SearchLog(models.Model):
    """One search from the site's search page (first page of results only)."""

    token = models.CharField(max_length=22, unique=True, help_text="Random; ties a result click to this search.")
    query = models.CharField(max_length=MAX_QUERY_LENGTH, help_text="The words searched, personal numbers blanked.")
    normalized = models.CharField(max_length=MAX_QUERY_LENGTH, help_text="The query folded for counting.")
    lang = models.CharField(max_length=10)
    results = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(default=timezone.now, db_index=True)
    clicked = models.DateTimeField(null=True, blank=True, help_text="When a result of this search was opened.")

    class Meta:
        app_label = "cms"
        ordering = ["-created"]
        indexes = [models.Index(fields=["normalized", "lang"], name="cms_searchlog_query")]

    def __str__(self):
        return self.query[:80]


def scrub(text):
    """The query as stored: normalized, digit runs of 5+ and e-mail addresses blanked, capped."""
    text = analysis.normalize(text)
    text = _EMAIL.sub("…", text)
    text = _DIGITS.sub(lambda m: "#" * len(m.group(0)), text)
    return text[:MAX_QUERY_LENGTH]


def log_search(query, lang, results, now=None):
    """Record a search; returns the token its result links carry (None when nothing is logged)."""
    text = scrub(query)
    if not re.search(r"\w", text):
        return None
    now = now or timezone.now()
    _prune(now)
    row = SearchLog.objects.create(
        token=secrets.token_urlsafe(16),
        query=text,
        normalized=text.casefold(),
        lang=lang,
        results=results,
        created=now,
    )
    return row.token


def log_click(token, now=None):
    """Mark the search with this token as clicked (the first click counts). True when it existed."""
    if not token or len(token) > 22:
        return False
    return bool(SearchLog.objects.filter(token=token, clicked__isnull=True).update(clicked=now or timezone.now()))


def no_click_report(lang=None, days=KEEP_DAYS, now=None):
    """Queries whose searches of the last `days` led to no click, most frequent first: dicts with
    query (the latest wording), lang, searches (without a click), results (most recent count)
    and last (when last searched)."""
    since = (now or timezone.now()) - dt.timedelta(days=days)
    rows = SearchLog.objects.filter(created__gte=since, clicked__isnull=True)
    if lang:
        rows = rows.filter(lang=lang)
    grouped = (
        rows.values("normalized", "lang")
        .annotate(searches=Count("id"), last=Max("created"), last_id=Max("id"))
        .order_by("-searches", "-last")
    )
    latest = {r.id: r for r in SearchLog.objects.filter(id__in=[g["last_id"] for g in grouped[:500]])}
    out = []
    for group in grouped[:500]:
        row = latest.get(group["last_id"])
        if row is None:
            continue
        out.append(
            {
                "query": row.query,
                "lang": group["lang"],
                "searches": group["searches"],
                "results": row.results,
                "last": group["last"],
            }
        )
    return out


def _prune(now):
    global _last_prune  # noqa: PLW0603 - a per-process throttle, nothing else
    if _last_prune is not None and time.monotonic() - _last_prune < _PRUNE_EVERY:
        return
    _last_prune = time.monotonic()
    SearchLog.objects.filter(created__lt=now - dt.timedelta(days=KEEP_DAYS)).delete()

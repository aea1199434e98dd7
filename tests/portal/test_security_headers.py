"""Content-Security-Policy and Permissions-Policy on every page; the search page's 429 says when
to come back (Retry-After)."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def directives(header):
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/zh-hans/",
        "/en/requests/new/",
        "/zh-hans/chat/",
        "/zh-hans/search/?q=x",
        "/api/inquiries/options",
        "/robots.txt",
        "/nowhere/",
    ],
)
def test_every_public_response_forbids_inline_script(client, path):
    response = client.get(path)
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_the_admin_has_its_own_policy(client):
    response = client.get("/admin/login/")
    policy = directives(response["Content-Security-Policy"])
    assert policy["object-src"] == ["'none'"] and "'unsafe-eval'" not in policy["script-src"]
    assert response["Permissions-Policy"]


def test_no_template_has_an_inline_script_or_event_handler():
    import re
    from pathlib import Path

    from django.conf import settings

    roots = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR).glob("*/templates")]
    offenders = []
    for root in roots:
        for template in root.rglob("*.html"):
            text = template.read_text(encoding="utf-8")
            for match in re.finditer(r"<script\b([^>]*)>", text, re.IGNORECASE):
                if "src=" not in match.group(1) and "application/json" not in match.group(1):
                    offenders.append(f"{template}: {match.group(0)}")
            for match in re.finditer(r"\son[a-z]+\s*=\s*[\"']", text):
                offenders.append(f"{template}: {match.group(0)}")
            if re.search(r"href\s*=\s*[\"']\s*javascript:", text, re.IGNORECASE):
                offenders.append(f"{template}: javascript: link")
    assert offenders == []


def test_the_search_pages_429_carries_retry_after(client, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "search": (1, 60)}
    assert client.get("/zh-hans/search/?q=身份证").status_code == 200
    limited = client.get("/zh-hans/search/?q=护照")
    assert limited.status_code == 429
    assert 0 < int(limited["Retry-After"]) <= 60

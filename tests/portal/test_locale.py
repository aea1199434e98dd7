"""Language in the URL for pages, none for the admin and the APIs."""

import pytest


@pytest.mark.django_db
def test_unknown_admin_and_api_paths_are_plain_404s(client):
    """A mistyped admin or API URL says "not found"; it is not bounced to a public page."""
    for path in ("/api/no-such-endpoint", "/admin/no-such-view/", "/feeds/no-such.atom"):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-CN")
        assert response.status_code in (302, 404), path
        if response.status_code == 302:
            # Only the admin's own login redirect is allowed, never a language prefix.
            assert response["Location"].startswith("/admin/login/"), path


@pytest.mark.django_db
def test_root_redirects_by_browser_language(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")["Location"] == "/en/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")["Location"] == "/zh-hans/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR")["Location"] == "/zh-hans/"

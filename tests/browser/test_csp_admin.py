"""The Content-Security-Policy keeps the Wagtail admin working: an editor's page explorer, the
page editor (Stimulus controllers, the rich-text editor) and the snippet listing load and react
without a CSP violation or any other console error (page_factory fails on those)."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from cms.factories import build_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def static_files():
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def test_the_wagtail_admin_works_under_its_policy(page_factory):
    # The page tree this test edits (an earlier transactional test may have flushed it, root included).
    build_site()
    User.objects.create_superuser("csp-admin", "csp@police.example", "pw-123456")
    server = page_factory.server
    violations = []
    page = page_factory(locale="zh-CN")
    page.on("console", lambda msg: "Content Security Policy" in msg.text and violations.append(msg.text))
    page.goto(server.url + "/admin/login/")
    page.fill("input[name=username]", "csp-admin")
    page.fill("input[name=password]", "pw-123456")
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto(server.url + "/admin/pages/")
    expect(page.locator("main")).to_be_visible()
    edit = page.locator('a[href*="/edit/"]').first
    edit.click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))
    title = page.locator("#id_title")
    expect(title).to_be_visible()
    title.fill("CSP check")
    # A Stimulus-driven control reacts: the side panel toggles open.
    toggle = page.locator("[data-side-panel-toggle]").first
    if toggle.count():
        toggle.click()
        expect(page.locator("[data-side-panel]").first).to_be_attached()
    page.goto(server.url + "/admin/snippets/")
    expect(page.locator("main")).to_be_visible()
    assert violations == []

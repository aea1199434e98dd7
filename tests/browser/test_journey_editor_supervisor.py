"""Journey: an editor changes a notice and submits it for moderation; a supervisor approves it;
the public sees the change. Walked in each admin language (the users' Wagtail language
preference), on the notice of that language (issue 10 items 8 and 17: approving answered
"您无权访问此区域" and the notice stayed in moderation)."""

import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from tests.cms.tree import build_site

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-journeys-1"


@pytest.fixture(scope="module", autouse=True)
def static_files():
    """The admin needs Wagtail's CSS/JS collected (see tests/browser/test_desk.py)."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture
def newsroom(transactional_db):
    """The bilingual tree, the demo's groups with their permissions, the moderation workflow and
    an editor and a supervisor (committed: the server process sees them)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.cache import cache

    from cms.demo.users import EDITORS, SUPERVISORS
    from cms.management.commands.seed_demo import Command
    from cms.workflows import ensure_notice_workflow

    cache.clear()
    tree = build_site()
    seeder = Command()
    seeder.created = {}
    seeder.count = lambda kind, created: None
    homes = SimpleNamespace(zh=SimpleNamespace(home=tree.zh["home"]), en=SimpleNamespace(home=tree.en["home"]))
    seeder.seed_groups(homes)
    ensure_notice_workflow()
    users = {}
    for username, group in (("editor", EDITORS), ("supervisor", SUPERVISORS)):
        user = get_user_model().objects.create_user(username, f"{username}@police.example", PASSWORD)
        user.groups.add(Group.objects.get(name=group))
        users[username] = user
    return SimpleNamespace(tree=tree, **users)


def sign_in(page, url, user, language):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    page.goto(url + "/admin/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))
    expect(page.locator("html")).to_have_attribute("lang", language)


TEXT = {
    "zh-hans": {"locale": "zh-CN", "suffix": "（已更新）"},
    "en": {"locale": "en-GB", "suffix": " (updated)"},
}


@pytest.mark.parametrize("language", list(TEXT))
def test_editor_submits_a_notice_supervisor_approves_public_sees_it(page_factory, newsroom, language, output_dir):
    from cms.models import NoticePage

    server = page_factory.server
    notice = newsroom.tree[language]["notice_report"]
    new_title = notice.title + TEXT[language]["suffix"]

    editor = page_factory(locale=TEXT[language]["locale"])
    sign_in(editor, server.url, newsroom.editor, language)
    editor.goto(f"{server.url}/admin/pages/{notice.pk}/edit/")
    editor.fill("#id_title", new_title)
    submit = editor.locator('button[name="action-submit"]')
    expect(submit).to_have_count(1)
    expect(editor.locator("footer, .footer").get_by_text("Moderators approval")).to_have_count(0)
    with editor.expect_navigation():
        submit.evaluate("button => button.click()")
    editor.screenshot(path=str(output_dir / f"journey-editor-submitted-{language}.png"))
    notice.refresh_from_db()
    assert notice.title != new_title, "the change waits for approval"
    state = NoticePage.objects.get(pk=notice.pk).workflow_states.get(status="in_progress")

    supervisor = page_factory(locale=TEXT[language]["locale"])
    sign_in(supervisor, server.url, newsroom.supervisor, language)
    supervisor.goto(f"{server.url}/admin/pages/{notice.pk}/edit/")
    approve = supervisor.locator('button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])')
    expect(approve).to_have_count(1)
    with supervisor.expect_navigation():
        approve.evaluate("button => button.click()")
    expect(supervisor.locator("body")).not_to_contain_text("您无权访问此区域")
    supervisor.screenshot(path=str(output_dir / f"journey-supervisor-approved-{language}.png"))
    state.refresh_from_db()
    for _ in range(50):
        if state.status != "in_progress":
            break
        supervisor.wait_for_timeout(100)
        state.refresh_from_db()
    assert state.status == "approved"

    citizen = page_factory(locale=TEXT[language]["locale"])
    notice.refresh_from_db()
    citizen.goto(server.url + notice.url)
    expect(citizen.locator("h1")).to_have_text(new_title)

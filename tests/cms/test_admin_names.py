"""Issue 10 item 13: Wagtail's own admin screens name a Chinese user family name first ("王强"),
not Django's "first last" ("强 王"): the dashboard, page history and "locked by"."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from wagtail.users.models import UserProfile

from cms.models import StandardPage

pytestmark = pytest.mark.django_db


def make_user(username, first, last, language="zh-hans"):
    user = User.objects.create_superuser(username, f"{username}@police.example", "pw-for-tests-1")
    user.first_name, user.last_name = first, last
    user.save()
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


@pytest.fixture
def wang(site_tree):
    return make_user("wangq", "强", "王")


@pytest.fixture
def page(site_tree, wang):
    page = StandardPage(title="办事须知", slug="names-notes", summary="须知")
    site_tree.zh["home"].add_child(instance=page)
    page.save_revision(user=wang, log_action=True).publish(user=wang)
    return page


def test_the_dashboard_greets_a_chinese_user_family_name_first(client, wang):
    client.force_login(wang)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "王强" in html
    assert "强 王" not in html


def test_page_history_names_the_editor_family_name_first(client, wang, page):
    client.force_login(wang)
    response = client.get(reverse("wagtailadmin_pages:history", args=[page.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "王强" in html
    assert "强 王" not in html


def test_locked_by_names_the_colleague_family_name_first(client, wang, page):
    page.locked, page.locked_by, page.locked_at = True, wang, timezone.now()
    page.save(update_fields=["locked", "locked_by", "locked_at"])
    colleague = make_user("chenj", "静", "陈")
    client.force_login(colleague)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "王强" in html
    assert "强 王" not in html


def test_latin_names_stay_given_name_first_and_no_name_falls_back_to_the_username(db):
    alex = User(username="alex", first_name="Alex", last_name="Chen")
    assert alex.get_full_name() == "Alex Chen"
    nobody = User(username="duty9")
    assert nobody.get_full_name() == ""
    from wagtail.admin.utils import get_user_display_name

    assert get_user_display_name(nobody) == "duty9"
    assert get_user_display_name(User(username="w", first_name="强", last_name="王")) == "王强"

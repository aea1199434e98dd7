"""Several hosts: each keeps its own search index current from the change log in the database.

Host A is this test process (its data directory, its index, written by the signals); host B is
a server process with another data directory and its own follower (`manage.py follow_changes`),
sharing the database and Redis. A publish on A is searchable on B within 2 seconds; an
unpublish leaves B's results within 2 seconds too."""

import os
import subprocess
import sys
import time
import uuid

import pytest
import requests
from django.db import connection
from wagtail.models import Locale

from cms.models import FAQ, FAQCategory
from cms.search import changelog
from tests.conftest import BASE_DIR, require_service

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def hits(server, term):
    response = requests.get(f"{server.url}/api/search", params={"q": term, "lang": "zh-hans"}, timeout=10)
    assert response.status_code == 200
    return [r["key"] for r in response.json()["results"]]


def until(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


@pytest.fixture
def host_b(asgi_server_factory, tmp_path):
    require_service("Redis", "127.0.0.1", 6379)
    redis = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "PORTAL_TEST_DB_NAME": str(connection.settings_dict["NAME"]),
        "PORTAL_TEST_DATA_DIR": str(tmp_path / "host-b"),
        "REDIS_URL": redis,
        "PORTAL_TEST_RATELIMIT_ENABLE": "false",
    }
    server = asgi_server_factory(extra_env={k: env[k] for k in ("PORTAL_TEST_DATA_DIR", "REDIS_URL")})
    follower = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "follow_changes", "--interval", "0.2"], cwd=BASE_DIR, env=env
    )
    # The follower is ready once it has written its position into host B's index directory.
    position = tmp_path / "host-b" / "search-index" / changelog.POSITION_FILE
    assert until(lambda: position.exists() or follower.poll() is not None, 60), "the follower did not start"
    assert follower.poll() is None, "the follower exited"
    yield server
    follower.terminate()
    follower.wait(10)


def test_a_publish_on_one_host_is_searchable_on_another_within_two_seconds(host_b):
    zh = Locale.objects.get_or_create(language_code="zh-hans")[0]
    category = FAQCategory.objects.create(slug="hosts", name="hosts", locale=zh)
    term = "蓝鲸护照"  # not in any other FAQ
    assert hits(host_b, term) == []  # host B builds its index from the database now
    assert (host_b.proc.poll()) is None

    faq = FAQ(
        key="two-hosts",
        question=f"{term}遗失了怎么办？",
        answer="<p>到出入境窗口挂失。</p>",
        category=category,
        locale=zh,
        translation_key=uuid.uuid4(),
        live=False,
    )
    faq.save()
    started = time.monotonic()
    faq.save_revision().publish()  # on host A; commits at once (no outer transaction)
    assert changelog.IndexChange.objects.filter(model_label="cms.faq", object_id=str(faq.pk)).exists()
    assert until(lambda: "two-hosts" in hits(host_b, term), 2.0), "host B did not see the publish within 2 s"
    assert time.monotonic() - started <= 2.0

    faq.refresh_from_db()
    started = time.monotonic()
    faq.unpublish()
    assert until(lambda: "two-hosts" not in hits(host_b, term), 2.0), "host B still finds an unpublished FAQ"
    assert time.monotonic() - started <= 2.0

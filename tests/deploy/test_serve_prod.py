"""The production topology of `make serve-prod` (manage.py serve_prod), for real: Debian's nginx
with its page cache in front of gunicorn (pages) and uvicorn (WebSockets), the change-log
follower emptying the cache on every change. One scenario, because starting it costs seconds.

In CI (CI=true) a missing nginx fails the run instead of skipping it."""

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import websockets
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client

from tests.cms.tree import build_site
from tests.conftest import BASE_DIR, IN_CI, free_port, wait_for_port

pytestmark = [pytest.mark.nginx, pytest.mark.django_db(transaction=True)]

CACHE_VALID = 5  # seconds a cached page stays fresh in this test's nginx


def require_nginx():
    if shutil.which("nginx") or os.path.exists("/usr/sbin/nginx"):
        return
    if IN_CI:
        pytest.fail("nginx is not installed (.ci/run installs Debian's nginx)")
    pytest.skip("nginx is not installed (apt-get install nginx)")


@pytest.fixture
def topology():
    require_nginx()
    cache.clear()
    tree = build_site()
    port = free_port()
    state_file = Path(settings.PORTAL_DATA_DIR) / "nginx" / "serve-prod.json"
    state_file.unlink(missing_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test_nginx",
        "PORTAL_TEST_DB_NAME": str(connection.settings_dict["NAME"]),
        "PORTAL_TEST_DATA_DIR": str(settings.PORTAL_DATA_DIR),
        "RATELIMIT_SEARCH": "3/600",
        "PORTAL_WARM_UP": "false",
    }
    cmd = [
        sys.executable,
        "manage.py",
        "serve_prod",
        "--port",
        str(port),
        "--page-workers",
        "1",
        "--page-threads",
        "2",
        "--cache-valid",
        f"{CACHE_VALID}s",  # short, so that the stale-on-error step need not wait ten minutes
        "--no-worker",
    ]
    proc = subprocess.Popen(cmd, cwd=BASE_DIR, env=env)  # noqa: S603
    try:
        wait_for_port(port, proc)
        deadline = time.monotonic() + 30
        while not state_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        state = json.loads(state_file.read_text())
        yield tree, state
    finally:
        proc.send_signal(signal.SIGINT)  # what Ctrl-C does: everything stops
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for pid in state["pids"].values():
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def get(url, **kwargs):
    return requests.get(url, timeout=10, allow_redirects=False, **kwargs)


def port_open(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def until(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


def test_nginx_cache_publish_chat_proxy_addresses_and_stale_pages(topology, settings):
    tree, state = topology
    # This test process publishes like the admin on this host: it empties the host's cache once
    # the publish commits (the follower repeats it; tests/deploy/test_hosts.py covers other hosts).
    settings.PAGE_CACHE_DIR = state["cache_dir"]
    base = state["url"]
    notice = tree.zh["notice_fraud"]
    notice_url = base + notice.url

    # 1. Anonymous readers are served from nginx's cache.
    first = get(notice_url)
    assert first.status_code == 200
    assert until(lambda: get(notice_url).headers.get("X-Cache-Status") == "HIT", 5), "no cache hit"

    # 2. A signed-in editor bypasses the cache, and what they see is not stored for others.
    user = get_user_model().objects.create_user("ed-nginx", password="x", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    cookie = {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}
    about_url = base + tree.zh["about"].url
    signed_in = get(about_url, headers=cookie)
    assert signed_in.status_code == 200
    assert signed_in.headers["X-Cache-Status"] == "BYPASS"
    assert get(about_url).headers["X-Cache-Status"] == "MISS"  # the editor's copy was not kept
    assert get(base + "/api/search?q=test").headers["X-Cache-Status"] == "BYPASS"

    # 3. A publish is seen by anonymous readers within a second (while the cached copy would
    # still be fresh for seconds: only the purge can make it visible).
    from cms.search import changelog
    from portal import pagecache

    # The follower is done with the earlier steps' changes, its second purge included: a purge
    # removes the file nginx is still writing, and that response is then not kept.
    assert until(lambda: (changelog.read_position() or 0) >= changelog.latest_id(), 5), "the follower is behind"
    time.sleep(changelog.SETTLE + 0.5)
    pagecache.purge()
    assert get(notice_url).headers["X-Cache-Status"] == "MISS"
    assert get(notice_url).headers["X-Cache-Status"] == "HIT"
    revision_page = notice.specific
    revision_page.title = "警惕冒充客服诈骗（更新）"
    started = time.monotonic()
    revision_page.save_revision().publish()
    assert until(lambda: "（更新）" in get(notice_url).text, 1.0), "the publish was not seen within 1 s"
    seen_after = time.monotonic() - started
    assert seen_after <= 1.0
    home_url = base + tree.zh["home"].url
    assert "（更新）" in get(home_url).text  # listings too, not only the page itself

    # 4. The chat works through nginx (WebSocket upgrade to the ASGI server).
    async def chat():
        ws_url = base.replace("http://", "ws://") + "/ws/chat/?lang=zh-hans&last_seq=0"
        async with websockets.connect(ws_url, origin=base) as ws:
            async with asyncio.timeout(30):
                while json.loads(await ws.recv()).get("type") != "welcome":
                    pass
                await ws.send(json.dumps({"type": "message", "text": "身份证丢了怎么办", "id": "n1"}))
                while True:
                    message = json.loads(await ws.recv())
                    if message.get("type") == "reply" and message.get("reply_to") == "n1":
                        return message

    assert asyncio.run(chat())["text"]

    # 5. X-Forwarded-For from nginx (a trusted proxy) decides whose rate limit counts.
    search = base + "/api/search?q=%E8%BA%AB%E4%BB%BD%E8%AF%81"
    first_client = {"X-Forwarded-For": "203.0.113.7"}
    codes = [get(search, headers=first_client).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert get(search, headers={"X-Forwarded-For": "203.0.113.8"}).status_code == 200

    # 6. Documents: Django checks, nginx sends the bytes (X-Accel-Redirect); the media path of
    # documents is never served directly; a private collection's document needs a sign-in.
    from wagtail.models import Collection, CollectionViewRestriction

    from cms.factories import ensure_document

    public, _ = ensure_document("公开文件", "public-form.txt", b"public bytes\n")
    served = get(base + public.url)
    assert served.status_code == 200 and served.content == b"public bytes\n"
    assert "X-Accel-Redirect" not in served.headers
    assert get(base + "/media/" + public.file.name).status_code == 404
    private_collection = Collection.get_first_root_node().add_child(name="内部")
    CollectionViewRestriction.objects.create(
        collection=private_collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    private, _ = ensure_document("内部文件", "internal.txt", b"internal bytes\n")
    private.collection = private_collection
    private.save()
    refused = get(base + private.url)
    assert refused.status_code in (302, 403) and b"internal bytes" not in refused.content
    allowed = get(base + private.url, headers=cookie)
    assert allowed.status_code == 200 and allowed.content == b"internal bytes\n"

    # 7. The page server stops: cached pages are still served, marked as possibly out of date.
    # The document edits above wrote the change log (their titles are on pages): wait until the
    # follower has applied them, or its purge could come after the home page was cached again.
    assert until(lambda: (changelog.read_position() or 0) >= changelog.latest_id(), 5), "the follower is behind"
    time.sleep(changelog.SETTLE + 0.5)  # and its second purge, SETTLE after the first, is done
    assert get(home_url).status_code == 200
    assert until(lambda: get(home_url).headers.get("X-Cache-Status") == "HIT", 5), "the home page is not cached"
    os.kill(state["pids"]["pages"], signal.SIGTERM)
    assert until(lambda: not port_open(state["pages_port"]), 15), "the page server did not stop"
    time.sleep(CACHE_VALID + 1.5)  # the cached copies have expired: nginx must ask the app
    stale = get(home_url)
    assert stale.status_code == 200
    assert stale.headers["X-Cache-Status"] == "STALE"
    assert stale.headers["X-Content-Stale"] == "possibly out of date"
    assert "（更新）" in stale.text

"""Real-browser tests: Playwright driving Debian's Chromium (never a downloaded browser).

The `page_factory` fixture opens pages in fresh browser contexts, records console errors and
every request to a host other than the portal's own, and fails the test on either.
Screenshots go to the test run's output directory: $PORTAL_TEST_OUTPUT or ./test-results.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import BASE_DIR, IN_CI

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

pytestmark = pytest.mark.browser


@pytest.fixture
def output_dir():
    path = Path(os.environ.get("PORTAL_TEST_OUTPUT", BASE_DIR / "test-results"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the browser tests (each test opens its own contexts, so no cookie,
    storage or cache passes from one test to the next); closed after the last of them."""
    if not os.path.exists(CHROMIUM):
        if IN_CI:
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium fonts-wqy-microhei)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM would then refuse
    # to run in the same thread. Allowed while the browser tests run only: the rest of the
    # suite keeps Django's check.
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as p:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page_factory(browser, asgi_server):
    """Open a page in a new context (a separate "person"); check console and hosts at the end."""
    own_host = urlsplit(asgi_server.url).netloc
    problems = []
    contexts = []

    def open_page(locale="zh-CN", viewport=None, **context_args):
        viewport = viewport or {"width": 1280, "height": 900}
        context = browser.new_context(locale=locale, viewport=viewport, **context_args)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("console", lambda msg: msg.type == "error" and problems.append(f"console error: {msg.text}"))
        page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))

        def check_request(request):
            host = urlsplit(request.url).netloc
            if request.url.startswith(("http:", "https:", "ws:", "wss:")) and host != own_host:
                problems.append(f"request to another host: {request.url}")

        page.on("request", check_request)
        return page

    expected = []

    def expect_console_error(text):
        """A console error the journey causes on purpose (e.g. a form answered 400)."""
        expected.append(text)

    open_page.server = asgi_server
    open_page.expect_console_error = expect_console_error
    yield open_page
    for context in contexts:
        context.close()
    problems = [p for p in problems if not any(text in p for text in expected)]
    assert not problems, "\n".join(problems)

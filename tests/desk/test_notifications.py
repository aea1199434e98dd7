"""Notifications: queued in the database with the inquiry, sent by the worker after commit,
retried with exponential backoff, failures kept visible."""

import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from desk import delivery
from desk.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_sms_outbox():
    delivery.sms_outbox.clear()
    yield
    delivery.sms_outbox.clear()


def test_receipt_is_sent_by_the_worker_not_by_the_request(file_inquiry):
    result = file_inquiry()
    assert mail.outbox == [] and delivery.sms_outbox == []
    call_command("desk_worker", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zhang@example.com"]
    assert result.inquiry.reference in message.subject
    assert result.access_code in message.body and "/zh-hans/requests/track/" in message.body
    assert delivery.sms_outbox == [
        {"to": "13800000000", "text": delivery.sms_outbox[0]["text"]},
    ]
    assert result.access_code in delivery.sms_outbox[0]["text"]
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_receipt_speaks_the_citizens_language(file_inquiry):
    file_inquiry(lang="en", phone="")
    delivery.deliver_due()
    assert mail.outbox[0].subject.startswith("Your request")


def test_queueing_happens_after_commit_only(file_inquiry, django_capture_on_commit_callbacks):
    """The after-commit hook is registered by the filing, and a rollback leaves no row."""
    with django_capture_on_commit_callbacks() as callbacks:
        file_inquiry()
    assert callbacks  # events and the notification kick run only after commit
    assert Notification.objects.filter(status="queued").count() == 2


class Gateway(BaseHTTPRequestHandler):
    received = []
    status = 200

    def do_POST(self):  # noqa: N802 - http.server's naming
        length = int(self.headers["Content-Length"])
        Gateway.received.append((self.headers.get("Authorization"), json.loads(self.rfile.read(length))))
        self.send_response(Gateway.status)
        self.end_headers()
        self.wfile.write(b"ok" if Gateway.status == 200 else b"gateway down")

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Gateway.received = []
    Gateway.status = 200
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.SMS_GATEWAY_TOKEN = "secret-token"
    yield Gateway
    server.shutdown()
    server.server_close()


def test_http_sms_gateway_receives_the_message(file_inquiry, gateway):
    result = file_inquiry(email="")
    assert delivery.deliver_due() == (1, 0)
    [(auth, body)] = gateway.received
    assert auth == "Bearer secret-token"
    assert body["to"] == "13800000000" and result.access_code in body["text"]


def test_failures_are_retried_with_backoff_and_stay_visible(file_inquiry, gateway):
    gateway.status = 503
    result = file_inquiry(email="")
    now = timezone.now()
    assert delivery.deliver_due(now=now) == (0, 1)
    row = result.inquiry.notifications.get()
    assert row.status == "failed" and row.attempts == 1
    assert "503" in row.last_error
    assert row.next_attempt_at == now + datetime.timedelta(minutes=1)
    # Not due yet: nothing happens.
    assert delivery.deliver_due(now=now + datetime.timedelta(seconds=30)) == (0, 0)
    second = now + datetime.timedelta(minutes=1, seconds=1)
    assert delivery.deliver_due(now=second) == (0, 1)
    row.refresh_from_db()
    assert row.attempts == 2 and row.next_attempt_at == second + datetime.timedelta(minutes=2)
    gateway.status = 200
    assert delivery.deliver_due(now=second + datetime.timedelta(minutes=3)) == (1, 0)
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 3 and row.next_attempt_at is None


def test_delivery_gives_up_after_max_attempts(file_inquiry, settings):
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = ""
    result = file_inquiry(email="")
    now = timezone.now()
    for _attempt in range(delivery.MAX_ATTEMPTS):
        delivery.deliver_due(now=now)
        now += delivery.BACKOFF_MAX
    row = result.inquiry.notifications.get()
    assert row.status == "failed" and row.attempts == delivery.MAX_ATTEMPTS
    assert row.next_attempt_at is None and "SMS_GATEWAY_URL" in row.last_error
    assert delivery.deliver_due(now=now + datetime.timedelta(days=1)) == (0, 0)


def test_backoff_doubles_and_is_capped():
    assert [delivery.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert delivery.backoff(30) == delivery.BACKOFF_MAX


def test_a_leased_notification_is_not_sent_twice(file_inquiry):
    file_inquiry(phone="")
    now = timezone.now()
    leased = delivery.claim(now=now)
    assert len(leased) == 1
    assert delivery.claim(now=now) == []  # another worker finds nothing while the lease runs
    # A worker that died mid-send: the row becomes due again when the lease expires.
    assert len(delivery.claim(now=now + delivery.LEASE + datetime.timedelta(seconds=1))) == 1

"""The desk worker's housekeeping: idempotency keys are remembered for a week, then forgotten."""

import datetime
import io
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from desk import jobs
from desk.models import IdempotencyRecord, Inquiry

pytestmark = pytest.mark.django_db

BODY = {
    "kind": "consultation",
    "category": "id-card",
    "subject": "How do I replace my ID card?",
    "description": "I lost it on the metro.",
    "name": "Alex",
    "phone": "13800000000",
    "email": "",
    "lang": "en",
    "consent": True,
}


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def file(client, key):
    return client.post(
        reverse("desk_api_create"), json.dumps(BODY), content_type="application/json", headers={"Idempotency-Key": key}
    )


def age(key, days):
    """Make the record of `key` look `days` old (the table is append-only in the app)."""
    IdempotencyRecord.objects.filter(key=f"api:{key}").update(created_at=timezone.now() - datetime.timedelta(days=days))


def test_the_worker_forgets_keys_older_than_a_week_and_keeps_the_inquiries(client, desk_config):
    """A retry within the week still gets the first answer; after the purge the old key is new
    again, and no inquiry is lost."""
    first = file(client, "recent")
    old = file(client, "old")
    age("recent", 6)
    age("old", 8)

    out = io.StringIO()
    call_command("desk_worker", "--once", stdout=out)
    assert "forgot 1 idempotency keys" in out.getvalue()

    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["api:recent"]
    assert Inquiry.objects.count() == 2
    replay = file(client, "recent")
    assert replay["Idempotent-Replayed"] == "true" and replay.json() == first.json()
    again = file(client, "old")
    assert again.status_code == 201 and again.json()["reference"] != old.json()["reference"]


def test_the_purge_works_in_batches_and_counts_everything(client, desk_config):
    for key in ("a", "b", "c", "d", "e"):
        file(client, key)
        age(key, 30)
    assert jobs.purge_idempotency_records(batch_size=2) == 5
    assert not IdempotencyRecord.objects.exists()
    assert jobs.purge_idempotency_records() == 0

"""Concurrent filings: references never collide, and one idempotency key files once."""

import threading

import pytest
from django.db import connection

from desk import actions, demo
from desk.models import Inquiry

pytestmark = pytest.mark.django_db(transaction=True)


def run_threads(count, target):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def work(n):
        try:
            barrier.wait()
            results.append(target(n))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results, errors


def file(n, key=None):
    return actions.open_inquiry(
        kind="tip",
        category="fraud",
        subject="并发测试" if key else f"并发测试 {n}",
        description="details of the request",
        consent=True,
        idempotency_key=key,
    )


def test_concurrent_filings_get_distinct_consecutive_references():
    demo.seed_configuration()
    results, errors = run_threads(8, file)
    assert errors == []
    references = sorted(result.inquiry.reference for result in results)
    assert len(set(references)) == 8 == Inquiry.objects.count()
    numbers = [int(reference[-6:]) for reference in references]
    assert numbers == list(range(numbers[0], numbers[0] + 8))


def test_concurrent_retries_with_one_key_file_once():
    demo.seed_configuration()
    results, errors = run_threads(6, lambda n: file(n, key="api:same-key"))
    assert errors == []
    assert Inquiry.objects.count() == 1
    assert {result.inquiry.reference for result in results} == {Inquiry.objects.get().reference}
    assert len({result.access_code for result in results}) == 1
    assert sum(result.created for result in results) == 1

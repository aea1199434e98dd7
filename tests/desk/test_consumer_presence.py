"""Presence bookkeeping (desk.presence) without WebSockets: expiry and several connections."""

import time

import pytest
from django.core.cache import cache

from desk import presence


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


def test_two_connections_of_one_department_one_leaves_the_other_still_counts():
    presence.mark_present("a", departments=[1])
    presence.mark_present("b", departments=[1])
    presence.mark_absent("a", departments=[1])
    assert presence.is_anyone_on_duty(1)
    presence.mark_absent("b", departments=[1])
    assert not presence.is_anyone_on_duty(1)


def test_a_crashed_workers_connection_expires_without_a_disconnect(monkeypatch):
    """If the process holding the socket dies, no disconnect runs: the entry expires."""
    monkeypatch.setattr(presence, "PRESENCE_TTL", 1)
    presence.mark_present("gone", departments=[7])
    assert presence.is_anyone_on_duty(7)
    time.sleep(1.2)
    assert not presence.is_anyone_on_duty(7)
    assert not presence.is_anyone_on_duty()


def test_heartbeat_refreshes_presence(monkeypatch):
    monkeypatch.setattr(presence, "PRESENCE_TTL", 1)
    presence.mark_present("alive", departments=[3])
    time.sleep(0.6)
    presence.mark_present("alive", departments=[3])  # heartbeat
    time.sleep(0.6)
    assert presence.is_anyone_on_duty(3)


def test_a_lost_registry_entry_comes_back_with_the_next_heartbeat():
    """Two workers updating the registry at once may drop an entry; the heartbeat restores it."""
    presence.mark_present("x", departments=[5])
    cache.delete("desk:presence:registry:dept.5")
    cache.delete("desk:presence:registry:any")
    assert not presence.is_anyone_on_duty(5)
    presence.mark_present("x", departments=[5])
    assert presence.is_anyone_on_duty(5)
    assert presence.on_duty_count(5) == 1

"""The client address behind reverse proxies."""

from portal.net import client_address, scope_address


def test_forwarded_for_is_ignored_from_an_untrusted_peer(settings):
    """A client cannot pick its own address (and escape rate limits) with X-Forwarded-For."""
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_address("203.0.113.9", "1.2.3.4") == "203.0.113.9"


def test_forwarded_for_is_believed_from_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_address("10.0.0.1", "198.51.100.7") == "198.51.100.7"


def test_forged_left_entries_do_not_count(settings):
    """The right-most untrusted hop is the client; what the client prepended is ignored."""
    settings.TRUSTED_PROXIES = ["10.0.0.1", "10.0.0.2"]
    assert client_address("10.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.2") == "198.51.100.7"


def test_malformed_header_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_address("10.0.0.1", "not-an-address") == "10.0.0.1"


def test_scope_address_reads_the_asgi_scope(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    scope = {"client": ["127.0.0.1", 5000], "headers": [(b"x-forwarded-for", b"192.0.2.44")]}
    assert scope_address(scope) == "192.0.2.44"
    assert scope_address({"client": None, "headers": []}) == "unknown"

"""Which address a rate limit counts: X-Forwarded-For only from our own proxies."""

from __future__ import annotations

from types import SimpleNamespace

from server.ratelimit import client_address, key


def request(peer: str, forwarded: str | None = None):
    headers = {"x-forwarded-for": forwarded} if forwarded else {}
    return SimpleNamespace(client=SimpleNamespace(host=peer), headers=headers)


def test_forwarded_for_is_ignored_from_an_untrusted_peer():
    assert client_address(request("203.0.113.9", "198.51.100.1"), ()) == "203.0.113.9"
    assert client_address(request("203.0.113.9", "198.51.100.1"), ("10.0.0.0/8",)) == (
        "203.0.113.9"
    )


def test_forwarded_for_counts_from_a_trusted_proxy():
    trusted = ("10.0.0.0/8",)
    assert client_address(request("10.0.0.2", "198.51.100.1"), trusted) == "198.51.100.1"
    # A client cannot pretend by sending its own header: the nearest untrusted hop wins.
    chain = "1.2.3.4, 198.51.100.1, 10.0.0.5"
    assert client_address(request("10.0.0.2", chain), trusted) == "198.51.100.1"


def test_garbage_in_forwarded_for_falls_back_to_the_peer():
    assert client_address(request("10.0.0.2", "not-an-ip"), ("10.0.0.0/8",)) == "10.0.0.2"
    assert client_address(request("10.0.0.2"), ("10.0.0.0/8",)) == "10.0.0.2"


def test_keys_keep_usernames_and_addresses_out_of_storage():
    assert "robin" not in key("sign-in", "user", "robin")
    assert key("sign-in", "user", "Robin") == key("sign-in", "user", "robin")

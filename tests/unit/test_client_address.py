"""Which address a rate limit counts: X-Forwarded-For only from our own proxies."""

from __future__ import annotations

from types import SimpleNamespace

from server.ratelimit import address_key, client_address, key


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


def test_ipv6_clients_are_counted_by_their_64():
    # One home or phone picks addresses anywhere in its /64: they are one client.
    assert address_key("2001:db8:1:2::1") == "2001:db8:1:2::/64"
    assert address_key("2001:db8:1:2:ffff:abcd:1:9") == "2001:db8:1:2::/64"
    assert address_key("2001:DB8:1:2:0:0:0:1") == "2001:db8:1:2::/64"  # however it is written
    assert address_key("2001:db8:1:3::1") == "2001:db8:1:3::/64"
    assert address_key("fe80::1%eth0") == "fe80::/64"  # the zone goes with the host bits


def test_ipv4_clients_are_counted_by_address_however_they_arrive():
    assert address_key("203.0.113.7") == "203.0.113.7"
    assert address_key("203.0.113.8") != address_key("203.0.113.7")
    # A dual-stack socket reports IPv4 clients as IPv4-mapped IPv6.
    assert address_key("::ffff:203.0.113.7") == "203.0.113.7"
    assert address_key("::ffff:cb00:7107") == "203.0.113.7"


def test_what_is_not_an_address_is_counted_as_written():
    assert address_key("testclient") == "testclient"
    assert address_key("unknown") == "unknown"


def test_a_trusted_proxy_is_recognised_behind_a_dual_stack_socket():
    trusted = ("10.0.0.0/8",)
    assert client_address(request("::ffff:10.0.0.2", "198.51.100.1"), trusted) == "198.51.100.1"


def test_a_devices_key_sits_under_its_accounts_key():
    account_key = key("sign-in", "device", "account-id")
    assert key("sign-in", "device", ("account-id", "device-id")).startswith(account_key + ":")

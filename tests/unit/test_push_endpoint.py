"""Which push endpoints and addresses Lifted sends to (server/reminders/endpoint.py), and the
key checks (keys.py). No DNS: the resolver is replaced in every test that needs one."""

from __future__ import annotations

import asyncio
import ipaddress
import socket

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from server.reminders import endpoint, keys
from server.reminders.vapid import b64url

PUBLIC = [
    "93.184.215.14",
    "8.8.8.8",
    "1.1.1.1",
    "100.63.255.255",  # just below carrier-grade NAT
    "100.128.0.0",  # just above
    "172.32.0.1",  # just above 172.16.0.0/12
    "2001:4860:4860::8888",
    "2a00:1450:4001:80b::200e",
    "::ffff:93.184.215.14",  # mapped, carrying a public address
    "64:ff9b::5db8:d70e",  # NAT64 of 93.184.215.14
    "2002:5db8:d70e::1",  # 6to4 of 93.184.215.14
]
NOT_PUBLIC = [
    "0.0.0.0",
    "0.1.2.3",
    "10.0.0.1",
    "100.64.0.1",
    "100.127.255.255",
    "127.0.0.1",
    "127.255.255.254",
    "169.254.169.254",
    "172.16.0.1",
    "172.31.255.255",
    "192.0.0.8",
    "192.0.2.1",
    "192.88.99.1",
    "192.168.0.1",
    "198.18.0.1",
    "198.19.255.255",
    "198.51.100.7",
    "203.0.113.9",
    "224.0.0.251",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "::127.0.0.1",  # IPv4-compatible
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "::ffff:0:7f00:1",  # IPv4-translated
    "64:ff9b::7f00:1",
    "64:ff9b::a9fe:a9fe",
    "64:ff9b:1::1",  # local-use NAT64
    "100::1",  # discard-only
    "2001::1",  # Teredo
    "2001:2::1",  # benchmarking
    "2001:db8::1",
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:a00:1::1",  # 6to4 of 10.0.0.1
    "3fff::1",
    "fc00::1",
    "fd12:3456:789a::1",
    "fe80::1",
    "fec0::1",
    "ff02::1",
]


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses(address):
    assert endpoint.is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_addresses_that_are_not_public(address):
    ip = ipaddress.ip_address(address)
    assert not endpoint.is_public(ip)
    assert endpoint.allowed(ip, allow_local=True) == ip.is_loopback


@pytest.mark.parametrize(
    "url",
    [
        "https://fcm.googleapis.com/fcm/send/abc",
        "https://updates.push.services.mozilla.com/wpush/v2/x",
        "https://web.push.apple.com:443/QGx",
        "https://wns2-by3p.notify.windows.com/w/?token=x",
        "https://[2001:4860:4860::8888]/x",
        "https://93.184.215.14/x",
        "https://xn--bcher-kva.example/x",
    ],
)
def test_push_services_pass_the_form_check(url):
    target = endpoint.check_url(url, allow_local=False)
    assert target.scheme == "https" and target.port == 443


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "push.example.net/x",
        "ftp://push.example.net/x",
        "http://push.example.net/x",
        "https://push.example.net:8443/x",
        "https://push.example.net:0/x",
        "https://user@push.example.net/x",
        "https://user:pw@push.example.net/x",
        "https://:@push.example.net/x",
        "https://127.0.0.1/x",
        "https://[::1]/x",
        "https://[::ffff:7f00:1]/x",
        "https://[fe80::1%25eth0]/x",
        "https://localhost/x",
        "https://a.localhost/x",
        "https://push/x",
        "https://2130706433/x",
        "https://0x7f000001/x",
        "https://0x7f.1/x",
        "https://0x7f.0.0.1/x",
        "https://0177.0.0.1/x",
        "https://017.0.0.1/x",
        "https://127.000.0.1/x",
        "https://127.1/x",
        "https://127.0.1/x",
        "https://1.2.3.4.5/x",
        "https://256.1.1.1/x",
        "https://push.example.net./x",
        "https://-push.example.net/x",
        "https://push_1.example.net/x",
        "https://push.example.123/x",
        "https://p\u00fcsh.example.net/x",
        "https://push.example.net\\@127.0.0.1/x",
        "https://push.exa mple.net/x",
        "https://push.example.net\t/x",
        "https://push.example.net/\x00",
        "https://[::1/x",
        "https://push.example.net:99999/x",
        "https://push.example.net:http/x",
        "https://%31%32%37.0.0.1/x",
        "https://" + "a" * 250 + ".net/x",
    ],
)
def test_forms_that_are_refused(url):
    with pytest.raises(endpoint.Refused):
        endpoint.check_url(url, allow_local=False)


def test_the_testing_setting_adds_http_any_port_and_loopback_only():
    local = endpoint.check_url("http://127.0.0.1:8123/push/a", allow_local=True)
    assert (local.scheme, local.port, str(local.ip)) == ("http", 8123, "127.0.0.1")
    assert endpoint.check_url("https://[::1]:9/x", allow_local=True).port == 9
    for url in ("http://10.0.0.1:80/x", "http://169.254.169.254/x", "http://2130706433/x"):
        with pytest.raises(endpoint.Refused):
            endpoint.check_url(url, allow_local=True)


def resolving(monkeypatch, answers):
    def resolve(host, port):
        if isinstance(answers, Exception):
            raise answers
        return answers

    monkeypatch.setattr(endpoint, "resolve", resolve)


def test_every_resolved_address_must_be_allowed(monkeypatch):
    target = endpoint.check_url("https://push.example.net/x", allow_local=False)
    resolving(monkeypatch, ["93.184.215.14", "2001:4860:4860::8888"])
    assert [str(a) for a in endpoint.addresses(target, False)] == [
        "93.184.215.14",
        "2001:4860:4860::8888",
    ]
    for bad in (["93.184.215.14", "10.0.0.1"], ["::1"], ["127.0.0.1"], ["not an address"]):
        resolving(monkeypatch, bad)
        with pytest.raises(endpoint.Refused):
            endpoint.addresses(target, False)
    resolving(monkeypatch, ["127.0.0.1"])
    assert endpoint.addresses(target, True)  # loopback, with the testing setting


def test_a_name_that_does_not_resolve_is_refused_as_unresolved(monkeypatch):
    target = endpoint.check_url("https://push.example.net/x", allow_local=False)
    for failure in (socket.gaierror(socket.EAI_NONAME, "no"), []):
        resolving(monkeypatch, failure)
        with pytest.raises(endpoint.Unresolved):
            endpoint.addresses(target, False)


def test_vet_resolves_and_checks(monkeypatch):
    resolving(monkeypatch, ["10.0.0.1"])
    with pytest.raises(endpoint.Refused):
        asyncio.run(endpoint.vet("https://push.example.net/x", False))
    resolving(monkeypatch, ["93.184.215.14"])
    url = "https://push.example.net/x"
    assert asyncio.run(endpoint.vet(url, False)) == url


def _point() -> bytes:
    return (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )


def test_keys_that_encrypt_pass_without_padding():
    p256dh, auth = keys.check(b64url(_point()) + "=", b64url(b"a" * 16) + "==")
    assert not p256dh.endswith("=") and not auth.endswith("=")


@pytest.mark.parametrize(
    ("p256dh", "auth", "message"),
    [
        (b64url(b"\x04" + b"\x01" * 64), b64url(b"a" * 16), "P-256 curve"),
        (b64url(b"\x04" + bytes(64)), b64url(b"a" * 16), "P-256 curve"),
        (b64url(b"\x02" + _point()[1:]), b64url(b"a" * 16), "uncompressed"),
        (b64url(_point()[:33]), b64url(b"a" * 16), "65 bytes"),
        (b64url(_point()), b64url(b"a" * 15), "16 bytes, not 15"),
        (b64url(_point()), b64url(b"a" * 17), "16 bytes, not 17"),
        ("!!", b64url(b"a" * 16), "base64url"),
        (b64url(_point()), "a", "base64url"),
        (None, None, "base64url"),
    ],
    # Fixed names: the keys are made afresh in each process, and pytest-xdist's workers must
    # collect the same tests.
    ids=["off the curve", "zero point", "compressed", "short point", "short auth", "long auth",
         "key not base64url", "auth not base64url", "missing"],
)  # fmt: skip
def test_keys_that_cannot_encrypt_are_refused(p256dh, auth, message):
    with pytest.raises(keys.BadKeys, match=message):
        keys.check(p256dh, auth)

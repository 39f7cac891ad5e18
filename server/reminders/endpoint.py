"""Which push endpoints Lifted sends to, and which addresses a send may connect to.

A push endpoint comes from the browser, so from anyone. Unchecked, it would let a visitor make
the server POST into its own network: loopback, the office LAN, a cloud metadata address. So an
endpoint is accepted only when it is https on port 443, carries no user:password, and its host
is a real DNS name (or a canonical IP literal) whose every address is public unicast. These
rules run when a browser subscribes and again at every send, against the addresses resolved
then; ``transport.py`` connects to exactly the address checked here, so a name that later
resolves somewhere private (DNS rebinding) is refused instead of followed.

``allow_local`` is LIFTED_PUSH_ALLOW_HTTP (tests only): it adds http, any port and loopback,
because the local test push service listens on http://127.0.0.1:<port>. It never adds
private or link-local networks.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import anyio
import anyio.to_thread

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

NOT_HTTPS = "endpoint must be an https:// address."
NOT_A_PUSH_SERVICE = "endpoint is not a push service Lifted can send to."
RESOLVE_SECONDS = 5.0  # how long a subscribe waits for DNS before refusing

_V4 = ipaddress.IPv4Network
_V6 = ipaddress.IPv6Network
# Every IPv4 network that is not public unicast (IANA special-purpose registry).
_REFUSED_V4 = [
    _V4(n)
    for n in (
        "0.0.0.0/8",  # "this network", unspecified
        "10.0.0.0/8",  # private (RFC 1918)
        "100.64.0.0/10",  # carrier-grade NAT
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local, cloud metadata
        "172.16.0.0/12",  # private
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation
        "192.88.99.0/24",  # 6to4 relay anycast
        "192.168.0.0/16",  # private
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation
        "203.0.113.0/24",  # documentation
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, broadcast
    )
]
# IPv6 must be global unicast (2000::/3) and outside these.
_GLOBAL_V6 = _V6("2000::/3")
_REFUSED_V6 = [
    _V6(n)
    for n in (
        "2001::/23",  # IETF protocol assignments: Teredo, benchmarking, ORCHID
        "2001:db8::/32",  # documentation
        "3fff::/20",  # documentation
    )
]
# IPv6 forms that carry an IPv4 address: judged by the address they carry.
_NAT64 = _V6("64:ff9b::/96")
_SIX_TO_FOUR = _V6("2002::/16")

_DOTTED_QUAD = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
# A top-level label starts with a letter: this is what refuses numeric host forms such as
# 2130706433, 127.1, 0x7f.1 or 0177.0.0.1, which resolvers would read as IPv4 addresses.
_TOP_LABEL = re.compile(r"[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?")


class Refused(ValueError):
    """The endpoint, or an address its host resolves to, is not one Lifted sends to."""


class Unresolved(Refused):
    """The host did not resolve (now). At send time this is a failure worth retrying."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # lower case, without brackets
    port: int
    ip: IPAddress | None  # the literal address, when the host is one


def is_public(ip: IPAddress) -> bool:
    """True for a public unicast address, looking inside IPv6 forms that carry IPv4."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return is_public(ip.ipv4_mapped)
        if ip in _NAT64:
            return is_public(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if ip.sixtofour is not None and not is_public(ip.sixtofour):
            return False
        return ip in _GLOBAL_V6 and not any(ip in net for net in _REFUSED_V6)
    return not any(ip in net for net in _REFUSED_V4)


def allowed(ip: IPAddress, allow_local: bool) -> bool:
    return is_public(ip) or (allow_local and ip.is_loopback)


def _literal(parts, host: str) -> IPAddress | None:
    """The host as an IP address when written as one; Refused for non-canonical forms."""
    if "[" in parts.netloc:
        if "%" in host:  # a zone index names a local interface
            raise Refused(NOT_A_PUSH_SERVICE)
        try:
            return ipaddress.IPv6Address(host)
        except ValueError:
            raise Refused(NOT_A_PUSH_SERVICE) from None
    if _DOTTED_QUAD.fullmatch(host):
        try:  # refuses leading zeros (octal to some resolvers) and octets over 255
            return ipaddress.IPv4Address(host)
        except ValueError:
            raise Refused(NOT_A_PUSH_SERVICE) from None
    return None


def _check_name(host: str) -> None:
    labels = host.split(".")
    if (
        len(host) > 253
        or len(labels) < 2  # single labels resolve through local search domains
        or labels[-1] == "localhost"
        or not all(_LABEL.fullmatch(label) for label in labels)
        or not _TOP_LABEL.fullmatch(labels[-1])
    ):
        raise Refused(NOT_A_PUSH_SERVICE)


def check_url(url: object, allow_local: bool) -> Target:
    """The endpoint's scheme, host and port, when its form is acceptable; else Refused.
    Needs no DNS, so it also vets stored rows and the unsubscribe request."""
    # Printable ASCII without spaces or backslashes: parsers then agree on what the host is.
    if not isinstance(url, str) or not url.isascii() or not url.isprintable():
        raise Refused(NOT_A_PUSH_SERVICE)
    if " " in url or "\\" in url:
        raise Refused(NOT_A_PUSH_SERVICE)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # "https://[::1", a port that is not a number
        raise Refused(NOT_A_PUSH_SERVICE) from None
    if parts.scheme not in ({"https", "http"} if allow_local else {"https"}):
        raise Refused(NOT_HTTPS)
    host = parts.hostname or ""
    if not host or "@" in parts.netloc:
        raise Refused(NOT_A_PUSH_SERVICE)
    if not allow_local and port not in (None, 443):
        raise Refused(NOT_A_PUSH_SERVICE)
    ip = _literal(parts, host)
    if ip is None:
        _check_name(host)
    elif not allowed(ip, allow_local):
        raise Refused(NOT_A_PUSH_SERVICE)
    default = 443 if parts.scheme == "https" else 80
    return Target(parts.scheme, host, port or default, ip)


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to. The one place push code asks DNS (tests replace it)."""
    infos = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP, flags=socket.AI_ADDRCONFIG
    )
    return [info[4][0] for info in infos]


def addresses(target: Target, allow_local: bool) -> list[IPAddress]:
    """The addresses to connect to, each one checked; Refused when any is not allowed (one
    private answer among public ones is still a way in)."""
    if target.ip is not None:
        return [target.ip]
    try:
        found = [ipaddress.ip_address(a) for a in resolve(target.host, target.port)]
    except (OSError, UnicodeError):
        raise Unresolved(NOT_A_PUSH_SERVICE) from None
    except ValueError:  # an answer that is no address at all
        raise Refused(NOT_A_PUSH_SERVICE) from None
    if not found:
        raise Unresolved(NOT_A_PUSH_SERVICE)
    if not all(allowed(ip, allow_local) for ip in found):
        raise Refused(NOT_A_PUSH_SERVICE)
    return found


async def vet(url: object, allow_local: bool) -> str:
    """The endpoint, if it may be stored: its form, then every address its host resolves to
    now. A name that doesn't resolve is refused with the same sentence as a private one, so
    subscribing can't be used to map names inside the server's network."""
    target = check_url(url, allow_local)
    with anyio.move_on_after(RESOLVE_SECONDS):
        await anyio.to_thread.run_sync(addresses, target, allow_local, abandon_on_cancel=True)
        return url  # type: ignore[return-value]  # check_url proved it is a str
    raise Unresolved(NOT_A_PUSH_SERVICE)

"""The only way a push leaves Lifted: a requests Session (pywebpush sends through it) that

- resolves the endpoint's host once, checks every address (endpoint.py), and connects to the
  checked address itself, while the Host header, TLS SNI and certificate verification stay on
  the endpoint's name: a DNS answer that changes between check and connect can't redirect it;
- never follows a redirect (a 3xx is the push service's answer, and a failure);
- ignores proxies, .netrc and cookies from anywhere;
- reads at most a few KB of any answer;
- lets the caller end a request in flight (``Watch.abort``), so no answer, however slowly it
  drips in, holds a worker thread past its deadline.
"""

from __future__ import annotations

import socket
import threading
from contextlib import contextmanager, suppress
from http.cookiejar import DefaultCookiePolicy
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import HTTPError

from server.reminders import endpoint

MAX_ANSWER = 4096  # push services answer 201 with an empty body; their errors are short


class Deadline(TimeoutError):
    """The request's time ran out."""


class Watch:
    """One request's deadline: the sending thread attaches its connection, and ``abort`` (from
    the event loop) shuts that socket down, which ends any read or write blocked on it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._conn: HTTPConnection | None = None
        self._sock: socket.socket | None = None
        self.expired = False

    def attach(self, conn: HTTPConnection, sock: socket.socket | None) -> None:
        with self._lock:
            self._conn, self._sock = conn, sock
            if self.expired:
                raise Deadline("the push took too long")

    def finish(self) -> None:
        with self._lock:
            self._conn = self._sock = None

    def abort(self) -> None:
        with self._lock:
            self.expired = True
            socks = [getattr(self._conn, "sock", None), self._sock]
        for sock in socks:
            if sock is not None:
                # socket.socket's own shutdown: SSLSocket's would drop its TLS state under the
                # reading thread. A socket already closed or detached has no descriptor left.
                with suppress(OSError):
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)


_current = threading.local()


@contextmanager
def watching(watch: Watch):
    """Requests made in this thread inside the block belong to ``watch``."""
    _current.watch = watch
    try:
        yield
    finally:
        watch.finish()
        _current.watch = None


def _attach(conn: HTTPConnection, sock: socket.socket | None) -> None:
    watch = getattr(_current, "watch", None)
    if watch is not None:
        watch.attach(conn, sock)


class _Watched:
    """Attaches each new socket (before TLS, so a stalled handshake is covered too) and each
    reused connection to the thread's Watch."""

    def _new_conn(self):
        sock = super()._new_conn()
        try:
            _attach(self, sock)
        except Deadline:
            sock.close()
            raise
        return sock

    def request(self, *args, **kwargs):
        if self.sock is not None:
            _attach(self, self.sock)
        return super().request(*args, **kwargs)


class _Connection(_Watched, HTTPConnection):
    pass


class _TLSConnection(_Watched, HTTPSConnection):
    pass


class _Pool(HTTPConnectionPool):
    ConnectionCls = _Connection


class _TLSPool(HTTPSConnectionPool):
    ConnectionCls = _TLSConnection


class PinnedAdapter(HTTPAdapter):
    """Connects each request to an address endpoint.py checked, just before connecting."""

    def __init__(self, allow_local: bool) -> None:
        self.allow_local = allow_local
        super().__init__(max_retries=0)  # retries are the Sender's, with its own delays

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _Pool, "https": _TLSPool}

    def get_connection_with_tls_context(self, request, verify, proxies=None, cert=None):
        target = endpoint.check_url(request.url, self.allow_local)
        address = endpoint.addresses(target, self.allow_local)[0]
        names = {}
        if target.scheme == "https" and target.ip is None:
            # The pool is keyed by this address and name together; TLS speaks to the name.
            names = {"server_hostname": target.host, "assert_hostname": target.host}
        return self.poolmanager.connection_from_host(
            str(address), target.port, target.scheme, pool_kwargs=names
        )

    def cert_verify(self, conn, url, verify, cert) -> None:
        super().cert_verify(conn, url, True, None)  # certificates are always verified

    def add_headers(self, request, **kwargs) -> None:
        # The connection is made to an address, so the name goes in Host by hand.
        request.headers["Host"] = urlsplit(request.url).netloc


def _bounded_answer(response: requests.Response, **kwargs) -> requests.Response:
    """Reads at most MAX_ANSWER bytes of the body, before requests would read all of it."""
    raw = response.raw
    try:
        body = raw.read(MAX_ANSWER + 1, decode_content=False) or b""
    except (HTTPError, OSError) as exc:
        raw.close()
        raise requests.ConnectionError("the answer broke off") from exc
    response._content = body[:MAX_ANSWER]
    response._content_consumed = True
    if len(body) > MAX_ANSWER:
        raw.close()  # the rest is never read, so this connection can't carry another request
    raw.release_conn()
    return response


class PushSession(requests.Session):
    """A Session whose every request goes through PinnedAdapter, for http and https alike."""

    def __init__(self, allow_local: bool) -> None:
        super().__init__()
        self.trust_env = False  # no HTTPS_PROXY or .netrc: we connect where we checked
        self.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
        adapter = PinnedAdapter(allow_local)
        self.mount("https://", adapter)
        self.mount("http://", adapter)
        self.hooks["response"].append(_bounded_answer)

    def request(self, method, url, *args, **kwargs):
        kwargs["allow_redirects"] = False
        return super().request(method, url, *args, **kwargs)

"""Web Push delivery: pywebpush (synchronous, requests) in worker threads, bounded, retried.

Every message gets a fresh claims dict because pywebpush writes ``aud`` and ``exp`` into the
one it is given. Every request goes through transport.PushSession, which connects only to
addresses endpoint.py allows. Readers see one of the plain sentences below, never an
exception, a port or an address; logs name the push service's host only, because endpoints
carry per-device secrets.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

import anyio
import anyio.to_thread
import requests
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

from server.reminders import endpoint, keys, transport

log = logging.getLogger("lifted.reminders.push")

TTL = 4 * 3600  # a reminder that waited four hours in the push service is still welcome
GONE = {404, 410}  # the push service forgot this subscription: stop sending to it

# What a reader may see about a device's last problem: these sentences and nothing else.
NO_ANSWER = "The push service didn't answer."
REFUSED = "The push service refused this reminder."
BUSY = "The push service was too busy to take this reminder."
ENDED = "That device's browser no longer takes notifications from Lifted."
NOT_ALLOWED = (
    "This device's push address isn't one Lifted can send to. "
    "Turn notifications off and on again on that device."
)
BAD_KEYS = (
    "This device's notification keys don't work. "
    "Turn notifications off and on again on that device."
)
TROUBLE = "Something went wrong sending to this device."
RENEW = "Lifted's notification key was changed. Opening Lifted on that device renews it by itself."
PROBLEMS = frozenset({NO_ANSWER, REFUSED, BUSY, ENDED, NOT_ALLOWED, BAD_KEYS, TROUBLE, RENEW})


@dataclass(frozen=True)
class Outcome:
    status: str  # delivered, gone or failed
    detail: str = ""

    @property
    def delivered(self) -> bool:
        return self.status == "delivered"


def _retryable(code: int) -> bool:
    return code == 429 or code >= 500


def _host(subscription: dict) -> str:
    try:
        return urlsplit(subscription["endpoint"]).hostname or "?"
    except (ValueError, TypeError, KeyError):
        return "?"


class Sender:
    """Sends encrypted pushes signed with the server's VAPID key. ``timeout`` bounds each
    attempt in all (connecting, TLS, sending, the answer); attempts are 1 + retries."""

    def __init__(
        self,
        vapid: Vapid02,
        subject: str,
        *,
        allow_local: bool = False,
        retry_delays: tuple[float, ...] = (1.0, 4.0),
        concurrency: int = 8,
        timeout: float = 10.0,
        origin: str,
    ) -> None:
        self.vapid = vapid
        self.origin = origin  # the app's base URL, for absolute links in payloads
        self.subject = subject
        self.allow_local = allow_local
        self.retry_delays = retry_delays
        self.timeout = timeout
        self.limiter = anyio.CapacityLimiter(concurrency)
        self._threads = anyio.CapacityLimiter(concurrency)
        self._local = threading.local()

    def _session(self) -> requests.Session:
        # One keep-alive session per worker thread; requests' Session is not thread-safe.
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = transport.PushSession(self.allow_local)
        return session

    def _post(self, watch: transport.Watch, subscription: dict, payload: str, topic: str) -> None:
        with transport.watching(watch):
            webpush(
                subscription_info=subscription,
                data=payload,
                vapid_private_key=self.vapid,
                vapid_claims={"sub": self.subject},  # fresh: pywebpush adds aud and exp to it
                ttl=TTL,
                headers={"Urgency": "high", "Topic": topic},
                timeout=self.timeout,
                requests_session=self._session(),
            )

    async def _attempt(self, subscription: dict, payload: str, topic: str) -> None:
        watch = transport.Watch()
        async with self.limiter:  # waiting for a free thread doesn't count against the time
            try:
                with anyio.fail_after(self.timeout):
                    await anyio.to_thread.run_sync(
                        self._post,
                        watch,
                        subscription,
                        payload,
                        topic,
                        limiter=self._threads,
                        abandon_on_cancel=True,
                    )
            finally:
                watch.abort()  # ends the thread's request if it is still running

    def _usable(self, subscription: dict) -> str:
        """A reason this stored subscription can't be sent to, or ""."""
        try:
            endpoint.check_url(subscription.get("endpoint"), self.allow_local)
        except endpoint.Refused:
            return NOT_ALLOWED
        info = subscription.get("keys")
        try:
            keys.check(info.get("p256dh"), info.get("auth"))
        except (keys.BadKeys, AttributeError):
            return BAD_KEYS
        return ""

    async def send(self, subscription: dict, payload: str, topic: str) -> Outcome:
        host = _host(subscription)
        if problem := self._usable(subscription):
            log.warning("push to %s not attempted: %s", host, problem)
            return Outcome("failed", problem)
        attempts = 1 + len(self.retry_delays)
        detail = ""
        for attempt in range(attempts):
            if attempt:
                await anyio.sleep(self.retry_delays[attempt - 1])
            try:
                await self._attempt(subscription, payload, topic)
                return Outcome("delivered")
            except WebPushException as exc:
                code = exc.response.status_code if exc.response is not None else 0
                if not code:  # pywebpush refused before sending: nothing a retry would change
                    log.error("push to %s not sent: pywebpush refused it", host)
                    return Outcome("failed", TROUBLE)
                if code in GONE:
                    log.info("push service %s no longer knows a subscription (%s)", host, code)
                    return Outcome("gone", ENDED)
                if not _retryable(code):  # a 3xx or 4xx: never followed, never retried
                    log.warning("push to %s refused with %s; not retrying", host, code)
                    return Outcome("failed", REFUSED)
                detail = BUSY
            except endpoint.Unresolved:
                detail = NO_ANSWER
            except endpoint.Refused:
                log.warning("push to %s not sent: it resolves to an address not allowed", host)
                return Outcome("failed", NOT_ALLOWED)
            except (requests.RequestException, OSError) as exc:  # TimeoutError is an OSError
                log.info("push to %s: %s", host, type(exc).__name__)
                detail = NO_ANSWER
            except Exception as exc:  # one device's trouble must not reach the others or a page
                log.error("push to %s failed unexpectedly (%s)", host, type(exc).__name__)
                return Outcome("failed", TROUBLE)
            log.warning(
                "push to %s failed (attempt %d of %d): %s", host, attempt + 1, attempts, detail
            )
        return Outcome("failed", detail)

"""Web Push delivery: pywebpush (synchronous, requests) in worker threads, bounded, retried.

Every message gets a fresh claims dict because pywebpush writes ``aud`` and ``exp`` into the
one it is given. Logs name the push service's host only: endpoints carry per-device secrets.
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

log = logging.getLogger("lifted.reminders.push")

TTL = 4 * 3600  # a reminder that waited four hours in the push service is still welcome
GONE = {404, 410}  # the push service forgot this subscription: stop sending to it


@dataclass(frozen=True)
class Outcome:
    status: str  # delivered, gone or failed
    detail: str = ""

    @property
    def delivered(self) -> bool:
        return self.status == "delivered"


def _retryable(code: int) -> bool:
    return code == 429 or code >= 500


class Sender:
    """Sends encrypted pushes signed with the server's VAPID key."""

    def __init__(
        self,
        vapid: Vapid02,
        subject: str,
        *,
        retry_delays: tuple[float, ...] = (1.0, 4.0),
        concurrency: int = 8,
        timeout: float = 10.0,
    ) -> None:
        self.vapid = vapid
        self.subject = subject
        self.retry_delays = retry_delays
        self.timeout = timeout
        self.limiter = anyio.CapacityLimiter(concurrency)
        self._local = threading.local()

    def _session(self) -> requests.Session:
        # One keep-alive session per worker thread; requests' Session is not thread-safe.
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def _post(self, subscription: dict, payload: str, topic: str) -> None:
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

    async def send(self, subscription: dict, payload: str, topic: str) -> Outcome:
        host = urlsplit(subscription["endpoint"]).hostname or "?"
        attempts = 1 + len(self.retry_delays)
        detail = ""
        for attempt in range(attempts):
            if attempt:
                await anyio.sleep(self.retry_delays[attempt - 1])
            try:
                await anyio.to_thread.run_sync(
                    self._post, subscription, payload, topic, limiter=self.limiter
                )
                return Outcome("delivered")
            except WebPushException as exc:
                code = exc.response.status_code if exc.response is not None else 0
                if code in GONE:
                    log.info("push service %s no longer knows a subscription (%s)", host, code)
                    return Outcome("gone", f"The push service ended this subscription ({code}).")
                detail = f"The push service answered {code}." if code else "Push failed."
                if code and not _retryable(code):
                    log.warning("push to %s refused with %s; not retrying", host, code)
                    return Outcome("failed", detail)
            except requests.RequestException as exc:
                detail = f"Could not reach the push service ({type(exc).__name__})."
            log.warning(
                "push to %s failed (attempt %d of %d): %s", host, attempt + 1, attempts, detail
            )
        return Outcome("failed", detail)

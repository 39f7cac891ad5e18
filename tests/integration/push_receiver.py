"""A local Web Push service for tests and the benchmark.

It checks each push the way a real push service and browser would: the VAPID JWT
(``Authorization: vapid t=<jwt>, k=<key>``, ES256 signature, ``aud`` = this origin, ``exp`` in
the future, ``sub`` present), then decrypts the aes128gcm body with the subscription's private
key (RFC 8291, through ``http_ece``). Tests make subscriptions here, script failures per
endpoint, and read what arrived.

Run it alone for the benchmark: ``python -m tests.integration.push_receiver --port 0``
prints its origin on the first line; ``GET /stats`` returns counts.
"""

from __future__ import annotations

import argparse
import base64
import json
import secrets
import ssl
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Device:
    """The browser side of one subscription: its key pair and auth secret."""

    name: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    def subscription(self, origin: str) -> dict:
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": f"{origin}/push/{self.name}",
            "keys": {"p256dh": b64url(public), "auth": b64url(self.auth)},
        }


@dataclass
class Delivery:
    name: str
    payload: dict
    headers: dict
    vapid_key: str
    claims: dict


@dataclass
class Receiver:
    decrypt: bool = True
    devices: dict[str, Device] = field(default_factory=dict)
    deliveries: list[Delivery] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Scripted answers per device name, used up one per request, e.g. [500, 500] or [410], or
    # with headers: [(302, {"Location": "http://..."})].
    script: dict[str, list] = field(default_factory=dict)
    attempts: Counter = field(default_factory=Counter)
    shared: Device | None = None  # benchmark: one key pair behind every unknown name
    lock: threading.Lock = field(default_factory=threading.Lock)
    arrived: threading.Event = field(default_factory=threading.Event)  # set on each delivery
    origin: str = ""

    def device(self, name: str | None = None) -> dict:
        """A new browser subscription, in PushSubscription.toJSON() shape."""
        name = name or secrets.token_hex(8)
        device = Device(name, ec.generate_private_key(ec.SECP256R1()), secrets.token_bytes(16))
        self.devices[name] = device
        return device.subscription(self.origin)

    def count(self, name: str) -> int:
        with self.lock:
            return sum(1 for d in self.deliveries if d.name == name)

    def for_device(self, name: str) -> list[Delivery]:
        with self.lock:
            return [d for d in self.deliveries if d.name == name]

    def check_vapid(self, header: str) -> tuple[str, dict]:
        scheme, _, params = header.partition(" ")
        if scheme.lower() != "vapid":
            raise ValueError(f"Authorization scheme {scheme!r} is not vapid")
        values = dict(p.strip().split("=", 1) for p in params.split(","))
        token, key = values["t"], values["k"]
        head_b64, claims_b64, sig_b64 = token.split(".")
        head = json.loads(unb64url(head_b64))
        if head.get("alg") != "ES256":
            raise ValueError("JWT alg is not ES256")
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
        signature = unb64url(sig_b64)
        der = encode_dss_signature(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        )
        public.verify(der, f"{head_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
        claims = json.loads(unb64url(claims_b64))
        if claims.get("aud") != self.origin:
            raise ValueError(f"aud {claims.get('aud')!r} is not {self.origin!r}")
        if not time.time() < int(claims["exp"]) <= time.time() + 24 * 3600:
            raise ValueError("exp is not within the next 24 hours")
        if not claims.get("sub"):
            raise ValueError("sub is missing")
        return key, claims


def _handler(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as push services offer

        def log_message(self, *args) -> None:
            pass

        def _answer(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            with receiver.lock:
                stats = {"deliveries": len(receiver.deliveries), "errors": len(receiver.errors)}
            self._answer(200, json.dumps(stats).encode())

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            name = self.path.rsplit("/", 1)[-1]
            with receiver.lock:
                receiver.attempts[name] += 1
                scripted = receiver.script.get(name)
                status = scripted.pop(0) if scripted else None
            if status:
                code, headers = status if isinstance(status, tuple) else (status, {})
                self._answer(code, headers=headers)
                return
            try:
                key, claims = receiver.check_vapid(self.headers.get("Authorization", ""))
                if self.headers.get("Content-Encoding") != "aes128gcm":
                    raise ValueError("Content-Encoding is not aes128gcm")
                payload = {}
                if receiver.decrypt:
                    device = receiver.devices.get(name) or receiver.shared
                    plain = http_ece.decrypt(
                        body, private_key=device.private_key, auth_secret=device.auth
                    )
                    payload = json.loads(plain)
            except (ValueError, KeyError, InvalidSignature, AttributeError) as exc:
                with receiver.lock:
                    receiver.errors.append(f"{name}: {type(exc).__name__}: {exc}")
                self._answer(400)
                return
            headers = {k.lower(): v for k, v in self.headers.items()}
            with receiver.lock:
                receiver.deliveries.append(Delivery(name, payload, headers, key, claims))
            receiver.arrived.set()
            self._answer(201)

    return Handler


class PushService:
    """The receiver on a free local port, served from a background thread. ``host`` is the
    name its endpoints use (tests resolve it to 127.0.0.1 themselves); ``tls`` serves https."""

    def __init__(
        self,
        decrypt: bool = True,
        port: int = 0,
        host: str = "127.0.0.1",
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.receiver = Receiver(decrypt=decrypt)
        self.server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self.receiver))
        self.server.daemon_threads = True
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        scheme = "https" if tls else "http"
        self.receiver.origin = f"{scheme}://{host}:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self.receiver

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--no-decrypt", action="store_true", help="check the JWT only")
    parser.add_argument("--shared-key", help="base64url P-256 private value and auth, a:b")
    args = parser.parse_args()
    service = PushService(decrypt=not args.no_decrypt, port=args.port)
    if args.shared_key:
        private, auth = args.shared_key.split(":")
        key = ec.derive_private_key(int.from_bytes(unb64url(private), "big"), ec.SECP256R1())
        service.receiver.shared = Device("shared", key, unb64url(auth))
    print(service.receiver.origin, flush=True)
    service.server.serve_forever()


if __name__ == "__main__":
    main()

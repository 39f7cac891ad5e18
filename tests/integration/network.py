"""Network doubles for the push tests: a resolver standing in for DNS (no test asks real DNS,
and no push may connect beyond loopback), a listener that counts connections, and a local TLS
service with its own test CA."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import ssl
import threading
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric import ec
from urllib3.util.connection import create_connection as _create_connection

PUBLIC_ADDRESS = "93.184.215.14"  # public, and FakeDNS.connect keeps tests from reaching it


class FakeDNS:
    """Stands in for endpoint.resolve in every integration test (no test asks real DNS) and
    watches every connection a push makes: each is recorded, and any beyond loopback fails."""

    def __init__(self) -> None:
        self.names: dict[str, list[str]] = {"push.example.net": [PUBLIC_ADDRESS]}
        self.connections: list[tuple[str, int]] = []

    def resolve(self, host: str, port: int) -> list[str]:
        if host in self.names:
            return list(self.names[host])
        try:  # like the C library: 2130706433, 0x7f.1 and 127.1 all mean 127.0.0.1
            return [socket.inet_ntoa(socket.inet_aton(host))]
        except OSError:
            raise socket.gaierror(socket.EAI_NONAME, "not a name these tests know") from None

    def connect(self, address, *args, **kwargs):
        self.connections.append(address)
        if not ipaddress.ip_address(address[0]).is_loopback:
            raise OSError("tests never connect beyond this machine")
        return _create_connection(address, *args, **kwargs)


class Listener:
    """A TCP port on 127.0.0.1 that counts the connections it accepts and answers none."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.accepted = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.socket.accept()
            except OSError:
                return
            self.accepted += 1
            conn.close()

    def __enter__(self) -> Listener:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(OSError):  # wakes the blocked accept() (close alone doesn't)
            self.socket.shutdown(socket.SHUT_RDWR)
        self.socket.close()
        self.thread.join(5)


def tls_server(directory, name: str) -> tuple[ssl.SSLContext, bytes]:
    """A server TLS context with a certificate for ``name`` from a new test CA, and the CA's
    certificate (PEM) for clients to trust."""
    from datetime import timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import NameOID

    def cert(subject, issuer, public, signer, *, ca: bool, san: str | None = None):
        now = datetime.now(UTC)
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        builder = builder.add_extension(
            x509.SubjectKeyIdentifier.from_public_key(public), critical=False
        ).add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()),
            critical=False,
        )
        if san:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.DNSName(san)]), critical=False
            )
        return builder.sign(signer, hashes.SHA256())

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = cert("Lifted test CA", "Lifted test CA", ca_key.public_key(), ca_key, ca=True)
    leaf = cert(name, "Lifted test CA", key.public_key(), ca_key, ca=False, san=name)
    pem = serialization.Encoding.PEM
    chain, key_file = directory / "chain.pem", directory / "key.pem"
    chain.write_bytes(leaf.public_bytes(pem))
    key_file.write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(chain, key_file)
    return context, ca.public_bytes(pem)

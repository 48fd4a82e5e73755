"""A real SMTP server on loopback (aiosmtpd), optionally with STARTTLS and login."""

import socket
import ssl
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

USERNAME, SECRET = "thidua", "mat-khau-smtp"


@dataclass
class Mailbox:
    """What the server received: (envelope sender, recipients, parsed message) per message."""

    received: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    on_data: object = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@refused.example"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.on_data is not None:
            self.on_data(envelope)
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self.lock:
            self.received.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"

    def messages(self):
        """The parsed messages, in arrival order."""
        with self.lock:
            return [m for _f, _r, m in self.received]


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _authenticate(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == USERNAME.encode() and auth_data.password == SECRET.encode()
    return AuthResult(success=ok, handled=False)


@pytest.fixture(scope="session")
def smtp_ca(tmp_path_factory):
    """A test certificate authority and the server certificate for 127.0.0.1."""
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return cert, str(path)


@pytest.fixture
def smtp_server(smtp_ca):
    """Start a loopback SMTP server: plain, or STARTTLS with login (`secure=True`)."""
    started = []

    def start(*, secure: bool = False, implicit_tls: bool = False):
        mailbox = Mailbox()
        kwargs = {}
        if implicit_tls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            smtp_ca[0].configure_cert(context)
            kwargs = dict(ssl_context=context, server_hostname="127.0.0.1")
        if secure:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            smtp_ca[0].configure_cert(context)
            kwargs = dict(
                tls_context=context,
                require_starttls=True,
                auth_required=True,
                auth_require_tls=True,
                authenticator=_authenticate,
                # smtplib's AUTH LOGIN and aiosmtpd's disagree on a refusal; PLAIN is enough.
                auth_exclude_mechanism=["LOGIN"],
            )
        port = free_port()
        controller = Controller(mailbox, hostname="127.0.0.1", port=port, **kwargs)
        controller.start()
        started.append(controller)
        config = {
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": port,
            "SMTP_SECURITY": "tls" if implicit_tls else "starttls" if secure else "none",
            "SMTP_USERNAME": USERNAME if secure else "",
            "SMTP_PASSWORD": SECRET if secure else "",
            "SMTP_CA_FILE": smtp_ca[1],
            "SMTP_TIMEOUT": 5,
        }
        return mailbox, config

    yield start
    for controller in started:
        controller.stop()

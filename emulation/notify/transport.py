"""How a message leaves: the agency's SMTP server, or .eml files in a folder."""

import os
import smtplib
import ssl
import tempfile
from email.message import Message
from email.policy import compat32
from pathlib import Path

SMTP_LINES = compat32.clone(linesep="\r\n")


class DeliveryError(Exception):
    """A message was not delivered.

    `permanent`: the server refused it for good (5xx), retrying will not help.
    `uncertain`: the connection broke while the message itself was being handed over, so it
    may have arrived; it must not be sent again without a person deciding.
    """

    def __init__(self, reason: str, *, permanent: bool = False, uncertain: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.uncertain = uncertain


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is not None:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


class SmtpTransport:
    """One SMTP connection (STARTTLS, TLS or plain; optional login), reopened when it breaks."""

    def __init__(self, config):
        self.host = config["SMTP_HOST"]
        self.port = int(config["SMTP_PORT"])
        self.security = (config["SMTP_SECURITY"] or "none").lower()
        if self.security not in ("starttls", "tls", "none"):
            raise ValueError(f"SMTP_SECURITY={self.security!r}: use starttls, tls or none")
        self.username = config["SMTP_USERNAME"]
        self.password = config["SMTP_PASSWORD"]
        self.timeout = float(config["SMTP_TIMEOUT"])
        self.ca_file = config.get("SMTP_CA_FILE") or None
        self.smtp: smtplib.SMTP | None = None

    def describe(self) -> str:
        """Where messages go, for the command's output."""
        return f"smtp://{self.host}:{self.port} ({self.security})"

    def _context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.ca_file)

    def open(self) -> None:
        """Connect, secure and log in; DeliveryError (retry later) when any step fails."""
        if self.smtp is not None:
            return
        step, smtp = "connect", None
        try:
            if self.security == "tls":
                smtp = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=self._context()
                )
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            smtp.ehlo()
            if self.security == "starttls":
                step = "STARTTLS"
                smtp.starttls(context=self._context())
                smtp.ehlo()
            if self.username:
                step = "login"
                smtp.login(self.username, self.password)
        except smtplib.SMTPResponseException as exc:
            _close(smtp)
            raise DeliveryError(f"{step}: {_reply(exc.smtp_code, exc.smtp_error)}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            _close(smtp)
            raise DeliveryError(f"{step}: {exc.__class__.__name__}: {exc}") from exc
        self.smtp = smtp

    def close(self) -> None:
        """End the session politely; a broken one is simply dropped."""
        smtp, self.smtp = self.smtp, None
        _close(smtp)

    def _drop(self) -> None:
        smtp, self.smtp = self.smtp, None
        if smtp is not None:
            smtp.close()

    def send(self, message: Message, sender: str, recipient: str) -> None:
        """Hand one message over; DeliveryError says whether it may have arrived."""
        self.open()
        smtp = self.smtp
        try:
            for command, argument in (("mail", sender), ("rcpt", recipient)):
                code, text = getattr(smtp, command)(argument)
                if code not in (250, 251):
                    smtp.rset()
                    raise DeliveryError(
                        f"{command.upper()}: {_reply(code, text)}", permanent=code >= 500
                    )
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            # Nothing of the message was sent yet: safe to try again.
            self._drop()
            raise DeliveryError(f"connection lost: {exc}") from exc
        try:
            # Bytes go out as they are: the lines must already end in CRLF.
            code, text = smtp.data(message.as_bytes(policy=SMTP_LINES))
        except smtplib.SMTPDataError as exc:
            raise DeliveryError(
                f"DATA: {_reply(exc.smtp_code, exc.smtp_error)}", permanent=exc.smtp_code >= 500
            ) from exc
        except (smtplib.SMTPException, OSError) as exc:
            # The server may have stored the message before the connection broke.
            self._drop()
            raise DeliveryError(f"DATA interrupted: {exc}", uncertain=True) from exc
        if code != 250:
            # The server answered the message itself with a refusal: it was not taken.
            raise DeliveryError(f"DATA: {_reply(code, text)}", permanent=code >= 500)


class MailDirTransport:
    """Write each message as <folder>/<message id>.eml (a second write replaces the first)."""

    def __init__(self, directory: str | os.PathLike):
        self.directory = Path(directory)

    def describe(self) -> str:
        """Where messages go, for the command's output."""
        return str(self.directory)

    def open(self) -> None:
        """Create the folder."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DeliveryError(f"mail folder: {exc}") from exc

    def close(self) -> None:
        """Nothing to close."""

    def send(self, message: Message, sender: str, recipient: str) -> None:
        """Write the file atomically, so a reader never sees half a message."""
        self.open()
        name = message["Message-ID"].strip("<>").split("@")[0] + ".eml"
        try:
            fd, temporary = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(message.as_bytes(policy=SMTP_LINES))
            os.replace(temporary, self.directory / name)
        except OSError as exc:
            raise DeliveryError(f"mail folder: {exc}") from exc

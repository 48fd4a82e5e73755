"""A throw-away PKI per test module: a trusted root, a signer, and the deployment's trust folder."""

from dataclasses import dataclass
from pathlib import Path

import pytest

from emulation.signatures import TrustStore, load_trust
from tests.support.pki import Issued, make_ca, make_signer, write_roots


@dataclass
class Pki:
    """A trusted root, a signer under it and the trust folder naming the root."""

    ca: Issued
    signer: Issued
    trust_dir: Path

    @property
    def trust(self) -> TrustStore:
        """The trust store as the deployment reads it."""
        return load_trust(self.trust_dir)


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> Pki:
    """One root and signer for the module's tests."""
    ca = make_ca()
    return Pki(ca, make_signer(ca), write_roots(tmp_path_factory.mktemp("trust"), ca))

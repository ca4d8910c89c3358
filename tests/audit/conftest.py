import pytest

from audit.services import audit_configuration_forget
from tests.conftest import client_for


@pytest.fixture(autouse=True)
def _audit_isolation(settings, tmp_path):
    """Each test re-reads the recorded trail configuration and exports to its own directory."""
    audit_configuration_forget()
    settings.AUDIT_EXPORT_ROOT = tmp_path / "audit_exports"


@pytest.fixture
def admin_client(admin_user):
    return client_for(admin_user)

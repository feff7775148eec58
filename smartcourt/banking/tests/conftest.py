"""The bank fixtures for these tests, until the root conftest registers smartcourt.banking.testing for all."""

from smartcourt.banking.testing import bank, bank_server  # noqa: F401 - pytest fixtures

"""The sandbox bank (a real process, real HTTP, its own database) for the execution tests."""

from smartcourt.banking.testing import bank, bank_server  # noqa: F401

from smartcourt.exchange.testing import two_zones  # noqa: F401 - the fixture, for this app's tests

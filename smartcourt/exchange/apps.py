from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """Exchange packages between the internet zone and the court zone through the one-way gateways
    (docs/adr/0011-zones-and-gateway.md). A platform service: apps register message handlers with it and emit
    messages through it; it imports none of them."""

    name = "smartcourt.exchange"
    label = "exchange"
    verbose_name = "Zone exchange"

    def ready(self) -> None:
        from smartcourt.exchange import handlers

        handlers.register_own_handlers()

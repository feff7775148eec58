"""The SMS adapter, for every app that texts people (service of documents, meeting notices, the court's
decisions on payment requests). The demo and development adapter writes the message to the log; a real gateway
is a class with the same ``send`` method named in settings.DOCUMENTS_SMS_ADAPTER."""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("smartcourt.sms")


class SmsAdapter(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class ConsoleSms:
    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


def sms_adapter() -> SmsAdapter:
    path = getattr(settings, "DOCUMENTS_SMS_ADAPTER", "")
    if path:
        adapter: SmsAdapter = import_string(path)()
        return adapter
    return ConsoleSms()

from __future__ import annotations

from django.conf import settings
from django.test import Client


def english(client: Client) -> Client:
    """The client with English chosen through the language switch (pages ignore Accept-Language)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import timezone, translation

from smartcourt.documents.models import DocumentTemplate, TemplateVersion
from smartcourt.documents.seeds import seed_templates


@pytest.fixture(autouse=True)
def _template_library(request: pytest.FixtureRequest) -> None:
    """The seeded template library (a transactional test elsewhere may have flushed the migration's rows)."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db")
    seed_templates(DocumentTemplate, TemplateVersion, now=timezone.now())


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are read in English here (the pages show them in Chinese); no language is left activated."""
    translation.activate("en")
    yield
    translation.deactivate()

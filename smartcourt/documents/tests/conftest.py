from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import timezone, translation

from smartcourt.documents.models import DocumentTemplate, TemplateVersion
from smartcourt.documents.seeds import seed_templates


@pytest.fixture(autouse=True)
def _template_library(request: pytest.FixtureRequest) -> None:
    """The seeded library, also after a transactional test elsewhere in the run has flushed the tables the
    data migration filled."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db")
    seed_templates(DocumentTemplate, TemplateVersion, now=timezone.now())


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are read in English here; the pages show them in Chinese. Afterwards the thread is left with
    no language activated (the platform default), whatever an earlier test had left behind: restoring a
    deactivate_all() state would make later tests read English."""
    translation.activate("en")
    yield
    translation.deactivate()


from smartcourt.documents.testing import long_term, ocsp_server, tsa, tsa_server  # noqa: E402, F401 - fixtures for the timestamp tests

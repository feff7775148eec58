"""Headers and settings (issue 15.6): a Content-Security-Policy on every HTML page with no inline script in any
template, no caching of a signed-in user's pages, and `check --deploy` clean in the production environment
the README documents."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.test import Client

from smartcourt.core.middleware import CONTENT_SECURITY_POLICY

if TYPE_CHECKING:
    from conftest import Personas

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_every_html_page_has_the_policy_and_json_does_not_need_it(personas: Personas) -> None:
    anonymous = Client()
    page = anonymous.get("/accounts/login/")
    assert page.status_code == 200 and page["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self';" in CONTENT_SECURITY_POLICY and "unsafe-eval" not in CONTENT_SECURITY_POLICY
    assert page["X-Frame-Options"] == "DENY"
    # A public page to an anonymous visitor is not marked private.
    public = anonymous.get("/evidence/verify/")
    assert public.status_code == 200 and public["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "private" not in public.get("Cache-Control", "")
    api = anonymous.get("/api/v1/openapi.json")
    assert api["Content-Type"].startswith("application/json") and "Content-Security-Policy" not in api


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/claims/mine/", "/documents/inbox/", "/evidence/deposits/"])
def test_pages_with_personal_data_are_never_cached(personas: Personas, url: str) -> None:
    client = Client()
    client.force_login(personas.creditor_a)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_no_template_runs_inline_script() -> None:
    # The policy allows scripts from the platform's static files only: an inline one would not run.
    found = []
    for template in sorted(ROOT.glob("smartcourt/**/templates/**/*.html")):
        text = template.read_text()
        for match in re.finditer(r"<script\b[^>]*>", text):
            if "src=" not in match.group(0):
                found.append(f"{template.relative_to(ROOT)}: {match.group(0)}")
        for match in re.finditer(r"""\son[a-z]+\s*=\s*["']|javascript:|\shx-on""", text):
            found.append(f"{template.relative_to(ROOT)}: {match.group(0).strip()}")
    assert found == []


def _production_env() -> dict[str, str]:
    readme = (ROOT / "README.md").read_text()
    block = readme.split("<!-- production-env -->", 1)[1].split("<!-- /production-env -->", 1)[0]
    lines = [line for line in block.splitlines() if "=" in line and not line.startswith("```")]
    env = dict(line.split("=", 1) for line in lines)
    assert env["SMARTCOURT_SECRET_KEY"].startswith("<")
    env["SMARTCOURT_SECRET_KEY"] = secrets.token_urlsafe(50)
    return env


def test_check_deploy_is_clean_in_the_documented_production_environment(tmp_path: Path) -> None:
    # Exactly the documented environment, not whatever this test process carries (the suite's workers and other
    # tests add variables of their own, which once made the check fail inside the parallel run only).
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    env.update(_production_env(), SMARTCOURT_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout.strip()) == (0, "System check identified no issues (0 silenced)."), (
        result.stderr
    )

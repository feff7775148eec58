"""The two-zone cluster of ``make cluster`` (issue 18, docs/deployment.md), from outside, through nginx.

Run against a running cluster: ``make cluster`` in one terminal, then
``SMARTCOURT_TEST_CLUSTER=1 .venv/bin/python -m pytest -p no:xdist tests/test_cluster.py`` (``make cluster-check``).
Skipped otherwise: the cluster needs two seeded PostgreSQL databases and a dozen processes, more than the suite's
budget on CI; the zones' parts are tested in the suite (tests/test_zones.py, smartcourt/exchange/tests)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from smartcourt.testing import HttpBrowser

ROOT = Path(__file__).resolve().parents[1]
INTERNET = "http://127.0.0.1:8080"
COURT = "http://127.0.0.1:8081"
DEMO_PASSWORD = "SmartCourt-2026"

pytestmark = pytest.mark.cluster


@pytest.fixture(scope="module", autouse=True)
def _running_cluster() -> None:
    if os.environ.get("SMARTCOURT_TEST_CLUSTER") != "1":
        pytest.skip("needs a running `make cluster` and SMARTCOURT_TEST_CLUSTER=1")


class Browser(HttpBrowser):
    def sign_in(self, base: str, username: str) -> int:
        status, _, page = self.open(f"{base}/accounts/login/")
        assert status == 200
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None
        data = {"csrfmiddlewaretoken": token.group(1), "username": username, "password": DEMO_PASSWORD}
        return self.open(f"{base}/accounts/login/", data)[0]


def _manage(zone: str, *args: str) -> str:
    env_lines = subprocess.run(  # noqa: S603 - our interpreter and script
        [sys.executable, "scripts/cluster.py", "--env", zone], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    env = dict(os.environ)
    for line in env_lines.splitlines():
        key, _, value = line.removeprefix("export ").partition("=")
        env[key] = value.strip("'\"")
    return subprocess.run(  # noqa: S603 - our interpreter and manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def test_each_zone_serves_its_own_users_through_nginx() -> None:
    lawyer = Browser()
    assert lawyer.sign_in(INTERNET, "lawyer") == 302
    assert "互联网服务" in lawyer.open(f"{INTERNET}/")[2]
    assert Browser().sign_in(INTERNET, "judge") == 200  # refused: court staff sign in on the court network
    judge = Browser()
    assert judge.sign_in(COURT, "judge") == 302
    assert judge.open(f"{COURT}/bankruptcy/board/")[0] == 200
    assert lawyer.open(f"{INTERNET}/bankruptcy/board/")[0] == 404  # a court page is not on the internet side
    assert Browser().sign_in(COURT, "lawyer") == 200


def _last_line(output: str) -> str:
    lines = output.strip().splitlines()  # the shell may print a line of its own first
    return lines[-1] if lines else ""


def _until(zone: str, check: str, apply_zone: str, seconds: float = 180) -> float:
    """Apply ``apply_zone``'s inbox until ``check`` (Python printing 1) holds there; the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        _manage(apply_zone, "exchange", "apply")
        if _last_line(_manage(zone, "shell", "-c", check)) == "1":
            return time.monotonic() - started
        time.sleep(1)
    pytest.fail(f"not true in the {zone} zone within {seconds} s: {check}")


def test_a_filing_submitted_on_the_internet_reaches_the_court_and_its_review_comes_back() -> None:
    submit = (
        "from smartcourt.filing import actions; from smartcourt.filing.tests.helpers import PLAINTIFF, DEFENDANT; "
        "from smartcourt.accounts.models import User, Organisation; "
        "u = User.objects.get(username='lawyer'); c = Organisation.objects.get(court_code='苏0623'); "
        "f = actions.save_draft(actor=u, filing_id=None, court_id=c.pk, cause_code='CA062', "
        "claims='1. 判令被告偿还借款本金100,000元。', amount='100000.00', "
        "facts='被告借款100,000元到期未还。', consent_online=True, parties=[PLAINTIFF, DEFENDANT], "
        "practice_number='13206202010123456'); "
        "print(actions.submit(actor=u, filing_id=f.pk).pk)"
    )
    filing_id = _last_line(_manage("internet", "shell", "-c", submit))
    _manage("internet", "exchange", "pack")
    arrived = (
        "from smartcourt.filing.models import Filing; "
        f"print(Filing.objects.filter(pk='{filing_id}', status='submitted').count())"
    )
    lag = _until("court", arrived, "court")
    print(f"filing internet -> court: {lag:.1f} s")  # noqa: T201 - the lag, for the note
    review = (
        "from smartcourt.filing import actions; from smartcourt.accounts.models import User; "
        f"actions.start_review(actor=User.objects.get(username='clerk'), filing_id='{filing_id}'); print(1)"
    )
    _manage("court", "shell", "-c", review)
    _manage("court", "exchange", "pack")
    back = (
        "from smartcourt.filing.models import Filing; "
        f"print(Filing.objects.filter(pk='{filing_id}', status='under_review').count())"
    )
    lag = _until("internet", back, "internet")
    print(f"review court -> internet: {lag:.1f} s")  # noqa: T201


def test_a_message_from_the_internet_zone_is_applied_in_the_court_zone() -> None:
    note = f"cluster check {uuid.uuid4().hex[:8]}"
    started = time.monotonic()
    _manage("internet", "exchange", "ping", "lawyer", note)
    _manage("internet", "exchange", "pack")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        _manage("court", "exchange", "apply")
        status = _manage("court", "exchange", "status")
        received = _manage(
            "court",
            "shell",
            "-c",
            (
                "from smartcourt.audit.models import AuditEvent; "
                f"print(AuditEvent.objects.filter(action='exchange.ping_received', after__note={note!r}).count())"
            ),
        )
        if _last_line(received) == "1":
            break
        time.sleep(1)
    else:
        pytest.fail(f"the ping did not arrive in the court zone within 120 s; court status:\n{status}")
    print(f"internet -> court: {time.monotonic() - started:.1f} s")  # noqa: T201 - the lag, for the note

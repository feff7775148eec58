"""The test base every app's tests share (DESIGN.md §4.12), loaded as a pytest plugin by the root conftest.py.

- ``client_for(user)``, ``client_as(personas, "judge")`` and the ``clients`` fixture (``clients.judge``): one
  signed-in test client per persona.
- ``unchanged_database()`` and the ``nothing_changed`` fixture: every table of the database, row by row, is the
  same after the block as before it. A refusal must change nothing, whichever table the action would have
  touched, so the snapshot takes all of them rather than the few a test author thought of.
- ``permission_matrix(personas, call, expect=...)``: one request made as every persona and as an anonymous
  visitor, each answer compared with what that persona should get, and every refusal checked to have changed
  nothing (NetBox's ViewTestCases idea: the matrix is written once per view, not once per persona).
- Uploaded and generated files of every test go to the test's temporary directory (``_media``, autouse).

Model factories: none, on purpose (factory-boy was removed). A test builds its world through the actions, as
the ``personas`` fixture does, so every row it sees was made the way the platform makes it: validated, with its
audit event in the hash chain that the transparency log ingests. A factory writing rows behind the actions'
backs would give tests a world the platform can never be in (rows without events, a log that fails its own
check).
"""

from __future__ import annotations

import hashlib
import http.cookiejar
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client

if TYPE_CHECKING:
    from smartcourt.accounts.models import User

# The users of the root conftest's Personas, in the order a matrix reports them; "anonymous" is nobody signed in.
PERSONAS = (
    "judge",
    "assistant",
    "clerk",
    "court_admin",
    "administrator",
    "other_administrator",
    "creditor_a",
    "creditor_b",
    "bank_operator",
    "outsider",
)
ANONYMOUS = "anonymous"
EVERYONE = (*PERSONAS, ANONYMOUS)

# What changes whatever a request does: the session a sign-in writes, the login throttle's attempts, the time
# of a user's last sign-in (a test signs its clients in wherever it likes) and of an API token's last use.
NOT_STATE = frozenset({"django_session", "accounts_loginattempt"})
NOT_STATE_COLUMNS = {"accounts_user": frozenset({"last_login"}), "accounts_apitoken": frozenset({"last_used_at"})}


def client_for(user: User | None, *, language: str | None = None, second_factor_done: bool = False) -> Client:
    """A test client signed in as ``user`` (None: nobody). ``language`` sets the language cookie: the platform
    speaks Chinese unless asked otherwise, and a test that reads English msgids asks for "en".
    ``second_factor_done``: the session has passed the second factor too (for tests that switch it on)."""
    client = Client()
    if user is not None:
        client.force_login(user)
        if second_factor_done:
            from smartcourt.accounts import twofactor

            session = client.session
            session[twofactor.VERIFIED_KEY] = True
            session.save()
    if language is not None:
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    return client


def client_as(personas: Any, name: str | None, *, language: str | None = None) -> Client:
    """A test client signed in as the persona called ``name`` ("judge", ...; None or "anonymous": nobody)."""
    user = None if name in (None, ANONYMOUS) else getattr(personas, name)
    return client_for(user, language=language)


@dataclass
class Clients:
    """``clients.judge``, ``clients.anonymous``, ...: one client per persona, made on first use."""

    personas: Any
    language: str | None = None
    _made: dict[str, Client] = field(default_factory=dict)

    def of(self, name: str) -> Client:
        if name not in self._made:
            self._made[name] = client_as(self.personas, name, language=self.language)
        return self._made[name]

    def __getattr__(self, name: str) -> Client:
        if name.startswith("_") or name in {"personas", "language"}:
            raise AttributeError(name)
        return self.of(name)


@pytest.fixture
def clients(personas: Any) -> Clients:
    return Clients(personas)


_columns: dict[tuple[str, str], list[str]] = {}  # the schema does not change during a test run


def _table_state(cursor: Any, table: str) -> tuple[int, str]:
    quote = connection.ops.quote_name
    key = (connection.alias, table)
    if key not in _columns:
        skip = NOT_STATE_COLUMNS.get(table, frozenset())
        description = connection.introspection.get_table_description(cursor, table)
        _columns[key] = [column.name for column in description if column.name not in skip]
    columns = _columns[key]
    # Names from the database's own catalogue, quoted: nothing here comes from a test's input.
    cursor.execute(f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)}")  # noqa: S608
    rows = sorted(repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)) for row in cursor.fetchall())
    return len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()


def database_state(*, ignore: frozenset[str] = frozenset()) -> dict[str, tuple[int, str]]:
    """Every table's row count and a hash of its rows (in any order)."""
    skip = NOT_STATE | ignore
    with connection.cursor() as cursor:
        tables = sorted(t for t in connection.introspection.table_names(cursor) if t not in skip)
        return {table: _table_state(cursor, table) for table in tables}


@contextmanager
def unchanged_database(*, ignore: frozenset[str] = frozenset()) -> Iterator[None]:
    """Fail if any table (but ``ignore`` and the session and throttle tables) differs after the block."""
    before = database_state(ignore=ignore)
    yield
    after = database_state(ignore=ignore)
    changed = {
        table: f"{before.get(table, (0, ''))[0]} -> {after.get(table, (0, ''))[0]} rows"
        for table in sorted(set(before) | set(after))
        if before.get(table) != after.get(table)
    }
    assert changed == {}, f"a refused request changed the database: {changed}"


@pytest.fixture
def nothing_changed(db: None) -> Callable[..., Any]:
    """``with nothing_changed(): response = client.post(...)``: the request left every table as it was."""
    return unchanged_database


def _is_denial(status: int) -> bool:
    # A refusal is a 4xx or the redirect to the sign-in page an anonymous visitor gets.
    return status >= 400 or status == 302


def permission_matrix(
    personas: Any,
    call: Callable[[Client], Any],
    *,
    expect: Mapping[str, int],
    denied: int = 404,
    anonymous: int = 302,
    language: str | None = None,
) -> dict[str, int]:
    """Make ``call(client)`` as every persona and as nobody; assert that each persona named in ``expect`` gets its
    status, every other persona ``denied`` (404 by default: forbidden looks like missing) and the anonymous
    visitor ``anonymous`` (the sign-in redirect; 401 for the API). Refusals (4xx, 302) are made first, each
    inside ``unchanged_database()``, so the allowed calls (which may write) cannot hide a refused one's changes."""
    unknown = set(expect) - set(EVERYONE)
    assert not unknown, f"not personas: {sorted(unknown)}"
    expected = {name: expect.get(name, anonymous if name == ANONYMOUS else denied) for name in EVERYONE}
    clients = Clients(personas, language=language)
    for name in EVERYONE:
        clients.of(name)  # signing in writes a session: before any snapshot
    got: dict[str, int] = {}
    for name in sorted(EVERYONE, key=lambda n: not _is_denial(expected[n])):
        if _is_denial(expected[name]):
            with unchanged_database():
                got[name] = call(clients.of(name)).status_code
        else:
            got[name] = call(clients.of(name)).status_code
    assert {name: got[name] for name in EVERYONE} == expected
    return got


TEST_BUCKET = "smartcourt-test"
TEST_S3_CREDENTIALS = {"access_key": "test", "secret_key": "test"}


@contextmanager
def s3_server(log_dir: Any) -> Iterator[str]:
    """A real S3-compatible server (moto's server mode, its own process) on a free loopback port, with the
    test bucket created; its URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with (log_dir / "moto.log").open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our interpreter, moto's own server module
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/moto-api/", timeout=1):  # noqa: S310 - loopback
                        break
                except OSError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        raise RuntimeError(f"moto did not start; see {log.name}") from None
                    time.sleep(0.1)
            s3_client(url).create_bucket(Bucket=TEST_BUCKET)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)


def s3_client(url: str) -> Any:
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=TEST_S3_CREDENTIALS["access_key"],
        aws_secret_access_key=TEST_S3_CREDENTIALS["secret_key"],
    )


def s3_storage(url: str, location: str) -> dict[str, object]:
    """The STORAGES entry production uses (config/settings.py), pointed at the test server and a prefix."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": TEST_BUCKET,
            "endpoint_url": url,
            "region_name": "us-east-1",
            **TEST_S3_CREDENTIALS,
            "location": location,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


@pytest.fixture(scope="session")
def object_store(tmp_path_factory: Any) -> Iterator[str | None]:
    """With SMARTCOURT_TEST_OBJECT_STORE=1 (CI's PostgreSQL pass: the production combination), every test's files
    go to a real S3-compatible server started for this test process; its URL. Otherwise None: the file system."""
    if os.environ.get("SMARTCOURT_TEST_OBJECT_STORE") != "1":
        yield None
        return
    with s3_server(tmp_path_factory.mktemp("moto")) as url:
        yield url


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any, object_store: str | None) -> None:
    """Every test's uploads, dossier files and generated PDFs go to its own temporary directory, or to its own
    prefix in the test object store."""
    default: dict[str, object] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)},
    }
    if object_store is not None:
        default = s3_storage(object_store, uuid.uuid4().hex)
    settings.STORAGES = {**settings.STORAGES, "default": default}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class HttpBrowser:
    """A browser over real HTTP for tests that talk to processes (a sandbox, a live or clustered server): cookies
    kept, redirects handed back to the test so it can check each hop."""

    def __init__(self, *, timeout: float = 30) -> None:
        self.timeout = timeout
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def open(self, url: str, data: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        """Status, headers and body of a GET (or a form POST when ``data`` is given)."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(url, data=body, timeout=self.timeout) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read().decode()

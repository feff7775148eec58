"""``make cluster``: the two-zone deployment of docs/deployment.md on one machine (issue 18).

- the internet zone on http://127.0.0.1:8080/ and the court zone on http://127.0.0.1:8081/, each nginx (Debian's
  package) in front of two web processes (granian) of its zone, with its own PostgreSQL database, its own
  Redis database for the queue and counters, its own bucket in an S3-compatible object store (moto's server),
  and its own background worker;
- one gateway process per direction (``sandbox/gateway``) between the zones' exchange directories, and in each zone
  ``manage.py exchange run`` packing and applying every 2 seconds;
- the sandboxes the court zone talks to (bank, payment service, registry, timestamp authority, certificate status
  service, the 法综 sign-in for single sign-on).

The first start creates the two databases, migrates them and seeds the demo into each (as if the zones had
exchanged everything up to now), writes the zones' exchange keys and the nginx configuration under
``var/cluster/``. Ctrl-C stops everything; ``--reset`` starts from empty databases.

Both zones' demo users keep the demo password; court staff sign in on :8081 (password or 法综), everyone else on
:8080. ``python manage.py exchange status`` with a zone's environment (``scripts/cluster.py --env internet``
prints it) shows the packages in flight.
"""

from __future__ import annotations

import argparse
import getpass
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
CLUSTER = Path(os.environ.get("SMARTCOURT_CLUSTER_DIR", ROOT / "var" / "cluster"))
PG = os.environ.get("SMARTCOURT_CLUSTER_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("SMARTCOURT_CLUSTER_REDIS", "redis://127.0.0.1:6379")
S3_PORT = 9100
ZONES: dict[str, dict[str, Any]] = {
    "internet": {"db": "smartcourt_internet", "redis": 4, "web": (9001, 9002), "public": 8080},
    "court": {"db": "smartcourt_court", "redis": 5, "web": (9011, 9012), "public": 8081},
}
DIRECTIONS = {"internet->court": ("internet", "court"), "court->internet": ("court", "internet")}
# What the gateways let through: the exchange's own messages and the domain kinds apps registered so far.
CROSSING_KINDS = ("exchange.ack", "exchange.digest", "exchange.ping", "filing.state")


def _run_module() -> Any:
    """scripts/run.py (make run's supervisor and sandbox commands), loaded by path: scripts is not a package."""
    spec = importlib.util.spec_from_file_location("smartcourt_run_script", ROOT / "scripts" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def zone_env(zone: str) -> dict[str, str]:
    """Everything that makes a process one zone's."""
    settings = ZONES[zone]
    var_dir = CLUSTER / zone
    exchange = CLUSTER / "exchange"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONUNBUFFERED": "1",
        "SMARTCOURT_ZONE": zone,
        "SMARTCOURT_DEMO": "1",
        "SMARTCOURT_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"{PG}/{settings['db']}",
        "REDIS_URL": f"{REDIS}/{settings['redis']}",
        "SMARTCOURT_S3_BUCKET": f"smartcourt-{zone}",
        "SMARTCOURT_S3_ENDPOINT_URL": f"http://127.0.0.1:{S3_PORT}",
        "SMARTCOURT_S3_ACCESS_KEY": "cluster",
        "SMARTCOURT_S3_SECRET_KEY": "cluster-secret",
        "SMARTCOURT_EXCHANGE_DIR": str(exchange / zone),
        "SMARTCOURT_EXCHANGE_KEYS": str(exchange / "keys" / f"{zone}.json"),
        "SMARTCOURT_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # nginx is the only client the web processes see (REMOTE_ADDR is nginx's): count per user, not address.
        "SMARTCOURT_RATE_LIMIT_PER_ADDRESS": "100000",
        "SMARTCOURT_STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }
    run = _run_module()
    env.update(
        {
            "SMARTCOURT_REGISTRY_URL": f"http://127.0.0.1:{run.REGISTRY_PORT}",
            "SMARTCOURT_REGISTRY_KEY": "cluster-registry-key",
            "SMARTCOURT_BANK_URL": f"http://127.0.0.1:{run.BANK_PORT}",
            "SMARTCOURT_BANK_KEYS_DIR": str(CLUSTER / "court" / "bank"),
            "SMARTCOURT_PAYMENTS_URL": f"http://127.0.0.1:{run.PAYMENTS_PORT}",
            "SMARTCOURT_DOCUMENTS_TSA_URL": f"http://127.0.0.1:{run.TSA_PORT}/",
            "SMARTCOURT_DOCUMENTS_TSA_ROOTS": str(CLUSTER / "court" / "tsa" / "root.pem"),
            "SMARTCOURT_DOCUMENTS_OCSP_URL": f"http://127.0.0.1:{run.OCSP_PORT}/",
            "SMARTCOURT_OCSP_KEY": run.ocsp_key(CLUSTER / "court"),
        }
    )
    if zone == "court":
        env["SMARTCOURT_SSO_ISSUER"] = f"http://127.0.0.1:{run.IDP_PORT}"
        env["SMARTCOURT_SSO_FRAME_ORIGIN"] = f"http://127.0.0.1:{run.IDP_PORT}"
    return env


def _manage(zone: str, *args: str, without: tuple[str, ...] = (), **overrides: str) -> None:
    env = {key: value for key, value in {**zone_env(zone), **overrides}.items() if key not in without}
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


# The seeding starts its own timestamp authority and status service when these are not set (demo/signing.py).
SIGNING_SERVICES = ("SMARTCOURT_DOCUMENTS_TSA_URL", "SMARTCOURT_DOCUMENTS_TSA_ROOTS", "SMARTCOURT_DOCUMENTS_OCSP_URL")


def _psql(sql: str) -> str:
    result = subprocess.run(["psql", f"{PG}/postgres", "-tAc", sql], check=True, capture_output=True, text=True)
    return result.stdout.strip()


def _exists(name: str) -> bool:
    return _psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"  # noqa: S608 - our constants


def prepare_databases(reset: bool) -> None:
    """Both zones' databases, seeded once. The demo is seeded into the court zone's database and the internet
    zone's is a copy of it (PostgreSQL's template copy): the same people, cases and ids on both sides, as if the
    zones had exchanged everything up to now, so that records crossing later find their counterparts."""
    court, internet = ZONES["court"]["db"], ZONES["internet"]["db"]
    if reset:
        for name in (internet, court):
            _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if not _exists(court):
        _psql(f'CREATE DATABASE "{court}"')
        _manage("court", "migrate", "--no-input", "-v", "0")
        # Seeding is an installation step, not the zone's running: it runs as the single zone, with its own
        # timestamp authority and status service (demo/signing.py), and reaches the demo's bank.
        _manage("court", "seed_demo", without=SIGNING_SERVICES, SMARTCOURT_ZONE="single")
        _psql(f'DROP DATABASE IF EXISTS "{internet}" WITH (FORCE)')
    if not _exists(internet):
        _psql(f'CREATE DATABASE "{internet}" TEMPLATE "{court}"')
        copy_files("court", "internet")


def copy_files(source: str, target: str) -> None:
    """The seeded files into the other zone's bucket, and the seal CA and timestamp root its pages verify with."""
    client = _s3()
    paginator = client.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=f"smartcourt-{source}"):
        for item in page.get("Contents", []):
            client.copy_object(
                Bucket=f"smartcourt-{target}",
                Key=item["Key"],
                CopySource={"Bucket": f"smartcourt-{source}", "Key": item["Key"]},
            )
    for part in ("documents_ca", "tsa"):
        if (CLUSTER / source / part).exists():
            shutil.copytree(CLUSTER / source / part, CLUSTER / target / part, dirs_exist_ok=True)


def nginx_conf() -> Path:
    prefix = CLUSTER / "nginx"
    for part in ("temp/body", "temp/proxy", "temp/fastcgi", "temp/uwsgi", "temp/scgi"):
        (prefix / part).mkdir(parents=True, exist_ok=True)
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
    upstreams = "\n".join(
        f"  upstream {zone} {{ {' '.join(f'server 127.0.0.1:{port};' for port in settings['web'])} }}"
        for zone, settings in ZONES.items()
    )
    servers = "\n".join(
        f"""  server {{
    listen 127.0.0.1:{settings["public"]};
    location / {{
      proxy_pass http://{zone};
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_read_timeout 120s;
    }}
  }}"""
        for zone, settings in ZONES.items()
    )
    conf = f"""{user}worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 512; }}
http {{
  access_log {prefix}/access.log;
  client_body_temp_path {prefix}/temp/body;
  proxy_temp_path {prefix}/temp/proxy;
  fastcgi_temp_path {prefix}/temp/fastcgi;
  uwsgi_temp_path {prefix}/temp/uwsgi;
  scgi_temp_path {prefix}/temp/scgi;
  client_max_body_size 25m;
{upstreams}
{servers}
}}
"""
    path = prefix / "nginx.conf"
    path.write_text(conf, encoding="utf-8")
    return path


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own loopback services
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _s3() -> Any:
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{S3_PORT}",
        region_name="us-east-1",
        aws_access_key_id="cluster",
        aws_secret_access_key="cluster-secret",  # noqa: S106 - the local object store accepts any key
    )


def create_buckets() -> None:
    client = _s3()
    existing = {bucket["Name"] for bucket in client.list_buckets().get("Buckets", [])}
    for zone in ZONES:
        if f"smartcourt-{zone}" not in existing:
            client.create_bucket(Bucket=f"smartcourt-{zone}")


def commands() -> dict[str, tuple[list[str], dict[str, str]]]:
    """Every long-running process, with its environment."""
    run = _run_module()
    court = zone_env("court")
    # make run's sandbox commands, with their files in the court zone's directory and their notifications sent
    # to the court zone through nginx (the bank's and the payment service's dedicated lines end there).
    os.environ["SMARTCOURT_VAR_DIR"] = court["SMARTCOURT_VAR_DIR"]
    sandboxes = run.commands("127.0.0.1", ZONES["court"]["public"])
    found: dict[str, tuple[list[str], dict[str, str]]] = {
        name: (sandboxes[name], court) for name in ("registry", "bank", "payments", "tsa", "ocsp", "idp")
    }
    for zone, settings in ZONES.items():
        env = zone_env(zone)
        for index, port in enumerate(settings["web"], start=1):
            found[f"{zone}-web-{index}"] = (
                [
                    PYTHON,
                    "-m",
                    "granian",
                    "--interface",
                    "wsgi",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--workers",
                    "1",
                    "--respawn-failed-workers",
                    "--blocking-threads",
                    "4",
                    "--no-ws",
                    "config.wsgi:application",
                ],
                env,
            )
        found[f"{zone}-worker"] = ([PYTHON, "manage.py", "run_huey", "--quiet"], env)
        # Packs and applies every 2 s (the worker's once-a-minute jobs are the backstop, ADR 0011).
        found[f"{zone}-exchange"] = ([PYTHON, "manage.py", "exchange", "run"], env)
    exchange = CLUSTER / "exchange"
    for direction, (sender, receiver) in DIRECTIONS.items():
        found[f"gateway {direction}"] = (
            [
                PYTHON,
                "-m",
                "sandbox.gateway",
                "--direction",
                direction,
                "--outbox",
                str(exchange / sender / "outbox"),
                "--inbox",
                str(exchange / receiver / "inbox"),
                "--state",
                str(CLUSTER / f"gateway-{sender}-{receiver}"),
                "--sender-keys",
                str(exchange / "keys" / f"{sender}.public.json"),
                *(argument for kind in CROSSING_KINDS for argument in ("--allow-kind", kind)),
            ],
            court,
        )
    found["nginx"] = (
        ["nginx", "-p", str(CLUSTER / "nginx"), "-c", str(CLUSTER / "nginx" / "nginx.conf"), "-g", "daemon off;"],
        court,
    )
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reset", action="store_true", help="drop and recreate both zones' databases")
    parser.add_argument("--env", choices=sorted(ZONES), help="print a zone's environment (for manage.py) and exit")
    args = parser.parse_args(argv)
    if args.env:
        for key, value in sorted(zone_env(args.env).items()):
            if key.startswith(("SMARTCOURT_", "DATABASE_URL", "REDIS_URL", "DJANGO_")):
                print(f"export {key}={value!r}")
        return 0
    for tool in ("nginx", "psql", "redis-cli"):
        if shutil.which(tool) is None:
            print(f"{tool} is missing: make cluster installs it with scripts/system-packages.sh --cluster")
            return 1
    CLUSTER.mkdir(parents=True, exist_ok=True)
    run = _run_module()
    s3 = subprocess.Popen(
        [PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(S3_PORT)],
        cwd=ROOT,
        stdout=(CLUSTER / "s3.log").open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(f"http://127.0.0.1:{S3_PORT}/moto-api/")
        create_buckets()
        keys_dir = CLUSTER / "exchange" / "keys"
        if not (keys_dir / "internet.json").exists():
            _manage("court", "exchange", "keys", str(keys_dir))
        prepare_databases(args.reset)
        subprocess.run([*run.tsa_command(CLUSTER / "court"), "--init"], cwd=ROOT, env=zone_env("court"), check=True)
        for zone in ZONES:
            _manage(zone, "migrate", "--no-input", "-v", "0")
            _manage(zone, "collectstatic", "--no-input", "-v", "0")
        court_site = f"http://127.0.0.1:{ZONES['court']['public']}"
        _manage("court", "idp_config", "--dir", str(CLUSTER / "court" / "idp"), "--site", court_site)
        nginx_conf()
        found = commands()
        supervisor = run.Supervisor({name: command for name, (command, _env) in found.items()}, env=zone_env("court"))
        # Each child its own zone's environment.
        supervisor.start = _starter(supervisor, found)
        signal.signal(signal.SIGINT, supervisor.stop)
        signal.signal(signal.SIGTERM, supervisor.stop)
        supervisor.start_all()
        for settings in ZONES.values():
            wait_for(f"http://127.0.0.1:{settings['public']}/accounts/login/", seconds=120)
        print(
            f"\nSmartCourt cluster: internet zone http://127.0.0.1:{ZONES['internet']['public']}/ · "
            f"court zone http://127.0.0.1:{ZONES['court']['public']}/  (Ctrl-C stops everything)\n",
            flush=True,
        )
        supervisor.run()
    finally:
        s3.terminate()
        s3.wait(timeout=10)
    return 0


def _starter(supervisor: Any, found: dict[str, tuple[list[str], dict[str, str]]]) -> Any:
    def start(name: str) -> None:
        command, env = found[name]
        process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
        supervisor.processes[name] = process
        supervisor.started_at[name] = time.monotonic()
        print(f"started {name} (pid {process.pid})", flush=True)

    return start


if __name__ == "__main__":
    sys.exit(main())

"""Which banks the platform talks to and with which keys (settings, read here with defaults).

Settings (the lead adds them to config/settings.py from the environment):

    BANK_URL            the default partner's base URL (the sandbox bank: http://127.0.0.1:8102)
    BANK_KEYS_DIR       the directory holding ``platform.json`` (our keys, the bank's public keys, the
                        envelope keys, the court's approval key); generated on first use for the demo
    BANK_TIMEOUT_SECONDS  per request
    BANK_PARTNERS       optional {"name": {"url": ..., "keys_dir": ...}} for more than one bank
    BANK_DEFAULT_PARTNER  the name the default partner answers to ("sandbox")
    BANK_NOTIFICATION_URL  the URL banks push to, as they call it (default: the URL the request arrived at)
    BANK_SIGNATURE_ALG / BANK_ENVELOPE_ALG  algorithms of generated demo keys ("ed25519"/"sm2-sm3",
                        "A256GCM"/"SM4GCM"); a provisioned key file says its own algorithms

Key files are re-read when they change (mtime), so a rotation needs no restart (see partnerproto/keyfiles.py).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from partnerproto import keyfiles
from partnerproto.signatures import SigningKey

DEFAULT_URL = "http://127.0.0.1:8102"
DEFAULT_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Partner:
    name: str
    url: str
    keys_dir: Path
    timeout: float

    @property
    def key_file(self) -> Path:
        return self.keys_dir / keyfiles.PLATFORM_FILE

    def keys(self) -> keyfiles.PartyKeys:
        return _load(self.keys_dir)


def default_partner_name() -> str:
    return str(getattr(settings, "BANK_DEFAULT_PARTNER", "sandbox"))


def _default_keys_dir() -> Path:
    var_dir = Path(getattr(settings, "VAR_DIR", Path(settings.BASE_DIR) / "var"))
    return Path(getattr(settings, "BANK_KEYS_DIR", var_dir / "bank"))


def partner(name: str = "") -> Partner:
    """The configured partner ``name`` (empty: the default one). Raises ImproperlyConfigured if unknown."""
    name = name or default_partner_name()
    timeout = float(getattr(settings, "BANK_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS))
    configured = dict(getattr(settings, "BANK_PARTNERS", {}) or {})
    if name in configured:
        entry = configured[name]
        return Partner(
            name=name,
            url=str(entry["url"]).rstrip("/"),
            keys_dir=Path(entry.get("keys_dir", _default_keys_dir())),
            timeout=float(entry.get("timeout", timeout)),
        )
    if name != default_partner_name():
        raise ImproperlyConfigured(f"no bank partner {name!r} (BANK_PARTNERS, BANK_DEFAULT_PARTNER)")
    return Partner(
        name=name,
        url=str(getattr(settings, "BANK_URL", DEFAULT_URL)).rstrip("/"),
        keys_dir=_default_keys_dir(),
        timeout=timeout,
    )


def all_partners() -> list[Partner]:
    names = [default_partner_name(), *[n for n in getattr(settings, "BANK_PARTNERS", {}) or {} if n]]
    return [partner(name) for name in dict.fromkeys(names)]


_cache: dict[Path, tuple[tuple[int, int], keyfiles.PartyKeys]] = {}
_lock = threading.Lock()


def _load(keys_dir: Path) -> keyfiles.PartyKeys:
    path = keys_dir / keyfiles.PLATFORM_FILE
    if not path.exists():
        # A new install or the demo: generate both sides' files (the sandbox bank reads bank.json).
        keyfiles.ensure_demo_keys(
            keys_dir,
            signature_alg=str(getattr(settings, "BANK_SIGNATURE_ALG", "ed25519")),
            envelope_alg=str(getattr(settings, "BANK_ENVELOPE_ALG", "A256GCM")),
        )
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        with _lock:
            cached = _cache.get(path)
            if cached is not None and cached[0] == stamp:
                return cached[1]
            keys = keyfiles.read(path)
            _cache[path] = (stamp, keys)
            return keys
    except (OSError, ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"the bank key file {path} cannot be read: {exc}") from exc


def court_approval_key() -> SigningKey:
    """The court's key for approval tokens (held in the default partner's key file)."""
    return partner().keys().court_key()

"""Every error code is a member of an error-code enum (issue 14 item 2): no code is written as a bare string.

mypy already refuses a str where DomainError takes a code; this test also catches what mypy cannot see: a
``code = "..."`` class attribute on an exception class that is not a DomainError, a code put straight into
an error answer's dict, and an enum member whose value collides with a different spelling."""

from __future__ import annotations

import ast
from pathlib import Path

import config.urls  # noqa: F401  (every app's modules, as a running platform has them)
from smartcourt.core.errors import CoreError, DomainError, ErrorCode, error_code_enums

ROOT = Path(__file__).resolve().parent.parent


def _sources() -> list[Path]:
    paths = [*ROOT.joinpath("smartcourt").rglob("*.py"), *ROOT.joinpath("config").rglob("*.py")]
    return [p for p in paths if "tests" not in p.parts and "migrations" not in p.parts and p.name != "testing.py"]


def _is_text(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _bare_codes(tree: ast.Module) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            lines += [node.lineno for kw in node.keywords if kw.arg == "code" and _is_text(kw.value)]
        elif isinstance(node, ast.ClassDef) and node.bases:
            # An exception class's code (a plain dataclass with a ``code`` field, as cases.homepages.Tally, has
            # no bases and is no error).
            for statement in node.body:
                value = statement.value if isinstance(statement, ast.Assign | ast.AnnAssign) else None
                targets = (
                    statement.targets
                    if isinstance(statement, ast.Assign)
                    else [statement.target]
                    if isinstance(statement, ast.AnnAssign)
                    else []
                )
                if _is_text(value) and any(isinstance(t, ast.Name) and t.id == "code" for t in targets):
                    lines.append(statement.lineno)
        elif isinstance(node, ast.Dict):
            keys = {key.value: value for key, value in zip(node.keys, node.values, strict=True) if _is_text(key)}
            # An error answer's body: {"code": ..., "message": ...}.
            if "message" in keys and _is_text(keys.get("code")):
                lines.append(node.lineno)
    return lines


def test_no_error_code_is_a_bare_string() -> None:
    found = {
        f"{path.relative_to(ROOT)}:{line}"
        for path in _sources()
        for line in _bare_codes(ast.parse(path.read_text(encoding="utf-8")))
    }
    assert sorted(found) == []


def test_every_domain_error_class_carries_an_enum_code() -> None:
    pending, classes = [DomainError], []
    while pending:
        cls = pending.pop()
        classes.append(cls)
        pending += cls.__subclasses__()
    assert len(classes) > 10
    assert {cls.__qualname__: type(cls.code).__name__ for cls in classes if not isinstance(cls.code, ErrorCode)} == {}


def test_every_enum_member_is_spelt_as_its_value() -> None:
    # CLAIM_STALE = "stale" would let two names mean one wire code; a member's name is its value in capitals.
    enums = error_code_enums()
    assert CoreError in enums
    assert {f"{enum.__name__}.{m.name}": m.value for enum in enums for m in enum if m.name != m.value.upper()} == {}

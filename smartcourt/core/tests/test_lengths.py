"""core.lengths: a value is refused or visibly shortened against its column's length, never cut silently."""

from __future__ import annotations

import pytest
from django.utils import translation

from smartcourt.core.errors import DomainError
from smartcourt.core.lengths import check_length, check_text, fit, max_length, shorten
from smartcourt.documents.models import Seal
from smartcourt.dossier.models import DossierEntry


def test_max_length_reads_the_model_field() -> None:
    assert max_length(Seal, "revoked_reason") == 200
    with pytest.raises(TypeError, match="has no max_length"):
        max_length(Seal, "revoked_at")


def test_check_length_passes_at_the_limit_and_refuses_one_more_naming_field_and_limit() -> None:
    assert check_length(Seal, "revoked_reason", "字" * 200, label="The reason") == "字" * 200
    with translation.override("zh-hans"), pytest.raises(DomainError) as refused:
        check_length(Seal, "revoked_reason", "字" * 201, label="吊销理由", input_field="reason")
    assert (refused.value.code, refused.value.field) == ("too_long", "reason")
    assert refused.value.message == "吊销理由最多 200 个字符，此处有 201 个"


def test_check_length_counts_the_prefix_and_suffix_against_the_room_left() -> None:
    prefix = "N03 公告：" + "x" * 93  # 100 characters
    assert len(check_length(DossierEntry, "title", "v" * 100, label="value", prefix=prefix)) == 200
    with translation.override("zh-hans"), pytest.raises(DomainError, match="最多 100 个字符，此处有 101 个"):
        check_length(DossierEntry, "title", "v" * 101, label="value", prefix=prefix)


def test_check_text_for_a_bound_that_is_not_a_column() -> None:
    assert check_text("a" * 5, 5, label="x", field="f") == "aaaaa"
    with pytest.raises(DomainError) as refused:
        check_text("a" * 6, 5, label="x", field="f")
    assert (refused.value.code, refused.value.field) == ("too_long", "f")


def test_fit_and_shorten_show_where_they_cut() -> None:
    assert fit(DossierEntry, "title", "题" * 200) == "题" * 200
    assert fit(DossierEntry, "title", "题" * 201) == "题" * 199 + "…"
    assert shorten("abcdef", 6) == "abcdef"
    assert shorten("abcdefg", 6) == "abcde…"

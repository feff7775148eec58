"""The receipt check page says the offline verifier's findings in Chinese (issue 16.4)."""

from __future__ import annotations

from django.utils import translation

from smartcourt.evidence.receipt_check import readable_detail


def test_known_findings_are_translated_and_unknown_ones_kept_as_code() -> None:
    with translation.override("zh-hans"):
        assert readable_detail("leaf 3 is in the tree of 10 with the signed root") == (
            "第 3 号叶子包含在已签名根所对应的 10 条记录中",
            True,
        )
        assert readable_detail("signed by smartcourt.example/log (key ID 0a1b) at tree size 12") == (
            "由 smartcourt.example/log 签名（密钥 ID 0a1b），日志规模 12 条",
            True,
        )
        assert readable_detail("something new went wrong") == ("something new went wrong", False)

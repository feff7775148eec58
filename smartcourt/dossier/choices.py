"""Kinds of dossier entry."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    APPLICATION = "application", _("Application")  # 申请书
    RULING = "ruling", _("Ruling")  # 裁定书
    DECISION = "decision", _("Decision")  # 决定书
    NOTICE = "notice", _("Notice")  # 通知书, 公告
    REQUEST = "request", _("Request")  # 请示
    REPORT = "report", _("Report")  # 报告
    APPROVAL = "approval", _("Reply")  # 批复 (approval, rejection, request for more, acknowledgement)
    NODE_RECORD = "node_record", _("Node record")  # 节点记录
    DOCUMENT = "document", _("Document")  # 文书
    ATTACHMENT = "attachment", _("Attachment")  # 附件
    CORRECTION = "correction", _("Correction")  # 更正
    OTHER = "other", _("Other")  # 其他


# Kind names as they are printed in the dossier's own documents (exported catalogue, PDF), which are
# Chinese court documents whatever language the person exporting them reads the pages in.
KIND_DOCUMENT_NAMES: dict[str, str] = {
    EntryKind.APPLICATION: "申请书",
    EntryKind.RULING: "裁定书",
    EntryKind.DECISION: "决定书",
    EntryKind.NOTICE: "通知",
    EntryKind.REQUEST: "请示",
    EntryKind.REPORT: "报告",
    EntryKind.APPROVAL: "批复",
    EntryKind.NODE_RECORD: "节点记录",
    EntryKind.DOCUMENT: "文书",
    EntryKind.ATTACHMENT: "附件",
    EntryKind.CORRECTION: "更正",
    EntryKind.OTHER: "其他",
}

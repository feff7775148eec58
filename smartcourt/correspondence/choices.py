"""Requests, reports and replies (请示/报告/批复): kinds, states and the transitions between them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ThreadKind(models.TextChoices):
    # 请示: the administrator asks the court to approve something (a sale of assets, an expense, a step).
    REQUEST = "request", _("Request")
    # 报告: the administrator informs the court; the judge acknowledges it.
    REPORT = "report", _("Report")


class ThreadStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    MORE_INFO_REQUESTED = "more_info_requested", _("More information requested")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    REQUEST_MORE = "request_more", _("Ask for more information")
    ACKNOWLEDGE = "acknowledge", _("Acknowledge")


class MessageKind(models.TextChoices):
    SUBMISSION = "submission", _("Submission")
    RESUBMISSION = "resubmission", _("Resubmission")
    APPROVAL = "approval", _("Approval")
    REJECTION = "rejection", _("Rejection")
    REQUEST_MORE = "request_more", _("Request for more information")
    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement")


# What a judge may decide on a thread of a kind in a status, and where each decision leads.
ANSWERS: dict[tuple[str, str], dict[str, str]] = {
    (ThreadKind.REQUEST, ThreadStatus.SUBMITTED): {
        Decision.APPROVE: ThreadStatus.APPROVED,
        Decision.REJECT: ThreadStatus.REJECTED,
        Decision.REQUEST_MORE: ThreadStatus.MORE_INFO_REQUESTED,
    },
    (ThreadKind.REQUEST, ThreadStatus.RESUBMITTED): {
        Decision.APPROVE: ThreadStatus.APPROVED,
        Decision.REJECT: ThreadStatus.REJECTED,
        Decision.REQUEST_MORE: ThreadStatus.MORE_INFO_REQUESTED,
    },
    (ThreadKind.REPORT, ThreadStatus.SUBMITTED): {Decision.ACKNOWLEDGE: ThreadStatus.ACKNOWLEDGED},
}
# The administrator may resubmit only what the judge sent back for more information.
RESUBMITTABLE: frozenset[tuple[str, str]] = frozenset({(ThreadKind.REQUEST, ThreadStatus.MORE_INFO_REQUESTED)})
REASONS_REQUIRED = frozenset({Decision.REJECT, Decision.REQUEST_MORE})
OPEN_STATUSES = frozenset({ThreadStatus.SUBMITTED, ThreadStatus.RESUBMITTED})

DECISION_MESSAGE: dict[str, str] = {
    Decision.APPROVE: MessageKind.APPROVAL,
    Decision.REJECT: MessageKind.REJECTION,
    Decision.REQUEST_MORE: MessageKind.REQUEST_MORE,
    Decision.ACKNOWLEDGE: MessageKind.ACKNOWLEDGEMENT,
}

# How each message is titled in the dossier, a Chinese court document whatever language the user reads.
DOSSIER_TITLES: dict[tuple[str, str], str] = {
    (ThreadKind.REQUEST, MessageKind.SUBMISSION): "请示：{subject}",
    (ThreadKind.REQUEST, MessageKind.RESUBMISSION): "请示（补充材料）：{subject}",
    (ThreadKind.REQUEST, MessageKind.APPROVAL): "批复（同意）：{subject}",
    (ThreadKind.REQUEST, MessageKind.REJECTION): "批复（不同意）：{subject}",
    (ThreadKind.REQUEST, MessageKind.REQUEST_MORE): "批复（要求补充材料）：{subject}",
    (ThreadKind.REPORT, MessageKind.SUBMISSION): "报告：{subject}",
    (ThreadKind.REPORT, MessageKind.ACKNOWLEDGEMENT): "报告回复（已阅）：{subject}",
}
MESSAGE_DOCUMENT_NAMES: dict[str, str] = {
    MessageKind.SUBMISSION: "提交",
    MessageKind.RESUBMISSION: "补充提交",
    MessageKind.APPROVAL: "同意",
    MessageKind.REJECTION: "不同意",
    MessageKind.REQUEST_MORE: "要求补充材料",
    MessageKind.ACKNOWLEDGEMENT: "已阅",
}

"""Kinds and states of creditors' meetings, agenda items, voter classes and ballots (EBL art. 59-65, 82-86, 97)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from smartcourt.rules.votes.calculator import ItemKind, Rule


class MeetingKind(models.TextChoices):
    # 第一次债权人会议: convened by the court within 15 days after the declaration period ends (art. 62(1)).
    FIRST = "first", _("First meeting")
    # 以后的债权人会议: when the court thinks it necessary or on request (art. 62(2)).
    LATER = "later", _("Later meeting")


class MeetingStatus(models.TextChoices):
    # Convened and noticed; sign-in, questions and votes follow the meeting's times.
    CONVENED = "convened", pgettext_lazy("meeting", "Convened")
    # The voting window is over and the votes are tallied: results, ballot list and minutes are published.
    CLOSED = "closed", pgettext_lazy("meeting", "Closed")
    # Called off by the court before it was held; nothing is tallied.
    CANCELLED = "cancelled", pgettext_lazy("meeting", "Cancelled")


MEETING_TRANSITIONS: dict[str, frozenset[str]] = {
    MeetingStatus.CONVENED: frozenset({MeetingStatus.CLOSED, MeetingStatus.CANCELLED}),
    MeetingStatus.CLOSED: frozenset(),
    MeetingStatus.CANCELLED: frozenset(),
}


class AgendaKind(models.TextChoices):
    # Heard, not voted on: the administrator's work report, the verification of the claims table.
    REPORT = "report", _("Report (no vote)")
    # A resolution of the meeting under art. 61 not listed below (art. 64).
    GENERAL = "general", _("Resolution (art. 64)")
    # 财产管理方案 (art. 61(8)): if rejected, the court rules (art. 65(1)).
    MANAGEMENT_PLAN = "management_plan", _("Property management plan")
    # 破产财产变价方案 (art. 61(9)): if rejected, the court rules (art. 65(1)).
    REALISATION_PLAN = "realisation_plan", _("Realisation plan")
    # 破产财产分配方案 (art. 61(10)): secured creditors who kept priority do not vote (art. 59); rejected twice,
    # the court rules (art. 65(2)).
    DISTRIBUTION_PLAN = "distribution_plan", _("Distribution plan")
    # 和解协议 (art. 97), secured creditors who kept priority do not vote (art. 59).
    SETTLEMENT_AGREEMENT = "settlement_agreement", _("Settlement agreement")
    # 重整计划草案 (art. 84), voted on by class.
    REORGANISATION_PLAN = "reorganisation_plan", _("Reorganisation plan")


# The statutory rule and the calculator's item kind for each votable agenda kind.
AGENDA_RULES: dict[str, tuple[Rule, ItemKind]] = {
    AgendaKind.GENERAL: (Rule.ART64, ItemKind.GENERAL),
    AgendaKind.MANAGEMENT_PLAN: (Rule.ART64, ItemKind.GENERAL),
    AgendaKind.REALISATION_PLAN: (Rule.ART64, ItemKind.GENERAL),
    AgendaKind.DISTRIBUTION_PLAN: (Rule.ART64, ItemKind.DISTRIBUTION_PLAN),
    AgendaKind.SETTLEMENT_AGREEMENT: (Rule.ART97, ItemKind.SETTLEMENT_AGREEMENT),
    AgendaKind.REORGANISATION_PLAN: (Rule.ART84, ItemKind.GENERAL),
}
# A rejected plan of these kinds goes to the court for a ruling (art. 65).
COURT_RULES_IF_REJECTED = frozenset(
    {AgendaKind.MANAGEMENT_PLAN, AgendaKind.REALISATION_PLAN, AgendaKind.DISTRIBUTION_PLAN}
)


class VoterClass(models.TextChoices):
    """Reorganisation voting classes (art. 82)."""

    # 有财产担保债权组.
    SECURED = "secured", _("Secured claims")
    # 职工债权组.
    EMPLOYEE = "employee", _("Employee claims")
    # 税款债权组 (with social insurance other than employees' own accounts).
    TAX = "tax", _("Tax claims")
    # 普通债权组.
    ORDINARY = "ordinary", _("Ordinary claims")
    # 小额债权组: ordinary claims up to a threshold the court sets (art. 82(2)).
    SMALL_ORDINARY = "small_ordinary", _("Small ordinary claims")


class BallotVote(models.TextChoices):
    FOR = "for", _("For")  # 同意
    AGAINST = "against", _("Against")  # 反对
    ABSTAIN = "abstain", _("Abstain")  # 弃权


class NoticeKind(models.TextChoices):
    # 债权人会议通知 (art. 63).
    CONVENING = "convening", _("Meeting notice")
    # 表决结果通知.
    RESULTS = "results", _("Results notice")

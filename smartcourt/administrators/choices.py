"""Roster grades and the ways an administrator is appointed."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Grade(models.TextChoices):
    """The roster grade (管理人等级): which cases a firm may be appointed to. Grade 1 firms take the largest
    and most complex cases; the court decides the grade a case needs."""

    FIRST = "first", _("Grade 1 (一级)")
    SECOND = "second", _("Grade 2 (二级)")
    THIRD = "third", _("Grade 3 (三级)")


class AppointmentMethod(models.TextChoices):
    # 法院指定: the judge names a firm on the court's roster (SPC Provisions on Appointing Administrators, art. 20).
    JUDGE_CHOICE = "judge_choice", _("Chosen by the judge")
    # 轮候: the active firm of the required grade whose last appointment is the oldest.
    ROTATION = "rotation", _("Rotation")
    # 随机抽签: a recorded, reproducible draw among the active firms of the required grade.
    RANDOM_DRAW = "random_draw", _("Random draw")

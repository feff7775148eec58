"""Who issues a document, and where a document stands."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Issuer(models.TextChoices):
    COURT = "court", _("Court")  # 人民法院
    ADMINISTRATOR = "administrator", _("Administrator")  # 管理人


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # 草稿
    SIGNED = "signed", _("Signed")  # 已签章
    SERVED = "served", _("Served")  # 已送达

"""Who issues a document, and where a document stands."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Issuer(models.TextChoices):
    COURT = "court", _("Court")  # 人民法院
    ADMINISTRATOR = "administrator", _("Administrator")  # 管理人


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # 草稿
    SIGNED = "signed", pgettext_lazy("document", "Signed")  # 已签章
    SERVED = "served", pgettext_lazy("document", "Served")  # 已送达


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("delivery", "Pending")  # 待送达
    DELIVERED = "delivered", pgettext_lazy("delivery", "Delivered")  # 已送达
    FAILED = "failed", pgettext_lazy("delivery", "Failed")  # 送达失败


class Channel(models.TextChoices):
    INBOX = "inbox", _("Platform inbox")  # 平台收件箱
    EMAIL = "email", _("E-mail")  # 电子邮件
    SMS = "sms", _("SMS")  # 短信

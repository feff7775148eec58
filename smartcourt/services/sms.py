"""The SMS adapter lives in smartcourt.core.sms (funds texts the administrator too); re-exported here for the
documents and meetings code that imports it from this module."""

from smartcourt.core.sms import ConsoleSms, SmsAdapter, sms_adapter

__all__ = ["ConsoleSms", "SmsAdapter", "sms_adapter"]

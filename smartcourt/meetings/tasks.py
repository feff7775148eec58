"""Background job of the meetings: the SMS notices of a large meeting, sent once each."""

from __future__ import annotations

import logging

from huey.contrib.djhuey import db_task

from smartcourt.meetings.actions import send_notice_sms

logger = logging.getLogger("smartcourt.meetings")


@db_task()
def send_sms_batch(notice_ids: list[str], text: str) -> int:
    sent = send_notice_sms(notice_ids=notice_ids, text=text)
    logger.info("meeting notices: %s of %s SMS sent", sent, len(notice_ids))
    return sent

"""The demo's clock: set back for a block, read by everything that reads Django's clock, never ahead, and the
real clock again after the block; protocol time (time.time) keeps the real time."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.utils import timezone

from smartcourt.core.clock import set_back
from smartcourt.core.dates import SHANGHAI

START = dt.datetime(2026, 3, 9, 10, 0, tzinfo=SHANGHAI)


def test_the_block_runs_at_the_chosen_moment_and_the_real_clock_returns() -> None:
    real = timezone.now()
    with set_back(START) as clock:
        assert START <= timezone.now() < START + dt.timedelta(minutes=1)
        assert timezone.localdate() == dt.date(2026, 3, 9)
        clock.move_to_day(dt.date(2026, 4, 1), 16)
        assert timezone.localtime().replace(second=0, microsecond=0) == dt.datetime(2026, 4, 1, 16, 0, tzinfo=SHANGHAI)
        # Signed protocol messages and certificates keep the real time.
        assert abs(time.time() - real.timestamp()) < 60
        assert clock.real_today() >= real.astimezone(SHANGHAI).date()
    assert timezone.now() >= real


def test_the_clock_is_never_set_ahead() -> None:
    ahead = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(ValueError, match="never ahead"), set_back(ahead):
        pass
    with set_back(START) as clock, pytest.raises(ValueError, match="never ahead"):
        clock.move_to(ahead)
    with pytest.raises(ValueError, match="aware"), set_back(dt.datetime(2026, 3, 9)):
        pass

"""Litigation fees (诉讼费用交纳办法, 2006): the calculator over the schedule, and the public endpoint over it."""

"""The statutory vote tallies (EBL art. 59, 64, 84, 97): the calculator, and the public endpoint over it."""

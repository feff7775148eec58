"""A sandbox witness (见证节点): an outside institution's process, with its own key and SQLite state, that fetches
the court's checkpoints, checks each against the last it saw with a consistency proof, and countersigns it;
a checkpoint that conflicts with what it saw makes it raise an alarm and stop cosigning. See ``witness.py``
for the rules, ``app.py`` for its HTTP API and ``python -m sandbox.witness --help`` to start it.

It imports nothing of the platform, only the partner protocol package (``partnerproto.merkle`` and ``.note``),
as a real witness would use a transparency-log library."""

"""The one-way gateway (光闸) between the internet zone and the court zone, one process per direction: it reads the
sending zone's outbox, inspects each exchange package from its signed clear header, copies the accepted ones
atomically into the receiving zone's inbox and the refused ones into its own rejected directory, and has no path
back (docs/adr/0011-zones-and-gateway.md). ``python -m sandbox.gateway --help`` to start it."""

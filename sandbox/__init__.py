"""Stand-ins for outside parties (a bank, the enterprise registry, a log witness, a timestamp authority),
each run as its own process."""

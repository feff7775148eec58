"""The partner protocol: what the court and its outside partners (banks, log witnesses) both speak.

A bank or a witness would install this package as an SDK, so it imports no Django and nothing of
``smartcourt`` (import-linter enforces both). ``smartcourt`` and the processes under ``sandbox/`` import it.

- ``digest``: RFC 9530 ``Content-Digest``.
- ``signatures``: RFC 9421 HTTP message signatures (with the RFC 8941 structured fields they need).
- ``envelope``: the encrypted body envelope.
- ``wire``: seal and open a request or an answer (the four above composed, so the two sides cannot drift).
- ``approval``: the court's approval tokens (compact JWS, EdDSA) a bank checks before paying over a limit.
- ``keyfiles``: the key files each side keeps and rotates.
- ``merkle``, ``note``: RFC 6962 / 9162 Merkle proofs and C2SP signed notes and checkpoints of the
  transparency log, which witnesses verify and cosign.

See docs/adr/0004-transparency-log.md and docs/adr/0005-bank-partner-protocol.md.
"""

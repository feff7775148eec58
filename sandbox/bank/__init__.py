"""A sandbox bank (沙盒银行): a bank's corporate direct-link service (银企直联) as its own process with its own
SQLite database, speaking the platform's bank partner protocol (docs/adr/0005-bank-partner-protocol.md).

Start it with ``python -m sandbox.bank --port 8102 --db var/bank.sqlite3 --keys-dir var/bank``.

Protocol. Every endpoint except ``GET /health`` is a POST whose body is an encrypted envelope
(partnerproto/envelope.py) of a JSON object, with ``Content-Digest`` (RFC 9530) and an RFC 9421
signature (label ``sig1``) over ``"@method" "@target-uri" "content-digest" "content-type"`` with
``created``, ``nonce``, ``keyid`` and ``alg``. A request that fails any check gets 401 (``{"error": {"code":
<reason>, ...}}`` in clear, signed) and changes nothing. Answers are encrypted and signed over
``"@status" "content-digest" "content-type" "@method";req "@target-uri";req "signature";req;key="sig1"``.
Amounts are integers of fen; times ISO 8601 with offset; the bank's calendar day is Asia/Shanghai.

    /v1/accounts/open      {account_name, holder_id, case_reference, limits} -> account
    /v1/accounts/register  {account_number, case_reference, limits[, account_name]} -> account
    /v1/accounts/limits    {account_number, limits} -> account
    /v1/accounts/get       {account_number} -> account (404 unknown_account)
    /v1/transfers          {idempotency_key, account_number, payee: {name, account_number, bank_name, ...},
                            amount_fen, purpose, approval_token} -> result
    /v1/transfers/status   {idempotency_key} -> result (404 unknown_transfer)
    /v1/batches            {batch_id, account_number, approval_token, instructions: [transfer...]}
                            -> {batch_id, results: [result...]}
    /v1/statements         {account_number, after_sequence, limit} -> {account_number, movements: [movement...]}

    limits  = {per_transaction_fen, daily_fen, cumulative_fen}  (each an integer or null for none)
    account = {account_number, account_name, balance_fen, limits, debited_today_fen, debited_total_fen,
               frozen, case_reference}
    result  = {idempotency_key, status: accepted|executed|rejected|returned, bank_reference, reason, message,
               executed_at}

The bank enforces the limits: a transfer (or batch) over the per-transaction, daily or cumulative limit is
rejected with that reason unless it carries a valid court approval token (partnerproto/approval.py)
binding exactly its case, account, payee, amount and idempotency key (a batch: batch id, SHA-256 of its
instruction list, total and count). A same-key resend answers with the first result (whatever approval
token it carries); the same key with another instruction is refused with 409 ``idempotency_key_reused``; a
rejected key may be sent again.

Test and demo operations (signed like the rest):

    /v1/test/credit       {account_number, amount_fen, counterparty_name, counterparty_account, description}
    /v1/test/debit        the same, money out the platform did not instruct (a fee, a deduction)
    /v1/test/freeze       {account_number, frozen}
    /v1/test/close-payee  {account_number}: transfers to it are executed, then returned by the payee's bank
                          at once (a second, credit movement "退汇"; the transfer's status becomes returned)
    /v1/test/notify-url   {url}: where push notifications go (null: nowhere)
    /v1/test/push         {}: deliver every pending notification now -> {delivered, failed, errors};
                          {discard: true}: drop them unsent (a test starting clean)
    /v1/test/clock        {now: ISO time | null}: the bank's business clock (only with --test-clock)

Push notifications. Each booked movement is queued; the pusher (every ``--push-interval`` seconds, or on
``/v1/test/push``) POSTs per account, signed with the bank's key and encrypted like a request, to the notify
URL (the platform's ``/api/v1/banking/notifications``)::

    {"type": "movements",
     "account_number": "3206010188000000001",
     "movements": [{"account_number": "3206010188000000001", "sequence": 7,
                    "bank_reference": "SBX20260302A1B2C3D4E5F6", "booked_at": "2026-03-02T01:02:03.456789+00:00",
                    "amount_fen": -1250000, "balance_after_fen": 98750000,
                    "counterparty_name": "南通市公证处", "counterparty_account": "10706101040001234",
                    "description": "公证费", "idempotency_key": "pay-42"}]}

``amount_fen`` is positive for a credit, negative for a debit; ``sequence`` rises by one per movement of the
account, so a gap shows a missed notification (the platform pulls the statement). A 2xx answer acknowledges
the movements; anything else is retried with exponential backoff (1 s, 2 s, 4 s ... at most 5 minutes).
A notification may arrive more than once: the platform books each bank reference once.
"""

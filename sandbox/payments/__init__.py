"""A sandbox payment service (沙盒缴费平台): the court's online payment channel for litigation fees (诉讼费网上
交退费) as its own process with its own SQLite database, speaking the partner protocol of the sandbox bank
(partnerproto: RFC 9421 signatures, RFC 9530 digests, encrypted envelopes, nonces against replay).

Start it with ``python -m sandbox.payments --port 8103 --db var/payments.sqlite3 --keys-dir var/payments``.
The key files are ``platform.json`` (the court's side) and ``bank.json`` (this service's side), generated as a
pair on first run by either side (partnerproto.keyfiles.ensure_demo_keys).

The platform calls (signed, encrypted POSTs; answers signed and bound to the request, as with the bank):

    /v1/orders            {order_id, payer_name, amount_fen, description, case_reference, return_url}
                          -> order (a same-id resend answers the first order; another order under the
                             same id is refused with 409 order_id_reused)
    /v1/orders/get        {notice_number} -> order (404 unknown_order)
    /v1/refunds           {refund_id, notice_number, amount_fen, account_name, account_number, reason}
                          -> refund (to the account that paid: the account must be the payer's; at most the
                             amount paid less earlier refunds; same-id resend answers the first refund)
    /v1/statements        {day: "YYYY-MM-DD"} -> {day, entries: [entry...]}: every payment and refund booked
                          that day (Asia/Shanghai), for the platform's daily reconciliation
    /v1/test/notify-url   {url}
    /v1/test/push         {}: deliver pending notifications now -> {delivered, failed, errors}

    order  = {order_id, notice_number, amount_fen, refunded_fen, status: unpaid|paid, payer_name,
              description, case_reference, pay_url, paid_at, payment_reference, payer_account_name,
              payer_account_number}
    refund = {refund_id, notice_number, amount_fen, status: refunded, refunded_at, reference}
    entry  = {kind: payment|refund, notice_number, order_id, reference, amount_fen, at}

The party pays on this service's own page, ``GET /pay/<notice_number>`` (a plain HTML page, no sign-in: the
notice number is what a party types at a bank counter too), pressing 确认支付. The service then notifies the
platform, signed and encrypted like a request, at the notify URL (the platform's
``/api/v1/fees/notifications``)::

    {"type": "payment", "order_id": "...", "notice_number": "...", "amount_fen": 230000,
     "payment_reference": "PAY...", "paid_at": "...", "payer_account_name": "...", "payer_account_number": "..."}
    {"type": "refund", "refund_id": "...", "notice_number": "...", "amount_fen": 115000, "reference": "RFD...",
     "refunded_at": "..."}

A 2xx acknowledges; anything else is retried with exponential backoff. The platform books each payment once.
"""

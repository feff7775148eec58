"""A sandbox timestamp authority (RFC 3161 over HTTP, RFC 3161 §3.4), so that sealed documents carry a trusted
timestamp in the demo and in tests exactly as they would with a real TSA.

    POST /           application/timestamp-query  ->  application/timestamp-reply
    GET  /root.pem   the TSA's root certificate (a court configures it as a trust root for timestamps)
    GET  /health     {"status": "ok"}
"""

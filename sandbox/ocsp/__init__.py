"""A sandbox certificate status service for the platform CA (RFC 6960 OCSP and an RFC 5280 CRL over HTTP), so
that seal signatures carry revocation data in their document security store (PAdES B-LT) exactly as they would
with a real CA's responder.

    POST /               application/ocsp-request  ->  application/ocsp-response (signed by the CA)
    GET  /crl            the CA's current CRL (DER, application/pkix-crl)
    POST /revocations    {"serial": hex, "revoked_at": ISO 8601, "reason": text}, bearer key: a seal revoked
    GET  /health         {"status": "ok"}
"""

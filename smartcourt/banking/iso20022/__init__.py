"""ISO 20022 bank files: pain.001 (credit transfer batch, built), pain.002 (status report, read), camt.054
(notifications, read) and camt.053 (statements, read), validated against the official XSDs vendored in
``xsd/`` (sources in xsd/SOURCE.md), parsed with DTDs, entities and network access refused (safe_xml).

Plain data in and out (dataclasses of str, int, date): no Django models here, so the sandbox bank and the
gateway can use the same code."""

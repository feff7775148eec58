"""Adapter to the enterprise registry (工商登记系统). See ``client.py``."""

"""Hashing an uploaded file as it arrives. Deposits keep the hash, never the file, so any type is accepted."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from smartcourt.core.errors import CoreError
from smartcourt.core.uploads import UploadedFileLike, UploadRefused, clean_filename


@dataclass(frozen=True)
class HashedFile:
    name: str
    size: int
    sha256: str


def hash_upload(upload: UploadedFileLike, *, field: str = "file") -> HashedFile:
    """The SHA-256 and size of an upload, counted while reading (the declared size can lie)."""
    limit = int(settings.EVIDENCE_MAX_BYTES)
    name = clean_filename(upload.name)
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks():
        size += len(chunk)
        if size > limit:
            raise UploadRefused(
                _("%(name)s: file is larger than %(limit)d bytes") % {"name": name or _("the file"), "limit": limit},
                code=CoreError.TOO_LARGE,
                field=field,
            )
        digest.update(chunk)
    if size == 0:
        raise UploadRefused(
            _("%(name)s: file is empty") % {"name": name or _("the file")}, code=CoreError.EMPTY, field=field
        )
    return HashedFile(name=name, size=size, sha256=digest.hexdigest())

"""Paging of API lists with ninja's pagination, keeping the wire the API has always had.

ninja's LimitOffsetPagination would wrap every list in ``{"items", "count"}`` and add a ``limit`` parameter:
that changes what every client reads. ``OffsetPagination`` keeps the answer a bare JSON list of at most
``page_size`` items from ``offset`` (bounded by MAX_OFFSET, so the bound is in the OpenAPI document and a
larger value is a 422). Endpoints use ``@paginated(page_size=...)``; one that nests its page inside a larger
answer calls ``page`` itself."""

from __future__ import annotations

import typing
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field
from ninja.pagination import PaginationBase, paginate

from smartcourt.core.schemas import MAX_OFFSET

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


class OffsetPagination(PaginationBase):
    """``@paginate(OffsetPagination, page_size=...)``: the endpoint returns its whole (lazy) list."""

    class Input(PaginationBase.Input):
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")

    # No wrapper schema: ninja then answers with what paginate_queryset returns, a bare list.
    Output = None  # type: ignore[assignment]

    def __init__(self, *, page_size: int, **kwargs: Any) -> None:
        self.page_size = page_size
        super().__init__(**kwargs)

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: PageIn, request: HttpRequest, **params: Any
    ) -> list[Any]:
        return page(queryset, pagination, size=self.page_size)


PageIn = OffsetPagination.Input


def page(items: QuerySet[Any] | Sequence[T], pagination: PageIn, *, size: int) -> list[Any]:
    """At most ``size`` items from ``pagination.offset``, fetched (one query for a queryset)."""
    return list(items[pagination.offset : pagination.offset + size])


def paginated(*, page_size: int) -> Callable[[F], F]:
    """``@paginate(OffsetPagination, page_size=...)`` for endpoints in modules with ``from __future__ import
    annotations``: ninja reads the parameter types off its wrapper in its own module's namespace, where the
    endpoint's names (``uuid``, its schemas) are unknown, so the endpoint's annotations are resolved first."""

    def decorator(func: F) -> F:
        func.__annotations__ = typing.get_type_hints(func, include_extras=True)
        return typing.cast(F, paginate(OffsetPagination, page_size=page_size)(func))

    return decorator

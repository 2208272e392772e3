"""The SQL of a keyset page: order by (sort column, id), start after a position, one extra row."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, literal, tuple_
from sqlalchemy.orm import InstrumentedAttribute

from {{ cookiecutter.package_name }}.core.pagination import PageRequest

RowT = TypeVar("RowT")


def keyset_page(
    statement: Select[RowT],
    column: InstrumentedAttribute[Any],
    id_column: InstrumentedAttribute[Any],
    *,
    descending: bool,
    page: PageRequest,
) -> Select[RowT]:
    """`statement`'s rows in (column, id) order after `page.after`, one past the page.

    With an index on (filter columns..., column, id) the database seeks to the position and
    reads the page in order, however deep it is. The bound values take the columns' own types,
    so they are compared as the rows are stored.
    """
    if page.after is not None:
        row = tuple_(column, id_column)
        bound = tuple_(
            literal(page.after.value, column.type), literal(page.after.id, id_column.type)
        )
        statement = statement.where(row < bound if descending else row > bound)
    if descending:
        statement = statement.order_by(column.desc(), id_column.desc())
    else:
        statement = statement.order_by(column.asc(), id_column.asc())
    return statement.limit(page.limit + 1)

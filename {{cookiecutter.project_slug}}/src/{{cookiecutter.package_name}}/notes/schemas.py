from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from {{ cookiecutter.package_name }}.core.text import (
    NO_NUL_PATTERN,
    SINGLE_LINE_PATTERN,
    reject_control_characters,
    reject_nul,
)

Title = Annotated[
    str,
    Field(min_length=1, max_length=200, json_schema_extra={"pattern": SINGLE_LINE_PATTERN}),
    AfterValidator(reject_control_characters),
]
Body = Annotated[
    str,
    Field(max_length=10_000, json_schema_extra={"pattern": NO_NUL_PATTERN}),
    AfterValidator(reject_nul),
]


class NoteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Title
    body: Body = ""


class NoteUpdate(BaseModel):
    """A partial update: fields left out keep their value."""

    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    body: Body | None = None


class NoteRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    title: str
    body: str
    created_at: datetime
    updated_at: datetime

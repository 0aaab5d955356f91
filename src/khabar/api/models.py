"""Pydantic models of request bodies: the only place khabar uses pydantic."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Article(BaseModel):
    """One article to ingest, as JSON."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="The article's text.")
    title: str = ""
    url: str = ""
    outlet: str = ""
    published: date | None = Field(default=None, description="Publication date, YYYY-MM-DD.")

    @field_validator("text")
    @classmethod
    def has_words(cls, value: str) -> str:
        """Refuse a text of only whitespace."""
        if not value.strip():
            raise ValueError("text is empty; send the article's words")
        return value


class MergeBody(BaseModel):
    """Which incident to merge into the one in the path."""

    model_config = ConfigDict(extra="forbid")

    other: str = Field(min_length=1, description="Id (or unique prefix) of the incident merged in.")
    user: str = ""


class SplitBody(BaseModel):
    """Which document's report to split off the incident in the path."""

    model_config = ConfigDict(extra="forbid")

    doc: str = Field(min_length=1, description="Document id (or unique prefix) whose report to split off.")
    user: str = ""


class ReviewBody(BaseModel):
    """Who makes a review decision (optional body)."""

    model_config = ConfigDict(extra="forbid")

    user: str = ""

"""What an import of an ACLED or UCDP CSV file reports back."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Dataset = Literal["acled", "ucdp"]
OnError = Literal["skip", "reject"]


class ImportLineError(BaseModel):
    """One rejected CSV row: where it starts in the file and what is wrong with it."""

    line: int = Field(description="Line number in the CSV file where the row starts (header = 1)")
    message: str = Field(description="Why the row was not imported")


class ImportReport(BaseModel):
    """Counts of one import; `inserted + updated + skipped == rows`."""

    dataset: Dataset = Field(description="The dataset the rows were read as")
    rows: int = Field(description="Data rows read from the file")
    inserted: int = Field(description="Rows stored as new events")
    updated: int = Field(description="Rows that replaced an event imported before with the same id")
    skipped: int = Field(description="Rows not stored because they are invalid")
    errors: list[ImportLineError] = Field(
        default=[], description="The invalid rows (at most the first 1,000)"
    )

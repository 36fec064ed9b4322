"""The one exception family leaflet raises: a message for the user, where it happened, and a hint."""

from __future__ import annotations


class LeafletError(Exception):
    """A problem the user can act on. The CLI prints it as one line; nothing else prints."""

    category = "error"

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class SourceError(LeafletError):
    """A procedure description that cannot be read or understood."""

    category = "source"


class CatalogError(LeafletError):
    """A message catalog, locale or translations folder problem."""

    category = "catalog"


class CheckError(LeafletError):
    category = "check"


class RenderError(LeafletError):
    category = "render"


class EngineError(LeafletError):
    category = "engine"

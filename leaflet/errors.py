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

    def __reduce__(self):
        # a worker process sends its errors back whole: where and hint included
        return (_rebuild, (type(self), self.message, self.where, self.hint))

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


def _rebuild(kind: type, message: str, where: str | None, hint: str | None) -> LeafletError:
    error = kind.__new__(kind)
    LeafletError.__init__(error, message, where=where, hint=hint)
    return error

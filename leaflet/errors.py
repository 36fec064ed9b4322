"""The one exception family leaflet raises: a message for the user, where it happened, and a hint."""

from __future__ import annotations

import errno


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


class CacheError(LeafletError):
    """A cache folder or key that someone other than the user could have changed or read."""

    category = "cache"


class Unwritable(LeafletError):
    """A file that cannot be written (no permission, a name too long, the disk is full)."""

    category = "output"

    @classmethod
    def because(cls, error: OSError) -> "Unwritable":
        if error.errno in (errno.EEXIST, errno.ENOTDIR):  # from making the folders on the way
            return cls("cannot be made: a file stands where a folder is needed", where=error.filename)
        remedy = _REMEDIES.get(error.errno)
        if remedy is None:
            return cls(f"cannot be written: {reason(error)}", where=error.filename)
        return DiskFull(f"cannot be written: {reason(error)}", where=error.filename,
                        hint=f"{remedy}, then run the same command again: what was made before is kept")


class DiskFull(Unwritable):
    """A disk that takes nothing more (full, over quota, read-only): a build stops, for every output after it would
    fail the same way."""


class UnsafeOutput(Unwritable):
    """Something put under OUT that leaflet will not write through: a symbolic link where it makes a folder or
    takes its lock (followed, it would send a write or a deletion outside OUT), or a lock that is not a regular
    file (a pipe would keep the build waiting). A build stops at it: OUT is not to be written until it is gone."""


_REMEDIES = {
    errno.ENOSPC: "free some space on that disk",
    errno.EDQUOT: "free some space within your quota",
    errno.EROFS: "write to a disk that is not read-only",
}


def reason(error: OSError) -> str:
    """An OS error's reason as leaflet words its messages: "no space left on device"."""
    text = error.strerror or str(error)
    return text[:1].lower() + text[1:]


def _rebuild(kind: type, message: str, where: str | None, hint: str | None) -> LeafletError:
    error = kind.__new__(kind)
    LeafletError.__init__(error, message, where=where, hint=hint)
    return error

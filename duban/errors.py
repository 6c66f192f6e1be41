"""Facts the office's users are told about, each with a message in Chinese."""


class DubanError(Exception):
    """A problem a user can act on; str() is the Chinese message shown to them."""


class InputError(DubanError):
    """The input (a file, a form, a command-line value) is not usable; nothing was changed."""


class AccessDenied(DubanError):
    """The acting user may not read or change this."""

    def __init__(self, message: str = "无权访问该内容。") -> None:
        super().__init__(message)


class NotFound(DubanError):
    """The thing asked for does not exist (or is not visible to the acting user)."""

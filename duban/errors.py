"""Facts the office's users are told about, each with a message in Chinese."""


class DubanError(Exception):
    """A problem a user can act on; str() is the Chinese message shown to them."""


class InputError(DubanError):
    """The input (a file, a form, a command-line value) is not usable; nothing was changed."""


class FileRefused(InputError):
    """An uploaded file was refused (empty, too large, not an allowed type): it must be chosen again."""


class AccessDenied(DubanError):
    """The acting user may not read or change this."""

    def __init__(self, message: str = "无权访问该内容。") -> None:
        super().__init__(message)


class NotFound(DubanError):
    """The thing asked for does not exist (or is not visible to the acting user)."""


class SessionEnded(DubanError):
    """The login this action came from has ended (logged out, idle, too old, or the account disabled)."""

    MESSAGES = {
        "idle": "长时间未操作,已自动退出,请重新登录。",
        "expired": "登录时间已到上限,已自动退出,请重新登录。",
        "disabled": "账号已被停用或锁定,已退出登录。如有疑问请联系办公室。",
        "logout": "已退出登录(可能在其他窗口),请重新登录。",
        "password": "密码已修改,请用新密码重新登录。",
        "gone": "登录已失效,请重新登录。",
    }

    def __init__(self, reason: str = "gone") -> None:
        self.reason = reason
        super().__init__(self.MESSAGES.get(reason, self.MESSAGES["gone"]) + "本次操作未保存。")

    @property
    def notice(self) -> str:
        """What the login page says after this ending."""
        return self.MESSAGES.get(self.reason, self.MESSAGES["gone"])

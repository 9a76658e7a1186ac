from enum import StrEnum
from typing import Any


class MessagePermissionResource(StrEnum):
    """MessagePermissionResource values the API document knows.

    A value the document does not know yet parses to a member of this class that keeps
    its exact string as ``.value``, compares unequal to every known member and is none of
    its members (``not in list(MessagePermissionResource)``; from Python 3.12,
    ``in MessagePermissionResource`` is true of every instance, this one too): vendors add
    values without notice.
    """

    CALL = "call"

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def from_value(cls, value: str) -> "MessagePermissionResource":
        """The member for ``value`` (a dict lookup: faster than calling the class), or an unknown one."""
        try:
            return _MEMBERS[value]
        except (
            KeyError,
            TypeError,
        ):  # a value not known yet, or from untyped JSON no string at all
            return cls(value)

    @classmethod
    def _missing_(cls, value: Any) -> "MessagePermissionResource | None":
        if not isinstance(value, str):
            return None
        unknown = str.__new__(cls, value)
        unknown._name_ = "_UNKNOWN_"  # a reserved name no generated member can take
        unknown._value_ = value
        return unknown


_MEMBERS: dict[str, MessagePermissionResource] = {
    member.value: member for member in MessagePermissionResource
}

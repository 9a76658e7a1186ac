"""Contains all the data models used in inputs/outputs"""

from .active_conversation import ActiveConversation
from .active_conversation_page import ActiveConversationPage
from .problem_details import ProblemDetails

__all__ = (
    "ActiveConversation",
    "ActiveConversationPage",
    "ProblemDetails",
)

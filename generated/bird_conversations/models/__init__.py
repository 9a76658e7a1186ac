"""Contains all the data models used in inputs/outputs"""

from .accessibility import Accessibility
from .contact_annotation import ContactAnnotation
from .contact_identifier import ContactIdentifier
from .conversation import Conversation
from .conversation_attributes import ConversationAttributes
from .conversation_list import ConversationList
from .conversation_page import ConversationPage
from .conversation_resource import ConversationResource
from .conversation_status import ConversationStatus
from .conversation_style import ConversationStyle
from .detailed_error import DetailedError
from .detailed_error_details import DetailedErrorDetails
from .inbox_owner_type import InboxOwnerType
from .inbox_ref import InboxRef
from .inbox_type import InboxType
from .last_message import LastMessage
from .last_message_status import LastMessageStatus
from .last_message_type import LastMessageType
from .message import Message
from .message_action import MessageAction
from .message_action_buy import MessageActionBuy
from .message_action_description import MessageActionDescription
from .message_action_link import MessageActionLink
from .message_action_location_request import MessageActionLocationRequest
from .message_action_postback import MessageActionPostback
from .message_action_postback_metadata import MessageActionPostbackMetadata
from .message_action_reply import MessageActionReply
from .message_action_reply_metadata import MessageActionReplyMetadata
from .message_action_type import MessageActionType
from .message_authentication_otp import MessageAuthenticationOtp
from .message_body import MessageBody
from .message_body_authentication import MessageBodyAuthentication
from .message_body_carousel import MessageBodyCarousel
from .message_body_file import MessageBodyFile
from .message_body_gif import MessageBodyGif
from .message_body_html import MessageBodyHtml
from .message_body_image import MessageBodyImage
from .message_body_list import MessageBodyList
from .message_body_location import MessageBodyLocation
from .message_body_permission_request import MessageBodyPermissionRequest
from .message_body_section import MessageBodySection
from .message_body_section_configurations import MessageBodySectionConfigurations
from .message_body_text import MessageBodyText
from .message_body_type import MessageBodyType
from .message_file import MessageFile
from .message_file_metadata import MessageFileMetadata
from .message_html_attachment import MessageHtmlAttachment
from .message_image import MessageImage
from .message_interaction import MessageInteraction
from .message_item import MessageItem
from .message_list import MessageList
from .message_location_address import MessageLocationAddress
from .message_location_coordinates import MessageLocationCoordinates
from .message_meta import MessageMeta
from .message_meta_email import MessageMetaEmail
from .message_meta_extra_information import MessageMetaExtraInformation
from .message_nested_section import MessageNestedSection
from .message_nested_section_body import MessageNestedSectionBody
from .message_nested_section_configurations import MessageNestedSectionConfigurations
from .message_page import MessagePage
from .message_participant import MessageParticipant
from .message_participant_contact import MessageParticipantContact
from .message_participant_status import MessageParticipantStatus
from .message_participant_type import MessageParticipantType
from .message_permission_resource import MessagePermissionResource
from .message_preview import MessagePreview
from .message_receiver_types_item import MessageReceiverTypesItem
from .message_recipient import MessageRecipient
from .message_recipient_contact_annotation import MessageRecipientContactAnnotation
from .message_recipient_type import MessageRecipientType
from .message_section_body import MessageSectionBody
from .message_sender import MessageSender
from .message_source import MessageSource
from .message_status import MessageStatus
from .message_template import MessageTemplate
from .message_text_attachment import MessageTextAttachment
from .pagination import Pagination
from .participant import Participant
from .participant_contact import ParticipantContact
from .participant_ref import ParticipantRef
from .participant_status import ParticipantStatus
from .participant_type import ParticipantType
from .platform_style import PlatformStyle
from .recipient_contact import RecipientContact
from .referral import Referral
from .resource_type import ResourceType
from .total_type import TotalType
from .visibility import Visibility

__all__ = (
    "Accessibility",
    "ContactAnnotation",
    "ContactIdentifier",
    "Conversation",
    "ConversationAttributes",
    "ConversationList",
    "ConversationPage",
    "ConversationResource",
    "ConversationStatus",
    "ConversationStyle",
    "DetailedError",
    "DetailedErrorDetails",
    "InboxOwnerType",
    "InboxRef",
    "InboxType",
    "LastMessage",
    "LastMessageStatus",
    "LastMessageType",
    "Message",
    "MessageAction",
    "MessageActionBuy",
    "MessageActionDescription",
    "MessageActionLink",
    "MessageActionLocationRequest",
    "MessageActionPostback",
    "MessageActionPostbackMetadata",
    "MessageActionReply",
    "MessageActionReplyMetadata",
    "MessageActionType",
    "MessageAuthenticationOtp",
    "MessageBody",
    "MessageBodyAuthentication",
    "MessageBodyCarousel",
    "MessageBodyFile",
    "MessageBodyGif",
    "MessageBodyHtml",
    "MessageBodyImage",
    "MessageBodyList",
    "MessageBodyLocation",
    "MessageBodyPermissionRequest",
    "MessageBodySection",
    "MessageBodySectionConfigurations",
    "MessageBodyText",
    "MessageBodyType",
    "MessageFile",
    "MessageFileMetadata",
    "MessageHtmlAttachment",
    "MessageImage",
    "MessageInteraction",
    "MessageItem",
    "MessageList",
    "MessageLocationAddress",
    "MessageLocationCoordinates",
    "MessageMeta",
    "MessageMetaEmail",
    "MessageMetaExtraInformation",
    "MessageNestedSection",
    "MessageNestedSectionBody",
    "MessageNestedSectionConfigurations",
    "MessagePage",
    "MessageParticipant",
    "MessageParticipantContact",
    "MessageParticipantStatus",
    "MessageParticipantType",
    "MessagePermissionResource",
    "MessagePreview",
    "MessageReceiverTypesItem",
    "MessageRecipient",
    "MessageRecipientContactAnnotation",
    "MessageRecipientType",
    "MessageSectionBody",
    "MessageSender",
    "MessageSource",
    "MessageStatus",
    "MessageTemplate",
    "MessageTextAttachment",
    "Pagination",
    "Participant",
    "ParticipantContact",
    "ParticipantRef",
    "ParticipantStatus",
    "ParticipantType",
    "PlatformStyle",
    "RecipientContact",
    "Referral",
    "ResourceType",
    "TotalType",
    "Visibility",
)

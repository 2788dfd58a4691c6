"""The JSON API of messaging (flask-smorest): threads, shared contact details, notifications.

Thin, like the pages: the services validate raw bodies themselves and raise ``Invalid``
(422 with each field's messages), ``NotFound`` to anyone who is not a side of the
intervention (404), ``NotAllowed`` (403). Dates are answered in the region's zone with
their offset. Signed in by the session cookie, a client sends the ``X-CSRFToken`` header
with every POST and DELETE.
"""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint as ApiBlueprint

from ..auth.web import current_account
from ..interventions.times import in_local_time
from ..web.api import ID, endpoint, json_body
from . import contacts, inbox, schemas, service
from .views import target_url

messages_api = ApiBlueprint(
    "messages_api",
    __name__,
    url_prefix="/api/v1/interventions",
    description="The thread of each intervention and the contact details ambassadors share.",
)
notifications_api = ApiBlueprint(
    "notifications_api",
    __name__,
    url_prefix="/api/v1/notifications",
    description="What the signed-in person is told in the platform.",
)


def _message_out(message: service.ThreadMessage) -> dict[str, Any]:
    return in_local_time(
        {
            "id": message.id,
            "author": {"name": message.author_name, "side": message.side},
            "body": message.body,
            "erased": message.erased,
            "created_at": message.created_at,
        }
    )


def _contacts_out(contacts: contacts.Contacts) -> dict[str, Any]:
    return {"email": contacts.email, "phone": contacts.phone}


def _notification_out(notification: inbox.ShownNotification) -> dict[str, Any]:
    return in_local_time(
        {
            "id": notification.id,
            "kind": notification.kind,
            "text": notification.text,
            "intervention": notification.intervention_id,
            "url": target_url(notification),
            "created_at": notification.created_at,
            "read": notification.read,
        }
    )


# The thread


@endpoint(
    messages_api,
    "GET",
    f"/<{ID}:intervention_id>/messages",
    answer=schemas.MessageOutSchema(many=True),
    refusals=(404,),
)
@messages_api.paginate(page_size=service.PAGE_SIZE, max_page_size=service.MAX_PAGE_SIZE)
def list_messages(intervention_id: int, pagination_parameters):
    """The messages of an intervention I am a side of, oldest first.

    Paginated (``page``, ``page_size``; totals in ``X-Pagination``). Authors are given by
    their public name (first name and initial) and side, never by email or phone.
    """
    page = service.messages_page(
        current_account(),
        intervention_id,
        pagination_parameters.page,
        pagination_parameters.page_size,
    )
    pagination_parameters.item_count = page.total
    return [_message_out(message) for message in page.items]


@endpoint(
    messages_api,
    "POST",
    f"/<{ID}:intervention_id>/messages",
    body=schemas.MessageSchema,
    answer=schemas.MessageOutSchema,
    status=201,
    refusals=(422, 404),
)
def write_message(intervention_id: int):
    """Write a ``body`` (plain text) in the thread; the other participants are told."""
    viewer = current_account()
    message = service.post_message(viewer, intervention_id, json_body())
    page = service.messages_page(viewer, intervention_id)
    written = next(item for item in page.items if item.id == message.id)
    return _message_out(written)


@endpoint(
    messages_api,
    "GET",
    f"/<{ID}:intervention_id>/contacts",
    answer=schemas.ContactsOutSchema,
    refusals=(404,),
)
def get_contacts(intervention_id: int):
    """The ambassador's email and phone I may see: only what they shared with my school."""
    return _contacts_out(contacts.contacts_for(current_account(), intervention_id))


@endpoint(
    messages_api,
    "POST",
    f"/<{ID}:intervention_id>/contacts",
    body=schemas.ShareSchema,
    answer=schemas.ContactsOutSchema,
    refusals=(422, 403, 404),
)
def share_contacts(intervention_id: int):
    """The ambassador shows their ``email`` and/or ``phone`` to the school of this intervention."""
    return _contacts_out(contacts.share_contacts(current_account(), intervention_id, json_body()))


@endpoint(
    messages_api, "DELETE", f"/<{ID}:intervention_id>/contacts", status=204, refusals=(403, 404)
)
def revoke_contacts(intervention_id: int):
    """The ambassador stops showing their contact details on this intervention."""
    contacts.revoke_contacts(current_account(), intervention_id)


# Notifications


@endpoint(notifications_api, "GET", "/", answer=schemas.NotificationOutSchema(many=True))
@notifications_api.paginate(page_size=service.PAGE_SIZE, max_page_size=service.MAX_PAGE_SIZE)
def list_notifications(pagination_parameters):
    """My notifications, latest first, in my language; paginated (``X-Pagination``)."""
    page = inbox.notifications_page(
        current_account(), pagination_parameters.page, pagination_parameters.page_size
    )
    pagination_parameters.item_count = page.total
    return [_notification_out(item) for item in page.items]


@endpoint(notifications_api, "GET", "/unread", answer=schemas.UnreadOutSchema)
def unread():
    """How many of my notifications are unread."""
    return {"unread": inbox.unread_count(current_account())}


@endpoint(
    notifications_api,
    "POST",
    f"/<{ID}:notification_id>/read",
    answer=schemas.NotificationOutSchema,
    refusals=(404,),
)
def mark_read(notification_id: int):
    """Mark one of my notifications read."""
    return _notification_out(inbox.mark_read(current_account(), notification_id))


@endpoint(notifications_api, "POST", "/read", answer=schemas.UnreadOutSchema)
def mark_all_read():
    """Mark every notification of mine read."""
    inbox.mark_all_read(current_account())
    return {"unread": 0}

"""An intervention's life sends calendar invitations: one per side, the same UID each time,
a higher SEQUENCE at each change, METHOD:CANCEL when it is called off."""

from __future__ import annotations

import datetime
import json
from zoneinfo import ZoneInfo

import icalendar
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tremplin.auth.models import Account
from tremplin.calendars import invitations
from tremplin.calendars.models import Invitation
from tremplin.i18n import using_locale
from tremplin.interventions import service
from tremplin.interventions.models import Status
from tremplin.mail import delivery
from tremplin.people.models import Ambassador
from tremplin.testing import csrf_token_from, in_days, local, sign_in

from .conftest import attachment_of, calendar_emails

PARIS = ZoneInfo("Europe/Paris")
SENDER = "mailto:ne-pas-repondre@tremplin.invalid"


def scheduled(network, *, ambassador=None, educator=None, when=None):
    """An intervention the ambassador accepted on its date, which schedules it."""
    ambassador = ambassador or network.ambassador("Soudeuse")
    educator = educator or network.educator()
    request = network.request(educator, ambassador, slots=[when or in_days(10)])
    network.run(service.accept, network.account_of(ambassador), request.id, {})
    return request, ambassador, educator


def by_recipient(messages) -> dict[str, tuple[dict, icalendar.Calendar]]:
    return {message.recipient: attachment_of(message) for message in messages}


def unfolded(text: str) -> str:
    """An iCalendar text with its long lines joined again (RFC 5545, 3.1)."""
    return text.replace("\r\n ", "")


def the_event(calendar: icalendar.Calendar) -> icalendar.Event:
    (event,) = calendar.walk("VEVENT")
    return event


def test_one_intervention_s_life_sends_the_right_emails_with_valid_invitations(network):
    request, ambassador, educator = scheduled(network, when=in_days(10))
    me = network.account_of(ambassador)
    first = calendar_emails(network)
    # Who asked learns of the acceptance by its invitation; the ambassador gets theirs.
    assert sorted((m.recipient, m.template) for m in first) == sorted(
        [
            (me.email, "calendars/email/invitation"),
            (educator.email, "calendars/email/acceptance"),
        ]
    )

    network.run(service.schedule, educator, request.id, {"starts_at": local(in_days(12))})
    moved = calendar_emails(network)[2:]
    assert {m.template for m in moved} == {"calendars/email/update"}

    network.run(service.cancel, me, request.id, {"reason": "Mon atelier ferme ce jour-là."})
    cancelled = calendar_emails(network)[4:]
    assert {m.template for m in cancelled} == {"calendars/email/cancellation"}
    assert len(calendar_emails(network)) == 6

    uids, sequences = set(), []
    for messages, method, status, day in (
        (first, "REQUEST", "CONFIRMED", in_days(10)),
        (moved, "REQUEST", "CONFIRMED", in_days(12)),
        (cancelled, "CANCEL", "CANCELLED", in_days(12)),
    ):
        copies = by_recipient(messages)
        assert set(copies) == {me.email, educator.email}
        for recipient, (attachment, calendar) in copies.items():
            assert attachment["filename"] == "invitation.ics"
            assert attachment["mimetype"] == f"text/calendar; method={method}; charset=utf-8"
            assert calendar["METHOD"] == method
            assert calendar["VERSION"] == "2.0"
            assert calendar["PRODID"]
            event = the_event(calendar)
            assert event["STATUS"] == status
            assert event.start == day.replace(tzinfo=datetime.UTC)
            assert event.end - event.start == datetime.timedelta(minutes=45)
            assert event["DTSTAMP"]
            assert event["ORGANIZER"] == SENDER
            assert event["ATTENDEE"] == f"mailto:{recipient}"  # one attendee: the recipient
            uids.add(str(event["UID"]))
        (sequence,) = {int(the_event(calendar)["SEQUENCE"]) for _, calendar in copies.values()}
        sequences.append(sequence)
    assert len(uids) == 1
    assert uids.pop() == f"intervention-{request.id}@test-region.tremplin"
    assert sequences == [0, 1, 2]


def test_the_cancellation_gives_the_reason_and_removes_the_event(network):
    request, ambassador, educator = scheduled(network)
    network.run(service.cancel, educator, request.id, {"reason": "La sortie est annulée."})
    (email,) = [
        message
        for message in calendar_emails(network)
        if message.template == "calendars/email/cancellation"
        and message.recipient == network.account_of(ambassador).email
    ]
    assert json.loads(email.context)["reason"] == "La sortie est annulée."
    _, calendar = attachment_of(email)
    assert "La sortie est annulée." in str(the_event(calendar)["DESCRIPTION"])


def test_the_school_s_copy_names_the_ambassador_by_public_name_only(network):
    ambassador = network.ambassador(
        "Soudeuse",
        email="camille.secret@example.org",
        first_name="Camille",
        last_name="Dupont-Discret",
        phone="06 12 34 56 78",
    )
    _, _, educator = scheduled(network, ambassador=ambassador)
    copies = {m.recipient: m for m in calendar_emails(network)}
    school_copy = copies[educator.email]
    invitation = unfolded(attachment_of(school_copy)[0]["content"])
    assert "Camille D." in invitation
    for private in ("camille.secret@example.org", "Dupont-Discret", "06 12 34 56 78"):
        assert private not in invitation + school_copy.context
    ambassador_copy = unfolded(attachment_of(copies["camille.secret@example.org"])[0]["content"])
    assert educator.email not in ambassador_copy
    assert educator.last_name not in ambassador_copy


def test_each_copy_is_written_in_its_recipient_s_language(network):
    ambassador = network.ambassador("Soudeuse")
    network.run(
        lambda: (
            Account.update(locale="en")
            .where(Account.id == Ambassador.get_by_id(ambassador.id).account_id)
            .execute()
        )
    )
    educator = network.educator()  # French, the default
    scheduled(network, ambassador=ambassador, educator=educator)
    copies = {m.recipient: m for m in calendar_emails(network)}
    english = copies[network.account_of(ambassador).email]
    french = copies[educator.email]
    assert english.locale == "en"
    assert french.locale == "fr"
    assert str(the_event(attachment_of(english)[1])["SUMMARY"]).startswith("Class talk: Soudeuse")
    assert str(the_event(attachment_of(french)[1])["SUMMARY"]).startswith(
        "Intervention en classe : Soudeuse"
    )


def test_dates_are_written_in_the_region_s_time_zone_with_its_description(network):
    scheduled(network, when=in_days(10, hour=8))
    _, calendar = attachment_of(calendar_emails(network)[0])
    event = the_event(calendar)
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event.start.tzinfo.key == "Europe/Paris"
    assert event.start == in_days(10, hour=8).replace(tzinfo=datetime.UTC)
    assert [zone.tz_name for zone in calendar.timezones] == ["Europe/Paris"]
    assert calendar.get_missing_tzids() == set()


def test_giving_a_scheduled_intervention_the_date_it_has_sends_nothing_new(network):
    request, _, educator = scheduled(network, when=in_days(10))
    network.run(service.schedule, educator, request.id, {"starts_at": local(in_days(10))})
    assert len(calendar_emails(network)) == 2
    assert network.run(lambda: Invitation.get(Invitation.intervention == request.id).sequence) == 0


def test_cancelling_an_intervention_without_a_date_sends_no_calendar_email(network):
    ambassador = network.ambassador()
    educator = network.educator()
    request = network.request(educator, ambassador)
    network.run(service.cancel, educator, request.id, {"reason": "Plus de car."})
    # Accepted before accepting fixed the date: no date, no invitation to cancel either.
    older = network.intervention(educator, ambassador, status=Status.ACCEPTED)
    network.run(service.cancel, educator, older.id, {"reason": "Plus de car."})
    assert calendar_emails(network) == []


def test_the_sequence_grows_at_every_new_date(network):
    request, _, educator = scheduled(network, when=in_days(10))
    for day in (11, 12, 13, 12):
        network.run(service.schedule, educator, request.id, {"starts_at": local(in_days(day))})
    sequences = [
        int(the_event(attachment_of(message)[1])["SEQUENCE"])
        for message in calendar_emails(network)
        if message.recipient == educator.email
    ]
    assert sequences == [0, 1, 2, 3, 4]


def test_a_requester_whose_account_is_deleted_receives_nothing(network):
    ambassador = network.ambassador()
    educator = network.educator()
    request = network.request(educator, ambassador)
    network.run(lambda: Account.update(status="deleted").where(Account.id == educator.id).execute())
    network.run(service.accept, network.account_of(ambassador), request.id, {})
    assert [m.recipient for m in calendar_emails(network)] == [network.account_of(ambassador).email]


def test_the_emails_say_the_date_and_what_to_do_in_the_recipient_s_language(app, network):
    request, _, educator = scheduled(network, when=in_days(10, hour=9))
    network.run(service.schedule, educator, request.id, {"starts_at": local(in_days(11, hour=9))})
    network.run(service.cancel, educator, request.id, {"reason": "Grève des transports."})
    school = [m for m in calendar_emails(network) if m.recipient == educator.email]
    with app.app_context():
        invitation, update, cancellation = (delivery.render(message) for message in school)
        with using_locale("fr"):
            first_date = invitations.times.shown(in_days(10, hour=9))
            new_date = invitations.times.shown(in_days(11, hour=9))
    page = f"http://127.0.0.1:5000/interventions/{request.id}"
    assert first_date in invitation.subject
    assert "ajouter l’intervention à votre agenda" in invitation.body
    assert page in invitation.body
    assert "http://127.0.0.1:5000/agenda/calendrier" in invitation.body
    assert new_date in update.subject
    assert f"Au lieu de : {first_date}" in update.body
    assert page in update.body
    (attached,) = invitation.attachments
    assert attached.get_filename() == "invitation.ics"
    assert attached.get_content_type() == "text/calendar"
    assert attached.get_param("method") == "REQUEST"
    parsed = icalendar.Calendar.from_ical(attached.get_payload(decode=True))
    assert the_event(parsed).start == in_days(10, hour=9).replace(tzinfo=datetime.UTC)
    assert cancellation.attachments[0].get_param("method") == "CANCEL"
    assert "annulée" in cancellation.subject.lower()
    assert "Grève des transports." in cancellation.body
    assert "retirer l’intervention de votre agenda" in cancellation.body


def test_accepting_on_the_intervention_s_page_sends_both_invitations(app, client, network):
    ambassador = network.ambassador("Soudeuse")
    educator = network.educator()
    request = network.request(educator, ambassador, slots=[in_days(10)])
    sign_in(client, network.account_of(ambassador))
    page = f"/interventions/{request.id}"
    outbox = app.extensions["mailman"].outbox = []

    response = client.post(f"{page}/accepter", data={"csrf_token": csrf_token_from(client, page)})

    assert response.status_code == 302
    sent = {email.to[0]: email for email in outbox if email.attachments}
    assert set(sent) == {network.account_of(ambassador).email, educator.email}
    assert sorted(email.to[0] for email in outbox) == sorted(sent)  # one email each
    assert sent[educator.email].subject.startswith("Camille")  # the acceptance, its invitation
    for recipient, email in sent.items():
        (attached,) = email.attachments
        calendar = icalendar.Calendar.from_ical(attached.get_payload(decode=True))
        assert calendar["METHOD"] == "REQUEST"
        assert the_event(calendar)["ATTENDEE"] == f"mailto:{recipient}"


def test_fixing_the_date_of_one_accepted_before_sends_both_invitations(app, client, network):
    ambassador = network.ambassador("Soudeuse")
    educator = network.educator()
    request = network.intervention(educator, ambassador, status=Status.ACCEPTED)
    sign_in(client, educator)
    page = f"/interventions/{request.id}"
    outbox = app.extensions["mailman"].outbox = []

    response = client.post(f"{page}/planifier", data={"csrf_token": csrf_token_from(client, page)})

    assert response.status_code == 302
    sent = {email.to[0]: email for email in outbox if email.attachments}
    assert set(sent) == {network.account_of(ambassador).email, educator.email}
    for recipient, email in sent.items():
        (attached,) = email.attachments
        calendar = icalendar.Calendar.from_ical(attached.get_payload(decode=True))
        assert calendar["METHOD"] == "REQUEST"
        assert the_event(calendar)["ATTENDEE"] == f"mailto:{recipient}"


# The invitation text alone, for any date: parsed back, it says what was put in.

MOMENTS = st.datetimes(
    min_value=datetime.datetime(2025, 1, 1), max_value=datetime.datetime(2035, 12, 31)
).map(lambda moment: moment.replace(second=0, microsecond=0))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    starts_at=MOMENTS,
    minutes=st.integers(min_value=15, max_value=480),
    sequence=st.integers(min_value=0, max_value=1000),
    method=st.sampled_from(list(invitations.Method)),
    school=st.text(
        st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=60
    ).filter(str.strip),
)
# Over the night summer time begins in Paris (a wall-clock hour is skipped).
@example(
    starts_at=datetime.datetime(2032, 3, 27, 23, 0),
    minutes=180,
    sequence=0,
    method=invitations.Method.REQUEST,
    school="Collège",
)
def test_an_invitation_parsed_back_says_what_was_put_in(
    app, starts_at, minutes, sequence, method, school
):
    facts = invitations.PublicFacts(
        intervention_id=42,
        intervention_type="class_talk",
        mode="on_site",
        status="cancelled" if method == invitations.Method.CANCEL else "scheduled",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=minutes),
        occupation="Soudeuse",
        ambassador_name="Camille L.",
        workplace=None,
        school=school,
        city="Lille",
        audience_level="college_3",
        group_size=25,
        sequence=sequence,
        link="http://127.0.0.1:5000/interventions/42",
        cancel_reason="Grève",
    )
    attendee = invitations.Attendee(email="prof@example.org", name="Alex P.")
    with app.app_context(), using_locale("fr"):
        text = invitations.invitation(facts, method, attendee, datetime.datetime(2025, 1, 1))
    calendar = icalendar.Calendar.from_ical(text)
    event = the_event(calendar)
    assert calendar["METHOD"] == method
    assert event["UID"] == "intervention-42@test-region.tremplin"
    assert event["SEQUENCE"] == sequence
    assert event.start == starts_at.replace(tzinfo=datetime.UTC)
    assert event.start.tzinfo.key == "Europe/Paris"
    # Measured in UTC: Python subtracts two times of one zone by their wall clocks, which
    # is an hour off across a change of daylight-saving time.
    duration = event.end.astimezone(datetime.UTC) - event.start.astimezone(datetime.UTC)
    assert duration == datetime.timedelta(minutes=minutes)
    assert event["STATUS"] == ("CANCELLED" if method == "CANCEL" else "CONFIRMED")
    assert event["LOCATION"] == f"{school}, Lille"
    assert event["ATTENDEE"] == "mailto:prof@example.org"
    assert event["ATTENDEE"].params["CN"] == "Alex P."
    assert calendar.get_missing_tzids() == set()
    assert starts_at.replace(tzinfo=datetime.UTC).astimezone(PARIS) == event.start

# Booking visits, my visits, the waiting list, messages for staff.

weekday-name = { $weekday ->
    [mon] Monday
    [tue] Tuesday
    [wed] Wednesday
    [thu] Thursday
    [fri] Friday
    [sat] Saturday
   *[sun] Sunday
}
visit-when = { $weekday } { $date }, { $start }–{ $end }
visit-today = today, { $when }
visit-tomorrow = tomorrow, { $when }
day-button = { $weekday } { $date }

## Choosing the service, day and time

book-choose-service = Which point would you like to book?
book-choose-day = { $service }: choose a day. Only days with free slots are shown.
book-choose-time = { $service }, { $day }: choose a time.
book-day-full = There are no free times left that day. Please choose another day.
book-none-free = { $service }: there are no free slots in the next { $days } days. You can join the waiting list: when a slot frees up, I will offer it to you here.
book-next-day = The next day it is open after that: { $day }. Booking for it opens on { $opens }.
book-slot-gone = Sorry, someone has just taken that slot, or it is no longer available. The nearest free slots:
book-slot-gone-none = Sorry, that slot is no longer available, and there are no other free slots right now.
book-already = You already have a visit booked at this point: { $visit }. You can move it or cancel it.

## Contact details

book-ask-name = Chosen: { $service }, { $when }.
    Please type your first name and surname. Staff will call only if something changes. How long I keep your details and how to erase them: /privacy.
book-bad-name = I can't read that as a name. Please type it like this: Anna Kowalska.
book-bad-name-long = That is too long for a name: I can keep at most { $max } characters. Please write just your first name and surname, e.g. Anna Kowalska.
book-bad-name-digits = A name has no digits. Please write your first name and surname first, e.g. Anna Kowalska; I will ask for your phone number in the next step.
book-still-waiting-name = I am still waiting for your name for the booking: { $service }. Type it when you are ready, or press Cancel.
book-ask-phone = Please give a phone number where staff can reach you: press "Share my number" or type it. The centre's staff will see it; more: /privacy.
book-bad-phone = That doesn't look like a phone number. Please type it like this: 600 100 200 or +48 600 100 200.
book-ask-phone-again = Phone number: { $phone }. Press it below to keep it, or type or share another one.
book-share-phone = 📱 Share my number
book-thanks = Thank you.
book-summary = Please check:
    { $service }
    🗓 { $when }
    🏢 { $place }
    👤 { $name }, phone { $phone }
book-bring = Bring: { $bring }
book-confirm = ✅ Confirm
book-back = ⬅️ Back
book-cancel = ❌ Cancel
book-aborted = Nothing was saved. You can come back to booking at any time.
book-nothing-open = There is no booking in progress now. Your booked visits are unchanged:
step-pick-day = ⬆️ Choose a day with a button above, or type it, e.g. "Wednesday" or "30.11".
step-pick-time = ⬆️ Choose a time with a button above, or type it, e.g. "14:00".
step-day-not-free = ⬆️ There are no free slots at this point on that day. Choose one of the days on the buttons above.
step-time-not-free = ⬆️ There is no free slot at that time. Choose one of the times on the buttons above.
step-confirm-booking = ⬆️ The visit is not booked yet: press "✅ Confirm" above, or type "yes".
step-confirm-move = ⬆️ The visit is not moved yet: press "✅ Confirm" above, or type "yes".
step-confirm-cancel = ⬆️ The visit is not cancelled yet: press "Yes, cancel it" above, or type "yes".
step-kept = All right, the visit stays as it is.

## Confirmation

book-confirmed = ✅ Booked: { $service }
    🗓 { $when }
    🏢 { $place }
book-reminders = ⏰ I will remind you of the visit here, in this chat, before it.
book-calendar = A calendar file: open it to add the visit to your phone's calendar.
book-calendar-file = visit.ics
book-calendar-cancel = Calendar file: open it to remove the cancelled visit from your phone's calendar.
book-calendar-cancel-file = visit-cancelled.ics

## My visits

visits-title = Your visits ({ $count ->
    [one] { $count } visit
   *[other] { $count } visits
}):
visits-line = • { $service }: { $when }
visits-line-now = • { $service }: { $when } (under way now)
visits-waiting = 📝 Waiting list: { $service }
wait-leave = 🚪 Leave the list: { $service }
wait-left = You are off the waiting list: { $service }.
visit-move = 🔁 Move: { $day }
visit-cancel = ❌ Cancel: { $day }
visit-book = 📅 Book a visit
visit-gone = This visit can no longer be changed: it is past, cancelled, or not yours.
visit-current = This visit is booked: { $service }, { $when }.
visit-moved = This visit was moved. It is now: { $service }, { $when }.
visit-already-cancelled = This visit was already cancelled: { $service }, { $when }.
visit-past = This visit has already taken place: { $service }, { $when }.
cancel-ask = Cancel the visit: { $service }, { $when }?
cancel-yes = Yes, cancel it
cancel-no = No, keep it
cancel-done = Visit cancelled: { $service }, { $when }.
move-choose-day = Moving your visit: { $service }, { $when }. Choose a new day.
move-ask = Move the { $service } visit from { $from } to { $to }?
move-done = ✅ Moved: { $service }
    🗓 { $when }
    🏢 { $place }

## Waiting list

wait-join = 📝 Put me on the list
wait-ask-name = Joining the waiting list: { $service }. Please type your first name and surname. How long I keep your details and how to erase them: /privacy.
wait-joined = You are on the waiting list: { $service }. When a slot frees up I will offer it to you here; you will have { $minutes } minutes to take it.
wait-already = You are already on the waiting list: { $service }.
offer = A slot has freed up: { $service }, { $when }. Would you like it? I will wait for your answer until { $until }.
offer-take = ✅ I'll take it
offer-decline = No, thanks
offer-declined = All right, I'll pass the slot on. You are no longer on the list.
offer-expired = The time to take the slot { $service }, { $when } has passed; I have offered it to the next person. You can join the list again.
offer-gone = This offer is no longer valid.

## For staff (always in Polish; the English texts keep the ids in step)

staff-booked = 🆕 New visit: { $service }, { $when }. { $name }, phone { $phone }.
staff-phone-booked = 📞 New visit (booked by phone): { $service }, { $when }. { $name }, phone { $phone }.
staff-moved = 🔁 Visit moved: { $service }, from { $from } to { $to }. { $name }, phone { $phone }.
staff-cancelled = ❌ Visit cancelled: { $service }, { $when }. { $name }, phone { $phone }.

## Reminders

reminder = ⏰ A reminder of your visit: { $service }
    🗓 { $when }
    🏢 { $place }
reminder-attend = ✅ I'll be there
reminder-move = 🔁 Move
reminder-cancel = ❌ Cancel
closure-cancelled = ❗ Your visit is cancelled: { $service }, { $when }. Reason: { $reason }.
    We are sorry. Please choose a new time:
moved-by-centre = 🔁 Your visit has been moved: { $service }, now { $when }. If this time does not suit you, move or cancel the visit.
closure-rebook = 📅 Choose a new time
attend-thanks = Thank you, noted that you will come: { $when }. See you!
staff-delivery-failed = ⚠️ A message ({ $kind }) to chat { $chat } could not be sent: { $why }.

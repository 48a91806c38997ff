# Staff tools (/staff, /agenda, /audit). Every id must exist in locales/pl and locales/uk with the same variables.

staff-menu = 🧑‍💼 Staff menu. Commands:
    /agenda [day]: the day's visits (e.g. /agenda tomorrow, /agenda 24.11); on each visit: cancel, move, came
    /phone: book for someone who phones
    /close: close a point or a centre for a day or days
    /open: extra hours of a point on a day
    /announce: an announcement to subscribers
    /export [from to]: visits as a CSV file, and the figures
    /audit: the latest staff actions
staff-today = 📋 Today's visits
staff-tomorrow = 📋 Tomorrow's visits
staff-audit = 🧾 Latest actions
staff-bad-day = I don't recognise that day. Type e.g. /agenda, /agenda tomorrow, /agenda 24.11 or /agenda 2026-11-24.
staff-agenda-title = 📋 Visits: { $day } ({ $count }), page { $page }/{ $pages }
staff-agenda-empty = No visits are booked that day.
staff-said-attending = "I'll be there"
staff-came = ✔️ came
staff-no-show = ✖️ did not come
staff-mark-came = ✔️ { $time } { $name } came
staff-mark-no-show = ✖️ { $time } { $name } did not come
staff-page-back = ◀ Previous page
staff-page-next = Next page ▶
staff-visit-gone = That visit cannot be marked: it has not started yet, or it is no longer on the list (cancelled or moved).
staff-audit-title = 🧾 Latest staff actions:
staff-audit-empty = Nothing recorded yet.
staff-export = 📤 This month: CSV
staff-bad-range = I don't recognise those days. Type e.g. /export (this month) or /export 1.11 30.11.
staff-export-title = 📤 Visits from { $from } to { $to }:
staff-export-line = { $service }: booked { $booked } (by phone { $byphone }), cancelled by the person { $cancelled }, cancelled by the centre { $closed }, came { $came }, did not come { $noshow }
staff-close-help = Closing: /close <key> <day or days> [hours] <reason>, e.g. /close legal-aid 23.11 lawyer ill, /close cps 23.11-24.11 heating failure, or part of a day: /close legal-aid 23.11 14:00-15:00 training. Extra hours: /open legal-aid 25.11 9:00-12:00 extra session. Keys: { $keys }.
staff-close-ask = Close: { $name }, from { $from } to { $to }? Reason: { $reason }.
    Visits in that time: { $count }. They will be cancelled, and each person gets a message with the reason and a request to choose a new time.
staff-close-yes = 🚫 Yes, close
staff-close-no = No
staff-closed = 🚫 Closed from { $from } to { $to }. Visits cancelled: { $count }; { $told } of those people get a message with the reason.
staff-phone-help = Phone booking: /phone <point> <day> <time> <phone> <name>, e.g. /phone legal-aid 16.11 13:00 600100200 Jan Kowalski. Points: { $keys }.
staff-phone-not-free = That time is not free ({ $day }). Free times:
    { $times }
staff-phone-has-visit = That phone number already has a visit at this point: { $when }.
staff-phone-booked-done = 📞 Booked by phone: { $service }, { $when }. { $name }, phone { $phone }. No Telegram reminders.
staff-by-phone = 📞 phone booking
staff-closed-call = Booked by phone, to be called:
staff-cancel-button = ❌ { $time } { $name }: cancel
staff-move-button = 🔁 move
staff-visit-not-upcoming = This visit can no longer be changed: it has started or passed, or it was cancelled or moved.
staff-cancel-ask = Cancel the visit: { $service }, { $when }, { $name }? Type the reason (e.g. "the lawyer is ill"). The person gets it in a message in their language, with a button to choose a new time.
staff-cancel-ask-phone = Cancel the visit: { $service }, { $when }, { $name } (booked by phone, tel. { $phone })? Type the reason; then call the person.
staff-keep-visit = No, keep the visit
staff-cancel-reason-needed = Type the reason for cancelling (up to 200 characters) or press "No, keep the visit".
staff-cancelled-told = ❌ Visit cancelled: { $name }. The person gets a message with the reason and a button to choose a new time.
staff-cancelled-call = ❌ Visit cancelled: { $name } (booked by phone). Please call: { $phone }.
staff-move-ask = Move the visit: { $service }, { $when }, { $name }? Type the new day and time, e.g. "18.11 13:30" or "Wednesday 13:30". Free times:
    { $free }
staff-move-not-free = That time is not free. Free times:
    { $free }
staff-moved-told = 🔁 Moved: { $name }, now { $when }. The person gets a message.
staff-moved-call = 🔁 Moved: { $name }, now { $when } (booked by phone). Please call: { $phone }.
staff-digest-title = ☀️ Today's visits, { $day }: { $count }
staff-close-ask-hours = Close: { $name }, { $from }, { $hours }? Reason: { $reason }.
    Visits in that time: { $count }. They will be cancelled, and each person gets a message with the reason and a request to choose a new time. The rest of the day's hours stay.
staff-open-help = Extra hours: /open <point> <day> <hours> [note], e.g. /open legal-aid 25.11 9:00-12:00 extra session. Points: { $keys }.
staff-opened = ➕ { $service }, { $day }: that day's hours are { $hours }. Free times that day: { $free }.
staff-agenda-closed = 🚫 { $service }: closed that day ({ $reason })
staff-cancel-confirm = Cancel this visit with the reason: "{ $reason }"? The person gets this reason in a message.
staff-cancel-yes = ❌ Yes, cancel
staff-visit-kept = All right, the visit stays as it is.
staff-closed-hours = 🚫 Closed on { $from }, { $hours } (the rest of the day unchanged). Visits cancelled: { $count }; { $told } of those people get a message with the reason.

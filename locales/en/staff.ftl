# Staff tools (/staff, /agenda, /audit). Every id must exist in locales/pl and locales/uk with the same variables.

staff-menu = 🧑‍💼 Staff menu. You can also type /agenda tomorrow, /agenda 24.11 or /audit.
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
staff-close-help = Closing: /close <key> <day or days> <reason>, e.g. /close legal-aid 23.11 lawyer ill or /close cps 23.11-24.11 heating failure. Keys: { $keys }.
staff-close-ask = Close: { $name }, from { $from } to { $to }? Reason: { $reason }.
    Visits in that time: { $count }. They will be cancelled, and each person gets a message with the reason and a request to choose a new time.
staff-close-yes = 🚫 Yes, close
staff-close-no = No
staff-closed = 🚫 Closed from { $from } to { $to }. Visits cancelled: { $count }; each of those people will get a message.
staff-phone-help = Phone booking: /phone <point> <day> <time> <phone> <name>, e.g. /phone legal-aid 16.11 13:00 600100200 Jan Kowalski. Points: { $keys }.
staff-phone-not-free = That time is not free ({ $day }). Free times that day: { $times }
staff-phone-has-visit = That phone number already has a visit at this point: { $when }.
staff-phone-booked-done = 📞 Booked by phone: { $service }, { $when }. { $name }, phone { $phone }. No Telegram reminders.
staff-by-phone = 📞 phone booking
staff-closed-call = Booked by phone, to be called:

# Answers about places, hours and services. Names, addresses and hours come from the directory
# file; here are only the words around them.

## Calendar

weekday-short = { $weekday ->
    [mon] Mon
    [tue] Tue
    [wed] Wed
    [thu] Thu
    [fri] Fri
    [sat] Sat
   *[sun] Sun
}
weekday-on = { $weekday ->
    [mon] on Monday
    [tue] on Tuesday
    [wed] on Wednesday
    [thu] on Thursday
    [fri] on Friday
    [sat] on Saturday
   *[sun] on Sunday
}
date-short = { $day } { $month ->
    [1] Jan
    [2] Feb
    [3] Mar
    [4] Apr
    [5] May
    [6] Jun
    [7] Jul
    [8] Aug
    [9] Sep
    [10] Oct
    [11] Nov
   *[12] Dec
}
holiday-name = { $holiday ->
    [new-year] New Year's Day
    [epiphany] Epiphany
    [easter-sunday] Easter Sunday
    [easter-monday] Easter Monday
    [labour-day] Labour Day
    [constitution-day] Constitution Day (3 May)
    [pentecost] Pentecost
    [corpus-christi] Corpus Christi
    [assumption] Assumption Day
    [all-saints] All Saints' Day
    [independence-day] Independence Day
    [christmas-eve] Christmas Eve
    [christmas] Christmas Day
   *[second-day-of-christmas] the Second Day of Christmas
}
when-today = today at { $time }
when-tomorrow = tomorrow at { $time }
when-day = { $weekday ->
    [mon] on Monday
    [tue] on Tuesday
    [wed] on Wednesday
    [thu] on Thursday
    [fri] on Friday
    [sat] on Saturday
   *[sun] on Sunday
} { $date } at { $time }
day-today = Today ({ $date })
day-tomorrow = Tomorrow ({ $date })
day-on = { $weekday ->
    [mon] On Monday
    [tue] On Tuesday
    [wed] On Wednesday
    [thu] On Thursday
    [fri] On Friday
    [sat] On Saturday
   *[sun] On Sunday
} ({ $date })

## Open or closed

status-open = 🟢 Open now, until { $time }.
status-closed = 🔴 Closed now.
status-closed-holiday = 🔴 Closed today: { $holiday }.
status-closed-closure = 🔴 Closed today, exceptionally.
status-closure-note = Reason: { $note }
status-opens = Opens { $when }.
status-opens-unknown = No opening is in the calendar.
hours-unknown = 🕐 The centre's page gives no hours. Please ask { $centre }.
hours-closed = closed
hours-holiday = closed ({ $holiday })
hours-closure = closed (exceptionally)
hours-closure-note = closed: { $note }
week-title = Hours in the coming days:
week-line = { $day } { $date }: { $hours }
week-today = ◀ today
day-line = { $day }: { $hours }


## Regular hours, in words

rule-title = Regular hours:
rule-line = { $days }: { $hours }
rule-weekdays = { $weekday ->
    [mon] Mondays
    [tue] Tuesdays
    [wed] Wednesdays
    [thu] Thursdays
    [fri] Fridays
    [sat] Saturdays
   *[sun] Sundays
}
rule-range = { $from ->
    [mon] Monday
    [tue] Tuesday
    [wed] Wednesday
    [thu] Thursday
    [fri] Friday
    [sat] Saturday
   *[sun] Sunday
} to { $to ->
    [mon] Monday
    [tue] Tuesday
    [wed] Wednesday
    [thu] Thursday
    [fri] Friday
    [sat] Saturday
   *[sun] Sunday
}
rule-and = { $first } and { $last }
rule-monthly = every { $nth ->
    [1] first
    [2] second
    [3] third
    [4] fourth
   *[5] fifth
} { $weekday ->
    [mon] Monday
    [tue] Tuesday
    [wed] Wednesday
    [thu] Thursday
    [fri] Friday
    [sat] Saturday
   *[sun] Sunday
} of the month
upcoming-title = Next dates:

## Address and contact

answer-where = 🏢 { $centre }, { $address }
answer-address = 📍 { $address }
answer-map = 🗺 Map: { $url }
answer-phone = 📞 phone { $phone }
answer-email = ✉️ { $email }
answer-website = 🌐 { $website }
answer-who = 👥 Who it is for: { $who }
answer-how = ➡️ How to get help: { $how }
place-bring = 🧾 What to bring: { $bring }
place-bring-unknown = 🧾 The point's page does not say what documents to bring. Ask before the visit:
bring-title = 🧾 What to bring to a visit:
bring-not-given = the point's page does not say; ask when you book

## Lists

services-title = 📋 What the centres in { $city } offer:
services-centre = { $name }:
services-residents = For residents:
services-more = Choose a centre to see details, hours and the address.
ngo-title = 🤝 { $centre } for NGOs:
documents-title = 📄 Documents for organisations ({ $centre }):
contacts-title = 📞 How to reach the centres:
hours-title = 🕐 The centres' opening hours:
hours-choose = Choose a centre, then a place, to see its hours.
centre-places = Places and activities at { $centre }:

## Conversation

greeting-reply = 🙂 How can I help? Choose a button or type a question, e.g. "when is the lawyer in?".
thanks-reply = You're welcome! 🙂 If you need anything else, I'm here.
unknown-question = I can't answer that question yet. Choose a button below, or call:
crisis-office-hours = In office hours, help comes from the { $centre }: { $address }, tel. { $phone }.
unknown-phone = { $centre }: phone { $phone }
need-title = These can help:
need-more = Choose a place to see its hours and address, or call the centre.
appointments-title = An appointment is needed for:
appointments-how = Book here with the buttons below, or by phone. About other places and activities, ask the centre:

## Navigation buttons

nav-hours = 🕐 Hours
nav-address = 📍 Address and map
nav-contact = 📞 Contact
nav-ngo = 🤝 For organisations (NGOs)
nav-documents = 📄 Documents for NGOs
nav-back-to = ⬅️ { $name }

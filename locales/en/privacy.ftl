# Personal data: /privacy, consent, /mydata, /forget, discreet reminders.

privacy-text = 🔒 Your data in Okienko
    • What I keep: your name, phone number, your visits and waiting lists, your chosen language, news subscriptions, whether you want discreet reminders (without the service's name), and when you last wrote to me.
    • Why: to book your visit, remind you of it, and so that staff can call if something changes.
    • Who sees it: the staff of the centre you book with.
    • For how long: { $days ->
        [one] { $days } day
       *[other] { $days } days
    } after the visit (or after you cancel it or leave a waiting list) I erase your name and phone number. Only the service and time stay, for statistics.
    • You can download your data (/mydata) or erase it (/forget) at any time.
privacy-controller = Responsible for the data: { $controller }.
privacy-controller-at = Responsible for the data: { $controller }, { $address }.
privacy-contact = Questions about your data: { $centre }, { $details }.
privacy-ask-centre = For questions about your data, contact the centre:
privacy-mydata = 📄 My data
privacy-forget = 🗑 Erase my data
privacy-discreet-on = 🤫 Discreet reminders
privacy-discreet-off = 🔔 Full reminders
privacy-discreet-set = All right. Reminders will give only the day, time and centre, without the service's name.
privacy-discreet-unset = All right. Reminders will name the service again.

consent-ask = Before you book: I will keep your name, phone number and your visits (details: /privacy). The centre's staff will see them; they are used for the visit, reminders, and a call if something changes. { $days ->
        [one] { $days } day
       *[other] { $days } days
    } after the visit I erase your name and number myself; you can do it sooner with /forget.
    Do you agree?
consent-yes = ✅ I agree
consent-no = No
consent-declined = All right, nothing is saved. You can also book by phone: { $centre }, tel. { $phone }.
consent-declined-visit = All right, nothing is saved. You can also book in person: { $centre }, { $address }.
consent-declined-plain = All right, nothing is saved.
consent-pick = Do you agree that I keep your name, phone number and visits? Press a button below, or type "yes" or "no".

mydata-file = okienko-my-data.json
mydata-summary = 📄 What I keep about you:
mydata-language = • Language: { $language }
mydata-language-none = • Language: { $language } (from your Telegram settings, not stored)
mydata-consent = • Consent to keep your data: { $date }
mydata-consent-none = • Consent to keep your data: no
mydata-discreet-on = • Discreet reminders: on
mydata-discreet-off = • Discreet reminders: off
mydata-visit-upcoming = • Visit: { $service }, { $when }. Name: { $name }, phone { $phone }
mydata-visit-past = • Past visit: { $service }, { $when }. Name: { $name }, phone { $phone }
mydata-visit-cancelled = • Cancelled visit: { $service }, { $when }. Name: { $name }, phone { $phone }
mydata-waiting = • Waiting list: { $service }. Name: { $name }, phone { $phone }
mydata-waiting-left = • Former waiting list: { $service }. Name: { $name }, phone { $phone }
mydata-subscription = • News: { $topic }
mydata-nothing = I keep no visits, waiting lists or subscriptions of yours.
mydata-erased = (erased)
mydata-caption = 📄 Everything I keep about you, in one file.

forget-ask = Erase your data? I will cancel your upcoming visits (staff get only the visit number and time, without your name or phone), erase your name and number from past visits, take you off waiting lists and news, and forget your language and consent. This cannot be undone.
forget-yes = 🗑 Yes, erase
forget-no = No, keep it
forget-pick = Please press "Yes, erase" or "No, keep it" above (or type "yes" or "no").
forget-done = Done, your data is erased.
    • Visits cancelled: { $cancelled }
    • Past visits without name and number: { $anonymised }
    • Waiting lists: { $waiting }
    • News subscriptions: { $subscriptions }
    I also forgot your language, your consent and any conversation in progress. If you write again, I will keep only when that was.

help-privacy = 🔒 Your data: /privacy: what I keep, why and for how long; /mydata: all of it in one file; /forget: erase your data.
command-privacy = Your data and privacy
command-mydata = Download your data
command-forget = Erase your data

reminder-discreet = ⏰ Visit reminder
    🗓 { $when }
    🏢 { $centre }
reminder-discreet-button = 🤫 Remind me discreetly

## For staff

staff-forget-cancelled = ❌ Visit no. { $id } cancelled: { $service }, { $when }. The person erased their data (at their request).

# Okienko: messages in English. Every id must also exist in locales/pl with the same variables.

## Greeting and help

start-greeting =
    Hello! This is Okienko: ask here about the opening hours and services of the Social Work Centre (Centrum Pracy Socjalnej) and the Social Activation Centre (Centrum Aktywizacji Społecznej) in Chorzów, book a visit and get a reminder.

    Choose a button below or simply type a question, e.g. "when is the lawyer in?".
help-text =
    What I can do:
    • Opening hours: when and where something is open.
    • Services: what the Social Work Centre and the Social Activation Centre offer, also to NGOs.
    • Book a visit: a slot with free legal aid or family mediation, with a reminder.
    • My visits: your bookings, which you can move or cancel.
    • Contact: addresses and phone numbers.

    No need to type commands: the buttons or a question in your own words will do. Change the language with the "Język / Language" button.
menu-prompt = What can I do for you?

## Main menu buttons

menu-hours = 🕐 Opening hours
menu-services = 📋 Services
menu-book = 📅 Book a visit
menu-visits = 🗓 My visits
menu-contact = 📞 Contact
menu-language = 🌐 Język / Language
menu-back = ⬅️ Main menu

visits-none = You have no visits booked.

## Language

language-choose = Choose your language / Wybierz język / Оберіть мову:
language-pl = Polski
language-en = English
language-uk = Українська
language-set = All right, I will write in English now.
language-unknown = I don't recognise that language. Please choose one of the buttons.

## When I do not understand

fallback-not-text = I can only read text messages. Please choose one of the buttons.
button-stale = This button is no longer valid.

## Errors

error-apology = Sorry, something went wrong on my side. Please try again in a moment.
state-lost = Okienko has been updated and we need to start over. Sorry for the trouble.
database-unavailable = Sorry, I can't reach my records just now, so I don't know where we left off. Nothing is lost: please try again in a minute. I can still tell you opening hours and addresses.

## Commands (descriptions in Telegram's menu)

command-start = Start over
command-help = What Okienko can do
command-menu = Main menu
command-language = Change the language

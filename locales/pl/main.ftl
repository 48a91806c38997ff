# Okienko: wiadomości po polsku. Każdy identyfikator musi istnieć też w locales/en z tymi samymi zmiennymi.

## Powitanie i pomoc

start-greeting =
    Dzień dobry! Tu Okienko. Zapytasz mnie o godziny otwarcia i usługi Centrum Pracy Socjalnej i Centrum Aktywizacji Społecznej w Chorzowie, umówisz wizytę i dostaniesz przypomnienie.

    Wybierz przycisk poniżej albo po prostu napisz pytanie, np. „kiedy jest prawnik?”.
help-text =
    Co potrafię:
    • Godziny otwarcia: kiedy i gdzie coś jest czynne.
    • Usługi: co oferują Centrum Pracy Socjalnej i Centrum Aktywizacji Społecznej, także organizacjom pozarządowym.
    • Umów wizytę: termin w punkcie nieodpłatnej pomocy prawnej albo mediacji rodzinnych, z przypomnieniem.
    • Moje wizyty: Twoje terminy, z możliwością przełożenia albo odwołania.
    • Kontakt: adresy i telefony.

    Nie trzeba wpisywać komend: wystarczą przyciski albo pytanie własnymi słowami. Język zmienisz przyciskiem „Język / Language”.
menu-prompt = Co mogę dla Ciebie zrobić?

## Przyciski menu głównego

menu-hours = 🕐 Godziny otwarcia
menu-services = 📋 Usługi
menu-book = 📅 Umów wizytę
menu-visits = 🗓 Moje wizyty
menu-contact = 📞 Kontakt
menu-language = 🌐 Język / Language
menu-back = ⬅️ Menu główne

visits-none = Nie masz umówionych wizyt.

## Język

language-choose = Wybierz język / Choose your language / Оберіть мову:
language-pl = Polski
language-en = English
language-uk = Українська
language-set = Dobrze, piszę teraz po polsku.
language-unknown = Nie rozpoznaję tego języka. Wybierz jeden z przycisków.

## Gdy czegoś nie rozumiem

fallback-not-text = Czytam tylko wiadomości tekstowe. Wybierz, proszę, jeden z przycisków.
button-stale = Ten przycisk jest już nieaktualny.

## Błędy

error-apology = Przepraszam, coś poszło nie tak po mojej stronie. Spróbuj jeszcze raz za chwilę.
state-lost = Okienko zostało zaktualizowane i musimy zacząć od początku. Przepraszam za kłopot.
database-unavailable = Przepraszam, chwilowo nie mam dostępu do moich zapisków, więc nie wiem, na czym skończyliśmy. Nic nie przepadło: spróbuj ponownie za minutę. Godziny otwarcia i adresy podaję także teraz.

## Komendy (opisy w menu Telegrama)

command-start = Zacznij od początku
command-help = Co potrafi Okienko
command-menu = Menu główne
command-language = Zmień język

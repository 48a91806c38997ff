# Narzędzia dla pracowników (/staff, /agenda, /audit). Każdy identyfikator musi istnieć też w locales/en i locales/uk z tymi samymi zmiennymi.

staff-menu = 🧑‍💼 Menu pracownika. Wpisz też /agenda jutro, /agenda 24.11 albo /audit.
staff-today = 📋 Dzisiejsze wizyty
staff-tomorrow = 📋 Jutrzejsze wizyty
staff-audit = 🧾 Ostatnie działania
staff-bad-day = Nie rozpoznaję tego dnia. Napisz np. /agenda, /agenda jutro, /agenda 24.11 albo /agenda 2026-11-24.
staff-agenda-title = 📋 Wizyty: { $day } ({ $count }), strona { $page }/{ $pages }
staff-agenda-empty = Tego dnia nie ma umówionych wizyt.
staff-said-attending = „Będę”
staff-came = ✔️ przyszła/przyszedł
staff-no-show = ✖️ nie przyszła/nie przyszedł
staff-mark-came = ✔️ { $time } { $name } przyszedł(-ła)
staff-mark-no-show = ✖️ { $time } { $name } nie przyszedł(-ła)
staff-page-back = ◀ Poprzednia strona
staff-page-next = Następna strona ▶
staff-visit-gone = Tej wizyty nie można oznaczyć: jeszcze się nie zaczęła albo nie ma jej już na liście (odwołana albo przełożona).
staff-audit-title = 🧾 Ostatnie działania pracowników:
staff-audit-empty = Nic jeszcze nie zapisano.
staff-export = 📤 Ten miesiąc: CSV
staff-bad-range = Nie rozpoznaję tych dni. Napisz np. /export (ten miesiąc) albo /export 1.11 30.11.
staff-export-title = 📤 Wizyty od { $from } do { $to }:
staff-export-line = { $service }: umówione { $booked } (telefonicznie { $byphone }), odwołane przez osobę { $cancelled }, odwołane przez centrum { $closed }, przyszło { $came }, nie przyszło { $noshow }
staff-close-help = Zamknięcie: /close <klucz> <dzień albo dni> <powód>, np. /close legal-aid 23.11 choroba prawnika albo /close cps 23.11-24.11 awaria ogrzewania. Klucze: { $keys }.
staff-close-ask = Zamknąć: { $name }, od { $from } do { $to }? Powód: { $reason }.
    Wizyt w tym czasie: { $count }. Zostaną odwołane, a te osoby dostaną wiadomość z powodem i prośbą o wybór nowego terminu.
staff-close-yes = 🚫 Tak, zamknij
staff-close-no = Nie
staff-closed = 🚫 Zamknięte od { $from } do { $to }. Odwołane wizyty: { $count }; każda z tych osób dostanie wiadomość.
staff-phone-help = Zapis telefoniczny: /phone <punkt> <dzień> <godzina> <telefon> <imię i nazwisko>, np. /phone legal-aid 16.11 13:00 600100200 Jan Kowalski. Punkty: { $keys }.
staff-phone-not-free = Ten termin nie jest wolny ({ $day }). Wolne godziny tego dnia: { $times }
staff-phone-has-visit = Ten numer telefonu ma już wizytę w tym punkcie: { $when }.
staff-phone-booked-done = 📞 Zapisano telefonicznie: { $service }, { $when }. { $name }, tel. { $phone }. Bez przypomnień w Telegramie.
staff-by-phone = 📞 zapis telefoniczny
staff-closed-call = Zapisani telefonicznie, do których trzeba zadzwonić:

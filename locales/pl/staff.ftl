# Narzędzia dla pracowników (/staff, /agenda, /audit). Każdy identyfikator musi istnieć też w locales/en i locales/uk z tymi samymi zmiennymi.

staff-menu = 🧑‍💼 Menu pracownika. Polecenia:
    /agenda [dzień]: wizyty dnia (np. /agenda jutro, /agenda 24.11); przy wizycie: odwołaj, przełóż, przyszedł
    /phone: zapis osoby, która dzwoni
    /close: zamknięcie punktu albo centrum na dzień lub dni
    /open: dodatkowe godziny punktu w danym dniu
    /announce: ogłoszenie do subskrybentów
    /export [od do]: wizyty jako plik CSV i liczby
    /audit: ostatnie działania pracowników
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
staff-close-help = Zamknięcie: /close <klucz> <dzień albo dni> [godziny] <powód>, np. /close legal-aid 23.11 choroba prawnika, /close cps 23.11-24.11 awaria ogrzewania albo tylko część dnia: /close legal-aid 23.11 14:00-15:00 szkolenie. Dodatkowe godziny: /open legal-aid 25.11 9:00-12:00 dodatkowy dyżur. Klucze: { $keys }.
staff-close-ask = Zamknąć: { $name }, od { $from } do { $to }? Powód: { $reason }.
    Wizyt w tym czasie: { $count }. Zostaną odwołane, a te osoby dostaną wiadomość z powodem i prośbą o wybór nowego terminu.
staff-close-yes = 🚫 Tak, zamknij
staff-close-no = Nie
staff-closed = 🚫 Zamknięte od { $from } do { $to }. Odwołane wizyty: { $count }; wiadomość z powodem dostanie { $told } z nich.
staff-phone-help = Zapis telefoniczny: /phone <punkt> <dzień> <godzina> <telefon> <imię i nazwisko>, np. /phone legal-aid 16.11 13:00 600100200 Jan Kowalski. Punkty: { $keys }.
staff-phone-not-free = Ten termin nie jest wolny ({ $day }). Wolne terminy:
    { $times }
staff-phone-has-visit = Ten numer telefonu ma już wizytę w tym punkcie: { $when }.
staff-phone-booked-done = 📞 Zapisano telefonicznie: { $service }, { $when }. { $name }, tel. { $phone }. Bez przypomnień w Telegramie.
staff-by-phone = 📞 zapis telefoniczny
staff-closed-call = Zapisani telefonicznie, do których trzeba zadzwonić:
staff-cancel-button = ❌ { $time } { $name }: odwołaj
staff-move-button = 🔁 przełóż
staff-visit-not-upcoming = Tej wizyty nie można już zmienić: zaczęła się, minęła albo została odwołana lub przełożona.
staff-cancel-ask = Odwołać wizytę: { $service }, { $when }, { $name }? Napisz powód (np. „choroba prawnika”). Osoba dostanie go w wiadomości w swoim języku, z przyciskiem wyboru nowego terminu.
staff-cancel-ask-phone = Odwołać wizytę: { $service }, { $when }, { $name } (zapis telefoniczny, tel. { $phone })? Napisz powód; potem zadzwoń do tej osoby.
staff-keep-visit = Nie, zostaw wizytę
staff-cancel-reason-needed = Napisz powód odwołania (do 200 znaków) albo naciśnij „Nie, zostaw wizytę”.
staff-cancelled-told = ❌ Odwołano wizytę: { $name }. Osoba dostanie wiadomość z powodem i przyciskiem wyboru nowego terminu.
staff-cancelled-call = ❌ Odwołano wizytę: { $name } (zapis telefoniczny). Zadzwoń, proszę: { $phone }.
staff-move-ask = Przełożyć wizytę: { $service }, { $when }, { $name }? Napisz nowy dzień i godzinę, np. „18.11 13:30” albo „środa 13:30”. Wolne terminy:
    { $free }
staff-move-not-free = Ten termin nie jest wolny. Wolne terminy:
    { $free }
staff-moved-told = 🔁 Przełożono: { $name }, teraz { $when }. Osoba dostanie wiadomość.
staff-moved-call = 🔁 Przełożono: { $name }, teraz { $when } (zapis telefoniczny). Zadzwoń, proszę: { $phone }.
staff-digest-title = ☀️ Wizyty na dziś, { $day }: { $count }
staff-close-ask-hours = Zamknąć: { $name }, { $from }, godz. { $hours }? Powód: { $reason }.
    Wizyt w tym czasie: { $count }. Zostaną odwołane, a te osoby dostaną wiadomość z powodem i prośbą o wybór nowego terminu. Pozostałe godziny tego dnia zostają.
staff-open-help = Dodatkowe godziny: /open <punkt> <dzień> <godziny> [opis], np. /open legal-aid 25.11 9:00-12:00 dodatkowy dyżur. Punkty: { $keys }.
staff-opened = ➕ { $service }, { $day }: godziny tego dnia { $hours }. Wolnych terminów tego dnia: { $free }.
staff-agenda-closed = 🚫 { $service }: nieczynne tego dnia ({ $reason })
staff-cancel-confirm = Odwołać tę wizytę z powodem: „{ $reason }”? Osoba dostanie ten powód w wiadomości.
staff-cancel-yes = ❌ Tak, odwołaj
staff-visit-kept = Dobrze, wizyta zostaje bez zmian.
staff-closed-hours = 🚫 Zamknięte { $from }, godz. { $hours } (pozostałe godziny tego dnia bez zmian). Odwołane wizyty: { $count }; wiadomość z powodem dostanie { $told } z nich.

# Umawianie wizyt, moje wizyty, lista oczekujących, wiadomości dla pracowników.

weekday-name = { $weekday ->
    [mon] poniedziałek
    [tue] wtorek
    [wed] środa
    [thu] czwartek
    [fri] piątek
    [sat] sobota
   *[sun] niedziela
}
visit-when = { $weekday } { $date }, godz. { $start }–{ $end }
visit-today = dziś, { $when }
visit-tomorrow = jutro, { $when }
day-button = { $weekday } { $date }

## Wybór usługi, dnia i godziny

book-choose-service = Do którego punktu chcesz się umówić?
book-choose-day = { $service }: wybierz dzień. Pokazuję tylko dni z wolnymi terminami.
book-choose-time = { $service }, { $day }: wybierz godzinę.
book-day-full = Tego dnia nie ma już wolnych godzin. Wybierz inny dzień.
book-none-free = { $service }: w najbliższych { $days } dniach nie ma wolnych terminów. Możesz zapisać się na listę oczekujących: gdy zwolni się termin, zaproponuję go tutaj.
book-next-day = Najbliższy dzień przyjęć po tym okresie: { $day }. Zapisy na niego ruszą { $opens }.
book-slot-gone = Przepraszam, ten termin właśnie zajęła inna osoba albo nie jest już dostępny. Najbliższe wolne terminy:
book-slot-gone-none = Przepraszam, ten termin nie jest już dostępny, a innych wolnych terminów teraz nie ma.
book-already = Masz już umówioną wizytę w tym punkcie: { $visit }. Możesz ją przełożyć albo odwołać.

## Dane kontaktowe

book-ask-name = Wybrany termin: { $service }, { $when }.
    Podaj, proszę, imię i nazwisko. Pracownik zadzwoni tylko wtedy, gdy coś się zmieni. Jak długo przechowuję dane i jak je usunąć: /privacy.
book-bad-name = Nie rozpoznaję tego jako imienia i nazwiska. Napisz je, np. Anna Kowalska.
book-bad-name-long = To za długie jak na imię i nazwisko: mogę zapisać najwyżej { $max } znaków. Napisz samo imię i nazwisko, np. Anna Kowalska.
book-bad-name-digits = W imieniu i nazwisku nie ma cyfr. Najpierw napisz imię i nazwisko, np. Anna Kowalska; o numer telefonu zapytam w następnym kroku.
book-still-waiting-name = Czekam jeszcze na imię i nazwisko do zapisu: { $service }. Napisz je, gdy zechcesz, albo naciśnij Anuluj.
book-ask-phone = Podaj numer telefonu, pod którym pracownik może Cię złapać: naciśnij przycisk „Udostępnij numer” albo wpisz go. Numer zobaczą pracownicy centrum; więcej: /privacy.
book-bad-phone = To nie wygląda na numer telefonu. Wpisz go, np. 600 100 200 albo +48 600 100 200.
book-ask-phone-again = Numer telefonu: { $phone }. Naciśnij go poniżej, aby zostawić ten numer, albo wpisz lub udostępnij inny.
book-share-phone = 📱 Udostępnij numer
book-thanks = Dziękuję.
book-summary = Sprawdź, proszę:
    { $service }
    🗓 { $when }
    🏢 { $place }
    👤 { $name }, tel. { $phone }
book-bring = Zabierz: { $bring }
book-confirm = ✅ Potwierdzam
book-back = ⬅️ Wstecz
book-cancel = ❌ Anuluj
book-aborted = Nic nie zapisałem. Możesz wrócić do umawiania w każdej chwili.
book-nothing-open = Nie ma teraz umawiania w toku. Twoje zapisane wizyty są bez zmian:
step-pick-day = ⬆️ Wybierz dzień przyciskiem powyżej albo napisz go, np. „środa” albo „30.11”.
step-pick-time = ⬆️ Wybierz godzinę przyciskiem powyżej albo napisz ją, np. „14:00”.
step-day-not-free = ⬆️ Tego dnia nie ma wolnych terminów w tym punkcie. Wybierz jeden z dni na przyciskach powyżej.
step-time-not-free = ⬆️ O tej godzinie nie ma wolnego terminu. Wybierz jedną z godzin na przyciskach powyżej.
step-confirm-booking = ⬆️ Wizyta nie jest jeszcze zapisana: naciśnij „✅ Potwierdzam” powyżej albo napisz „tak”.
step-confirm-move = ⬆️ Wizyta nie jest jeszcze przełożona: naciśnij „✅ Potwierdzam” powyżej albo napisz „tak”.
step-confirm-cancel = ⬆️ Wizyta nie jest jeszcze odwołana: naciśnij „Tak, odwołaj” powyżej albo napisz „tak”.
step-kept = Dobrze, wizyta zostaje bez zmian.

## Potwierdzenie

book-confirmed = ✅ Umówione: { $service }
    🗓 { $when }
    🏢 { $place }
book-reminders = ⏰ Przed wizytą przypomnę Ci o niej tutaj, na czacie.
book-calendar = Plik kalendarza: otwórz go, aby dodać wizytę do kalendarza w telefonie.
book-calendar-file = wizyta.ics
book-calendar-cancel = Plik kalendarza: otwórz go, aby usunąć odwołaną wizytę z kalendarza w telefonie.
book-calendar-cancel-file = wizyta-odwolana.ics

## Moje wizyty

visits-title = Twoje wizyty ({ $count ->
    [one] { $count } wizyta
    [few] { $count } wizyty
   *[many] { $count } wizyt
}):
visits-line = • { $service }: { $when }
visits-line-now = • { $service }: { $when } (trwa teraz)
visits-waiting = 📝 Lista oczekujących: { $service }
wait-leave = 🚪 Wypisz z listy: { $service }
wait-left = Wypisałem Cię z listy oczekujących: { $service }.
visit-move = 🔁 Przełóż: { $day }
visit-cancel = ❌ Odwołaj: { $day }
visit-book = 📅 Umów wizytę
visit-gone = Tej wizyty nie można już zmienić: minęła, została odwołana albo nie jest Twoja.
visit-current = Ta wizyta jest zapisana: { $service }, { $when }.
visit-moved = Ta wizyta została przełożona. Aktualny termin: { $service }, { $when }.
visit-already-cancelled = Ta wizyta została już odwołana: { $service }, { $when }.
visit-past = Ta wizyta już się odbyła: { $service }, { $when }.
cancel-ask = Odwołać wizytę: { $service }, { $when }?
cancel-yes = Tak, odwołaj
cancel-no = Nie, zostaw
cancel-done = Wizyta odwołana: { $service }, { $when }.
move-choose-day = Przekładasz wizytę: { $service }, { $when }. Wybierz nowy dzień.
move-ask = Przełożyć wizytę: { $service }?
    Teraz: { $from }
    Nowy termin: { $to }
move-done = ✅ Przełożone: { $service }
    🗓 { $when }
    🏢 { $place }

## Lista oczekujących

wait-join = 📝 Zapisz mnie na listę
wait-ask-name = Zapisuję na listę oczekujących: { $service }. Podaj, proszę, imię i nazwisko. Jak długo przechowuję dane i jak je usunąć: /privacy.
wait-joined = Jesteś na liście oczekujących: { $service }. Gdy zwolni się termin, zaproponuję go tutaj; będziesz mieć { $minutes } minut, żeby go przyjąć.
wait-already = Jesteś już na liście oczekujących: { $service }.
offer = Zwolnił się termin: { $service }, { $when }. Chcesz go? Czekam na odpowiedź do { $until }.
offer-take = ✅ Biorę
offer-decline = Nie, dziękuję
offer-declined = Dobrze, termin przekazuję dalej. Nie jesteś już na liście.
offer-expired = Minął czas na przyjęcie terminu { $service }, { $when }; przekazałem go następnej osobie. Możesz zapisać się na listę ponownie.
offer-gone = Ta propozycja jest już nieaktualna.

## Dla pracowników (zawsze po polsku)

staff-booked = 🆕 Nowa wizyta: { $service }, { $when }. { $name }, tel. { $phone }.
staff-phone-booked = 📞 Nowa wizyta (zapis telefoniczny): { $service }, { $when }. { $name }, tel. { $phone }.
staff-moved = 🔁 Przełożona wizyta: { $service }. Było: { $from }; teraz: { $to }. { $name }, tel. { $phone }.
staff-cancelled = ❌ Odwołana wizyta: { $service }, { $when }. { $name }, tel. { $phone }.

## Przypomnienia

reminder = ⏰ Przypomnienie o wizycie: { $service }
    🗓 { $when }
    🏢 { $place }
reminder-attend = ✅ Będę
reminder-move = 🔁 Przełóż
reminder-cancel = ❌ Odwołaj
closure-cancelled = ❗ Twoja wizyta jest odwołana: { $service }, { $when }. Powód: { $reason }.
    Przepraszamy. Wybierz, proszę, nowy termin:
moved-by-centre = 🔁 Twoja wizyta została przełożona: { $service }, teraz { $when }. Jeśli ten termin Ci nie pasuje, przełóż albo odwołaj wizytę.
closure-rebook = 📅 Wybierz nowy termin
attend-thanks = Dziękuję, zapisałem, że będziesz: { $when }. Do zobaczenia!
staff-delivery-failed = ⚠️ Nie udało się wysłać wiadomości ({ $kind }) do czatu { $chat }: { $why }.

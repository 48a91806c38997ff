# Dane osobowe: /privacy, zgoda, /mydata, /forget, dyskretne przypomnienia.

privacy-text = 🔒 Twoje dane w Okienku
    • Co zapisuję: imię i nazwisko, numer telefonu, Twoje wizyty i zapisy na listę oczekujących, wybrany język, subskrypcje ogłoszeń, czy chcesz dyskretne przypomnienia (bez nazwy usługi) i to, kiedy ostatnio do mnie pisałeś(-aś).
    • Po co: żeby umówić wizytę, przypomnieć o niej i żeby pracownik mógł zadzwonić, jeśli coś się zmieni.
    • Kto je widzi: pracownicy centrum, do którego się umawiasz.
    • Jak długo: { $days ->
        [one] { $days } dzień
       *[other] { $days } dni
    } po wizycie (albo po jej odwołaniu czy wypisaniu się z listy) usuwam imię, nazwisko i numer telefonu. Zostaje tylko usługa i termin, do statystyk.
    • Swoje dane możesz w każdej chwili pobrać (/mydata) albo usunąć (/forget).
privacy-controller = Za dane odpowiada: { $controller }.
privacy-controller-at = Za dane odpowiada: { $controller }, { $address }.
privacy-contact = O swoje dane zapytaj: { $centre }, { $details }.
privacy-ask-centre = O swoje dane zapytaj w centrum:
privacy-mydata = 📄 Moje dane
privacy-forget = 🗑 Usuń moje dane
privacy-discreet-on = 🤫 Dyskretne przypomnienia
privacy-discreet-off = 🔔 Pełne przypomnienia
privacy-discreet-set = Dobrze. Przypomnienia podadzą tylko dzień, godzinę i centrum, bez nazwy usługi.
privacy-discreet-unset = Dobrze. Przypomnienia znów podadzą nazwę usługi.

consent-ask = Zanim się zapiszesz: zapiszę Twoje imię i nazwisko, numer telefonu i Twoje wizyty (szczegóły: /privacy). Zobaczą je pracownicy centrum; posłużą do wizyty, przypomnień i telefonu, jeśli coś się zmieni. { $days ->
        [one] { $days } dzień
       *[other] { $days } dni
    } po wizycie usunę imię, nazwisko i numer sam, a wcześniej zrobisz to komendą /forget.
    Czy się zgadzasz?
consent-yes = ✅ Zgadzam się
consent-no = Nie
consent-declined = Rozumiem, niczego nie zapisałem. Możesz też umówić się telefonicznie: { $centre }, tel. { $phone }.
consent-declined-visit = Rozumiem, niczego nie zapisałem. Możesz też umówić się na miejscu: { $centre }, { $address }.
consent-declined-plain = Rozumiem, niczego nie zapisałem.
consent-pick = Czy zgadzasz się, żebym zapisał Twoje imię i nazwisko, numer telefonu i wizyty? Naciśnij przycisk poniżej albo napisz „tak” lub „nie”.

mydata-file = okienko-moje-dane.json
mydata-summary = 📄 Co o Tobie zapisałem:
mydata-language = • Język: { $language }
mydata-language-none = • Język: { $language } (z ustawień Telegrama, nie zapisałem go)
mydata-consent = • Zgoda na zapisanie danych: { $date }
mydata-consent-none = • Zgoda na zapisanie danych: nie
mydata-discreet-on = • Dyskretne przypomnienia: włączone
mydata-discreet-off = • Dyskretne przypomnienia: wyłączone
mydata-visit-upcoming = • Wizyta: { $service }, { $when }. Imię i nazwisko: { $name }, tel. { $phone }
mydata-visit-past = • Dawna wizyta: { $service }, { $when }. Imię i nazwisko: { $name }, tel. { $phone }
mydata-visit-cancelled = • Odwołana wizyta: { $service }, { $when }. Imię i nazwisko: { $name }, tel. { $phone }
mydata-waiting = • Lista oczekujących: { $service }. Imię i nazwisko: { $name }, tel. { $phone }
mydata-waiting-left = • Dawny zapis na listę oczekujących: { $service }. Imię i nazwisko: { $name }, tel. { $phone }
mydata-subscription = • Ogłoszenia: { $topic }
mydata-nothing = Nie mam żadnych Twoich wizyt, list oczekujących ani subskrypcji.
mydata-erased = (usunięte)
mydata-caption = 📄 Wszystko, co o Tobie zapisałem, w jednym pliku.

forget-ask = Usunąć Twoje dane? Odwołam nadchodzące wizyty (pracownicy dostaną tylko numer wizyty i termin, bez imienia i telefonu), usunę imię i numer z dawnych wizyt, wypiszę Cię z list oczekujących i z ogłoszeń oraz zapomnę wybrany język i zgodę. Tego nie da się cofnąć.
forget-yes = 🗑 Tak, usuń
forget-no = Nie, zostaw
forget-pick = Naciśnij „Tak, usuń” albo „Nie, zostaw” powyżej (albo napisz „tak” lub „nie”).
forget-done = Gotowe, Twoje dane są usunięte.
    • Odwołane wizyty: { $cancelled }
    • Dawne wizyty bez imienia i numeru: { $anonymised }
    • Listy oczekujących: { $waiting }
    • Subskrypcje ogłoszeń: { $subscriptions }
    Zapomniałem też wybrany język, zgodę i rozmowę w toku. Jeśli znów napiszesz, zapamiętam tylko, kiedy to było.

help-privacy = 🔒 Twoje dane: /privacy: co zapisuję, po co i jak długo; /mydata: wszystko w jednym pliku; /forget: usuń swoje dane.
command-privacy = Twoje dane i prywatność
command-mydata = Pobierz swoje dane
command-forget = Usuń swoje dane

reminder-discreet = ⏰ Przypomnienie o wizycie
    🗓 { $when }
    🏢 { $centre }
reminder-discreet-button = 🤫 Przypominaj dyskretnie

## Dla pracowników

staff-forget-cancelled = ❌ Odwołana wizyta nr { $id }: { $service }, { $when }. Osoba usunęła swoje dane (na jej prośbę).

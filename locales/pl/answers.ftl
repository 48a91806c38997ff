# Odpowiedzi o miejscach, godzinach i usługach. Nazwy, adresy i godziny pochodzą z pliku katalogu;
# tu są tylko słowa wokół nich.

## Kalendarz

weekday-short = { $weekday ->
    [mon] pon
    [tue] wt
    [wed] śr
    [thu] czw
    [fri] pt
    [sat] sob
   *[sun] nd
}
weekday-on = { $weekday ->
    [mon] w poniedziałek
    [tue] we wtorek
    [wed] w środę
    [thu] w czwartek
    [fri] w piątek
    [sat] w sobotę
   *[sun] w niedzielę
}
date-short = { $day }.{ $month ->
    [1] 01
    [2] 02
    [3] 03
    [4] 04
    [5] 05
    [6] 06
    [7] 07
    [8] 08
    [9] 09
    [10] 10
    [11] 11
   *[12] 12
}
holiday-name = { $holiday ->
    [new-year] Nowy Rok
    [epiphany] Święto Trzech Króli
    [easter-sunday] Wielkanoc
    [easter-monday] Poniedziałek Wielkanocny
    [labour-day] Święto Pracy
    [constitution-day] Święto Konstytucji 3 Maja
    [pentecost] Zielone Świątki
    [corpus-christi] Boże Ciało
    [assumption] Wniebowzięcie NMP
    [all-saints] Wszystkich Świętych
    [independence-day] Narodowe Święto Niepodległości
    [christmas-eve] Wigilia
    [christmas] Boże Narodzenie
   *[second-day-of-christmas] drugi dzień Bożego Narodzenia
}
when-today = dziś o { $time }
when-tomorrow = jutro o { $time }
when-day = { $weekday ->
    [mon] w poniedziałek
    [tue] we wtorek
    [wed] w środę
    [thu] w czwartek
    [fri] w piątek
    [sat] w sobotę
   *[sun] w niedzielę
} { $date } o { $time }
day-today = Dziś ({ $date })
day-tomorrow = Jutro ({ $date })
day-on = { $weekday ->
    [mon] W poniedziałek
    [tue] We wtorek
    [wed] W środę
    [thu] W czwartek
    [fri] W piątek
    [sat] W sobotę
   *[sun] W niedzielę
} ({ $date })

## Otwarte czy zamknięte

status-open = 🟢 Otwarte teraz, do { $time }.
status-closed = 🔴 Teraz zamknięte.
status-closed-holiday = 🔴 Dziś zamknięte: { $holiday }.
status-closed-closure = 🔴 Dziś wyjątkowo zamknięte.
status-closure-note = Powód: { $note }
status-opens = Otwarcie { $when }.
status-opens-unknown = Najbliższego otwarcia w kalendarzu nie ma.
hours-unknown = 🕐 Strona centrum nie podaje godzin. Zapytaj w { $centre }.
hours-closed = nieczynne
hours-holiday = nieczynne ({ $holiday })
hours-closure = nieczynne (wyjątkowo)
hours-closure-note = nieczynne: { $note }
week-title = Godziny w najbliższych dniach:
week-line = { $day } { $date }: { $hours }
week-today = ◀ dziś
day-line = { $day }: { $hours }


## Stałe godziny, słowami

rule-title = Stałe godziny:
rule-line = { $days }: { $hours }
rule-weekdays = { $weekday ->
    [mon] w poniedziałki
    [tue] we wtorki
    [wed] w środy
    [thu] w czwartki
    [fri] w piątki
    [sat] w soboty
   *[sun] w niedziele
}
rule-range = od { $from ->
    [mon] poniedziałku
    [tue] wtorku
    [wed] środy
    [thu] czwartku
    [fri] piątku
    [sat] soboty
   *[sun] niedzieli
} do { $to ->
    [mon] poniedziałku
    [tue] wtorku
    [wed] środy
    [thu] czwartku
    [fri] piątku
    [sat] soboty
   *[sun] niedzieli
}
rule-and = { $first } i { $last }
rule-monthly = { $weekday ->
    [wed] w każdą { $nth ->
        [1] pierwszą
        [2] drugą
        [3] trzecią
        [4] czwartą
       *[5] piątą
    } środę miesiąca
    [sat] w każdą { $nth ->
        [1] pierwszą
        [2] drugą
        [3] trzecią
        [4] czwartą
       *[5] piątą
    } sobotę miesiąca
    [sun] w każdą { $nth ->
        [1] pierwszą
        [2] drugą
        [3] trzecią
        [4] czwartą
       *[5] piątą
    } niedzielę miesiąca
   *[other] w każdy { $nth ->
        [1] pierwszy
        [2] drugi
        [3] trzeci
        [4] czwarty
       *[5] piąty
    } { $weekday ->
        [mon] poniedziałek
        [tue] wtorek
        [thu] czwartek
       *[fri] piątek
    } miesiąca
}
upcoming-title = Najbliższe terminy:

## Adres i kontakt

answer-where = 🏢 { $centre }, { $address }
answer-address = 📍 { $address }
answer-map = 🗺 Mapa: { $url }
answer-phone = 📞 tel. { $phone }
answer-email = ✉️ { $email }
answer-website = 🌐 { $website }
answer-who = 👥 Dla kogo: { $who }
answer-how = ➡️ Jak skorzystać: { $how }
place-bring = 🧾 Co zabrać: { $bring }
place-bring-unknown = 🧾 Strona punktu nie podaje, jakie dokumenty zabrać. Zapytaj przed wizytą:
bring-title = 🧾 Co zabrać na wizytę:
bring-not-given = strona punktu tego nie podaje; zapytaj przy zapisie

## Listy

services-title = 📋 Co oferują centra w mieście { $city }:
services-centre = { $name }:
services-residents = Dla mieszkańców:
services-more = Wybierz centrum, aby zobaczyć szczegóły, godziny i adres.
ngo-title = 🤝 { $centre } dla organizacji pozarządowych:
documents-title = 📄 Dokumenty dla organizacji ({ $centre }):
contacts-title = 📞 Kontakt z centrami:
hours-title = 🕐 Godziny otwarcia centrów:
hours-choose = Wybierz centrum, a potem miejsce, aby zobaczyć jego godziny.
centre-places = Miejsca i zajęcia w { $centre }:

## Rozmowa

greeting-reply = 🙂 W czym mogę pomóc? Wybierz przycisk albo napisz pytanie, np. „kiedy jest prawnik?”.
thanks-reply = Proszę bardzo! 🙂 Gdyby coś jeszcze było potrzebne, jestem tutaj.
unknown-question = Nie umiem jeszcze odpowiedzieć na to pytanie. Wybierz przycisk poniżej albo zadzwoń:
crisis-office-hours = W godzinach pracy pomaga { $centre }: { $address }, tel. { $phone }.
unknown-phone = { $centre }: tel. { $phone }
need-title = Z tym pomogą:
need-more = Wybierz miejsce, aby zobaczyć godziny i adres, albo zadzwoń do centrum.
appointments-title = Umówić trzeba się do:
appointments-how = Umówisz się tutaj, przyciskiem poniżej, albo telefonicznie. O inne miejsca i zajęcia zapytaj w centrum:

## Przyciski nawigacji

nav-hours = 🕐 Godziny
nav-address = 📍 Adres i mapa
nav-contact = 📞 Kontakt
nav-ngo = 🤝 Dla organizacji (NGO)
nav-documents = 📄 Dokumenty dla NGO
nav-back-to = ⬅️ { $name }

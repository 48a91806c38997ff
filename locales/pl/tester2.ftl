# Poprawki po testach z zewnątrz: pytania na kroku telefonu, „czy to za darmo?”, /forget bez danych.

book-still-waiting-phone = Czekam jeszcze na numer telefonu do zapisu: { $service }. Wpisz go albo naciśnij „Udostępnij numer” poniżej.
cost-free = 💸 Tak, to nic nie kosztuje. Z opisu punktu:
cost-not-given = 💸 Strona punktu nie podaje, czy to coś kosztuje. Zapytaj przed wizytą:
forget-nothing = Nie mam zapisanych żadnych Twoich danych, więc nie ma czego usuwać.

# Operations and input checks (issue 11).

# A shared contact card that is not the sender's own: the number is asked again.
ops-contact-not-own = To numer innej osoby. Podaj swój numer: naciśnij „Udostępnij numer” albo wpisz go, np. 600 100 200.

# Limity: lista oczekujących tylko przy braku wolnych terminów, propozycje z listy a noc. Każdy identyfikator musi istnieć też w locales/en i locales/uk z tymi samymi zmiennymi.

limits-wait-free = { $service }: są jeszcze wolne terminy, więc lista oczekujących nie jest potrzebna. Oto wolne dni.
limits-offer-overnight = Zwolnił się termin: { $service }, { $when }. Chcesz go? Nocy nie liczę: czekam na odpowiedź do jutra, do { $until }.
limits-offer-expired = Minął czas na przyjęcie terminu { $service }, { $when }; przekazałem go następnej osobie. Nadal jesteś na liście oczekujących: gdy zwolni się kolejny termin, zaproponuję go tutaj. Jeśli wizyta nie jest już potrzebna, wypisz się przyciskiem poniżej.
limits-wait-joined = Jesteś na liście oczekujących: { $service }. Gdy zwolni się termin, zaproponuję go tutaj; będziesz mieć { $minutes ->
    [one] { $minutes } minutę
    [few] { $minutes } minuty
   *[many] { $minutes } minut
}, żeby go przyjąć. W nocy (21:00–8:00) nie piszę i ten czas się nie liczy. Jeśli nie zdążysz, termin dostanie następna osoba, a Ty zostajesz na liście.

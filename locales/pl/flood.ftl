# Okienko: ochrona przed zalewem wiadomości i czaty grupowe (po polsku).

# Ktoś wysłał więcej wiadomości, niż bot przyjmuje w minutę. Mówione raz na minutę.
flood-slow-down = Chwileczkę: dostaję od Ciebie bardzo dużo wiadomości naraz. Przez minutę nie będę odpowiadać. Potem napisz, proszę, jeszcze raz.
# W grupie, supergrupie albo kanale, raz na czat. $bot: nazwa bota, np. @okienko_bot.
flood-private-only = Rozmawiam tylko na czacie prywatnym, żeby Twoje dane nie trafiały do całej grupy. Napisz do mnie bezpośrednio: { $bot }

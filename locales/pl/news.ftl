# Wiadomości (ogłoszenia) centrów i klubów. Każdy identyfikator musi istnieć też w locales/en i locales/uk z tymi samymi zmiennymi.

news-join = 🔔 Chcę dostawać ich wiadomości
news-leave = 🔕 Nie chcę tych wiadomości
news-joined = 🔔 Zapisano. Będziesz dostawać wiadomości: { $topic } (np. o kursach, spotkaniach, zmianach godzin). Możesz zrezygnować w każdej chwili jednym przyciskiem.
news-already = 🔔 Już dostajesz wiadomości: { $topic }.
news-left = 🔕 Nie będziesz już dostawać wiadomości: { $topic }.
news-message = 📢 { $topic }:
    { $text }
news-help = Ogłoszenie: /announce <temat> <treść>, np. /announce cas Od 1 grudnia kurs komputerowy dla seniorów.
    Tematy (w nawiasie: ile osób je subskrybuje):
    { $topics }
news-too-long = To ogłoszenie jest za długie (najwyżej { $max } znaków). Tematy:
    { $topics }
news-ask = 📢 Wysłać to ogłoszenie do subskrybentów „{ $topic }” ({ $count } os., około { $seconds } s)?

    { $text }
news-send = 📢 Tak, wyślij
news-sending = 📢 Wysyłam do { $count } os. (około { $seconds } s). Gdy skończę, napiszę, ile doszło.
news-nobody = Nikt jeszcze nie subskrybuje tego tematu, więc nic nie wysłano.
news-report = 📢 Ogłoszenie „{ $topic }” wysłane: doręczone { $delivered } z { $recipients }, zablokowali bota { $blocked }, nie udało się { $failed }, zrezygnowali w trakcie { $left }.

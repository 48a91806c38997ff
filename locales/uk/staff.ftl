# Інструменти для працівників (/staff, /agenda, /audit). Кожен ідентифікатор має бути також у locales/pl і locales/en з тими самими змінними.

staff-menu = 🧑‍💼 Меню працівника. Команди:
    /agenda [день]: прийоми дня (напр. /agenda завтра, /agenda 24.11); біля прийому: скасувати, перенести, прийшов
    /phone: запис людини, яка телефонує
    /close: закрити пункт або центр на день чи дні
    /announce: оголошення підписникам
    /export [від до]: прийоми як файл CSV і цифри
    /audit: останні дії працівників
staff-today = 📋 Прийоми сьогодні
staff-tomorrow = 📋 Прийоми завтра
staff-audit = 🧾 Останні дії
staff-bad-day = Не можу розпізнати цей день. Напишіть, наприклад, /agenda, /agenda завтра, /agenda 24.11 або /agenda 2026-11-24.
staff-agenda-title = 📋 Прийоми: { $day } ({ $count }), сторінка { $page }/{ $pages }
staff-agenda-empty = На цей день записів немає.
staff-said-attending = «Прийду»
staff-came = ✔️ прийшов(-ла)
staff-no-show = ✖️ не прийшов(-ла)
staff-mark-came = ✔️ { $time } { $name } прийшов(-ла)
staff-mark-no-show = ✖️ { $time } { $name } не прийшов(-ла)
staff-page-back = ◀ Попередня сторінка
staff-page-next = Наступна сторінка ▶
staff-visit-gone = Цей прийом не можна позначити: він ще не почався або його вже немає у списку (скасовано або перенесено).
staff-audit-title = 🧾 Останні дії працівників:
staff-audit-empty = Поки що нічого не записано.
staff-export = 📤 Цей місяць: CSV
staff-bad-range = Не можу розпізнати ці дні. Напишіть, наприклад, /export (цей місяць) або /export 1.11 30.11.
staff-export-title = 📤 Прийоми з { $from } до { $to }:
staff-export-line = { $service }: записано { $booked } (телефоном { $byphone }), скасовано людиною { $cancelled }, скасовано центром { $closed }, прийшли { $came }, не прийшли { $noshow }
staff-close-help = Закриття: /close <ключ> <день або дні> <причина>, наприклад /close legal-aid 23.11 хвороба юриста або /close cps 23.11-24.11 аварія опалення. Ключі: { $keys }.
staff-close-ask = Закрити: { $name }, з { $from } до { $to }? Причина: { $reason }.
    Прийомів за цей час: { $count }. Їх буде скасовано, а кожна людина отримає повідомлення з причиною та проханням обрати новий час.
staff-close-yes = 🚫 Так, закрити
staff-close-no = Ні
staff-closed = 🚫 Закрито з { $from } до { $to }. Скасовано прийомів: { $count }; кожна з цих людей отримає повідомлення.
staff-phone-help = Запис телефоном: /phone <пункт> <день> <година> <телефон> <ім'я та прізвище>, наприклад /phone legal-aid 16.11 13:00 600100200 Jan Kowalski. Пункти: { $keys }.
staff-phone-not-free = Цей час не вільний ({ $day }). Вільні години цього дня: { $times }
staff-phone-has-visit = За цим номером телефону вже є запис у цьому пункті: { $when }.
staff-phone-booked-done = 📞 Записано телефоном: { $service }, { $when }. { $name }, тел. { $phone }. Без нагадувань у Telegram.
staff-by-phone = 📞 запис телефоном
staff-closed-call = Записані телефоном, яким треба зателефонувати:
staff-cancel-button = ❌ { $time } { $name }: скасувати
staff-move-button = 🔁 перенести
staff-visit-not-upcoming = Цей прийом уже не можна змінити: він почався, минув, скасований або перенесений.
staff-cancel-ask = Скасувати прийом: { $service }, { $when }, { $name }? Напишіть причину (напр. «хвороба юриста»). Людина отримає її в повідомленні своєю мовою, з кнопкою вибору нового часу.
staff-cancel-ask-phone = Скасувати прийом: { $service }, { $when }, { $name } (запис телефоном, тел. { $phone })? Напишіть причину; потім зателефонуйте цій людині.
staff-keep-visit = Ні, залишити прийом
staff-cancel-reason-needed = Напишіть причину скасування (до 200 символів) або натисніть «Ні, залишити прийом».
staff-cancelled-told = ❌ Прийом скасовано: { $name }. Людина отримає повідомлення з причиною та кнопкою вибору нового часу.
staff-cancelled-call = ❌ Прийом скасовано: { $name } (запис телефоном). Будь ласка, зателефонуйте: { $phone }.
staff-move-ask = Перенести прийом: { $service }, { $when }, { $name }? Напишіть новий день і час, напр. «18.11 13:30» або «середа 13:30». Вільний час:
    { $free }
staff-move-not-free = Цей час не вільний. Вільний час:
    { $free }
staff-moved-told = 🔁 Перенесено: { $name }, тепер { $when }. Людина отримає повідомлення.
staff-moved-call = 🔁 Перенесено: { $name }, тепер { $when } (запис телефоном). Будь ласка, зателефонуйте: { $phone }.
staff-digest-title = ☀️ Прийоми на сьогодні, { $day }: { $count }

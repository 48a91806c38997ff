# Відповіді про місця, години роботи й послуги. Назви, адреси й години беруться з файлу довідника;
# тут лише слова навколо них.

## Календар

weekday-short = { $weekday ->
    [mon] пн
    [tue] вт
    [wed] ср
    [thu] чт
    [fri] пт
    [sat] сб
   *[sun] нд
}
weekday-on = { $weekday ->
    [mon] у понеділок
    [tue] у вівторок
    [wed] у середу
    [thu] у четвер
    [fri] у п'ятницю
    [sat] у суботу
   *[sun] у неділю
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
    [new-year] Новий рік
    [epiphany] Богоявлення (Свято Трьох Королів)
    [easter-sunday] Великдень
    [easter-monday] Великодній понеділок
    [labour-day] День праці
    [constitution-day] День Конституції (3 травня)
    [pentecost] Зелені свята
    [corpus-christi] Свято Божого Тіла
    [assumption] Успіння Пресвятої Богородиці
    [all-saints] День усіх святих
    [independence-day] День незалежності Польщі
    [christmas-eve] Святвечір
    [christmas] Різдво
   *[second-day-of-christmas] другий день Різдва
}
when-today = сьогодні о { $time }
when-tomorrow = завтра о { $time }
when-day = { $weekday ->
    [mon] у понеділок
    [tue] у вівторок
    [wed] у середу
    [thu] у четвер
    [fri] у п'ятницю
    [sat] у суботу
   *[sun] у неділю
} { $date } о { $time }
day-today = Сьогодні ({ $date })
day-tomorrow = Завтра ({ $date })
day-on = { $weekday ->
    [mon] У понеділок
    [tue] У вівторок
    [wed] У середу
    [thu] У четвер
    [fri] У п'ятницю
    [sat] У суботу
   *[sun] У неділю
} ({ $date })

## Відчинено чи зачинено

status-open = 🟢 Зараз відчинено, до { $time }.
status-closed = 🔴 Зараз зачинено.
status-closed-holiday = 🔴 Сьогодні зачинено: { $holiday }.
status-closed-closure = 🔴 Сьогодні, як виняток, зачинено.
status-closure-note = Причина: { $note }
status-opens = Відчиниться { $when }.
status-opens-unknown = У календарі немає дати наступного відкриття.
hours-unknown = 🕐 На сторінці центру години роботи не вказано. Запитайте в { $centre }.
hours-closed = зачинено
hours-holiday = зачинено ({ $holiday })
hours-closure = зачинено (як виняток)
hours-closure-note = не працює: { $note }
week-title = Години роботи на найближчі дні:
week-line = { $day } { $date }: { $hours }
week-today = ◀ сьогодні
day-line = { $day }: { $hours }


## Звичайний графік, словами

rule-title = Звичайний графік:
rule-line = { $days }: { $hours }
rule-weekdays = { $weekday ->
    [mon] по понеділках
    [tue] по вівторках
    [wed] по середах
    [thu] по четвергах
    [fri] по п'ятницях
    [sat] по суботах
   *[sun] по неділях
}
rule-range = з { $from ->
    [mon] понеділка
    [tue] вівторка
    [wed] середи
    [thu] четверга
    [fri] п'ятниці
    [sat] суботи
   *[sun] неділі
} до { $to ->
    [mon] понеділка
    [tue] вівторка
    [wed] середи
    [thu] четверга
    [fri] п'ятниці
    [sat] суботи
   *[sun] неділі
}
rule-and = { $first } і { $last }
rule-monthly = { $weekday ->
    [mon] у кожен { $nth ->
        [1] перший
        [2] другий
        [3] третій
        [4] четвертий
       *[5] п'ятий
    } понеділок місяця
    [tue] у кожен { $nth ->
        [1] перший
        [2] другий
        [3] третій
        [4] четвертий
       *[5] п'ятий
    } вівторок місяця
    [thu] у кожен { $nth ->
        [1] перший
        [2] другий
        [3] третій
        [4] четвертий
       *[5] п'ятий
    } четвер місяця
   *[other] у кожну { $nth ->
        [1] першу
        [2] другу
        [3] третю
        [4] четверту
       *[5] п'яту
    } { $weekday ->
        [wed] середу
        [fri] п'ятницю
        [sat] суботу
       *[sun] неділю
    } місяця
}
upcoming-title = Найближчі дати:

## Адреса і контакти

answer-where = 🏢 { $centre }, { $address }
answer-address = 📍 { $address }
answer-map = 🗺 Мапа: { $url }
answer-phone = 📞 тел. { $phone }
answer-email = ✉️ { $email }
answer-website = 🌐 { $website }
answer-who = 👥 Для кого: { $who }
answer-how = ➡️ Як отримати допомогу: { $how }
place-bring = 🧾 Що взяти з собою: { $bring }
place-bring-unknown = 🧾 На сторінці пункту не вказано, які документи взяти з собою. Запитайте перед прийомом:
bring-title = 🧾 Що взяти з собою на прийом:
bring-not-given = сторінка пункту цього не вказує; запитайте під час запису

## Списки

services-title = 📋 Що пропонують центри в місті { $city }:
services-centre = { $name }:
services-residents = Для мешканців:
services-more = Оберіть центр, щоб побачити подробиці, години роботи й адресу.
ngo-title = 🤝 { $centre } для громадських організацій:
documents-title = 📄 Документи для організацій ({ $centre }):
contacts-title = 📞 Як зв'язатися з центрами:
hours-title = 🕐 Години роботи центрів:
hours-choose = Оберіть центр, а потім місце, щоб побачити його години роботи.
centre-places = Місця й заняття в { $centre }:

## Розмова

greeting-reply = 🙂 Чим можу допомогти? Натисніть кнопку або напишіть запитання, наприклад: «коли приймає юрист?».
thanks-reply = Будь ласка! 🙂 Якщо ще щось знадобиться, я тут.
unknown-question = На це запитання я поки що не вмію відповісти. Оберіть кнопку нижче або зателефонуйте:
crisis-office-hours = У робочі години допомагає { $centre }: { $address }, тел. { $phone }.
unknown-phone = { $centre }: тел. { $phone }
need-title = З цим можуть допомогти:
need-more = Оберіть місце, щоб побачити години роботи й адресу, або зателефонуйте до центру.
appointments-title = Сюди треба записатися заздалегідь:
appointments-how = Записатися можна тут, кнопкою нижче, або телефоном. Про інші місця й заняття запитайте в центрі:

## Кнопки навігації

nav-hours = 🕐 Години роботи
nav-address = 📍 Адреса й мапа
nav-contact = 📞 Контакти
nav-ngo = 🤝 Для організацій (ГО)
nav-documents = 📄 Документи для ГО
nav-back-to = ⬅️ { $name }

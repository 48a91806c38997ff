# News (announcements) of the centres and clubs. Every id must exist in locales/pl and locales/uk with the same variables.

news-join = 🔔 Send me their news
news-leave = 🔕 No more of these messages
news-joined = 🔔 Done. You will get news from: { $topic } (courses, meetings, changes of hours). You can stop at any time with one button.
news-already = 🔔 You already get news from: { $topic }.
news-left = 🔕 You will no longer get news from: { $topic }.
news-message = 📢 { $topic }:
    { $text }
news-help = Announcement: /announce <topic> <text>, e.g. /announce cas A computer course for seniors starts on 1 December.
    Topics (subscribers in brackets):
    { $topics }
news-too-long = This announcement is too long (at most { $max } characters). Topics:
    { $topics }
news-ask = 📢 Send this announcement to the subscribers of „{ $topic }” ({ $count } people, about { $seconds } s)?

    { $text }
news-send = 📢 Yes, send it
news-sending = 📢 Sending to { $count } people (about { $seconds } s). I will tell you how many got it when done.
news-nobody = Nobody subscribes to this topic yet, so nothing was sent.
news-report = 📢 Announcement „{ $topic }” sent: delivered { $delivered } of { $recipients }, blocked the bot { $blocked }, failed { $failed }, left meanwhile { $left }.

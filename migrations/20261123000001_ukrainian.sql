-- Ukrainian is the third language the bot speaks.
alter table telegram_user drop constraint telegram_user_language_known,
    add constraint telegram_user_language_known check (language in ('pl', 'en', 'uk'));
alter table booking drop constraint booking_language_known,
    add constraint booking_language_known check (language in ('pl', 'en', 'uk'));
alter table waiting drop constraint waiting_language_known,
    add constraint waiting_language_known check (language in ('pl', 'en', 'uk'));

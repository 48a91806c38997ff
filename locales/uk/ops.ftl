# Operations and input checks (issue 11).

# A shared contact card that is not the sender's own: the number is asked again.
ops-contact-not-own = Це номер іншої людини. Вкажіть свій номер: натисніть «Поділитися номером» або введіть його, наприклад, 600 100 200.

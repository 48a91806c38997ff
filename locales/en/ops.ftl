# Operations and input checks (issue 11).

# A shared contact card that is not the sender's own: the number is asked again.
ops-contact-not-own = That is someone else's number. Please give your own: press "Share my number" or type it, e.g. 600 100 200.

# Fixes after outside testing: questions at the phone step, "is it free?", /forget with nothing stored.

book-still-waiting-phone = I am still waiting for a phone number for the booking: { $service }. Type it, or press “Share my number” below.
cost-free = 💸 Yes, it costs nothing. From the point's description:
cost-not-given = 💸 The point's page does not say whether it costs anything. Ask before your visit:
forget-nothing = I have nothing stored about you, so there is nothing to erase.

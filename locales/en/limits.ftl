# Limits: the waiting list only when no time is free; waiting-list offers and the night

limits-wait-free = { $service }: there are still free times, so there is no need for the waiting list. Here are the free days.
limits-offer-overnight = A slot has freed up: { $service }, { $when }. Would you like it? The night does not count: I will wait for your answer until { $until } tomorrow.
limits-offer-expired = The time to take the slot { $service }, { $when } has passed; I have offered it to the next person. You are still on the waiting list: when another slot frees up, I will offer it here. If you no longer need a visit, leave the list with the button below.
limits-wait-joined = You are on the waiting list: { $service }. When a slot frees up, I will offer it here; you will have { $minutes } minutes to take it. I do not write at night (21:00–8:00), and the night does not count. If you miss it, the slot goes to the next person and you stay on the list.

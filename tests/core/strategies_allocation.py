"""Hypothesis strategies for the allocation core (consejo.core.allocation): random tiny problems.

A few depots, recipients and items, in three tiers, with small stocks and needs and cheap routes,
so that ties, empty stocks and recipients without routes come up often.
"""

from __future__ import annotations

from hypothesis import strategies as st

from consejo.core.allocation import Depot, Item, Problem, Recipient, Route


@st.composite
def problems(
    draw: st.DrawFn,
    *,
    max_recipients: int = 5,
    max_items: int = 2,
    max_depots: int = 3,
    max_stock: int = 8,
    max_need: int = 6,
) -> Problem:
    depots = [f"D{d}" for d in range(draw(st.integers(1, max_depots)))]
    items = [f"i{k}" for k in range(draw(st.integers(1, max_items)))]
    stock = st.integers(0, max_stock)
    need = st.integers(0, max_need)
    recipients = []
    for r in range(draw(st.integers(1, max_recipients))):
        reach = draw(st.lists(st.sampled_from(depots), unique=True, max_size=len(depots)))
        recipients.append(
            Recipient(
                id=f"R{r}",
                tier=draw(st.integers(1, 3)),
                need={item: draw(need) for item in items},
                routes=tuple(Route(d, draw(st.integers(0, 4))) for d in reach),
            )
        )
    return Problem(
        items=tuple(Item(item) for item in items),
        depots=tuple(Depot(d, {item: draw(stock) for item in items}) for d in depots),
        recipients=tuple(recipients),
    )

"""Two news stories written for these tests, and the ways outlets rework a wire story."""

from __future__ import annotations

QUAKE = """A strong earthquake struck the coastal province early on Tuesday, toppling houses in
several mountain villages and cutting power to tens of thousands of homes, officials said.
The quake had a magnitude of 6.4 and its epicentre lay about 40 kilometres north-east of the
provincial capital at a depth of ten kilometres, according to the national seismology centre.
Rescue teams were working through the rubble of a collapsed school in one village, where the
regional governor said at least twelve people had been pulled out alive by mid-morning.
Hospitals in the capital reported treating more than 200 people for injuries, most of them
caused by falling masonry and broken glass. Two people were confirmed dead.
Aftershocks continued through the morning, the strongest measuring 5.1, and residents of older
apartment blocks were told to stay outside until engineers had inspected the buildings.
The main highway to the mountains was closed after a landslide buried a section of road near a
river crossing, and the army sent helicopters to carry water, tents and medical supplies to
villages that could not be reached by land.
The prime minister cut short a visit abroad and said the government would release emergency
funds for families who had lost their homes. Neighbouring countries offered search teams.
The province sits on one of the most active fault lines in the region and was last hit by a
major earthquake two decades ago, when hundreds of people died. Building codes were tightened
after that disaster, but officials have said many rural homes were never brought up to standard.
Schools across the province will stay closed for the rest of the week."""

BUDGET = """The city council approved a budget on Tuesday that raises spending on public transport
and road repairs while freezing most other departments, after a debate that ran late into the
night. The plan adds three new bus routes to the eastern suburbs and pays for the repair of
more than 80 kilometres of roads damaged during last winter's storms. Council members from the
opposition said the budget relied on optimistic forecasts of property tax revenue and would leave
the city short if the housing market cooled. The mayor said the forecasts were conservative and
that the transport plan would pay for itself within a decade by reducing congestion. Libraries
and parks will see their budgets held at last year's level, and the council voted down a proposal
to close two swimming pools. The budget takes effect at the start of the next financial year."""


def rewrite(text: str) -> str:
    """What another outlet does to wire copy: its own headline case, a few words, a credit line."""
    return (text.replace("officials said", "authorities said")
                .replace("Two people were confirmed dead.", "Two deaths were confirmed.")
                .replace("Neighbouring countries offered search teams.",
                         "Neighbouring countries offered to send search teams.")
            + "\n(Reporting by the wire desk; editing by the night staff.)")

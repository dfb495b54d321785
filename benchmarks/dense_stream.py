"""A dense synthetic stream of same-kind events, the normal case of a news monitor: many
separate shooting incidents over months, each reported by one to four outlets in their own
words, all in the same genre vocabulary ("police said", "shot", "taken to hospital"). What
tells incidents apart is what tells real ones apart: the place, the street, the victim's name
and age, the day. A grouper that lets a story grow by chaining similar-looking reports makes
one runaway story of it; a good one keeps each incident whole and apart.

Generated deterministically from a seed; no text of it comes from a real report.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

CITIES = [
    ("Springfield", ["Maple Avenue", "Oak Street", "Elm Drive", "Pine Road", "Cedar Lane"]),
    ("Riverton", ["Water Street", "Mill Road", "Bridge Avenue", "Canal Street", "Ferry Lane"]),
    ("Lakewood", ["Shore Drive", "Harbor Road", "Bay Street", "Dock Avenue", "Marina Way"]),
    ("Fairview", ["Hill Street", "Summit Avenue", "Ridge Road", "Valley Drive", "Crest Lane"]),
    ("Greenville", ["Park Avenue", "Garden Street", "Meadow Road", "Field Lane", "Grove Drive"]),
    ("Brookside", ["Creek Road", "Brook Street", "Willow Lane", "Birch Avenue", "Spring Drive"]),
    ("Centerville", ["Main Street", "Market Street", "Court Avenue", "Church Road", "High St"]),
    ("Westfield", ["Sunset Road", "West Avenue", "Prairie Lane", "Ranch Road", "Mesa Drive"]),
]
HOSPITALS = ["St. Mary's Hospital", "County General", "Mercy Medical Center", "Regional Hospital"]
FIRST = [
    "James",
    "Maria",
    "David",
    "Aisha",
    "Carlos",
    "Emily",
    "Tyrone",
    "Linh",
    "Omar",
    "Grace",
    "Dmitri",
    "Fatima",
]
FIRST += ["Kevin", "Rosa", "Andre", "Hannah", "Malik", "Sofia"]
LAST = [
    "Johnson",
    "Garcia",
    "Nguyen",
    "Okafor",
    "Miller",
    "Hernandez",
    "Kowalski",
    "Patel",
    "Brooks",
    "Rivera",
]
LAST += ["Schmidt", "Washington", "Lopez", "Ibrahim", "Turner", "Reyes"]
FEMALE = {"Maria", "Aisha", "Emily", "Linh", "Grace", "Fatima", "Rosa", "Hannah", "Sofia"}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
OUTLETS = ["The Daily Ledger", "City Wire", "Metro Courier", "Evening Gazette"]

TEMPLATES = [
    (
        "{age}-year-old shot on {street} in {city}",
        "A {age}-year-old {person} was shot on {street} in {city} on {weekday} night, police "
        "said. Officers responded to reports of gunfire near the {block} block of {street} at "
        "about {hour}:{minute} p.m. and found the victim with a gunshot wound to the {wound}. "
        "{name} was taken to {hospital} in {condition} condition. Police said they were "
        "searching for a suspect who fled in a {car}. Anyone with information is asked to "
        "call the {city} Police Department.",
    ),
    (
        "Police investigate {city} shooting that injured {name}",
        "{city} police are investigating a shooting that left {name}, {age}, injured on "
        "{weekday}. According to a police spokesperson, the shooting happened around "
        "{hour}:{minute} p.m. on {street}. Witnesses told officers they heard several shots and "
        "saw a {car} driving away. {name} was rushed to {hospital}, where {pronoun} was listed in "
        "{condition} condition. No arrests have been made.",
    ),
    (
        "{name} wounded in {weekday} shooting on {street}",
        "Gunfire on {street} in {city} wounded {name} ({age}) late {weekday}. Investigators said "
        "the {age}-year-old was hit in the {wound} shortly after {hour}:{minute} p.m. Paramedics "
        "took {object} to {hospital}. Police described the suspect vehicle as a {car}. Detectives "
        "are reviewing video from cameras along the {block} block of {street}.",
    ),
    (
        "Shooting on {street}: {age}-year-old in {condition} condition",
        "A shooting on {street} in {city} sent a {age}-year-old to {hospital} on {weekday} "
        "evening. Police identified the victim as {name}. Officers arrived at about "
        "{hour}:{minute} p.m. after neighbors called 911. The victim suffered a wound to the "
        "{wound} and was in {condition} condition, police said. The shooter escaped in a {car}.",
    ),
]
CARS = ["dark sedan", "white pickup truck", "silver SUV", "red hatchback", "black van"]
WOUNDS = ["leg", "arm", "shoulder", "abdomen", "chest", "hip"]
CONDITIONS = ["stable", "critical", "serious", "fair"]


def dense_stream(incidents: int = 2400, days: int = 120, seed: int = 5) -> list[dict[str, object]]:
    """Records (`text`, `title`, `date`, `outlet`, `story`) in publication order."""
    rng = random.Random(seed)
    start = datetime(2023, 3, 1, tzinfo=UTC)
    records: list[dict[str, object]] = []
    for incident in range(incidents):
        city, streets = rng.choice(CITIES)
        first, last = rng.choice(FIRST), rng.choice(LAST)
        female = first in FEMALE
        when = start + timedelta(days=days * incident / incidents, hours=rng.randrange(24))
        facts = {
            "city": city,
            "street": rng.choice(streets),
            "block": f"{rng.randrange(1, 40)}00",
            "age": rng.randrange(15, 70),
            "name": f"{first} {last}",
            "person": "woman" if female else "man",
            "pronoun": "she" if female else "he",
            "object": "her" if female else "him",
            "weekday": WEEKDAYS[when.weekday()],
            "hour": rng.randrange(1, 12),
            "minute": f"{rng.randrange(60):02d}",
            "hospital": rng.choice(HOSPITALS),
            "condition": rng.choice(CONDITIONS),
            "car": rng.choice(CARS),
            "wound": rng.choice(WOUNDS),
        }
        outlets = rng.sample(range(len(OUTLETS)), rng.randrange(1, 5))
        for outlet in outlets:
            title, body = TEMPLATES[outlet]
            published = when + timedelta(hours=rng.randrange(1, 20))
            records.append(
                {
                    "title": title.format(**facts),
                    "text": body.format(**facts),
                    "date": published.isoformat(),
                    "outlet": OUTLETS[outlet],
                    "story": f"incident-{incident}",
                }
            )
    records.sort(key=lambda r: str(r["date"]))
    return records

"""Ordinary prompts carrying personal data (Faker, several locales, seeded), raw and as the PII guard redacts them
(<PERSON_1> placeholders): benign rows for both detectors, so names, addresses and numbers never look harmful."""

from __future__ import annotations

import random
from datetime import date

from faker import Faker

LOCALES = ["en_US", "en_GB", "fr_FR", "de_DE", "es_ES"]
TEMPLATES = [
    "Send the signed contract to {name} at {address} before Friday.",
    "{name} called from {phone} about the delivery; can you draft a reply?",
    "Please update the email of {name} to {email} in the customer list.",
    "Summarise: {name} from {company} asked for a discount on the {date} order.",
    "Write a thank-you note to {name}, who organised the {date} workshop.",
    "Our new colleague {name} starts on {date}; prepare a welcome message.",
    "Draft an invoice reminder for {company}, contact {name}, {email}.",
    "{name} lives at {address} and wants to change the delivery slot.",
    "Can you check this address format: {address}?",
    "Book a meeting room for {name} and {name2} on {date}.",
    "Translate into English: '{name} a appelé au {phone} pour le devis.'",
    "Reply to {name}: the parcel for {address} left the warehouse on {date}.",
]
# Statements rather than requests: how people describe themselves and others in pasted text.
STATEMENTS = [
    "My name is {name} and I work as a {job} at {company}.",
    "{name} was born on {date} in {city} and moved to {country} later.",
    "I live at {address}; my neighbour {name2} works as a {job}.",
    "{name}, a {job} from {city}, joined {company} in {year}.",
    "You can reach me at {email} or {phone} during office hours.",
    "Last {day}, {name} and I visited {city} to meet the team at {company}.",
    "Our {job}, {name}, will retire at the end of {year}.",
    "The package for {name} should go to {address}, {country}.",
    "{name2} said the meeting with {company} in {city} went well.",
    "I am a {job} and my manager is {name}; we are based in {city}.",
]
FIRST_DAY, LAST_DAY = date(2015, 1, 1), date(2026, 12, 31)
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
PLACEHOLDERS = {"name": "<PERSON_1>", "name2": "<PERSON_2>", "address": "<STREET_ADDRESS_1>",
                "phone": "<PHONE_NUMBER_1>", "email": "<EMAIL_ADDRESS_1>", "company": "<ORGANIZATION_1>",
                "date": "<DATE_TIME_1>"}


def personal_data_rows(split: str, seed: int, count: int = 240) -> list[dict]:
    """Train rows use the first templates of each list, held-out rows the last ones."""
    rng = random.Random(f"{seed}:ordinary:{split}")
    templates = TEMPLATES[:9] + STATEMENTS[:7] if split == "train" else TEMPLATES[9:] + STATEMENTS[7:]
    rows = []
    for number in range(count * 2 if split == "train" else count):
        fake = Faker(rng.choice(LOCALES))
        fake.seed_instance(rng.randrange(2**31))
        values = {"name": fake.name(), "name2": fake.name(), "address": fake.address().replace("\n", ", "),
                  "phone": fake.phone_number(), "email": fake.email(), "company": fake.company(),
                  # Dates from a fixed range: Faker's own default ends "now", so rows would change every second.
                  "date": fake.date_between_dates(FIRST_DAY, LAST_DAY).isoformat(), "job": fake.job().lower(),
                  "city": fake.city(), "country": fake.country(), "year": str(rng.randint(1990, 2026)),
                  "day": rng.choice(DAYS)}
        index = rng.randrange(len(templates))
        fields = {**values, **PLACEHOLDERS} if number % 3 == 0 else values  # a third as the PII guard leaves them
        rows.append({"text": templates[index].format(**fields), "label": 0, "family": "benign_personal_data",
                     "source": "team-faker", "template": f"personal_data/{split}/{index}", "split": split,
                     "language": "mixed"})
    return rows

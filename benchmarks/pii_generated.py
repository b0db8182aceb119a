"""A generated PII evaluation set: Faker values in many locales, shapes and casings, in English and French sentences.

The sentence templates here are for EVALUATION ONLY: no training script may import this module (training data, if
any, is written from its own templates under training/). Rows are {id, text, language, group, spans}, spans typed
with Presidio's names, so `pii_eval.score` reads them like eval-dev.

Names come from two groups of locales: GAZETTEER_LOCALES, whose Faker name lists the name gazetteer is built from
(training/pii_names/build_gazetteer.py), and HELD_OUT_LOCALES, whose names the gazetteer never saw; rows say which
in `group`, so a gain from the gazetteer on names it was built from is reported apart from what generalises.
"""

from __future__ import annotations

import os
import random
import re
import sys

from faker import Faker

SEED = 13
GAZETTEER_LOCALES = ["en_US", "en_GB", "fr_FR", "de_DE", "es_ES", "it_IT", "nl_NL", "pt_BR", "pl_PL", "tr_TR",
                     "en_IN", "vi_VN", "id_ID", "yo_NG", "zu_ZA", "fi_FI", "sv_SE", "da_DK", "no_NO", "cs_CZ",
                     "hu_HU", "ro_RO", "pt_PT", "es_MX", "fr_CA", "en_NG", "en_PH", "de_AT", "fr_CH", "it_CH"]
HELD_OUT_LOCALES = ["tw_GH", "ig_NG", "ha_NG", "sk_SK", "hr_HR", "lt_LT", "et_EE", "ga_IE", "sq_AL", "az_AZ",
                    "sl_SI", "lv_LV", "es_CO", "es_AR", "en_KE", "de_CH", "fr_BE", "nl_BE", "is_IS", "mt_MT"]
ROMANIZED = ["ja_JP", "zh_CN"]  # names in Latin letters from their romanized lists (never in the gazetteer)
PHONE_LOCALES = ["en_US", "en_US", "en_US", "en_GB", "de_DE", "es_ES", "it_IT", "nl_NL", "pt_BR", "en_CA", "en_AU"]
ADDRESS_LOCALES = ["en_US", "en_US", "en_GB", "de_DE", "es_ES", "it_IT", "nl_NL", "pt_BR", "fr_FR", "en_CA"]
IBAN_LOCALES = ["fr_FR", "de_DE", "es_ES", "it_IT", "nl_NL", "en_GB", "pt_PT", "fi_FI", "pl_PL"]
CARDS = ["visa13", "visa16", "visa19", "mastercard", "amex", "discover", "jcb15", "jcb16", "diners", "maestro"]
COUNTRIES = {"en_GB": "United Kingdom", "de_DE": "Germany", "es_ES": "Spain", "it_IT": "Italy", "nl_NL": "Netherlands",
             "pt_BR": "Brazil", "fr_FR": "France", "en_CA": "Canada", "en_US": "USA"}

EN_TEMPLATES = [
    "Can you draft a polite reminder to {PERSON} about the unpaid invoice?",
    "{PERSON} moved last spring; the new address is {ADDRESS}.",
    "Please update the CRM: {PERSON}, mobile {PHONE}, mail {EMAIL}.",
    "Summarise this complaint from {PERSON} ({EMAIL}) in two lines.",
    "Refund the order to card {CARD}, expiry 09/28, holder {PERSON}.",
    "Wire the deposit to IBAN {IBAN} and copy {PERSON} on the confirmation.",
    "The claimant's SSN is {SSN} and she can be reached on {PHONE}.",
    "Our logs show repeated logins from {IP} on the account of {PERSON}.",
    "I spoke with {GIVEN} this morning and she agreed to the new schedule.",
    "Ship the replacement part to {ADDRESS} before Friday.",
    "Translate for {GIVEN}: the meeting moved to Thursday at 10.",
    "hey, it's {GIVEN} here, can you call me back on {PHONE}?",
    "Write a reference letter for {PERSON}, who worked with us for three years.",
    "Send the signed lease to {PERSON} at {ADDRESS}, or email {EMAIL}.",
    "Which of these is wrong: card {CARD}, phone {PHONE}?",
    "Please check whether {GIVEN} and {GIVEN} have both returned their laptops.",
    "The attendees were {PERSON}, {PERSON} and {PERSON}.",
    "Forward the parcel to {ADDRESS}; the recipient is {PERSON}.",
    "Her French social security number is {NIR}, please file it with the HR form.",
    "The supplier's SIRET is {SIRET} and its SIREN {SIREN}; add them to the vendor sheet.",
    "Block the server at {IP} and notify {PERSON}.",
    "My name is {PERSON} and my account number is {IBAN}.",
    "Could you remind {GIVEN} that the audit starts on Monday?",
    "Contact details: {PERSON} / {PHONE} / {EMAIL}",
    "Payment failed for {CARD}; ask {GIVEN} to try another card.",
    "Dear {PERSON},\nThank you for your letter. We will reply within ten days.\nRegards",
    "Please mail the form to:\n{PERSON}\n{ADDRESS}",
    "Employee {PERSON} (SSN {SSN}) starts on the first of the month.",
    "Route the call from {PHONE} to {GIVEN} in accounts.",
    "Book a table for {PERSON} and two guests, phone {PHONE}.",
]
FR_TEMPLATES = [
    "Pouvez-vous rédiger une relance polie à {PERSON} au sujet de la facture impayée ?",
    "{PERSON} a déménagé ; sa nouvelle adresse est {ADDRESS}.",
    "Merci de mettre à jour la fiche : {PERSON}, portable {PHONE}, courriel {EMAIL}.",
    "Résumez en deux lignes la réclamation de {PERSON} ({EMAIL}).",
    "Remboursez la commande sur la carte {CARD} au nom de {PERSON}.",
    "Virez l'acompte sur l'IBAN {IBAN} et mettez {PERSON} en copie.",
    "Son numéro de sécurité sociale est {NIR} ; on peut la joindre au {PHONE}.",
    "Les journaux montrent des connexions répétées depuis {IP} sur le compte de {PERSON}.",
    "J'ai parlé avec {GIVEN} ce matin, elle est d'accord avec le nouveau planning.",
    "Envoyez la pièce de rechange au {ADDRESS} avant vendredi.",
    "Le fournisseur a pour SIRET {SIRET} et pour SIREN {SIREN}.",
    "salut, c'est {GIVEN}, tu peux me rappeler au {PHONE} ?",
    "Rédigez une lettre de recommandation pour {PERSON}, qui a travaillé chez nous trois ans.",
    "Étaient présents à la réunion : {PERSON}, {PERSON} et {PERSON}.",
    "Pouvez-vous rappeler à {GIVEN} que l'audit commence lundi ?",
    "Coordonnées : {PERSON} / {PHONE} / {EMAIL}",
    "Le paiement a échoué avec la carte {CARD} ; demandez à {GIVEN} d'en essayer une autre.",
    "Bonjour {PERSON},\nNous avons bien reçu votre dossier et reviendrons vers vous sous dix jours.\nCordialement",
    "Veuillez adresser le formulaire à :\n{PERSON}\n{ADDRESS}",
    "Le salarié {PERSON} (NIR {NIR}) rejoint l'équipe le premier du mois.",
    "Transférez l'appel du {PHONE} à {GIVEN} à la comptabilité.",
    "Bloquez l'adresse {IP} et prévenez {PERSON}.",
    "Je m'appelle {PERSON} et mon IBAN est {IBAN}.",
    "Le numéro de la carte professionnelle de {PERSON} est {CARD}.",
    "Vérifiez que {GIVEN} et {GIVEN} ont bien rendu leur badge.",
]
TYPE_OF = {"PERSON": "PERSON", "GIVEN": "PERSON", "ADDRESS": "STREET_ADDRESS", "PHONE": "PHONE_NUMBER",
           "EMAIL": "EMAIL_ADDRESS", "CARD": "CREDIT_CARD", "IBAN": "IBAN_CODE", "SSN": "US_SSN", "IP": "IP_ADDRESS",
           "NIR": "FR_NIR", "SIREN": "FR_SIREN", "SIRET": "FR_SIRET"}
SLOT = re.compile(r"\{([A-Z]+)\}")


def fixed_hash_seed() -> None:
    """Re-run this process with PYTHONHASHSEED=0: some Faker lists are built from sets (it_IT cities), whose order
    follows string hashing, so the same seed would draw other values in another process."""
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})


class Values:
    """One seeded source of values; each method returns (text, shape) where shape names the variant drawn."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.fakers: dict[str, Faker] = {}
        self.seed = seed

    def faker(self, locale: str) -> Faker:
        if locale not in self.fakers:
            self.fakers[locale] = Faker(locale)
            self.fakers[locale].seed_instance(self.seed + len(self.fakers))
        return self.fakers[locale]

    def _names(self) -> tuple[str, str, str]:
        """(given, surname, group) from a gazetteer locale, a held-out one or a romanized list."""
        roll = self.rng.random()
        if roll < 0.1:
            f = self.faker(self.rng.choice(ROMANIZED))
            return f.first_romanized_name(), f.last_romanized_name(), "romanized"
        group = "gazetteer" if roll < 0.55 else "held_out"
        f = self.faker(self.rng.choice(GAZETTEER_LOCALES if group == "gazetteer" else HELD_OUT_LOCALES))
        return f.first_name(), f.last_name(), group

    def person(self) -> tuple[str, str]:
        given, surname, group = self._names()
        roll = self.rng.random()
        if roll < 0.5:
            return f"{given} {surname}", f"full/{group}"
        if roll < 0.7:
            initial = self.rng.choice("ABCDEFGHJKLMNPRSTW")
            return f"{given} {initial}{self.rng.choice(['.', ''])} {surname}", f"middle_initial/{group}"
        if roll < 0.85:
            return f"{given} {surname}".lower(), f"lower/{group}"
        if roll < 0.93:
            return f"{given} {surname}".upper(), f"upper/{group}"
        return f"{surname}, {given}", f"surname_first/{group}"

    def given(self) -> tuple[str, str]:
        given, _, group = self._names()
        return (given.lower(), f"given_lower/{group}") if self.rng.random() < 0.2 else (given, f"given/{group}")

    def address(self) -> tuple[str, str]:
        roll = self.rng.random()
        us = self.faker("en_US")
        if roll < 0.15:
            kind = self.rng.choice(["APO", "FPO", "DPO"])
            unit = self.rng.choice([us.military_apo(), us.military_dpo(), f"{us.military_ship()} {us.last_name()}"])
            return f"{unit}, {kind} {us.military_state()} {us.postcode()}", "military"
        locale = self.rng.choice(ADDRESS_LOCALES)
        f = self.faker(locale)
        street, city, postcode = f.street_address(), f.city(), f.postcode()
        if roll < 0.3:
            return f"{street}, {city}, {COUNTRIES[locale]} {postcode}", "country_then_postcode"
        if locale == "en_US":
            text = f"{street}, {city}, {us.state_abbr()} {postcode}"
        elif locale in ("en_GB", "en_CA"):
            text = f"{street}, {city} {postcode}"
        else:
            text = f"{street}, {postcode} {city}"
        if roll < 0.45:
            return text.lower(), f"lower/{locale}"
        if roll < 0.55:
            return text.replace(", ", "\n", 1), f"two_lines/{locale}"
        return text, locale

    def phone(self, language: str) -> tuple[str, str]:
        roll = self.rng.random()
        if language == "fr" and roll < 0.6 or roll < 0.15:
            digits = f"0{self.rng.randint(1, 9)}" + "".join(str(self.rng.randint(0, 9)) for _ in range(8))
            pairs = [digits[i:i + 2] for i in range(0, 10, 2)]
            shape = self.rng.choice(["national", "national_dots", "national_bare", "international", "intl_zero"])
            return {"national": " ".join(pairs), "national_dots": ".".join(pairs), "national_bare": digits,
                    "international": "+33 " + digits[1] + " " + " ".join(pairs[1:]),
                    "intl_zero": "+33 (0)" + digits[1] + " " + " ".join(pairs[1:])}[shape], f"fr_{shape}"
        if roll < 0.3:
            area = f"{self.rng.randint(2, 9)}{self.rng.randint(0, 9)}{self.rng.randint(0, 9)}"
            rest = "".join(str(self.rng.randint(0, 9)) for _ in range(7))
            return f"{area}{rest}", "us_10_digits"
        locale = self.rng.choice(PHONE_LOCALES)
        return self.faker(locale).phone_number(), locale

    def card(self) -> tuple[str, str]:
        kind = self.rng.choice(CARDS)
        number = self.faker("en_US").credit_card_number(kind)
        roll = self.rng.random()
        if roll < 0.4:
            return number, f"compact/len{len(number)}"
        sep = " " if roll < 0.8 else "-"
        groups = [number[i:i + 4] for i in range(0, len(number), 4)]
        return sep.join(groups), f"grouped/len{len(number)}"

    def iban(self) -> tuple[str, str]:
        value = self.faker(self.rng.choice(IBAN_LOCALES)).iban()
        if self.rng.random() < 0.5:
            return " ".join(value[i:i + 4] for i in range(0, len(value), 4)), "grouped"
        return value, "compact"

    def ssn(self) -> tuple[str, str]:
        value = self.faker("en_US").ssn()
        return (value, "dashed") if self.rng.random() < 0.7 else (value.replace("-", " "), "spaced")

    def ip(self) -> tuple[str, str]:
        f = self.faker("en_US")
        return (f.ipv4_public(), "v4") if self.rng.random() < 0.8 else (f.ipv6(), "v6")

    def nir(self) -> tuple[str, str]:
        value = self.faker("fr_FR").ssn()
        if self.rng.random() < 0.5:
            return value, "compact"
        parts = [value[0], value[1:3], value[3:5], value[5:7], value[7:10], value[10:13], value[13:]]
        return " ".join(parts), "spaced"

    def siren(self) -> tuple[str, str]:
        value = self.faker("fr_FR").siren()
        return (value, "spaced") if self.rng.random() < 0.6 else (value.replace(" ", ""), "compact")

    def siret(self) -> tuple[str, str]:
        value = self.faker("fr_FR").siret()
        return (value, "spaced") if self.rng.random() < 0.6 else (value.replace(" ", ""), "compact")

    def email(self) -> tuple[str, str]:
        f = self.faker(self.rng.choice(["en_US", "fr_FR", "de_DE", "es_ES", "it_IT", "nl_NL"]))
        return (f.email(), "free") if self.rng.random() < 0.5 else (f.company_email(), "company")

    def value(self, slot: str, language: str) -> tuple[str, str]:
        if slot == "PHONE":
            return self.phone(language)
        return getattr(self, slot.lower())()


def build_row(template: str, values: Values, language: str, row_id: str, lower: bool) -> dict:
    text, spans, pos = "", [], 0
    for match in SLOT.finditer(template):
        text += template[pos:match.start()]
        value, shape = values.value(match.group(1), language)
        spans.append({"type": TYPE_OF[match.group(1)], "start": len(text), "end": len(text) + len(value),
                      "shape": shape})
        text += value
        pos = match.end()
    text += template[pos:]
    if lower:  # a user who types everything in lower case: offsets do not move
        text = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return {"id": row_id, "text": text, "language": language, "lowercased": lower, "spans": spans}


def generate(n_en: int = 600, n_fr: int = 400, seed: int = SEED) -> list[dict]:
    values = Values(seed)
    rng = random.Random(seed)
    rows = []
    for language, templates, n in (("en", EN_TEMPLATES, n_en), ("fr", FR_TEMPLATES, n_fr)):
        for i in range(n):
            rows.append(build_row(templates[i % len(templates)], values, language, f"gen-{language}-{i}",
                                  lower=rng.random() < 0.12))
    return rows


if __name__ == "__main__":
    import json

    fixed_hash_seed()
    for row in generate(*(int(a) for a in sys.argv[1:3])):
        print(json.dumps(row, ensure_ascii=False))

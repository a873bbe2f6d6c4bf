"""Synthetic labelled evaluation set (issue 6 §5): listed people, the same people written the way
border data writes them (each variation alone and combined), and look-alike innocents.

Names come from Faker's locale pools (native scripts) and name_pools.json (Arabic and Thai names
in their script with the Latin spellings passports carry); passenger names use passport
romanisation (translit.py, the pools' spellings), never the romanisation used for matching.
Arabic and Thai people are listed in their script only. Everything derives from the seed.
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from faker import Faker
from unidecode import unidecode

from egide.travel.manifest_csv import COLUMNS as MANIFEST_COLUMNS
from egide.travel.model import Document, Traveller
from egide.travel.scripts import script_of
from egide.travel.translit import passport_latin
from egide.watchlists import WatchlistEntry, write_csv

POOLS = Path(__file__).with_name("name_pools.json")
# locale, nationality, weight
LOCALES: tuple[tuple[str, str, int], ...] = (
    ("en_GB", "GB", 3),
    ("en_US", "US", 4),
    ("de_DE", "DE", 2),
    ("fr_FR", "FR", 2),
    ("es_ES", "ES", 2),
    ("it_IT", "IT", 1),
    ("nl_NL", "NL", 1),
    ("pl_PL", "PL", 1),
    ("tr_TR", "TR", 1),
    ("pt_BR", "BR", 1),
    ("ru_RU", "RU", 2),
    ("el_GR", "GR", 1),
    ("zh_CN", "CN", 2),
    ("vi_VN", "VN", 1),
    ("ar", "EG", 2),
    ("th", "TH", 1),
)
SOURCES = ("green-notice", "national-registry", "travel-notification")
VARIATIONS = (
    "swapped_order",
    "missing_middle",
    "extra_middle",
    "initial",
    "compound_surname",
    "typo",
    "day_month_swapped",
    "partial_birth_date",
    "year_typo",
    "passport_ocr",
    "other_passport",
    "no_nationality",
    "spelling_variant",
)


@dataclass
class Person:
    locale: str
    nationality: str
    given: list[str]  # native script tokens
    surname: list[str]
    latin_given: list[str]  # passport form
    latin_surname: list[str]
    birth: date
    gender: str
    passport: str
    variants: dict[str, list[str]] = field(default_factory=dict)  # latin token -> spellings


@dataclass
class SynthSet:
    entries: list[WatchlistEntry]
    passengers: list[Traveller]
    labels: dict[str, tuple[str | None, str, tuple[str, ...]]]  # ref -> (entry id, kind, vars)
    scripts: dict[str, str] = field(default_factory=dict)  # ref -> script of the listed name

    def write(self, out: Path) -> dict[str, Path]:
        """watchlist.csv, manifest.csv and labels.csv in `out`."""
        out.mkdir(parents=True, exist_ok=True)
        paths = {n: out / f"{n}.csv" for n in ("watchlist", "manifest", "labels")}
        write_csv(self.entries, paths["watchlist"])
        write_manifest(self.passengers, paths["manifest"])
        with paths["labels"].open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["passenger_id", "watchlist_id", "kind", "variations", "script"])
            for ref, (eid, kind, variations) in self.labels.items():
                w.writerow([ref, eid or "", kind, "|".join(variations), self.scripts.get(ref, "")])
        return paths


def write_manifest(travellers: list[Traveller], path: Path) -> None:
    # The manifest CSV's own columns, less the ones the generator never fills.
    cols = [c for c in MANIFEST_COLUMNS if c not in ("name", "role")]
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(cols)
        for t in travellers:
            d = t.documents[0] if t.documents else Document("", "")
            w.writerow(
                [
                    t.ref,
                    t.surname,
                    t.given_names,
                    t.birth_date or "",
                    t.gender or "",
                    t.nationality or "",
                    d.kind,
                    d.number,
                    d.country or "",
                    t.flight or "",
                    t.origin or "",
                    t.destination or "",
                    t.departure or "",
                    t.arrival or "",
                ]
            )


@lru_cache(maxsize=64)
def _faker_pool(locale: str, kind: str, seed: int, size: int) -> tuple[str, ...]:
    fake = Faker(locale)
    fake.seed_instance(seed)
    make = {"male": fake.first_name_male, "female": fake.first_name_female, "last": fake.last_name}[
        kind
    ]
    names = dict.fromkeys(make() for _ in range(size * 3))
    return tuple(n for n in names if n.strip())[:size]


@lru_cache(maxsize=1)
def _romanised() -> dict[str, list[list[str]]]:
    data = json.loads(POOLS.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if isinstance(v, list)}


class PersonFactory:
    """Random people from the locale pools; pool_size bounds how varied the names are."""

    def __init__(self, seed: int, pool_size: int = 400) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.pool_size = pool_size
        self.weights = [w for _, _, w in LOCALES]

    def _latin(self, locale: str, tokens: list[str]) -> list[str]:
        if locale in ("ru_RU", "el_GR"):
            return [passport_latin(t) for t in tokens]
        if locale == "zh_CN":
            return ["".join(unidecode(c).strip() for c in t).upper() for t in tokens]
        return [unidecode(t).upper().replace("'", "") for t in tokens]

    def person(self, locale_index: int | None = None) -> Person:
        rng = self.rng
        i = (
            locale_index
            if locale_index is not None
            else rng.choices(range(len(LOCALES)), self.weights)[0]
        )
        locale, nat, _ = LOCALES[i]
        gender = rng.choice("MF")
        birth = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 62))
        passport = "".join(rng.choice("0123456789") for _ in range(9))
        if rng.random() < 0.4:
            passport = rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") + passport[1:]
        variants: dict[str, list[str]] = {}
        if locale in ("ar", "th"):
            pools = _romanised()
            pool = "arabic" if locale == "ar" else "thai"
            # Arabic: given name and often the father's; Thai: one given name, one surname.
            count = rng.choice((1, 1, 2)) if locale == "ar" else 1
            chosen = [rng.choice(pools[f"{pool}_given"]) for _ in range(count)]
            chosen.append(rng.choice(pools[f"{pool}_surname"]))
            latin = []
            for _written, *spellings in chosen:
                spelling = rng.choice(spellings)  # this person's passport spelling
                variants[spelling] = [s for s in spellings if s != spelling]
                latin.append(spelling)
            return Person(
                locale,
                nat,
                [c[0] for c in chosen[:-1]],
                [chosen[-1][0]],
                [t for s in latin[:-1] for t in s.split()],
                latin[-1].split(),
                birth,
                gender,
                passport,
                variants,
            )
        kind = "male" if gender == "M" else "female"
        firsts = _faker_pool(locale, kind, self.seed, self.pool_size)
        lasts = _faker_pool(locale, "last", self.seed, self.pool_size)
        given = [rng.choice(firsts)]
        if rng.random() < 0.3 and locale != "zh_CN":
            given.append(rng.choice(firsts))
        surname = [rng.choice(lasts)]
        if locale in ("es_ES", "pt_BR") and rng.random() < 0.6:
            surname.append(rng.choice(lasts))
        given = [t for g in given for t in g.split()]
        surname = [t for s in surname for t in s.split()]
        return Person(
            locale,
            nat,
            given,
            surname,
            self._latin(locale, given),
            self._latin(locale, surname),
            birth,
            gender,
            passport,
        )


def name_script(name: str) -> str:
    """Script group of a listed name for per-script figures: arabic, thai, cyrillic, greek,
    han or latin."""
    script = script_of(name)
    if script is not None:
        return script
    for c in name:
        if "\u0400" <= c <= "\u04ff":
            return "cyrillic"
        if "\u0370" <= c <= "\u03ff":
            return "greek"
        if "\u4e00" <= c <= "\u9fff":
            return "han"
    return "latin"


def _entry(p: Person, n: int, rng: random.Random) -> WatchlistEntry:
    native = p.locale in ("ru_RU", "el_GR", "zh_CN", "vi_VN")
    if p.locale in ("ar", "th"):  # listed in the script only; passports carry Latin
        name = " ".join(p.given + p.surname)
        aliases: tuple[str, ...] = ()
    elif p.locale == "zh_CN":
        name = "".join(p.surname) + "".join(p.given)
        aliases = ()
    elif native and rng.random() < 0.6:
        name = " ".join(p.given + p.surname)
        aliases = ()
    else:
        name = " ".join(w.title() for w in p.latin_given + p.latin_surname)
        aliases = (" ".join(p.given + p.surname),) if native else ()
    if p.locale == "zh_CN" and rng.random() < 0.5:
        aliases = (" ".join(p.latin_surname + p.latin_given).title(),)
    birth = p.birth.isoformat()
    r = rng.random()
    if r < 0.12:
        birth = birth[:4]
    elif r < 0.2:
        birth = birth[:7]
    return WatchlistEntry(
        id=f"W{n:06d}",
        name=name,
        aliases=aliases,
        birth_date=birth,
        nationality=p.nationality,
        document_numbers=(p.passport,) if rng.random() < 0.8 else (),
        source=rng.choice(SOURCES),
        notes="synthetic person",
        list_name="synthetic",
    )


def _typo(token: str, rng: random.Random) -> str:
    if len(token) < 4:
        return token
    i = rng.randrange(1, len(token) - 1)
    op = rng.choice(("sub", "del", "swap", "ins"))
    letters = "ABCDEFGHIJKLMNOPRSTUVWYZ"
    if op == "sub":
        return token[:i] + rng.choice(letters) + token[i + 1 :]
    if op == "del":
        return token[:i] + token[i + 1 :]
    if op == "ins":
        return token[:i] + rng.choice(letters) + token[i:]
    return token[:i] + token[i + 1] + token[i] + token[i + 2 :]


def _ocr(number: str, rng: random.Random) -> str:
    swaps = {"0": "O", "O": "0", "1": "I", "I": "1", "5": "S", "8": "B"}
    spots = [i for i, c in enumerate(number) if c in swaps]
    if not spots:
        return number
    i = rng.choice(spots)
    return number[:i] + swaps[number[i]] + number[i + 1 :]


def make_passenger(
    p: Person,
    entry: WatchlistEntry,
    variations: tuple[str, ...],
    ref: str,
    factory: PersonFactory,
) -> tuple[Traveller, tuple[str, ...]]:
    """The listed person as border data writes them, with the variations that applied."""
    rng = factory.rng
    given, surname = list(p.latin_given), list(p.latin_surname)
    birth = p.birth.isoformat()
    doc = entry.document_numbers[0] if entry.document_numbers else p.passport
    nationality: str | None = p.nationality
    applied: list[str] = []
    for v in variations:
        if v == "missing_middle" and len(given) > 1:
            given = given[:1]
        elif v == "extra_middle":
            given = [*given, factory.person().latin_given[0]]
        elif v == "initial" and given and len(given[0]) > 1:
            given = [given[0][0], *given[1:]]
        elif v == "compound_surname" and len(surname) > 1:
            surname = ["".join(surname)] if rng.random() < 0.5 else surname[:1]
        elif v == "compound_surname":
            continue
        elif v == "typo":
            toks = given + surname
            k = rng.randrange(len(toks))
            new = _typo(toks[k], rng)
            if new == toks[k]:
                continue
            if k < len(given):
                given[k] = new
            else:
                surname[k - len(given)] = new
        elif v == "day_month_swapped" and p.birth.day <= 12 and p.birth.day != p.birth.month:
            birth = f"{p.birth.year:04d}-{p.birth.day:02d}-{p.birth.month:02d}"
        elif v == "year_typo":
            birth = f"{p.birth.year + rng.choice((-1, 1)):04d}" + birth[4:]
        elif v == "passport_ocr" and doc != _ocr(doc, rng):
            doc = _ocr(doc, rng)
        elif v == "other_passport":
            doc = "".join(rng.choice("0123456789") for _ in range(9))
        elif v == "no_nationality":
            nationality = None
        elif v == "spelling_variant" and p.variants:
            choices = [(k, alts) for k, alts in p.variants.items() if alts]
            if not choices:
                continue
            key, alts = rng.choice(choices)
            joined = " ".join(given + surname).replace(key, rng.choice(alts))
            n = len(" ".join(given).split())
            toks = joined.split()
            given, surname = toks[:n], toks[n:]
        elif v in ("swapped_order", "partial_birth_date"):
            pass
        else:
            continue
        applied.append(v)
    if "partial_birth_date" in variations and len(entry.birth_date or "") == 10:
        applied.remove("partial_birth_date")
    elif "partial_birth_date" in variations:
        pass
    if "swapped_order" in applied:
        given, surname = surname, given
    return (
        Traveller(
            ref=ref,
            surname=" ".join(surname),
            given_names=" ".join(given),
            birth_date=birth,
            gender=p.gender,
            nationality=nationality,
            documents=(Document("P", doc, p.nationality),),
            flight="EG0101",
            origin="CDG",
            destination="BKK",
        ),
        tuple(applied),
    )


def generate(
    seed: int,
    entries: int = 1000,
    matches: int = 1000,
    innocents: int = 10000,
    pool_size: int = 400,
) -> SynthSet:
    """A labelled set: `matches` listed-person passengers, `innocents` others (half look-alikes)."""
    factory = PersonFactory(seed, pool_size)
    rng = factory.rng
    people = [factory.person() for _ in range(entries)]
    listed = [_entry(p, n, rng) for n, p in enumerate(people, start=1)]
    passengers: list[Traveller] = []
    labels: dict[str, tuple[str | None, str, tuple[str, ...]]] = {}
    scripts: dict[str, str] = {}
    for k in range(matches):
        idx = rng.randrange(entries)
        if k < len(VARIATIONS) * 4:
            chosen: tuple[str, ...] = (VARIATIONS[k % len(VARIATIONS)],)
        else:
            chosen = tuple(rng.sample(VARIATIONS, rng.choice((0, 1, 2, 2, 3))))
        if people[idx].locale in ("ar", "th") and rng.random() < 0.5:
            chosen = (*chosen, "spelling_variant")
        ref = f"P{k + 1:06d}"
        t, applied = make_passenger(
            people[idx], listed[idx], tuple(dict.fromkeys(chosen)), ref, factory
        )
        passengers.append(t)
        labels[ref] = (listed[idx].id, "listed", applied)
        scripts[ref] = name_script(listed[idx].name)
    for k in range(innocents):
        ref = f"I{k + 1:06d}"
        kind = rng.choice(("same_surname_same_year", "same_name_other_year", "random"))
        idx = rng.randrange(entries)
        base = people[idx]
        other = factory.person(locale_index=[loc for loc, _, _ in LOCALES].index(base.locale))
        if kind == "same_surname_same_year":
            other.latin_surname = list(base.latin_surname)
            other.birth = date(base.birth.year, rng.randint(1, 12), rng.randint(1, 28))
            same_given = other.latin_given == base.latin_given or other.given == base.given
            if same_given or other.birth == base.birth:
                other = factory.person()
                kind = "random"
        elif kind == "same_name_other_year":
            other.latin_given, other.latin_surname = (
                list(base.latin_given),
                list(base.latin_surname),
            )
            other.birth = date(
                base.birth.year + rng.choice((-9, -5, -3, 3, 6, 12)),
                rng.randint(1, 12),
                rng.randint(1, 28),
            )
            other.gender = base.gender
        t = Traveller(
            ref=ref,
            surname=" ".join(other.latin_surname),
            given_names=" ".join(other.latin_given),
            birth_date=other.birth.isoformat(),
            gender=other.gender,
            nationality=other.nationality,
            documents=(Document("P", other.passport, other.nationality),),
            flight="EG0101",
            origin="CDG",
            destination="BKK",
        )
        passengers.append(t)
        labels[ref] = (None, kind, ())
        scripts[ref] = name_script(listed[idx].name)
    order = list(range(len(passengers)))
    rng.shuffle(order)
    return SynthSet(listed, [passengers[i] for i in order], labels, scripts)


def plant_entries(
    travellers: list[Traveller], seed: int, per_source: int = 2, first_id: int = 900_001
) -> list[WatchlistEntry]:
    """Listed people made from real-looking travellers (e.g. the GTAS samples), written the way
    a registry would (title case, order swapped or year-only birth date), so a demo screening of
    those messages has hits to read."""
    rng = random.Random(seed)
    by_source: dict[str, list[Traveller]] = {}
    for t in travellers:
        if t.surname and t.birth_date:
            by_source.setdefault(t.ref.split(" ")[0], []).append(t)
    out: list[WatchlistEntry] = []
    for source in sorted(by_source):
        group = by_source[source]
        for t in rng.sample(group, min(per_source, len(group))):
            given = t.given_names.title()
            name = f"{t.surname.title()} {given}" if rng.random() < 0.5 else f"{given} {t.surname}"
            birth = t.birth_date if rng.random() < 0.7 else (t.birth_date or "")[:4]
            out.append(
                WatchlistEntry(
                    id=f"W{first_id + len(out):06d}",
                    name=name.strip(),
                    aliases=(),
                    birth_date=birth or None,
                    nationality=t.nationality,
                    document_numbers=tuple(d.number for d in t.documents[:1]),
                    source=rng.choice(SOURCES),
                    notes=f"synthetic listing planted from {source}",
                    list_name="synthetic",
                )
            )
    return out

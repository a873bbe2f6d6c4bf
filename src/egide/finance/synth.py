"""Labelled synthetic transactions in the canonical schema: planted live-streaming networks
among background activity and hard negatives that look alike. All people are invented.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from egide.finance.schema import COLUMNS, LABEL_COLUMNS
from egide.finance.synth_people import (
    CURRENCY,
    DEMAND,
    DEMAND_WEIGHTS,
    OFFSET,
    RISK,
    RISK_WEIGHTS,
    USD_VALUE,
    NameMaker,
    Person,
)

START = datetime(2026, 1, 1)
DAYS = 180
STREAM_REFS = (
    "school fees",
    "medical bills",
    "gift",
    "load",
    "pang load",
    "baon",
    "treat",
    "family support",
    "birthday",
    "tuition",
    "salamat",
    "pambili",
)
SEXTORTION_REFS = ("", "", "pay", "now", "sent", "please", "delete it", "last one")
DIASPORA_REFS = ("rent", "contribution", "school fees", "wedding", "for the shop", "", "")
FAMILY_REFS = ("family support", "allowance", "school fees", "monthly", "for mama", "bills", "")
BACKGROUND_MCC = (
    ("5411", "Grocery"),
    ("5812", "Restaurant"),
    ("5541", "Fuel"),
    ("5912", "Pharmacy"),
    ("5999", "Store"),
    ("4121", "Taxi"),
)


@dataclass
class Row:
    txn_id: str
    when: datetime  # sender-local wall clock
    sender: Person
    receiver: Person
    usd: float
    channel: str
    reference: str = ""
    mcc: str = ""
    merchant: str = ""
    suspicious: bool = False
    scenario: str = "background"

    def cells(self, rng: random.Random, round_it: bool) -> list[str]:
        cur = CURRENCY[self.sender.country]
        amount = self.usd / USD_VALUE[cur]
        if round_it:
            unit = 100 if cur in {"PHP", "THB", "MXN", "DOP"} else 10000 if cur == "COP" else 10
            amount = max(unit, round(amount / unit) * unit)
        ts = self.when.strftime("%Y-%m-%dT%H:%M:%S") + OFFSET[self.sender.country]
        s, r = self.sender, self.receiver
        return [
            self.txn_id,
            ts,
            s.account_id,
            s.name,
            s.country,
            s.kind,
            r.account_id,
            r.name,
            r.country,
            r.kind,
            f"{amount:.2f}",
            cur,
            self.channel,
            self.reference,
            self.mcc,
            self.merchant,
            "1" if self.suspicious else "0",
            self.scenario,
        ]


class Generator:
    """Builds every scenario from one seeded random stream."""

    def __init__(self, seed: int, accounts: int) -> None:
        self.rng = random.Random(seed)
        self.names = NameMaker(self.rng)
        self.n = max(accounts, 200)
        self.rows: list[Row] = []
        self.merchants: dict[str, list[Person]] = {}
        self.txn = 0

    # ---- helpers ----
    def add(self, **kw: object) -> None:
        self.txn += 1
        self.rows.append(Row(f"T{self.txn:09d}", **kw))  # type: ignore[arg-type]

    def day(self, lo: float = 0.0, hi: float = DAYS) -> datetime:
        return START + timedelta(days=self.rng.uniform(lo, hi))

    def at_hour(self, d: datetime, hours: tuple[int, ...]) -> datetime:
        return d.replace(
            hour=self.rng.choice(hours),
            minute=self.rng.randrange(60),
            second=self.rng.randrange(60),
        )

    def merchant(self, country: str, label: str) -> Person:
        pool = self.merchants.setdefault(f"{country}:{label}", [])
        if len(pool) < 5:
            pool.append(self.names.business(country, label))
        return self.rng.choice(pool)

    def demand_country(self) -> str:
        return self.rng.choices(DEMAND, DEMAND_WEIGHTS)[0]

    def risk_country(self) -> str:
        return self.rng.choices(RISK, RISK_WEIGHTS)[0]

    def background_spend(self, p: Person, count: int) -> None:
        for _ in range(count):
            mcc, label = self.rng.choice(BACKGROUND_MCC)
            when = self.at_hour(self.day(), tuple(range(7, 24)))
            self.add(
                when=when,
                sender=p,
                receiver=self.merchant(p.country, label),
                usd=round(self.rng.lognormvariate(3.3, 0.8), 2),
                channel="card",
                mcc=mcc,
                merchant=f"{label} {p.country}",
            )

    # ---- scenarios ----
    def background(self, count: int) -> None:
        people = [self.names.person(self.rng.choice(DEMAND + RISK)) for _ in range(count)]
        for p in people:
            self.background_spend(p, self.rng.randint(3, 12))
            for _ in range(self.rng.randint(0, 4)):
                friend = self.rng.choice(people)
                if friend.country != p.country or friend is p:
                    continue
                self.add(
                    when=self.at_hour(self.day(), tuple(range(24))),
                    sender=p,
                    receiver=friend,
                    usd=round(self.rng.uniform(5, 300), 2),
                    channel=self.rng.choice(("p2p", "bank_transfer")),
                    reference=self.rng.choice(("dinner", "rent", "thanks", "tickets", "")),
                )

    def overseas_workers(self, count: int) -> None:
        """Hard negative: regular monthly support to family, often same surname."""
        for _ in range(count):
            home = self.risk_country()
            fam = self.names.name(home).split()[-1]
            worker = self.names.person(self.demand_country(), surname=fam)
            worker = Person(worker.account_id, worker.name, worker.country)
            same = self.rng.random() < 0.75
            kin = [
                self.names.person(home, surname=fam if same else None)
                for _ in range(self.rng.choice((1, 1, 2)))
            ]
            pay_day = self.rng.randint(1, 27)
            usd = self.rng.uniform(60, 500)
            hours = tuple(range(24)) if self.rng.random() < 0.3 else tuple(range(8, 22))
            for month in range(6):
                for k in kin:
                    when = START + timedelta(days=30 * month + pay_day + self.rng.uniform(-2, 2))
                    self.add(
                        when=self.at_hour(when, hours),
                        sender=worker,
                        receiver=k,
                        usd=round(usd * self.rng.uniform(0.9, 1.1), 2),
                        channel=self.rng.choice(("remittance", "remittance", "bank_transfer")),
                        reference=self.rng.choice(FAMILY_REFS),
                        scenario="ofw_remittance",
                    )
            self.background_spend(worker, self.rng.randint(3, 10))

    def charity(self, count: int) -> None:
        charities = [self.names.business(self.risk_country(), "Foundation") for _ in range(3)]
        for _ in range(count):
            donor = self.names.person(self.demand_country())
            org = self.rng.choice(charities)
            for _ in range(self.rng.randint(1, 6)):
                self.add(
                    when=self.at_hour(self.day(), tuple(range(8, 23))),
                    sender=donor,
                    receiver=org,
                    usd=float(self.rng.choice((10, 20, 25, 50, 100))),
                    channel=self.rng.choice(("bank_transfer", "card", "p2p")),
                    reference="donation",
                    scenario="charity",
                )
            self.background_spend(donor, self.rng.randint(2, 8))

    def webcam_spenders(self, count: int) -> None:
        """Hard negative: adult webcam and VPN spending, no remittances."""
        for _ in range(count):
            p = self.names.person(self.demand_country())
            for _ in range(self.rng.randint(2, 10)):
                label, mcc = self.rng.choice(
                    (
                        ("LiveCamz webcam", "5967"),
                        ("SecureVPN", "4816"),
                        ("ChatNow adult chat", "5967"),
                    )
                )
                self.add(
                    when=self.at_hour(self.day(), (22, 23, 0, 1, 2)),
                    sender=p,
                    receiver=self.merchant("US", label),
                    usd=float(self.rng.choice((10, 20, 30))),
                    channel="card",
                    mcc=mcc,
                    merchant=label,
                    scenario="adult_webcam",
                )
            self.background_spend(p, self.rng.randint(3, 10))

    def tourists(self, count: int) -> None:
        for _ in range(count):
            p = self.names.person(self.demand_country())
            dest = self.risk_country()
            trip = self.day(10, 150)
            self.add(
                when=self.at_hour(trip - timedelta(days=30), tuple(range(9, 22))),
                sender=p,
                receiver=self.merchant(p.country, "Airlines"),
                usd=round(self.rng.uniform(600, 1500), 2),
                channel="card",
                mcc="4511",
                merchant="Airline tickets MNL",
                reference="flight",
                scenario="tourist",
            )
            for d in range(self.rng.randint(3, 12)):
                self.add(
                    when=self.at_hour(trip + timedelta(days=d), (12, 19, 21, 23, 0, 1)),
                    sender=p,
                    receiver=self.merchant(dest, "Bar"),
                    usd=round(self.rng.uniform(10, 120), 2),
                    channel="card",
                    mcc="5813",
                    merchant=f"Bar {dest}",
                    scenario="tourist",
                )
            self.background_spend(p, self.rng.randint(3, 8))

    def freelancers(self, count: int) -> None:
        """Hard negative: a worker abroad paid by many foreign clients, mostly firms."""
        for _ in range(count):
            worker = self.names.person(self.risk_country())
            clients = [self.names.business(self.demand_country(), "Ltd") for _ in range(4)]
            clients += [
                self.names.person(self.demand_country()) for _ in range(self.rng.randint(2, 7))
            ]
            for c in clients:
                for _ in range(self.rng.randint(1, 4)):
                    self.add(
                        when=self.at_hour(self.day(), tuple(range(9, 18))),
                        sender=c,
                        receiver=worker,
                        usd=round(self.rng.uniform(80, 900), 2),
                        channel=self.rng.choice(("bank_transfer", "p2p")),
                        reference=f"invoice {self.rng.randint(100, 999)}",
                        scenario="freelance",
                    )

    def gifts(self, count: int) -> None:
        """Hard negative: occasional gifts to a friend abroad with another surname."""
        for _ in range(count):
            p = self.names.person(self.demand_country())
            friend = self.names.person(self.risk_country(), female=True)
            for _ in range(self.rng.randint(1, 3)):
                self.add(
                    when=self.at_hour(self.day(), tuple(range(9, 22))),
                    sender=p,
                    receiver=friend,
                    usd=round(self.rng.uniform(40, 400), 2),
                    channel=self.rng.choice(("remittance", "bank_transfer")),
                    reference=self.rng.choice(("birthday gift", "gift", "christmas", "")),
                    scenario="gift",
                )
            self.background_spend(p, self.rng.randint(3, 8))

    def livestream_networks(self, buyers: int) -> None:
        """Planted: buyers paying 1-5 facilitators; facilitators paid by 5-50 buyers."""
        edges = [self.rng.choices((1, 2, 3, 4, 5), (40, 30, 15, 10, 5))[0] for _ in range(buyers)]
        n_fac = max(2, round(sum(edges) / 14))
        facs = [self.names.person(self.risk_country(), female=True) for _ in range(n_fac)]
        groups = [facs[i::3] or facs for i in range(3)]  # communities: buyers stay in one group
        for k in range(buyers):
            buyer = self.names.person(self.demand_country())
            group = groups[k % len(groups)]
            paid = self.rng.sample(group, min(edges[k], len(group)))
            self.buyer_sessions(buyer, paid)
            self.background_spend(buyer, self.rng.randint(3, 10))
            if self.rng.random() < 0.15:  # the same buyer splits payments over a second account
                alias = Person(self.names.next_id("A"), self.variant(buyer.name), buyer.country)
                self.buyer_sessions(alias, paid[:1], max_sessions=3)
        for f in facs:  # some facilitators also get ordinary family support
            if self.rng.random() < 0.3:
                kin = self.names.person(self.demand_country(), surname=f.surname)
                for month in range(6):
                    self.add(
                        when=START + timedelta(days=30 * month + 5, hours=12),
                        sender=kin,
                        receiver=f,
                        usd=200.0,
                        channel="remittance",
                        reference="family support",
                        scenario="ofw_remittance",
                    )

    def variant(self, name: str) -> str:
        """Another spelling of a name: one letter of the first name dropped or doubled."""
        first, _, rest = name.partition(" ")
        if len(first) < 4:
            return f"{first}{first[-1]} {rest}"
        k = self.rng.randrange(1, len(first) - 1)
        first = (
            first[:k] + first[k + 1 :]
            if self.rng.random() < 0.5
            else first[:k] + first[k] + first[k:]
        )
        return f"{first} {rest}"

    def buyer_sessions(self, buyer: Person, facs: list[Person], max_sessions: int = 14) -> None:
        rng = self.rng
        escalate = rng.random() < 0.6
        night = rng.random() < 0.75
        t = rng.uniform(0, 60)
        gap, usd = (
            (rng.uniform(8, 20), rng.uniform(12, 40))
            if escalate
            else (rng.uniform(3, 12), rng.uniform(20, 120))
        )
        sessions = rng.randint(min(4, max_sessions), max_sessions)
        refs = rng.random()
        channel = rng.choices(("remittance", "p2p", "bank_transfer", "crypto"), (55, 25, 10, 10))[0]
        round_it = rng.random() < 0.6
        for _ in range(sessions):
            if t > DAYS:
                break
            hours = (22, 23, 0, 1, 2, 3) if night and rng.random() < 0.85 else tuple(range(24))
            fac = rng.choice(facs)
            ref = (
                rng.choice(STREAM_REFS)
                if refs < 0.5
                else f"@{fac.name.split()[0].lower()}{rng.randint(1, 99)}"
                if refs < 0.6
                else ""
            )
            amount = usd * rng.uniform(0.8, 1.2)
            if round_it:
                amount = round(amount / 10) * 10 or 10.0
            self.add(
                when=self.at_hour(START + timedelta(days=t), hours),
                sender=buyer,
                receiver=fac,
                usd=round(amount, 2),
                channel=channel,
                reference=ref,
                suspicious=True,
                scenario="livestream",
            )
            t += gap * rng.uniform(0.7, 1.3)
            if escalate:
                gap, usd = max(1.0, gap * 0.8), min(300.0, usd * 1.2)
        if rng.random() < 0.4:
            label, mcc = rng.choice(
                (
                    ("SecureVPN", "4816"),
                    ("LiveCamz webcam", "5967"),
                    ("ScreenRec screen capture", "5817"),
                )
            )
            self.add(
                when=self.at_hour(self.day(), (22, 23, 0)),
                sender=buyer,
                receiver=self.merchant("US", label),
                usd=float(rng.choice((10, 13, 60))),
                channel="card",
                mcc=mcc,
                merchant=label,
                suspicious=True,
                scenario="livestream_purchase",
            )
        if rng.random() < 0.1:
            self.add(
                when=self.at_hour(self.day(120, 170), tuple(range(9, 22))),
                sender=buyer,
                receiver=self.merchant(buyer.country, "Airlines"),
                usd=round(rng.uniform(700, 1600), 2),
                channel="card",
                mcc="4511",
                merchant="Airline tickets MNL",
                reference="flight",
                suspicious=True,
                scenario="livestream_purchase",
            )

    def sextortion(self, victims: int) -> None:
        """Separate variant: victims pay an extortioner up to ~1,500, first < 250, then stop."""
        offenders = [
            self.names.person(self.rng.choice(("NG", "PH"))) for _ in range(max(1, victims // 8))
        ]
        for _ in range(victims):
            v = self.names.person(self.demand_country())
            off = self.rng.choice(offenders)
            t = self.day(0, 170)
            for i in range(self.rng.randint(1, 4)):
                usd = self.rng.uniform(50, 250) if i == 0 else self.rng.uniform(100, 500)
                self.add(
                    when=self.at_hour(t + timedelta(hours=6 * i), tuple(range(24))),
                    sender=v,
                    receiver=off,
                    usd=round(usd, 2),
                    channel=self.rng.choice(("p2p", "crypto")),
                    reference=self.rng.choice(SEXTORTION_REFS),
                    suspicious=True,
                    scenario="sextortion",
                )

    def diaspora(self, count: int) -> None:
        """Hard negative for sextortion: Nigerians abroad paying family and friends at home.

        Family support is monthly and shares the surname; friends get one to three payments,
        some by P2P app, weeks apart; a single P2P payment to a friend looks like a victim's.
        """
        for _ in range(count):
            fam = self.names.name("NG").split()[-1]
            p = self.names.person(self.rng.choice(("US", "GB", "CA")), surname=fam)
            kin = self.names.person("NG", surname=fam)
            usd, pay_day = self.rng.uniform(80, 400), self.rng.randint(1, 27)
            for month in range(6):
                self.add(
                    when=self.at_hour(
                        START + timedelta(days=30 * month + pay_day), tuple(range(8, 22))
                    ),
                    sender=p,
                    receiver=kin,
                    usd=round(usd * self.rng.uniform(0.9, 1.1), 2),
                    channel=self.rng.choice(("remittance", "bank_transfer")),
                    reference=self.rng.choice(FAMILY_REFS),
                    scenario="diaspora",
                )
            friend = self.names.person("NG")
            t = self.day(0, 60)
            channel = "p2p" if self.rng.random() < 0.4 else "remittance"
            for _ in range(self.rng.randint(1, 3)):
                self.add(
                    when=self.at_hour(t, tuple(range(8, 23))),
                    sender=p,
                    receiver=friend,
                    usd=round(self.rng.uniform(40, 300), 2),
                    channel=channel,
                    reference=self.rng.choice(DIASPORA_REFS),
                    scenario="diaspora",
                )
                t += timedelta(days=self.rng.uniform(20, 50))
            self.background_spend(p, self.rng.randint(3, 8))

    def build(self) -> list[Row]:
        n = self.n
        self.background(int(n * 0.55))
        self.overseas_workers(int(n * 0.10))
        self.charity(int(n * 0.03))
        self.webcam_spenders(int(n * 0.03))
        self.tourists(int(n * 0.03))
        self.freelancers(max(2, int(n * 0.01)))
        self.gifts(int(n * 0.04))
        self.livestream_networks(max(10, int(n * 0.05)))
        self.sextortion(max(4, int(n * 0.01)))
        self.diaspora(max(4, int(n * 0.02)))  # after the others: their rows stay the same
        self.rows.sort(key=lambda r: r.when - timedelta(hours=_hours(OFFSET[r.sender.country])))
        return self.rows


def _hours(offset: str) -> float:
    sign = -1 if offset[0] == "-" else 1
    return sign * (int(offset[1:3]) + int(offset[4:6]) / 60)


def generate(seed: int, accounts: int) -> Iterator[list[str]]:
    """Rows of cells (canonical columns then labels), in UTC time order."""
    gen = Generator(seed, accounts)
    rng = random.Random(seed + 1)
    for row in gen.build():
        yield row.cells(rng, round_it=row.channel != "card" and row.usd == round(row.usd))


def write_synthetic(out_dir: Path, seed: int, accounts: int) -> Path:
    """Write ``transactions.csv`` into ``out_dir``; returns its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "transactions.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([*COLUMNS, *LABEL_COLUMNS])
        writer.writerows(generate(seed, accounts))
    return path

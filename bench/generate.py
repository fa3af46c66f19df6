"""Load a province-scale Ruam instance into an empty database with bulk inserts (not a test).

    .venv/bin/python bench/generate.py --database-url URL [--scale 1.0] [--seed 1]

Scale 1 is 5,000 participants, 5,000 proposals, 200,000 comments, 500,000 supports, 1,000
commitments with milestones and progress, the ballots that decided them (1,170: a commitment
needs an adopted decision of its own, so there are more than the 200 the issue asks for) with
their roll-calls, 50,000 accountability-log entries, a year of hourly PM2.5 for 10 stations
(87,600 readings) and 100,000 fire hotspots. Every count is multiplied by the scale, with small
minimums so that a tiny instance still has one of everything; `plan(scale)` says how many.

The database must be empty; the schema is made first by the migrations (flask db upgrade).
Rows go in by the thousand, never through the ORM one object at a time: SQLAlchemy Core
executemany for the small tables; for the big ones COPY on PostgreSQL (their secondary indexes
and foreign keys set aside and made again from the catalogue's own definitions) and the
driver's executemany on SQLite (one transaction, the journal in memory, FTS5 built once). It
prints, per part, the rows written, the seconds and this process's CPU seconds.

What the services keep consistent is kept consistent here: support and comment counts are
recounted by the statements the services use, decisions count their votes, commitments carry
their last progress and their milestones' roll-up, the log is one valid SHA-256 hash chain of
exactly the planned length (`flask verify-log` passes) and the search index holds what its
rebuild would write. People are invented; they all share one password, BENCH_PASSWORD.

Ids are predictable: proposal 1 is the oldest and has 500 comments (times the scale); it was
adopted by ballot 1 (decision 1, with its roll-call) and became commitment 1, the one with the
longest progress timeline. `PAGES` lists the addresses a load run requests. The same seed and
`now` give the same rows.
"""

from __future__ import annotations

import argparse
import hashlib
import heapq
import math
import operator
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from fractions import Fraction
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import flask_migrate
import sqlalchemy as sa

from participation import create_app
from participation.accountability.models import GENESIS_HASH, LogEntry
from participation.accountability.services import canonical_payload, chain_hash, stored_data
from participation.accounts.models import Organisation, Sector, User
from participation.answers.models import Answer
from participation.comments.models import Comment, CommentRevision
from participation.commitments.models import (
    Commitment,
    Completion,
    Milestone,
    ProgressUpdate,
    commitment_supporters,
)
from participation.commitments.tracking import COMPLETION_SHARE, as_percent
from participation.core.models import UTCDateTime, json_text, utcnow
from participation.core.security import hash_password
from participation.decisions.models import Decision
from participation.demo import content as demo
from participation.environment import synthetic
from participation.environment.geo import DistrictLocator, point_in_ring, read_districts
from participation.environment.models import DataImport, District, Hotspot, Reading, Station
from participation.extensions import db
from participation.groups.models import Seat, WorkingGroup
from participation.privacy.notices import current_notice_version
from participation.proposals.models import Category, Proposal, ProposalRevision, Support
from participation.search import index as search_index
from participation.search import text as search_text
from participation.search.models import DocumentKind, SearchDocument
from participation.votes.models import Ballot, Vote

BENCH_PASSWORD = "ruam-bench-2569"
EMAIL_DOMAIN = "bench.ruam.example"
CHUNK = 5_000
PER_PAGE = 20  # the default PER_PAGE setting, for the deep page's number
SEARCH_QUERY = "ไฟป่า"  # forest fire: in many titles, bodies and comments
FTS_TRIGGER = "search_documents_ai"  # SQLite: copies each new search document into FTS5

# Scale 1 (the figures).
PARTICIPANTS = 5_000
PROPOSALS = 5_000
COMMENTS = 200_000
SUPPORTS = 500_000
COMMITMENTS = 1_000
LOG_ENTRIES = 50_000
STATIONS = 10
HOURS = 365 * 24
HOTSPOTS = 100_000
GROUPS = 5
FIRST_PROPOSAL_COMMENTS = 500
# At least this many people, whatever the scale: a group's seats and deputies, the agency
# contacts, and enough supporters for the smallest instances.
MIN_PARTICIPANTS = 120


# The plan: how many of everything ----------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """The counts of one instance; `log_entries` is the least the log will hold (the events
    of a tiny instance may already make more)."""

    scale: float
    participants: int
    groups: int
    proposals: int
    first_proposal_comments: int
    comments: int
    supports: int
    commitments: int
    adopted_waiting: int  # adopted, no commitment yet
    rejected: int
    no_quorum: int
    open_ballots: int
    waiting: int  # under consideration, no ballot yet
    withdrawn: int
    merged: int
    drafts: int
    log_entries: int
    stations: int
    hours: int
    hotspots: int

    @property
    def ballots(self) -> int:
        return (self.commitments + self.adopted_waiting + self.rejected + self.no_quorum
                + self.open_ballots)

    @property
    def readings(self) -> int:
        return self.stations * self.hours

    @property
    def listed_proposals(self) -> int:
        """The proposals the public list shows (all but drafts)."""
        return self.proposals - self.drafts


def _scaled(value: int, scale: float, minimum: int = 1) -> int:
    return max(minimum, round(value * scale))


def plan(scale: float = 1.0) -> Plan:
    """The counts of an instance at this scale."""
    if not 0 < scale <= 100:
        raise ValueError("the scale must be above 0 and at most 100")
    proposals = _scaled(PROPOSALS, scale, 4)
    commitments = min(_scaled(COMMITMENTS, scale), max(1, proposals // 5))
    participants = max(_scaled(PARTICIPANTS, scale), MIN_PARTICIPANTS)
    comments = _scaled(COMMENTS, scale)
    drafts = round(proposals * 0.02)
    return Plan(
        scale=scale,
        participants=participants,
        groups=_scaled(GROUPS, scale),
        proposals=proposals,
        first_proposal_comments=min(_scaled(FIRST_PROPOSAL_COMMENTS, scale), comments),
        comments=comments,
        # Nobody supports their own proposal, nor twice.
        supports=min(_scaled(SUPPORTS, scale), (proposals - drafts) * (participants - 1)),
        commitments=commitments,
        adopted_waiting=round(commitments * 0.02),
        rejected=round(commitments * 0.10),
        no_quorum=round(commitments * 0.03),
        open_ballots=max(1, round(commitments * 0.02)),
        waiting=round(proposals * 0.03),
        withdrawn=round(proposals * 0.02),
        merged=round(proposals * 0.01),
        drafts=drafts,
        log_entries=_scaled(LOG_ENTRIES, scale),
        stations=STATIONS,
        hours=_scaled(HOURS, scale, 24),
        hotspots=_scaled(HOTSPOTS, scale),
    )


def pages(scale: float = 1.0) -> list[tuple[str, str]]:
    """The (name, path) of each page a load run requests on an instance of this scale."""
    last = max(1, math.ceil(plan(scale).listed_proposals / PER_PAGE))
    return [
        ("home", "/"),
        ("proposals", "/proposals"),
        ("proposals deep page", f"/proposals?page={max(1, last - 1)}"),
        ("proposal with 500 comments", "/proposals/1"),
        ("decision with roll-call", "/decisions/1"),
        ("commitment timeline", "/commitments/1"),
        ("log", "/log"),
        ("API list", "/api/v1/proposals"),
        ("search", f"/search?q={quote(SEARCH_QUERY)}"),
    ]


PAGES = pages()


# What people write (invented; about the haze season in Lampang) ----------------------------

TITLE_ACTIONS = (
    "จัดตั้ง", "เพิ่ม", "สนับสนุน", "ขยาย", "ปรับปรุง", "เร่งรัด", "ทบทวน", "เปิดเผย", "พัฒนา",
    "จัดหา", "ฝึกอบรม", "ส่งเสริม", "ติดตั้ง", "ประเมินผล",
)
TITLE_OBJECTS = (
    "จุดเฝ้าระวังไฟป่า", "แนวกันไฟ", "เครื่องวัดฝุ่น PM2.5", "ระบบแจ้งเตือนค่าฝุ่นล่วงหน้า",
    "ห้องเรียนปลอดฝุ่น", "อาสาสมัครดับไฟป่า", "การจัดการเชื้อเพลิงในป่า", "ข้อมูลจุดความร้อน",
    "แอปพลิเคชันขออนุญาตเผา", "ป่าชุมชน", "ทางเลือกแทนการเผาตอซัง", "หน้ากากอนามัย N95",
    "คลินิกมลพิษทางอากาศ", "ข้อมูลเปิดคุณภาพอากาศ", "งบประมาณควบคุมไฟป่าของท้องถิ่น",
    "การรับซื้อเศษวัสดุการเกษตร", "หอเฝ้าระวังไฟ", "ธนาคารอาหารชุมชน", "การปลูกป่าทดแทน",
    "เครือข่ายเฝ้าระวังหมอกควัน",
)
TITLE_PLACES = (
    "ทั้งจังหวัด", "ในเขตเมือง", "บนพื้นที่สูง", "ในโรงเรียน", "ในหมู่บ้านรอบป่า", "ริมทางหลวง",
    "ในเขตป่าสงวน", "ในตำบลที่เกิดไฟซ้ำ", "for the whole province", "near schools",
)
SENTENCES = (
    "ช่วงเดือนมีนาคมค่าฝุ่น PM2.5 ในหมู่บ้านของเราสูงเกินมาตรฐานเกือบทุกวัน",
    "ควรเพิ่มจุดเฝ้าระวังไฟป่าบริเวณเชิงดอยและจัดเวรยามร่วมกับชุมชน",
    "ขอให้หน่วยงานเผยแพร่ข้อมูลจุดความร้อนจากดาวเทียมทุกเช้าในกลุ่มไลน์ของตำบล",
    "เกษตรกรต้องการทางเลือกแทนการเผาตอซังข้าวโพด เช่น เครื่องอัดฟางหรือการรับซื้อเศษวัสดุ",
    "โรงเรียนควรมีห้องเรียนปลอดฝุ่นและเครื่องฟอกอากาศสำหรับเด็กเล็ก",
    "อาสาสมัครดับไฟป่ายังขาดอุปกรณ์ป้องกันตัว ทั้งหน้ากากและรองเท้า",
    "แนวกันไฟควรทำให้เสร็จก่อนสิ้นเดือนมกราคมของทุกปี",
    "การประกาศห้ามเผาต้องมาพร้อมกับช่องทางขออนุญาตเผาที่ใช้งานง่าย",
    "อยากให้มีการรายงานความคืบหน้าทุกเดือนให้ประชาชนตรวจสอบได้",
    "เห็นด้วยกับข้อเสนอนี้ แต่ควรกำหนดงบประมาณและผู้รับผิดชอบให้ชัดเจน",
    "ไม่เห็นด้วย เพราะพื้นที่สูงเข้าถึงยากและต้นทุนการดูแลสูงเกินไป",
    "ควรใช้ข้อมูลจากสถานีตรวจวัดคุณภาพอากาศร่วมกับเซนเซอร์ราคาประหยัดในชุมชน",
    "องค์กรปกครองส่วนท้องถิ่นควรได้รับงบประมาณควบคุมไฟป่าโดยตรง",
    "ผู้ป่วยโรคทางเดินหายใจในอำเภอเพิ่มขึ้นชัดเจนในช่วงฤดูหมอกควัน",
    "ขอบคุณคณะทำงานที่เปิดให้ประชาชนร่วมแสดงความคิดเห็น",
    "ควรจัดประชุมรับฟังความคิดเห็นในหมู่บ้านก่อนตัดสินใจ",
    "ป่าชุมชนหลายแห่งมีคณะกรรมการที่เข้มแข็ง ควรสนับสนุนให้ดูแลพื้นที่เอง",
    "ระบบแจ้งเตือนล่วงหน้าสามวันจะช่วยให้ผู้ปกครองวางแผนได้",
    "ข้อมูลเปิดควรดาวน์โหลดได้ในรูปแบบ CSV และมีคำอธิบายที่เข้าใจง่าย",
    "ควรประสานกับจังหวัดข้างเคียงเพราะหมอกควันไม่มีพรมแดน",
    "ไฟป่าปีนี้เริ่มเร็วกว่าปีก่อนเกือบสองสัปดาห์",
    "ชาวบ้านช่วยกันดับไฟป่าตลอดคืนแต่ไม่มีรถน้ำเข้าถึง",
    "ควรมีค่าตอบแทนสำหรับอาสาสมัครที่ออกลาดตระเวนในช่วงวิกฤต",
    "หน่วยงานควรตอบข้อเสนอภายในสามสิบวันตามที่กำหนด",
    "ขอให้แสดงผลการลงมติของแต่ละภาคส่วนบนเว็บไซต์",
    "พื้นที่เผาไหม้ซ้ำซากควรได้รับการฟื้นฟูด้วยไม้ท้องถิ่น",
    "เด็กนักเรียนหลายคนต้องหยุดเรียนเพราะค่าฝุ่นสูง",
    "การเผาในที่โล่งริมทางยังเกิดขึ้นทุกวัน",
    "Please publish the hotspot data every morning so villages can plan patrols.",
    "The burn-permit app should also work offline in the hills.",
    "Clean air in schools first: the children cannot wait for next season.",
    "I support this, but the budget must be shown line by line.",
)
STANCES = ("for", "for", "for", "against", "neutral", None)
ANSWERS = (
    "คณะทำงานรับข้อเสนอไว้พิจารณาและจะนำเข้าวาระการประชุมครั้งถัดไป",
    "ข้อเสนอนี้ซ้ำกับแผนงานที่มีอยู่แล้ว จึงไม่รับไว้พิจารณา โดยมีเหตุผลตามที่แจ้ง",
    "ส่งต่อให้หน่วยงานที่รับผิดชอบโดยตรงพิจารณาและตอบกลับภายในสามสิบวัน",
    "รับไว้พิจารณาร่วมกับข้อเสนออื่นในหมวดเดียวกัน",
)
RESOLUTIONS = (
    "ที่ประชุมมีมติเห็นชอบตามข้อเสนอ และมอบหมายหน่วยงานหลักจัดทำแผนดำเนินงานภายในสามสิบวัน",
    "ที่ประชุมมีมติไม่เห็นชอบ เนื่องจากซ้ำซ้อนกับมาตรการที่ดำเนินการอยู่แล้ว",
    "ที่ประชุมเห็นชอบในหลักการ โดยให้รายงานความคืบหน้าทุกเดือน",
)
COMMITMENT_TEXT = (
    "หน่วยงานหลักจะดำเนินการร่วมกับองค์กรปกครองส่วนท้องถิ่นและเครือข่ายอาสาสมัครในพื้นที่",
    "ความคืบหน้าจะรายงานทุกเดือนพร้อมหลักฐานที่ตรวจสอบได้",
    "งบประมาณมาจากแผนปฏิบัติการป้องกันและแก้ไขปัญหาไฟป่าและหมอกควันของจังหวัด",
    "มีตัวชี้วัดคือจำนวนจุดความร้อนและจำนวนวันที่ค่าฝุ่นเกินมาตรฐาน",
)
MILESTONES = (
    "สำรวจพื้นที่และจัดทำแผน", "จัดซื้อจัดจ้าง", "ฝึกอบรมอาสาสมัคร", "ดำเนินการในพื้นที่นำร่อง",
    "ขยายผลทั้งจังหวัด", "ประเมินผลและรายงานต่อสาธารณะ",
)
PROGRESS_NOTES = (
    "ดำเนินการตามแผนงาน ประชุมร่วมกับผู้นำชุมชนแล้ว",
    "จัดซื้ออุปกรณ์ครบตามรายการ อยู่ระหว่างส่งมอบให้พื้นที่",
    "ฝึกอบรมอาสาสมัครแล้ว ผู้เข้าร่วมจากหลายตำบล",
    "ลงพื้นที่ตรวจติดตามร่วมกับภาคประชาสังคม",
    "รายงานผลต่อคณะทำงานในการประชุมประจำเดือน",
)
DELAY_REASONS = (
    "งบประมาณได้รับการอนุมัติล่าช้ากว่ากำหนด",
    "สภาพอากาศและไฟป่าทำให้ต้องเลื่อนการลงพื้นที่",
)
NAME_TITLES = ("นาย", "นาง", "นางสาว")
FIRST_HEADS = ("สม", "วรา", "กิตติ", "ณัฐ", "ศิริ", "พิม", "อนุ", "ธนา", "ปิย", "รัตน", "สุ",
               "จันทร์", "ชัย", "ประ", "อรุณ", "วิไล", "ทอง", "บุญ", "แสง", "นภา", "กมล", "เพ็ญ")
FIRST_TAILS = ("ชาย", "พร", "ศักดิ์", "วดี", "พงษ์", "ชนก", "ภัทร", "รัตน์", "มณี", "วรรณ",
               "กานต์", "เดช", "ลักษณ์", "ทิพย์", "ศรี", "นันท์")
LAST_HEADS = ("แก้ว", "ทอง", "ศรี", "บุญ", "คำ", "วงศ์", "ใจ", "อินทร์", "จันทร์", "แสน", "ปัญ",
              "สุข", "มั่น", "เรือง")
LAST_TAILS = ("มูล", "ประเสริฐ", "วิชัย", "ญา", "เรือน", "ดี", "สม", "วงค์", "ทา", "หล้า",
              "เที่ยง", "กุล", "คง", "แปง")
# The seats of every working group: role, sector, voting.
SEATS = (
    ("chair", Sector.GOVERNMENT, True),
    ("vice_chair", Sector.GOVERNMENT, True),
    *[("member", Sector.GOVERNMENT, True)] * 7,
    *[("member", Sector.CIVIL_SOCIETY, True)] * 3,
    ("member", Sector.PRIVATE, True),
    ("member", Sector.ACADEMIA, True),
    ("member", Sector.CITIZEN, True),
    ("secretary", Sector.GOVERNMENT, False),
    ("assistant_secretary", Sector.GOVERNMENT, False),
)
DEPUTISED_SEATS = (2, 3, 4, 5)  # the first four government members have a deputy
VOTING_SEATS = sum(1 for _role, _sector, voting in SEATS if voting)
QUORUM = VOTING_SEATS // 2 + 1  # the default quorum: more than half the voting seats
# Invented stations beside the four of the synthetic samples.
MORE_STATIONS = (
    ("b41", "สถานีเกาะคา", "Ko Kha", 18.19, 99.39),
    ("b42", "สถานีเถิน", "Thoen", 17.62, 99.22),
    ("b43", "สถานีงาว", "Ngao", 18.75, 99.98),
    ("b44", "สถานีแจ้ห่ม", "Chae Hom", 18.71, 99.57),
    ("b45", "สถานีวังเหนือ", "Wang Nuea", 19.15, 99.62),
    ("b46", "สถานีเสริมงาม", "Soem Ngam", 18.08, 99.24),
)


# Building blocks -----------------------------------------------------------------------------


@cache
def _password_hash() -> str:
    """Everyone's password hash, computed once (argon2 is slow on purpose)."""
    return hash_password(BENCH_PASSWORD)


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A moment between start and end (end when the span is empty)."""
    seconds = (end - start).total_seconds()
    return end if seconds <= 0 else start + timedelta(seconds=rng.uniform(0, seconds))


def _days(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(days=rng.uniform(low, high))


def allocate(total: int, weights: Sequence[float], caps: Sequence[int] | None = None) -> list[int]:
    """Split `total` into whole shares in proportion to the weights, none above its cap."""
    counts = [0] * len(weights)
    remaining = total
    active = [i for i, weight in enumerate(weights) if weight > 0 and (caps is None or caps[i])]
    while remaining and active:
        weight_sum = sum(weights[i] for i in active)
        shares = {i: remaining * weights[i] / weight_sum for i in active}
        given = 0
        for i in active:
            add = int(shares[i])
            if caps is not None:
                add = min(add, caps[i] - counts[i])
            counts[i] += add
            given += add
        remaining -= given
        if not given:
            for i in sorted(active, key=lambda i: shares[i] - int(shares[i]), reverse=True):
                if not remaining:
                    break
                if caps is None or counts[i] < caps[i]:
                    counts[i] += 1
                    remaining -= 1
        active = [i for i in active if caps is None or counts[i] < caps[i]]
    if remaining:
        raise ValueError(f"cannot place {remaining} of {total} within the caps")
    return counts


class Terms:
    """The search index's words of a text, segmented once per distinct line or phrase.

    The generated texts are phrases joined by spaces or new lines; a Thai run never crosses
    white space, so the index words of the whole text are those of its parts in order."""

    def __init__(self) -> None:
        self._cache: dict[str, str] = {}

    def of_parts(self, parts: Iterable[str]) -> str:
        words = []
        for part in parts:
            terms = self._cache.get(part)
            if terms is None:
                terms = self._cache[part] = search_text.index_terms(part)
            if terms:
                words.append(terms)
        return " ".join(words)


@dataclass
class Text:
    """A generated text and the phrases it was joined from (for the index words)."""

    parts: tuple[str, ...]
    separator: str = " "

    def __str__(self) -> str:
        return self.separator.join(self.parts)


@dataclass
class Event:
    """One accountability-log entry before it has its place in the chain."""

    at: datetime
    order: int
    actor_id: int | None
    verb: str
    subject_type: str
    subject_id: int
    data: dict[str, Any]


@dataclass
class Part:
    """What one part of the load wrote and how long it took."""

    name: str
    rows: int = 0
    seconds: float = 0.0
    cpu: float = 0.0  # of this process (the database's work too on SQLite)


@dataclass
class Report:
    parts: list[Part] = field(default_factory=list)
    tables: dict[str, int] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return sum(part.seconds for part in self.parts)


# The writer ---------------------------------------------------------------------------------


class Writer:
    """Insert rows in chunks. Small tables go through SQLAlchemy Core (executemany); the big
    ones (`bulk=True`) skip its statement machinery: COPY on PostgreSQL, the driver's own
    executemany on SQLite, with each value converted by its column type's bind processor,
    so the stored values are exactly those SQLAlchemy would store."""

    def __init__(self, connection: sa.Connection, report: Report) -> None:
        self.connection = connection
        self.report = report
        self.dialect = connection.dialect
        self.raw = connection.connection.driver_connection

    def insert(self, table: sa.Table, rows: Iterable[dict[str, Any]], *, bulk: bool = False) -> int:
        """Insert the rows (dicts of column values, all with the same keys); return how many."""
        if bulk and self.dialect.name == "postgresql":
            with self.without_secondary(table.name):
                count = self._copy(table, rows)
        elif bulk:
            count = self._executemany(table, rows)
        else:
            count = 0
            for chunk in _chunks(rows, CHUNK):
                self.connection.execute(table.insert(), chunk)
                count += len(chunk)
        self.report.tables[table.name] = self.report.tables.get(table.name, 0) + count
        return count

    @contextmanager
    def without_secondary(self, table_name: str) -> Iterator[None]:
        """PostgreSQL: set the table's foreign keys and its indexes other than its primary key
        and unique constraints aside while it is filled, and make them again from their own
        definitions in the catalogue afterwards: building an index once and checking a
        foreign key in one join is far quicker than row by row (the PostgreSQL manual's advice
        for populating a database)."""
        raw = self.raw
        indexes = raw.execute(
            "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
            (f'"{table_name}"',),
        ).fetchall()
        foreign_keys = raw.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
            (f'"{table_name}"',),
        ).fetchall()
        for name, _definition in foreign_keys:
            raw.execute(f'ALTER TABLE "{table_name}" DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            raw.execute(f'DROP INDEX "{name}"')
        yield
        for _name, definition in indexes:
            raw.execute(definition)
        for name, definition in foreign_keys:
            raw.execute(f'ALTER TABLE "{table_name}" ADD CONSTRAINT "{name}" {definition}')

    def _converters(self, table: sa.Table, names: list[str]) -> list[tuple[int, Callable]]:
        """(position, conversion) of the columns whose values need converting."""
        converters = []
        for position, name in enumerate(names):
            column_type = table.c[name].type
            processor = column_type.dialect_impl(self.dialect).bind_processor(self.dialect)
            if processor is None:
                continue
            if isinstance(column_type, UTCDateTime) and _same_text(processor):
                processor = _sqlite_moment  # the same text, ten times faster
            converters.append((position, processor))
        return converters

    def _executemany(self, table: sa.Table, rows: Iterable[dict[str, Any]]) -> int:
        iterator = iter(rows)
        first = next(iterator, None)
        if first is None:
            return 0
        names = list(first)
        converters = self._converters(table, names)
        columns = ", ".join(f'"{name}"' for name in names)
        marks = ", ".join("?" for _ in names)
        statement = f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})'
        values = operator.itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)

        def convert(row: dict[str, Any]) -> list[Any]:
            converted = list(values(row))
            for position, conversion in converters:
                converted[position] = conversion(converted[position])
            return converted

        cursor = self.raw.cursor()
        count = 0
        try:
            for chunk in _chunks(_chain_first(first, iterator), CHUNK):
                cursor.executemany(statement, [convert(row) for row in chunk])
                count += len(chunk)
        finally:
            cursor.close()
        return count

    def _copy(self, table: sa.Table, rows: Iterable[dict[str, Any]]) -> int:
        """COPY FROM STDIN on the connection's own psycopg connection, in its transaction."""
        iterator = iter(rows)
        first = next(iterator, None)
        if first is None:
            return 0
        names = list(first)
        json_columns = {i for i, name in enumerate(names) if isinstance(table.c[name].type, sa.JSON)}
        columns = ", ".join(f'"{name}"' for name in names)
        count = 0
        with self.raw.cursor() as cursor, cursor.copy(
            f'COPY "{table.name}" ({columns}) FROM STDIN'
        ) as out:
            for row in _chain_first(first, iterator):
                values = [row[name] for name in names]
                for i in json_columns:
                    values[i] = json_text(values[i])
                out.write_row(values)
                count += 1
        return count


def _sqlite_moment(value: datetime | None) -> str | None:
    """A UTC moment as SQLAlchemy stores it in SQLite (naive UTC text, with microseconds)."""
    return None if value is None else value.astimezone(UTC).isoformat(" ", "microseconds")[:26]


def _same_text(processor: Callable[[Any], Any]) -> bool:
    """True when SQLAlchemy's conversion gives _sqlite_moment's text for sample moments."""
    samples = (datetime(2026, 1, 2, 3, 4, 5, 6, UTC), datetime(2025, 12, 31, 23, 59, 59, 0, UTC),
               datetime(2026, 6, 1, 7, 0, tzinfo=ZoneInfo("Asia/Bangkok")))
    return all(processor(sample) == _sqlite_moment(sample) for sample in samples)


def _chain_first(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest


def _chunks(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# The instance ---------------------------------------------------------------------------------


@dataclass
class ProposalPlan:
    """One proposal's life: when it opened and how it ended."""

    id: int
    created_at: datetime
    group_id: int
    category_id: int
    author_id: int
    title: Text
    body: Text
    role: str = "open"  # open, draft, withdrawn, merged, waiting, or a ballot's outcome
    opened_at: datetime | None = None
    # When comments and supports stop: a decision, a withdrawal or a merge (now if still open).
    closes_at: datetime | None = None
    state: str = "open"
    updated_at: datetime | None = None
    merged_into_id: int | None = None
    answer_due_on: date | None = None
    answer_overdue_at: datetime | None = None
    revisions: list[dict[str, Any]] = field(default_factory=list)
    comment_count: int = 0
    support_count: int = 0


@dataclass
class BallotPlan:
    proposal: ProposalPlan
    outcome: str  # adopted (commitment), adopted_waiting, rejected, no_quorum, open
    opened_at: datetime
    closes_at: datetime
    considered_at: datetime
    decided_at: datetime | None = None  # closed ballots: closed a little after closes_at
    id: int = 0


class Instance:
    """Builds the rows of one instance, part by part, and writes them."""

    def __init__(self, writer: Writer, the_plan: Plan, *, seed: int, now: datetime,
                 zone: ZoneInfo, answer_days: int = 30) -> None:
        self.writer = writer
        self.plan = the_plan
        self.seed = seed
        self.now = now
        self.start = now - timedelta(days=365)
        self.zone = zone
        self.answer_days = answer_days
        self.events: list[Event] = []
        self.terms = Terms()
        self.search_rows: list[dict[str, Any]] = []
        self.dialect = writer.connection.dialect.name

    def rng(self, part: str) -> random.Random:
        return random.Random(f"{self.seed}-{part}")

    def log(self, at: datetime, actor_id: int | None, verb: str, subject_type: str,
            subject_id: int, data: dict[str, Any] | None = None) -> None:
        self.events.append(Event(at, len(self.events), actor_id, verb, subject_type, subject_id,
                                 stored_data(data)))

    def site_date(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def index(self, kind: DocumentKind, object_id: int, parent_id: int | None,
              group_id: int | None, title: Text | None, body: Text | None,
              dated_at: datetime) -> None:
        """Add a search document, as search.index.Document.row builds it."""
        title_text = str(title) if title is not None else ""
        title_terms = self.terms.of_parts(title.parts) if title is not None else ""
        body_terms = search_index.with_kind(
            self.terms.of_parts(body.parts) if body is not None else "", kind
        )
        row = {
            "kind": kind.value,
            "object_id": object_id,
            "parent_id": parent_id,
            "group_id": group_id,
            "title": title_text[:search_index.TITLE_LENGTH],
            "body": str(body) if body is not None else "",
            "title_terms": title_terms,
            "body_terms": body_terms,
            "dated_at": dated_at,
        }
        if self.dialect == "postgresql":
            row["title_positions"] = search_text.positions(title_terms)
            row["body_positions"] = search_text.positions(
                body_terms, first=len(title_terms.split()) + 1
            )
        self.search_rows.append(row)

    # People: organisations, categories, groups and seats, users ------------------------------

    def people(self) -> int:
        rng = self.rng("people")
        setup = self.start - timedelta(days=100)
        self.admin_id = 1
        organisations = []
        for number, spec in enumerate(demo.ORGANISATIONS, start=1):
            organisations.append({
                "id": number, "name_th": spec.name_th, "name_en": spec.name_en,
                "sector": spec.sector.value, "created_at": setup,
            })
        self.organisations = organisations
        by_sector: dict[str, list[int]] = {}
        for org in organisations:
            by_sector.setdefault(org["sector"], []).append(org["id"])
        self.government_orgs = by_sector[Sector.GOVERNMENT.value]
        secretariat_org = next(number for number, spec in enumerate(demo.ORGANISATIONS, start=1)
                               if spec.key == "opdc")

        categories = [
            {"id": number, "name_th": name_th, "name_en": name_en, "position": number}
            for number, (name_th, name_en) in enumerate(demo.CATEGORIES, start=1)
        ]
        self.category_ids = [row["id"] for row in categories]
        districts = read_districts()
        groups = []
        for number in range(1, self.plan.groups + 1):
            district = districts[(number - 1) % len(districts)]
            round_ = (number - 1) // len(districts)
            suffix = f" ชุดที่ {round_ + 1}" if round_ else ""
            suffix_en = f" (set {round_ + 1})" if round_ else ""
            groups.append({
                "id": number,
                "name_th": f"คณะทำงานแก้ไขปัญหาไฟป่าและหมอกควัน {district.name_th}{suffix}",
                "name_en": f"{district.name_en} forest-fire and haze working group{suffix_en}",
                "description": " ".join(SENTENCES[:3]),
                "created_at": setup + timedelta(days=1),
                "answer_days": self.answer_days, "dispute_days": 14, "reminder_hours": 24,
            })

        password = _password_hash()
        notice = current_notice_version()
        users: list[dict[str, Any]] = []

        def add_user(sector: str, organisation_id: int | None, *, admin: bool = False,
                     agency: bool = False, created_at: datetime | None = None) -> int:
            user_id = len(users) + 1
            name = (rng.choice(NAME_TITLES) + rng.choice(FIRST_HEADS) + rng.choice(FIRST_TAILS)
                    + " " + rng.choice(LAST_HEADS) + rng.choice(LAST_TAILS))
            moment = created_at or _between(rng, self.start - timedelta(days=90), self.start)
            users.append({
                "id": user_id,
                "email": f"person{user_id}@{EMAIL_DOMAIN}",
                "password_hash": password,
                "display_name": name,
                "sector": sector,
                "organisation_id": organisation_id,
                "is_admin": admin,
                "is_agency_contact": agency,
                "created_at": moment,
                "language": "en" if rng.random() < 0.1 else "th",
                "email_mode": rng.choice(("immediate", "immediate", "daily", "off")),
                "email_verified_at": moment + timedelta(minutes=5),
                "privacy_version": notice,
                "privacy_consented_at": moment,
            })
            return user_id

        add_user(Sector.GOVERNMENT.value, None, admin=True, created_at=setup - timedelta(days=1))
        for org in organisations:
            self.log(setup, self.admin_id, "organisation.created", "organisation", org["id"],
                     {"sector": org["sector"]})
        for category in categories:
            self.log(setup, self.admin_id, "category.created", "category", category["id"])

        seats: list[dict[str, Any]] = []
        self.secretary_of: dict[int, int] = {}
        self.voting_seats: dict[int, list[dict[str, Any]]] = {}
        cursor = {sector: 0 for sector in by_sector}
        for group in groups:
            moment = group["created_at"]
            self.log(moment, self.admin_id, "group.created", "group", group["id"])
            group_seats = []
            for position, (role, sector, voting) in enumerate(SEATS):
                if role in ("secretary", "assistant_secretary"):
                    organisation_id = secretariat_org
                elif sector == Sector.CITIZEN:
                    organisation_id = None
                else:
                    pool = by_sector[sector.value]
                    organisation_id = pool[cursor[sector.value] % len(pool)]
                    cursor[sector.value] += 1
                holder = add_user(sector.value, organisation_id, created_at=setup)
                seat = {
                    "id": len(seats) + 1, "group_id": group["id"], "role": role,
                    "organisation_id": organisation_id, "sector": sector.value,
                    "holder_id": holder, "deputy_id": None, "voting": voting,
                    "position": position,
                }
                if position in DEPUTISED_SEATS:
                    seat["deputy_id"] = add_user(sector.value, organisation_id, created_at=setup)
                seats.append(seat)
                group_seats.append(seat)
                self.log(moment, self.admin_id, "seat.added", "seat", seat["id"], {
                    "group_id": group["id"], "role": role, "sector": sector.value,
                    "organisation_id": organisation_id, "voting": voting,
                })
                self.log(moment, self.admin_id, "seat.assigned", "seat", seat["id"], {
                    "group_id": group["id"], "holder_id": holder, "previous_holder_id": None,
                })
                if seat["deputy_id"] is not None:
                    self.log(moment, self.admin_id, "seat.deputy_named", "seat", seat["id"],
                             {"group_id": group["id"], "deputy_id": seat["deputy_id"]})
                if role == "secretary":
                    self.secretary_of[group["id"]] = holder
            self.voting_seats[group["id"]] = [seat for seat in group_seats if seat["voting"]]

        # One contact person for each government organisation, who reports on commitments.
        self.contact_of: dict[int, int] = {}
        for organisation_id in self.government_orgs:
            contact = add_user(Sector.GOVERNMENT.value, organisation_id, agency=True,
                               created_at=setup + timedelta(days=2))
            self.contact_of[organisation_id] = contact
            self.log(setup + timedelta(days=2), self.admin_id, "user.agency_contact_set", "user",
                     contact, {"organisation_id": organisation_id})
        sectors = [
            (Sector.CITIZEN.value, 60), (Sector.CIVIL_SOCIETY.value, 20),
            (Sector.PRIVATE.value, 10), (Sector.ACADEMIA.value, 5), (Sector.GOVERNMENT.value, 5),
        ]
        names, weights = zip(*sectors, strict=True)
        while len(users) < self.plan.participants:
            sector = rng.choices(names, weights)[0]
            pool = by_sector.get(sector)
            organisation_id = rng.choice(pool) if pool and sector != Sector.CITIZEN.value else None
            add_user(sector, organisation_id)
        if len(users) > self.plan.participants:
            raise ValueError(f"{len(users)} people needed for the seats, more than planned")
        self.users = users

        write = self.writer.insert
        write(Organisation.__table__, organisations)
        write(Category.__table__, categories)
        write(WorkingGroup.__table__, groups)
        write(User.__table__, users)
        write(Seat.__table__, seats)
        return len(organisations) + len(categories) + len(groups) + len(users) + len(seats)

    # Proposals, their revisions and official answers -----------------------------------------

    def proposals(self) -> int:
        rng = self.rng("proposals")
        the_plan, now = self.plan, self.now
        first = self.start + timedelta(hours=1)
        # Proposal 1 is the oldest; the others arrive over the year, in id order.
        moments = sorted(_between(rng, self.start + timedelta(days=1), now - timedelta(hours=1))
                         for _ in range(the_plan.proposals - 1))
        proposals = []
        for number, moment in enumerate([first, *moments], start=1):
            author = rng.randrange(1, len(self.users) + 1)
            proposals.append(ProposalPlan(
                id=number, created_at=moment, group_id=rng.randrange(1, the_plan.groups + 1),
                category_id=rng.choice(self.category_ids), author_id=author,
                title=Text((rng.choice(TITLE_ACTIONS), rng.choice(TITLE_OBJECTS),
                            rng.choice(TITLE_PLACES))),
                body=Text(tuple(rng.sample(SENTENCES, rng.randint(2, 4))), "\n\n"),
            ))
        self.proposal_list = proposals
        self._assign_roles(rng, proposals)

        revisions, answers = [], []
        for proposal in proposals:
            self._live(rng, proposal)
            revisions.extend(proposal.revisions)
            answer = self._answer(rng, proposal, len(answers) + 1)
            if answer is not None:
                answers.append(answer)
        rows = [self._proposal_row(proposal) for proposal in proposals]
        write = self.writer.insert
        write(Proposal.__table__, rows)
        write(ProposalRevision.__table__, revisions)
        write(Answer.__table__, answers)
        return len(rows) + len(revisions) + len(answers)

    def _assign_roles(self, rng: random.Random, proposals: list[ProposalPlan]) -> None:
        """Choose which proposals were decided, are being voted on, wait, left or stay open."""
        the_plan, now = self.plan, self.now
        free = {proposal.id for proposal in proposals}

        def take(count: int, older_than: timedelta, role: str) -> list[ProposalPlan]:
            pool = sorted(p.id for p in proposals
                          if p.id in free and p.created_at < now - older_than)
            if len(pool) < count:
                pool = sorted(free)  # a tiny instance: the oldest free ones
            chosen = sorted(rng.sample(pool, count)) if len(pool) > count else pool[:count]
            for proposal_id in chosen:
                free.discard(proposal_id)
                proposals[proposal_id - 1].role = role
            return [proposals[proposal_id - 1] for proposal_id in chosen]

        free.discard(1)
        proposals[0].role = "adopted"
        decided = [proposals[0], *take(the_plan.commitments - 1, timedelta(days=80), "adopted")]
        decided += take(the_plan.adopted_waiting, timedelta(days=50), "adopted_waiting")
        decided += take(the_plan.rejected, timedelta(days=50), "rejected")
        decided += take(the_plan.no_quorum, timedelta(days=50), "no_quorum")
        voting = take(the_plan.open_ballots, timedelta(days=14), "open_ballot")
        take(the_plan.waiting, timedelta(days=10), "waiting")
        take(the_plan.withdrawn, timedelta(days=30), "withdrawn")
        take(the_plan.merged, timedelta(days=30), "merged")
        take(the_plan.drafts, timedelta(0), "draft")

        ballots = []
        for proposal in decided:
            opened = proposal.created_at + timedelta(minutes=10)
            if proposal.id == 1:  # the shortest path, so that its ballot is the first
                considered = opened + timedelta(days=7)
                ballot_at = considered + timedelta(days=1)
            else:
                considered = opened + _days(rng, 7, 30)
                ballot_at = considered + _days(rng, 1, 5)
            closes = ballot_at + timedelta(days=7)
            late = timedelta(minutes=5 if proposal.id == 1 else rng.uniform(5, 180))
            ballots.append(BallotPlan(proposal, proposal.role, ballot_at, closes, considered,
                                      closes + late))
        for proposal in voting:
            ballot_at = now - _days(rng, 0.2, 6)
            considered = max(proposal.created_at + timedelta(days=1),
                             ballot_at - _days(rng, 1, 3))
            ballots.append(BallotPlan(proposal, "open", ballot_at, ballot_at + timedelta(days=7),
                                      considered))
        ballots.sort(key=lambda ballot: (ballot.opened_at, ballot.proposal.id))
        for number, ballot in enumerate(ballots, start=1):
            ballot.id = number
        if ballots[0].proposal.id != 1:
            raise AssertionError("ballot 1 must be proposal 1's")
        self.ballot_plans = ballots
        self.ballot_of = {ballot.proposal.id: ballot for ballot in ballots}

    def _live(self, rng: random.Random, proposal: ProposalPlan) -> None:
        """Set the proposal's dates and state and log its steps, up to its outcome."""
        author, now = proposal.author_id, self.now
        created = proposal.created_at
        proposal.revisions.append({
            "proposal_id": proposal.id, "number": 1, "title": str(proposal.title),
            "body": str(proposal.body), "category_id": proposal.category_id,
            "editor_id": author, "created_at": created,
        })
        user = self.users[author - 1]
        self.log(created, author, "proposal.created", "proposal", proposal.id, {
            "group_id": proposal.group_id, "category_id": proposal.category_id,
            "sector": user["sector"],
        })
        proposal.updated_at = created
        if proposal.role == "draft":
            proposal.state = "draft"
            return
        opened = created + timedelta(minutes=10)
        proposal.opened_at = opened
        proposal.answer_due_on = self.site_date(opened) + timedelta(days=self.answer_days)
        self.move(proposal, "open", "proposal.opened", author, opened, "draft")
        ends = now
        secretary = self.secretary_of[proposal.group_id]
        ballot = self.ballot_of.get(proposal.id)
        if proposal.role in ("withdrawn", "merged"):
            ends = opened + _days(rng, 1, 25)
            if proposal.role == "merged":
                target = self._merge_target(rng, proposal)
                if target is None:
                    proposal.role = "withdrawn"
                else:
                    proposal.merged_into_id = target
                    self.move(proposal, "merged", "proposal.merged", secretary, ends,
                              "open", {"into": target})
            if proposal.role == "withdrawn":
                self.move(proposal, "withdrawn", "proposal.withdrawn", author, ends, "open")
        elif proposal.role == "waiting":
            considered = min(opened + _days(rng, 7, 30), now - timedelta(hours=2))
            self.move(proposal, "under_consideration", "proposal.under_consideration",
                      secretary, considered, "open")
        elif ballot is not None:
            self.move(proposal, "under_consideration", "proposal.under_consideration",
                      secretary, ballot.considered_at, "open")
            if ballot.outcome != "open":
                ends = ballot.closes_at  # the vote's end closes the thread's participation
            if ballot.outcome in ("adopted", "adopted_waiting", "rejected"):
                # Closing the ballot decides the proposal first (close_ballot's order).
                state = "rejected" if ballot.outcome == "rejected" else "adopted"
                self.move(proposal, state, f"proposal.{state}", secretary, ballot.decided_at,
                          "under_consideration")
        # Edits: one in ten proposals was reworded while still a draft or open.
        open_until = min(ends, ballot.considered_at if ballot else ends,
                         opened + timedelta(days=5))
        if proposal.role == "waiting":
            open_until = min(open_until, considered)
        if rng.random() < 0.1:
            edited = _between(rng, opened, open_until)
            proposal.title = Text((*proposal.title.parts, "(ฉบับปรับปรุง)"))
            proposal.body = Text((*proposal.body.parts, rng.choice(SENTENCES)), "\n\n")
            proposal.revisions.append({
                "proposal_id": proposal.id, "number": 2, "title": str(proposal.title),
                "body": str(proposal.body), "category_id": proposal.category_id,
                "editor_id": author, "created_at": edited,
            })
            proposal.updated_at = max(proposal.updated_at, edited)
            self.log(edited, author, "proposal.edited", "proposal", proposal.id,
                     {"revision": 2, "category_id": proposal.category_id})
        proposal.closes_at = ends

    def _merge_target(self, rng: random.Random, proposal: ProposalPlan) -> int | None:
        """An older proposal of the same group that stays open for comment."""
        candidates = [
            other.id for other in self.proposal_list[:proposal.id - 1]
            if other.group_id == proposal.group_id and other.role == "open"
        ]
        return rng.choice(candidates[-50:]) if candidates else None

    def move(self, proposal: ProposalPlan, to: str, verb: str, actor: int | None,
             at: datetime, previous: str, data: dict[str, Any] | None = None) -> None:
        proposal.state = to
        proposal.updated_at = at
        self.log(at, actor, verb, "proposal", proposal.id,
                 {"from": previous, "to": to, **(data or {})})

    def _answer(self, rng: random.Random, proposal: ProposalPlan,
                answer_id: int) -> dict[str, Any] | None:
        """The official answer (or the missed deadline) of a proposal opened for comment."""
        if proposal.role in ("draft", "withdrawn", "merged"):
            return None
        due = proposal.answer_due_on
        answered_at = proposal.opened_at + _days(rng, 2, 40)
        if rng.random() < 0.04:
            answered_at = None  # never answered
        elif answered_at >= self.now:
            answered_at = None  # not yet
        # The daily job logs a deadline missed: the day after the due date, at 01:00.
        overdue_at = datetime.combine(due + timedelta(days=1), clock(1), self.zone).astimezone(UTC)
        if overdue_at < self.now and (answered_at is None or overdue_at < answered_at):
            proposal.answer_overdue_at = overdue_at
            self.log(overdue_at, None, "proposal.answer_overdue", "proposal", proposal.id,
                     {"due_on": due.isoformat(), "organisation_id": None})
        if answered_at is None:
            return None
        considered = proposal.role not in ("open",)
        state = "accepted" if considered else rng.choice(
            ("accepted", "accepted", "accepted", "rejected", "referred")
        )
        referred = rng.choice(self.government_orgs) if state == "referred" else None
        secretary = self.secretary_of[proposal.group_id]
        answered_on = self.site_date(answered_at)
        data = {
            "state": state, "organisation_id": None, "due_on": due.isoformat(),
            "answered_on": answered_on.isoformat(), "on_time": answered_on <= due,
        }
        if referred is not None:
            data["referred_to_id"] = referred
        self.log(answered_at, secretary, "proposal.answered", "proposal", proposal.id, data)
        body = {"accepted": ANSWERS[0], "rejected": ANSWERS[1], "referred": ANSWERS[2]}[state]
        return {
            "id": answer_id, "proposal_id": proposal.id, "state": state, "body": body,
            "referred_to_id": referred, "merged_into_id": None, "answered_by_id": secretary,
            "organisation_id": None, "answered_at": answered_at, "answered_on": answered_on,
            "due_on": due,
        }

    def _proposal_row(self, proposal: ProposalPlan) -> dict[str, Any]:
        user = self.users[proposal.author_id - 1]
        return {
            "id": proposal.id, "group_id": proposal.group_id, "title": str(proposal.title),
            "body": str(proposal.body), "category_id": proposal.category_id,
            "author_id": proposal.author_id, "sector": user["sector"],
            "organisation_id": user["organisation_id"], "state": proposal.state,
            "merged_into_id": proposal.merged_into_id, "opened_at": proposal.opened_at,
            "agency_id": None, "answer_due_on": proposal.answer_due_on,
            "answer_overdue_at": proposal.answer_overdue_at,
            # Recounted from the rows once comments and supports are in.
            "support_count": 0, "comment_count": 0,
            "hidden_at": None, "hidden_reason": None,
            "created_at": proposal.created_at, "updated_at": proposal.updated_at,
        }

    # Comments ----------------------------------------------------------------------------------

    def comments(self) -> int:
        rng = self.rng("comments")
        the_plan = self.plan
        public = [p for p in self.proposal_list if p.opened_at is not None]
        first = self.proposal_list[0]
        others = [p for p in public if p.id != 1]
        # Popularity falls off with rank; a proposal open longer gathers more.
        weights = [
            (1 / (1 + rank) ** 0.8) * math.sqrt(max(1.0, (p.closes_at - p.opened_at).days))
            for rank, p in zip(rng.sample(range(len(others)), len(others)), others, strict=True)
        ]
        counts = allocate(the_plan.comments - the_plan.first_proposal_comments, weights)
        per_proposal = [(first, the_plan.first_proposal_comments),
                        *zip(others, counts, strict=True)]
        people = len(self.users)
        pending = []  # (created_at, proposal id, local number, fields)
        for proposal, count in per_proposal:
            if not count:
                continue
            start = proposal.opened_at + timedelta(minutes=1)
            moments = sorted(_between(rng, start, proposal.closes_at) for _ in range(count))
            top_level: list[int] = []
            for local, moment in enumerate(moments):
                parent = None
                if top_level and rng.random() < 0.3:
                    parent = rng.choice(top_level[-20:])
                else:
                    top_level.append(local)
                body = Text(tuple(rng.sample(SENTENCES, rng.randint(1, 3))))
                pending.append((moment, proposal.id, local, parent, body,
                                rng.choice(STANCES), rng.randrange(1, people + 1), rng.random()))
        pending.sort(key=lambda item: (item[0], item[1], item[2]))
        ids: dict[tuple[int, int], int] = {}
        rows, revisions = [], []
        group_of = {p.id: p.group_id for p in self.proposal_list}
        for number, (moment, proposal_id, local, parent, body, stance, author, luck) in enumerate(
            pending, start=1
        ):
            ids[(proposal_id, local)] = number
            row = {
                "id": number, "proposal_id": proposal_id, "author_id": author,
                "parent_id": ids[(proposal_id, parent)] if parent is not None else None,
                "body": str(body), "stance": stance, "revision_count": 1,
                "deleted_at": None, "hidden_at": None, "hidden_reason": None,
                "created_at": moment, "updated_at": moment,
            }
            if parent is not None and luck < 0.005:
                # A reply its author deleted: a placeholder keeps its place in the thread.
                row.update(body="", stance=None, deleted_at=moment + timedelta(hours=1),
                           updated_at=moment + timedelta(hours=1))
            elif luck > 0.97:
                # Edited once: the earlier text is kept as a revision.
                edited = moment + timedelta(minutes=30)
                revisions.append({"comment_id": number, "body": str(body) + " ...",
                                  "stance": stance, "created_at": moment})
                row.update(revision_count=2, updated_at=edited)
            rows.append(row)
            if row["deleted_at"] is None:
                self.index(DocumentKind.COMMENT, number, proposal_id, group_of[proposal_id],
                           None, body, moment)
        self.comment_rows = len(rows)
        write = self.writer.insert
        write(Comment.__table__, rows, bulk=True)
        write(CommentRevision.__table__, revisions)
        return len(rows) + len(revisions)

    # Supports ----------------------------------------------------------------------------------

    def supports(self) -> int:
        rng = self.rng("supports")
        public = [p for p in self.proposal_list if p.opened_at is not None]
        people = len(self.users)
        weights = [
            (1 / (1 + rank) ** 0.9) * math.sqrt(max(1.0, (p.closes_at - p.opened_at).days))
            for rank, p in zip(rng.sample(range(len(public)), len(public)), public, strict=True)
        ]
        counts = allocate(self.plan.supports, weights, [people - 1] * len(public))

        def rows() -> Iterator[dict[str, Any]]:
            number = 0
            for proposal, count in zip(public, counts, strict=True):
                if not count:
                    continue
                chosen = rng.sample(range(1, people + 1), count + 1)
                supporters = [user for user in chosen if user != proposal.author_id][:count]
                start = proposal.opened_at + timedelta(minutes=1)
                for user in supporters:
                    number += 1
                    yield {"id": number, "proposal_id": proposal.id, "user_id": user,
                           "created_at": _between(rng, start, proposal.closes_at)}

        return self.writer.insert(Support.__table__, rows(), bulk=True)

    # Ballots, votes and decisions ----------------------------------------------------------------

    def ballots(self) -> int:
        rng = self.rng("ballots")
        ballots, votes, decisions = [], [], []
        decided = [ballot for ballot in self.ballot_plans if ballot.outcome != "open"]
        decided.sort(key=lambda ballot: (ballot.decided_at, ballot.id))
        decision_of = {ballot.id: number for number, ballot in enumerate(decided, start=1)}
        self.outcome_of: dict[int, str] = {}
        for ballot in self.ballot_plans:
            proposal = ballot.proposal
            group = proposal.group_id
            secretary = self.secretary_of[group]
            seats = self.voting_seats[group]
            kind = "consent" if rng.random() < 0.15 else "standard"
            reasons = "required" if rng.random() < 0.1 else "optional"
            secret = ballot.outcome != "open" and rng.random() < 0.05
            row = {
                "id": ballot.id, "proposal_id": proposal.id, "group_id": group,
                "opened_by_id": secretary, "opened_at": ballot.opened_at,
                "closes_at": ballot.closes_at, "quorum": QUORUM, "kind": kind,
                "reasons": reasons, "hide_results": secret, "secret": secret,
                "sector_quorum": {}, "status": "open", "result": None, "closed_at": None,
                "closed_by_id": None, "agenda_item_id": None,
            }
            self.log(ballot.opened_at, secretary, "ballot.opened", "ballot", ballot.id, {
                "proposal_id": proposal.id, "group_id": group, "quorum": QUORUM,
                "eligible": len(seats), "closes_at": ballot.closes_at.astimezone(UTC).isoformat(),
                "kind": kind, "reasons": reasons, "hide_results": secret, "secret": secret,
                "sector_quorum": {},
            })
            choices = self._choices(rng, ballot.outcome, kind, len(seats))
            voters = sorted(rng.sample(range(len(seats)), len(choices)))
            ends = ballot.closes_at if ballot.outcome != "open" else self.now
            cast = {}
            for seat_index, choice in zip(voters, choices, strict=True):
                seat = seats[seat_index]
                voter = seat["holder_id"]
                if seat["deputy_id"] is not None and rng.random() < 0.2:
                    voter = seat["deputy_id"]
                reason = ""
                if choice == "block" or reasons == "required" or rng.random() < 0.3:
                    reason = rng.choice(SENTENCES)
                moment = _between(rng, ballot.opened_at, ends - timedelta(minutes=1))
                vote = {
                    "id": len(votes) + 1, "ballot_id": ballot.id, "seat_id": seat["id"],
                    "voter_id": voter, "choice": choice, "reason": reason,
                    "cast_at": moment, "updated_at": moment,
                }
                votes.append(vote)
                cast[seat["id"]] = vote
            if ballot.outcome != "open":
                decisions.append(self._close(rng, ballot, row, seats, cast, decision_of[ballot.id]))
            ballots.append(row)
        decisions.sort(key=lambda decision: decision["id"])
        self.decisions = decisions
        write = self.writer.insert
        write(Ballot.__table__, ballots)
        write(Vote.__table__, votes)
        write(Decision.__table__, decisions)
        return len(ballots) + len(votes) + len(decisions)

    @staticmethod
    def _choices(rng: random.Random, outcome: str, kind: str, seats: int) -> list[str]:
        """The choices cast on a ballot whose outcome is known."""
        if outcome == "no_quorum":
            voted = rng.randint(0, QUORUM - 1)
        elif outcome == "open":
            voted = rng.randint(0, seats)
        else:
            voted = rng.randint(QUORUM, seats)
        if outcome in ("adopted", "adopted_waiting"):
            yes = rng.randint(voted // 2 + 1, voted)
            no = rng.randint(0, voted - yes)
            blocks = 0
        elif outcome == "rejected" and kind == "consent" and rng.random() < 0.5:
            blocks = rng.randint(1, 2)
            yes = rng.randint(0, voted - blocks)
            no = rng.randint(0, voted - blocks - yes)
        elif outcome == "rejected":
            yes = rng.randint(0, voted // 2)
            no = rng.randint(yes, voted - yes)
            blocks = 0
        else:
            yes = rng.randint(0, voted)
            no = rng.randint(0, voted - yes)
            blocks = 0
        choices = (["yes"] * yes + ["no"] * no + ["block"] * blocks
                   + ["abstain"] * (voted - yes - no - blocks))
        rng.shuffle(choices)
        return choices

    def _close(self, rng: random.Random, ballot: BallotPlan, row: dict[str, Any],
               seats: list[dict[str, Any]], cast: dict[int, dict[str, Any]],
               decision_id: int) -> dict[str, Any]:
        """Count a closed ballot, decide its proposal and log it as close_ballot does."""
        proposal = ballot.proposal
        secretary = self.secretary_of[proposal.group_id]
        by_sector = {sector.value: {} for sector in Sector}
        for vote in cast.values():
            sector = next(seat["sector"] for seat in seats if seat["id"] == vote["seat_id"])
            by_sector[sector][vote["choice"]] = by_sector[sector].get(vote["choice"], 0) + 1
        for counts in by_sector.values():
            for choice in ("yes", "no", "abstain", "block"):
                counts.setdefault(choice, 0)
        totals = {choice: sum(counts[choice] for counts in by_sector.values())
                  for choice in ("yes", "no", "abstain", "block")}
        if sum(totals.values()) < QUORUM:
            result = "no_quorum"
        elif row["kind"] == "consent" and totals["block"]:
            result = "rejected"
        elif totals["yes"] > totals["no"]:
            result = "adopted"
        else:
            result = "rejected"
        expected = {"adopted_waiting": "adopted"}.get(ballot.outcome, ballot.outcome)
        if result != expected:
            raise AssertionError(f"ballot {ballot.id}: {result}, planned {ballot.outcome}")
        decided_at = ballot.decided_at
        row.update(status="closed", result=result, closed_at=decided_at, closed_by_id=secretary)
        published = {} if row["secret"] else by_sector
        roll = []
        for seat in seats:
            vote = cast.get(seat["id"])
            entry = {"seat_id": seat["id"], "organisation_id": seat["organisation_id"],
                     "sector": seat["sector"], "voter_id": vote["voter_id"] if vote else None}
            if not row["secret"]:
                entry["choice"] = vote["choice"] if vote else None
                entry["reason"] = vote["reason"] if vote else None
            roll.append(entry)
        data = {
            "proposal_id": proposal.id, "ballot_id": ballot.id, "decision_id": decision_id,
            "result": result, "tally": totals, "by_sector": published, "quorum": QUORUM,
            "eligible": len(seats), "roll_call": roll,
        }
        self.log(decided_at, secretary, "ballot.closed", "ballot", ballot.id, data)
        self.log(decided_at, secretary, "decision.recorded", "decision", decision_id, data)
        resolution = ""
        if rng.random() < 0.5:
            resolution = RESOLUTIONS[0] if result == "adopted" else RESOLUTIONS[1]
            self.log(decided_at, secretary, "decision.resolution_recorded", "decision",
                     decision_id, {"decision_id": decision_id, "length": len(resolution),
                                   "sha256": hashlib.sha256(resolution.encode()).hexdigest()})
        self.outcome_of[decision_id] = ballot.outcome
        self.index(DocumentKind.DECISION, decision_id, proposal.id, proposal.group_id,
                   proposal.title, Text((resolution,)) if resolution else None, decided_at)
        return {
            "id": decision_id, "ballot_id": ballot.id, "proposal_id": proposal.id,
            "group_id": proposal.group_id, "result": result, "resolution": resolution,
            "yes_count": totals["yes"], "no_count": totals["no"],
            "abstain_count": totals["abstain"], "block_count": totals["block"],
            "tally_by_sector": published, "quorum": QUORUM, "eligible_count": len(seats),
            "decided_at": decided_at,
        }

    # Commitments, milestones and progress -----------------------------------------------------

    def commitments(self) -> int:
        rng = self.rng("commitments")
        adopted = [d for d in self.decisions if self.outcome_of[d["id"]] == "adopted"]
        plans = []
        for decision in adopted:
            created = decision["decided_at"] + (
                timedelta(days=2) if decision["id"] == 1 else _days(rng, 2, 10)
            )
            plans.append((created, decision))
        plans.sort(key=lambda item: (item[0], item[1]["id"]))
        proposals = {p.id: p for p in self.proposal_list}
        commitments, milestones, supporters = [], [], []
        milestones_of: dict[int, list[dict[str, Any]]] = {}
        for number, (created, decision) in enumerate(plans, start=1):
            proposal = proposals[decision["proposal_id"]]
            secretary = self.secretary_of[proposal.group_id]
            lead = rng.choice(self.government_orgs)
            helpers = sorted(rng.sample([o["id"] for o in self.organisations if o["id"] != lead],
                                        rng.randint(0, 3)))
            start = self.site_date(created)
            due = start + timedelta(days=rng.randint(120, 400))
            title = Text(("ดำเนินการตามข้อเสนอ:", *proposal.title.parts))
            description = Text(tuple(rng.sample(COMMITMENT_TEXT, 2)))
            commitment = {
                "id": number, "decision_id": decision["id"], "group_id": proposal.group_id,
                "title": str(title)[:200], "description": str(description),
                "lead_organisation_id": lead, "start_date": start, "due_date": due,
                "completion": "not_started", "percent": 0, "status": "on_track",
                "status_reason": "", "created_at": created, "updated_at": created,
            }
            own = []
            if number % 3:  # two in three commitments have milestones
                count = rng.randint(3, 5)
                for step in range(count):
                    own.append({
                        "id": len(milestones) + 1, "commitment_id": number,
                        "title": MILESTONES[step],
                        "due_date": start + (due - start) * (step + 1) // count,
                        "completion": "not_started", "weight": None,
                    })
                    milestones.append(own[-1])
            milestones_of[number] = own
            supporters.extend({"commitment_id": number, "organisation_id": org} for org in helpers)
            self.log(created, secretary, "commitment.created", "commitment", number, {
                "decision_id": decision["id"], "proposal_id": proposal.id,
                "lead_organisation_id": lead, "supporter_ids": helpers,
                "start_date": start.isoformat(), "due_date": due.isoformat(),
                "milestones": [{"id": m["id"], "due_date": m["due_date"].isoformat()}
                               for m in own],
            })
            commitments.append(commitment)
            self.index(DocumentKind.COMMITMENT, number, decision["id"], proposal.group_id,
                       title, description, created)
        updates = self._progress(rng, commitments, milestones_of)
        write = self.writer.insert
        write(Commitment.__table__, commitments)
        write(commitment_supporters, supporters)
        write(Milestone.__table__, milestones)
        write(ProgressUpdate.__table__, updates)
        return len(commitments) + len(supporters) + len(milestones) + len(updates)

    def _progress(self, rng: random.Random, commitments: list[dict[str, Any]],
                  milestones_of: dict[int, list[dict[str, Any]]]) -> list[dict[str, Any]]:
        """Progress reports enough to bring the log to its planned length: each commitment
        reports at least once, the older ones more often; a report on a commitment with
        milestones follows one milestone's step up."""
        steps_of = {c["id"]: 3 * len(milestones_of[c["id"]]) for c in commitments}
        reports = {c["id"]: 1 for c in commitments}

        def cost(commitment_id: int, report: int) -> int:
            """Log entries of the report numbered `report`: with its milestone step, if any."""
            return 2 if report <= steps_of[commitment_id] else 1

        used = len(self.events) + sum(cost(c["id"], 1) for c in commitments)
        room = self.plan.log_entries - used
        age = {c["id"]: max(1.0, (self.now - c["created_at"]).total_seconds() / 86400)
               for c in commitments}
        # The least reported for its age goes next.
        heap = [(reports[i] / age[i], i) for i in reports]
        heapq.heapify(heap)
        skipped = []
        while room > 0 and heap:
            _ratio, commitment_id = heapq.heappop(heap)
            price = cost(commitment_id, reports[commitment_id] + 1)
            if price > room:
                skipped.append(commitment_id)  # one entry left: a report without a step
                continue
            reports[commitment_id] += 1
            room -= price
            heapq.heappush(heap, (reports[commitment_id] / age[commitment_id], commitment_id))
        updates = []
        for commitment in commitments:
            updates.extend(self._timeline(rng, commitment, milestones_of[commitment["id"]],
                                          reports[commitment["id"]], len(updates)))
        return updates

    def _timeline(self, rng: random.Random, commitment: dict[str, Any],
                  milestones: list[dict[str, Any]], count: int,
                  numbered: int) -> list[dict[str, Any]]:
        number = commitment["id"]
        author = self.contact_of[commitment["lead_organisation_id"]]
        created = commitment["created_at"]
        span = self.now - timedelta(hours=1) - created
        pace = rng.uniform(0.5, 1.0)
        levels = [0] * len(milestones)
        order = ("not_started", "limited", "substantial", "complete")
        updates = []
        for report in range(1, count + 1):
            moment = created + span * (report - rng.uniform(0.05, 0.5)) / count
            if report <= 3 * len(milestones):
                step = report - 1
                levels[step // 3] += 1
                milestone = milestones[step // 3]
                milestone["completion"] = order[levels[step // 3]]
                percent = as_percent(sum(
                    (Fraction(1, len(milestones)) * COMPLETION_SHARE[Completion(order[level])]
                     for level in levels), Fraction(0)))
                self.log(moment - timedelta(minutes=2), author, "commitment.milestone_updated",
                         "commitment", number, {"milestone_id": milestone["id"],
                                                "completion": milestone["completion"],
                                                "percent": percent})
            elif milestones:
                percent = commitment["percent"]
            else:
                percent = min(100, round(100 * pace * report / count))
            completion = ("not_started" if percent == 0 else "limited" if percent < 50
                          else "substantial" if percent < 100 else "complete")
            status, reason = "on_track", ""
            if percent == 100:
                status = "completed"
            elif rng.random() < 0.1:
                status, reason = "delayed", rng.choice(DELAY_REASONS)
            evidence = ([f"https://{EMAIL_DOMAIN}/reports/{number}-{report}.pdf"]
                        if rng.random() < 0.5 else [])
            update = {
                "id": numbered + len(updates) + 1, "commitment_id": number, "author_id": author,
                "reported_on": self.site_date(moment), "completion": completion,
                "percent": percent, "status": status, "note": rng.choice(PROGRESS_NOTES),
                "reason": reason, "evidence": evidence, "created_at": moment,
            }
            updates.append(update)
            commitment.update(completion=completion, percent=percent, status=status,
                              status_reason=reason, updated_at=moment)
            self.log(moment, author, "progress.posted", "commitment", number, {
                "progress_id": update["id"], "reported_on": update["reported_on"].isoformat(),
                "completion": completion, "percent": percent, "status": status,
                "evidence_count": len(evidence),
            })
        return updates

    # Environment: stations, districts, hourly PM2.5, hotspots ---------------------------------

    def environment(self) -> int:
        rng = self.rng("environment")
        the_plan = self.plan
        imported = self.now - timedelta(hours=2)
        stations = [
            {"id": number, "code": s.code, "name_th": s.name_th, "name_en": s.name_en,
             "area_th": s.area_th, "area_en": s.area_en, "latitude": s.latitude,
             "longitude": s.longitude, "created_at": imported}
            for number, s in enumerate(synthetic.STATIONS, start=1)
        ]
        factors = [s.factor for s in synthetic.STATIONS]
        for code, name_th, name_en, latitude, longitude in MORE_STATIONS:
            stations.append({
                "id": len(stations) + 1, "code": code, "name_th": name_th, "name_en": name_en,
                "area_th": "จ.ลำปาง", "area_en": "Lampang", "latitude": latitude,
                "longitude": longitude, "created_at": imported,
            })
            factors.append(rng.uniform(0.85, 1.15))
        stations = stations[:the_plan.stations]
        shapes = read_districts()
        districts = [
            {"id": number, "code": shape.code, "name_th": shape.name_th,
             "name_en": shape.name_en, "boundary": shape.ring}
            for number, shape in enumerate(shapes, start=1)
        ]
        imports = [
            {"id": 1, "kind": "air", "filename": "pm25-lampang-bench-synthetic.csv",
             "sha256": hashlib.sha256(b"bench-air").hexdigest(), "actor_id": self.admin_id,
             "new_rows": the_plan.readings, "duplicate_rows": 0, "rejected_rows": 0,
             "missing_rows": 0, "outside_rows": 0, "created_at": imported},
            {"id": 2, "kind": "hotspots", "filename": "firms-viirs-lampang-bench-synthetic.csv",
             "sha256": hashlib.sha256(b"bench-fires").hexdigest(), "actor_id": self.admin_id,
             "new_rows": the_plan.hotspots, "duplicate_rows": 0, "rejected_rows": 0,
             "missing_rows": 0, "outside_rows": 0, "created_at": imported},
        ]
        for row in imports:
            self.log(row["created_at"], self.admin_id, "data.imported", "data_import", row["id"], {
                "kind": row["kind"], "filename": row["filename"], "sha256": row["sha256"],
                "new": row["new_rows"], "duplicates": 0, "rejected": 0, "missing": 0,
                "outside": 0,
            })
        write = self.writer.insert
        write(Station.__table__, stations)
        write(District.__table__, districts)
        write(DataImport.__table__, imports)
        readings = write(Reading.__table__, self._readings(rng, stations, factors), bulk=True)
        hotspots = write(Hotspot.__table__, self._hotspots(rng, shapes), bulk=True)
        return len(stations) + len(districts) + len(imports) + readings + hotspots

    def _readings(self, rng: random.Random, stations: list[dict[str, Any]],
                  factors: list[float]) -> Iterator[dict[str, Any]]:
        hours = self.plan.hours
        last = self.now.replace(minute=0, second=0, microsecond=0)
        first = last - timedelta(hours=hours - 1)
        means = synthetic.daily_means(self.site_date(first), self.site_date(last), self.seed)
        number = 0
        for hour in range(hours):
            moment = first + timedelta(hours=hour)
            local = moment.astimezone(self.zone)
            level = means[local.date()] * synthetic._diurnal(local.hour)
            for station, factor in zip(stations, factors[:len(stations)], strict=True):
                number += 1
                value = level * factor * math.exp(rng.gauss(0, 0.15))
                yield {"id": number, "station_id": station["id"], "measured_at": moment,
                       "pm25": round(max(1.0, value), 1), "import_id": 1}

    def _hotspots(self, rng: random.Random, shapes: list[Any]) -> Iterator[dict[str, Any]]:
        """Detections over the year, most in the dry season and the forested districts."""
        total = self.plan.hotspots
        first_day = self.site_date(self.start)
        days = [first_day + timedelta(days=n) for n in range(365)]
        per_day = allocate(total, [synthetic._seasonal(day, synthetic.MONTHLY_FIRES) + 0.05
                                   for day in days])
        locator = DistrictLocator([(number, shape.ring)
                                   for number, shape in enumerate(shapes, start=1)])
        weights = [synthetic.DISTRICT_WEIGHTS.get(shape.code, 1.0) for shape in shapes]
        places = []  # a pool of places inside the districts (and a few outside)
        for _ in range(min(20_000, max(200, total // 5))):
            if rng.random() < synthetic.OUTSIDE_SHARE:
                latitude, longitude = rng.choice(synthetic.OUTSIDE)
                latitude += rng.uniform(-0.05, 0.05)
                longitude += rng.uniform(-0.05, 0.05)
            else:
                ring = rng.choices(shapes, weights)[0].ring
                xs, ys = [p[0] for p in ring], [p[1] for p in ring]
                while True:
                    longitude, latitude = rng.uniform(min(xs), max(xs)), rng.uniform(min(ys), max(ys))
                    if point_in_ring(longitude, latitude, ring):
                        break
            latitude, longitude = round(latitude, 5), round(longitude, 5)
            places.append((latitude, longitude, locator.locate(latitude, longitude)))
        seen = set()
        number = 0
        for day, count in zip(days, per_day, strict=True):
            for _ in range(count):
                latitude, longitude, district = rng.choice(places)
                night = rng.random() < 0.2
                modis = rng.random() < 0.15
                if modis:
                    satellite = rng.choice(("Terra", "Aqua"))
                    hour = {"Terra": 15 if night else 3, "Aqua": 18 if night else 6}[satellite]
                else:
                    satellite = rng.choice(("N", "N20", "N21"))
                    hour = 18 if night else 6
                moment = datetime.combine(day, clock(hour, rng.randrange(60)), UTC)
                key = (latitude, longitude, moment, satellite)
                while key in seen:  # one detection per place, time and sensor
                    moment += timedelta(minutes=1)
                    key = (latitude, longitude, moment, satellite)
                seen.add(key)
                number += 1
                yield {
                    "id": number, "latitude": latitude, "longitude": longitude,
                    "detected_at": moment, "satellite": satellite,
                    "instrument": "MODIS" if modis else "VIIRS",
                    "confidence": str(rng.randint(30, 100)) if modis
                    else rng.choices(("n", "l", "h"), (80, 12, 8))[0],
                    "version": "6.1NRT" if modis else "2.0NRT",
                    "brightness": round(rng.uniform(300, 367), 2),
                    "brightness_2": round(rng.uniform(280, 305), 2),
                    "scan": round(rng.uniform(0.36, 2.6), 2),
                    "track": round(rng.uniform(0.38, 1.5), 2),
                    "frp": round(rng.lognormvariate(1.4, 0.9), 2),
                    "daynight": "N" if night else "D", "district_id": district, "import_id": 2,
                }

    # The log, the search index, counters and sequences -----------------------------------------

    def log_entries(self) -> int:
        """Chain every logged event, in time order, into one SHA-256 hash chain."""
        self.events.sort(key=lambda event: (event.at, event.order))

        def rows() -> Iterator[dict[str, Any]]:
            previous = GENESIS_HASH
            for number, event in enumerate(self.events, start=1):
                row = {
                    "id": number, "created_at": event.at.astimezone(UTC),
                    "actor_id": event.actor_id, "verb": event.verb,
                    "subject_type": event.subject_type, "subject_id": event.subject_id,
                    "data": event.data, "corrects_id": None, "prev_hash": previous,
                }
                row["hash"] = previous = chain_hash(previous,
                                                    canonical_payload(SimpleNamespace(**row)))
                yield row

        return self.writer.insert(LogEntry.__table__, rows(), bulk=True)

    def search(self) -> int:
        """The search documents, in the order the index's rebuild writes them."""
        rank = {DocumentKind.PROPOSAL.value: 0, DocumentKind.COMMENT.value: 1,
                DocumentKind.DECISION.value: 2, DocumentKind.COMMITMENT.value: 3}
        for proposal in self.proposal_list:
            if proposal.state != "draft":
                self.index(DocumentKind.PROPOSAL, proposal.id, None, proposal.group_id,
                           proposal.title, proposal.body, proposal.opened_at or proposal.created_at)
        self.search_rows.sort(key=lambda row: (rank[row["kind"]], row["object_id"]))
        if self.dialect == "sqlite":
            return self._search_sqlite()
        return self._search_postgresql()

    def _search_postgresql(self) -> int:
        """COPY the documents with their words' positions into a temporary table, then make
        the weighted tsvector of every row in one INSERT, as search.index.UPSERT does per row
        (title words weigh A, body words D)."""
        raw = self.writer.raw
        names = list(self.search_rows[0])
        raw.execute(
            "CREATE TEMPORARY TABLE bench_search (position serial, kind text, object_id integer,"
            " parent_id integer, group_id integer, title text, body text, title_terms text,"
            " body_terms text, dated_at timestamptz, title_positions text, body_positions text)"
            " ON COMMIT DROP"
        )
        staging = sa.table("bench_search", *[sa.column(name) for name in names])
        self.writer._copy(staging, self.search_rows)
        columns = "kind, object_id, parent_id, group_id, title, body, title_terms, body_terms, " \
                  "dated_at"
        with self.writer.without_secondary("search_documents"):
            count = raw.execute(
                f"INSERT INTO search_documents ({columns}, tsv) SELECT {columns}, "
                "setweight(CAST(title_positions AS tsvector), 'A') "
                "|| setweight(CAST(body_positions AS tsvector), 'D') "
                "FROM bench_search ORDER BY position"
            ).rowcount
        self.writer.report.tables["search_documents"] = count
        return count

    def _search_sqlite(self) -> int:
        """Insert the documents into the empty table and build the FTS5 index once, as the
        index's rebuild ends: four times cheaper than the insert trigger row by row. The
        trigger is set aside meanwhile and put back exactly as the migration made it."""
        raw = self.writer.raw
        (trigger,) = raw.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (FTS_TRIGGER,)
        ).fetchone()
        raw.execute(f"DROP TRIGGER {FTS_TRIGGER}")
        count = self.writer.insert(SearchDocument.__table__, self.search_rows, bulk=True)
        raw.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
        raw.execute(trigger)
        return count

    def counters(self) -> int:
        """Recount supports and comments as the services do, and move each id sequence past
        the ids written (PostgreSQL)."""
        connection = self.writer.connection
        proposals = Proposal.__table__
        supports = Support.__table__
        comments = Comment.__table__
        connection.execute(proposals.update().values(
            support_count=sa.select(sa.func.count(supports.c.id))
            .where(supports.c.proposal_id == proposals.c.id).scalar_subquery(),
            comment_count=sa.select(sa.func.count(comments.c.id))
            .where(comments.c.proposal_id == proposals.c.id, comments.c.deleted_at.is_(None),
                   comments.c.hidden_at.is_(None)).scalar_subquery(),
        ))
        if connection.dialect.name == "postgresql":
            # The rows came with their ids: new rows of the running site must not reuse them.
            for name in self.writer.report.tables:
                table = db.metadata.tables.get(name)
                if table is None or "id" not in table.c or not table.c.id.autoincrement:
                    continue
                connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), MAX(id)) "
                    f'FROM "{name}" HAVING MAX(id) IS NOT NULL'
                )
        return len(self.proposal_list)


# Running it -----------------------------------------------------------------------------------

# The parts of a load, in order: (name, Instance method). CONTENT builds rows and writes them
# through the writer alone; FINISH works on the database itself.
CONTENT = (
    ("people, groups, seats", "people"),
    ("proposals, revisions, answers", "proposals"),
    ("comments", "comments"),
    ("supports", "supports"),
    ("ballots, votes, decisions", "ballots"),
    ("environment (PM2.5, hotspots)", "environment"),
    # Last of the content: its progress reports bring the log to its length.
    ("commitments, milestones, progress", "commitments"),
    ("accountability log", "log_entries"),
)
FINISH = (("search index", "search"), ("counters, sequences", "counters"))


def _app(database_url: str, folder: Path) -> Any:
    return create_app({
        "ENV": "testing", "DATABASE_URL": database_url, "SECRET_KEY": "b" * 40,
        "SIGNING_KEY_FILE": str(folder / "signing-key.pem"), "RATELIMIT_ENABLED": False,
    })


class DatabaseNotEmpty(RuntimeError):
    """The instance goes only into an empty database."""


def load(database_url: str, *, scale: float = 1.0, seed: int = 1,
         now: datetime | None = None, progress: Callable[[Part], None] | None = None) -> Report:
    """Migrate the database, load an instance of this scale into it; return what each part
    wrote and how long it took."""
    the_plan = plan(scale)
    now = (now or utcnow()).astimezone(UTC).replace(microsecond=0)
    report = Report()

    def timed(name: str, step: Callable[[], int]) -> None:
        started, cpu = time.perf_counter(), time.process_time()
        rows = step()
        part = Part(name, rows, time.perf_counter() - started, time.process_time() - cpu)
        report.parts.append(part)
        if progress is not None:
            progress(part)

    with tempfile.TemporaryDirectory() as folder:
        app = _app(database_url, Path(folder))
        with app.app_context():
            try:
                timed("schema (migrations)", _migrate)
                _refuse_if_not_empty()
                zone = ZoneInfo(app.config["TIMEZONE"])
                db.engine.dispose()  # the loading connection is the only one (SQLite pragmas)
                with db.engine.connect() as connection, _loading(connection):
                    instance = Instance(Writer(connection, report), the_plan, seed=seed,
                                        now=now, zone=zone)
                    for name, step in (*CONTENT, *FINISH):
                        timed(name, getattr(instance, step))
                timed("analyze", lambda: _analyze(report.tables))
            finally:
                db.session.remove()
                db.engine.dispose()
    return report


def _refuse_if_not_empty() -> None:
    for model in (User, Proposal, LogEntry, Reading):
        if db.session.scalar(sa.select(sa.func.count()).select_from(model)):
            raise DatabaseNotEmpty(
                f"{model.__tablename__} already has rows: load into an empty database"
            )
    db.session.remove()


@contextmanager
def _loading(connection: sa.Connection) -> Iterator[None]:
    """One transaction for the whole load. On SQLite, with a large page cache and the journal
    in memory instead of the write-ahead log (a failed load leaves a file to delete, not to
    mend); the write-ahead log is back at the end, as the site expects."""
    sqlite = connection.dialect.name == "sqlite"
    raw = connection.connection.driver_connection
    if sqlite:
        for pragma in ("synchronous=OFF", "cache_size=-400000", "temp_store=MEMORY"):
            raw.execute(f"PRAGMA {pragma}")
        # Before the transaction begins: the journal mode cannot change inside one, nor while
        # another connection has the file open (then the load keeps the write-ahead log).
        with suppress(sqlite3.OperationalError):
            raw.execute("PRAGMA journal_mode=MEMORY")
    try:
        with connection.begin():
            if not sqlite:
                connection.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
            yield
    finally:
        if sqlite:
            raw.execute("PRAGMA journal_mode=WAL")
            raw.execute("PRAGMA synchronous=NORMAL")


def _migrate() -> int:
    flask_migrate.upgrade()
    return 0


def _analyze(tables: Iterable[str]) -> int:
    """Give the query planner statistics of the new rows, as after any bulk load."""
    with db.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("ANALYZE")
        else:  # these tables only: other schemas of the database are not ours
            connection.exec_driver_sql("ANALYZE " + ", ".join(f'"{name}"' for name in tables))
    return 0


def generate(database_url: str, *, scale: float = 1.0, seed: int = 1,
             now: datetime | None = None) -> dict[str, float]:
    """Load a province-scale instance into an empty database; return seconds per part (and
    "total")."""
    report = load(database_url, scale=scale, seed=seed, now=now)
    seconds = {part.name: part.seconds for part in report.parts}
    seconds["total"] = report.seconds
    return seconds


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True,
                        help="an empty database: sqlite:///path or postgresql+psycopg://...")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiplies every count (1: the issue's figures; 0.01 is quick)")
    parser.add_argument("--seed", type=int, default=1, help="the same seed, the same rows")
    args = parser.parse_args(argv)
    report_parts: list[Part] = []
    def show(part: Part) -> None:
        if len(report_parts) == 0:  # after the migrations' own messages
            print(f"\n{'part':36} {'rows':>10} {'seconds':>8} {'CPU s':>7}")
        report_parts.append(part)
        print(f"{part.name:36} {part.rows:>10,} {part.seconds:>8.1f} {part.cpu:>7.1f}",
              flush=True)

    try:
        report = load(args.database_url, scale=args.scale, seed=args.seed, progress=show)
    except DatabaseNotEmpty as error:
        sys.exit(f"generate.py: {error}")
    rows = sum(part.rows for part in report.parts)
    cpu = sum(part.cpu for part in report.parts)
    print(f"{'total':36} {rows:>10,} {report.seconds:>8.1f} {cpu:>7.1f}")
    print("\nrows per table:")
    for table, count in sorted(report.tables.items()):
        print(f"  {table:28} {count:>10,}")
    print("\npages:")
    for name, path in pages(args.scale):
        print(f"  {name:28} {path}")


if __name__ == "__main__":
    sys.exit(main())

"""Search latency over 200,000 comments of Thai and English text: p50 and p95 per database
(not a test).

    .venv/bin/python bench/search.py [--comments 200000] [--queries 200] [--seed 6]

Writes comments made of a few hundred sentence templates and random words (Lampang districts,
figures, dates) straight into a new SQLite file, and indexes them the way the indexer does,
with each template's words segmented once (a bulk load would otherwise spend its time in the
tokenizer, which is measured on its own first). It then runs a mix of one-, two- and three-word
searches through `participation.search.queries.search` (counts per kind, the first page of 20
with snippets) and prints the median and 95th percentile. With
PARTICIPATION_BENCH_DATABASE_URL=postgresql+psycopg://... it does the same in a new schema of
that database (dropped at the end).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import flask_migrate
import sqlalchemy as sa
from export import postgres_schema  # bench/export.py: a PostgreSQL schema of one's own
from flask import Flask

from participation import create_app
from participation.accounts.models import Sector, User
from participation.comments.models import Comment
from participation.extensions import db
from participation.groups.models import WorkingGroup
from participation.proposals.models import Category, Proposal, ProposalState
from participation.search import index, queries, text
from participation.search.models import DocumentKind

BATCH = 5_000
PROPOSALS = 200
START = datetime(2026, 1, 1, tzinfo=UTC)

# The beginnings and ends of comments as people write them about smoke and fire in Lampang.
OPENINGS = [
    "ชาวบ้านในตำบลของเราเห็นควันไฟป่าทุกเช้า", "ค่าฝุ่นละอองขนาดเล็กเกินมาตรฐานติดต่อกันหลายวัน",
    "เด็กนักเรียนต้องใส่หน้ากากอนามัยไปโรงเรียน", "การเผาในที่โล่งยังเกิดขึ้นทุกปีช่วงเดือนมีนาคม",
    "อาสาสมัครดับไฟป่าขาดอุปกรณ์", "เกษตรกรเผาตอซังข้าวโพดหลังเก็บเกี่ยว",
    "โรงพยาบาลส่งเสริมสุขภาพตำบลมีผู้ป่วยโรคทางเดินหายใจเพิ่มขึ้น",
    "หมอกควันปกคลุมตัวเมืองจนมองไม่เห็นดอย", "จุดความร้อนจากดาวเทียมเพิ่มขึ้นมาก",
    "ผู้สูงอายุในหมู่บ้านแสบตาและไอทุกวัน", "ถนนเข้าป่าชุมชนถูกปิดเพื่อป้องกันไฟ",
    "ทำแนวกันไฟร่วมกับหน่วยป้องกันรักษาป่า", "ติดตามค่าคุณภาพอากาศจากสถานีตรวจวัด",
    "ผู้ประกอบการรับซื้อใบอ้อยเพื่อลดการเผา", "ชุมชนตั้งเวรยามเฝ้าระวังไฟในฤดูแล้ง",
    "ข้อเสนอนี้ช่วยลดฝุ่นได้จริงหรือไม่", "งบประมาณของเทศบาลไม่พอสำหรับเครื่องฟอกอากาศ",
    "ควรมีการแจ้งเตือนค่าฝุ่นผ่านเสียงตามสาย", "ป่าต้นน้ำถูกไฟไหม้ซ้ำทุกปี",
    "โรงไฟฟ้าแม่เมาะปล่อยมลพิษเพิ่มเติมหรือไม่",
    "The PM2.5 readings at the provincial station were above 75 for a week",
    "Farmers need machines to plough stubble instead of burning it",
    "Schools should close when the air quality index is red",
    "Volunteers fighting forest fires need radios and water tanks",
    "Hotspots from the satellite data doubled compared with last year",
]
CLOSINGS = [
    "ขอให้หน่วยงานรัฐเร่งแก้ไขโดยด่วน", "เห็นด้วยกับข้อเสนอนี้", "ไม่เห็นด้วยเพราะกระทบรายได้เกษตรกร",
    "ควรจัดประชุมประชาคมหมู่บ้านก่อน", "ขอให้เปิดเผยข้อมูลงบประมาณ", "ต้องมีการติดตามผลทุกเดือน",
    "ขอให้ท้องถิ่นสนับสนุนอุปกรณ์", "ควรให้รางวัลหมู่บ้านที่ไม่มีการเผา", "ขอบคุณคณะทำงานที่รับฟัง",
    "อยากให้มีแผนระยะยาวมากกว่านี้", "ควรบังคับใช้กฎหมายอย่างจริงจัง", "รอคำตอบจากจังหวัด",
    "Please publish the data as open data", "I support this proposal", "This needs a budget line",
]
EXTRA_WORDS = [
    "เมืองลำปาง", "แม่เมาะ", "เกาะคา", "เสริมงาม", "งาว", "แจ้ห่ม", "วังเหนือ", "เถิน", "แม่พริก",
    "แม่ทะ", "สบปราบ", "ห้างฉัตร", "เมืองปาน", "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน",
    "ลำปาง", "ดอยขุนตาล", "อบต.", "กำนัน", "ผู้ใหญ่บ้าน", "Lampang", "AQI", "NASA", "FIRMS",
]
# Searches people would type: single words (common and rare), words inside compounds, pairs
# and triples of words far apart, and mixed Thai and English.
SEARCHES = [
    "ป่า", "ไฟป่า", "ฝุ่น", "หมอกควัน", "ควัน", "เผา", "ตา", "ข้าวโพด", "อาสาสมัคร", "งบประมาณ",
    "แม่เมาะ", "เถิน", "จุดความร้อน", "โรงพยาบาล", "หน้ากาก", "ดาวเทียม", "ใบอ้อย", "เสียงตามสาย",
    "PM2.5", "stubble", "radios", "budget", "open data", "hotspots satellite",
    "เผา ป่า", "ฝุ่น ลำปาง", "ไฟป่า แม่เมาะ", "PM2.5 ลำปาง", "ควัน เด็ก", "ป่าชุมชน ไฟ",
    "เกษตรกร รายได้", "ข้อเสนอ งบประมาณ", "การเผา กฎหมาย", "ค่าฝุ่น เกินมาตรฐาน",
    "ไฟป่า อาสาสมัคร อุปกรณ์", "ฝุ่น โรงเรียน หน้ากาก", "เผา ตอซัง ข้าวโพด",
    "หมอกควัน ดอย มีนาคม", "PM2.5 station week", "โรงไฟฟ้า มลพิษ แม่เมาะ",
]


def build_app(url: str) -> Flask:
    app = create_app({"ENV": "testing", "DATABASE_URL": url, "SECRET_KEY": "b" * 40,
                      "DEFAULT_LOCALE": "en"})
    with app.app_context():
        flask_migrate.upgrade()
    return app


def sentences(seed: int) -> list[str]:
    """A few hundred sentence templates: each opening with each closing."""
    rng = random.Random(seed)
    templates = [f"{opening} {closing}" for opening in OPENINGS for closing in CLOSINGS]
    rng.shuffle(templates)
    return templates


def comment_texts(count: int, seed: int) -> Iterator[tuple[str, list[str]]]:
    """Yield (body, index words) per comment, each piece segmented once (the segment cache)."""
    rng = random.Random(seed)
    templates = sentences(seed)
    segmented: dict[str, list[str]] = {}

    def words_of(piece: str) -> list[str]:
        if piece not in segmented:
            segmented[piece] = text.index_words(piece)
        return segmented[piece]

    for _ in range(count):
        pieces = [rng.choice(templates) for _ in range(rng.randint(1, 3))]
        pieces.insert(rng.randrange(len(pieces) + 1), rng.choice(EXTRA_WORDS))
        pieces.append(str(rng.randint(1, 500)))
        yield " ".join(pieces), [word for piece in pieces for word in words_of(piece)]


def tokenizer_speed(seed: int, samples: int = 2_000) -> str:
    """Segment distinct comments without any cache: characters and words per second."""
    bodies = [body for body, _words in comment_texts(samples, seed + 1)]
    text.index_words("ไฟป่า")  # load the dictionary first
    text.parts.cache_clear()
    started = time.perf_counter()
    words = sum(len(text.index_words(body)) for body in bodies)
    seconds = time.perf_counter() - started
    characters = sum(len(body) for body in bodies)
    return (f"tokenizer (newmm + compound parts, no cache): {characters / seconds:,.0f} "
            f"characters/s, {words / seconds:,.0f} words/s, "
            f"{seconds / samples * 1000:.2f} ms per comment of {characters / samples:.0f} "
            f"characters")


def load(app: Flask, count: int, seed: int) -> tuple[float, float]:
    """Write the comments and their search documents; return (seconds segmenting and building
    rows, seconds writing)."""
    building = writing = 0.0
    with app.app_context():
        group = WorkingGroup(name_th="คณะทำงานแก้ไขปัญหาหมอกควัน", name_en="Smoke working group")
        author = User(email="bench@example.org", password_hash="x", display_name="Bench",
                      sector=Sector.CITIZEN)
        category = Category(name_th="หมอกควัน", name_en="Smoke")
        db.session.add_all([group, author, category])
        db.session.flush()
        for number in range(PROPOSALS):
            db.session.add(Proposal(
                group_id=group.id, title=f"ข้อเสนอที่ {number + 1} เรื่องลดหมอกควัน",
                body="รายละเอียดข้อเสนอ", category_id=category.id, author_id=author.id,
                sector=Sector.CITIZEN, state=ProposalState.OPEN, opened_at=START,
            ))
        db.session.commit()
        proposal_ids = list(db.session.scalars(sa.select(Proposal.id)))
        dialect = db.engine.dialect.name
        upsert = index.UPSERT[dialect]
        comments: list[dict] = []
        documents: list[dict] = []
        for number, (body, words) in enumerate(comment_texts(count, seed), start=1):
            started = time.perf_counter()
            at = START + timedelta(minutes=number)
            proposal_id = proposal_ids[number % len(proposal_ids)]
            comments.append({
                "id": number, "proposal_id": proposal_id, "author_id": author.id, "body": body,
                "revision_count": 1, "created_at": at, "updated_at": at,
            })
            terms = index.with_kind(" ".join(words), DocumentKind.COMMENT)
            row = {
                "kind": DocumentKind.COMMENT.value, "object_id": number, "parent_id": proposal_id,
                "group_id": group.id, "title": "", "body": body, "title_terms": "",
                "body_terms": terms, "dated_at": at,
            }
            if dialect == "postgresql":
                row.update(title_positions="", body_positions=text.positions(terms))
            documents.append(row)
            building += time.perf_counter() - started
            if len(comments) == BATCH or number == count:
                started = time.perf_counter()
                db.session.execute(sa.insert(Comment), comments)
                db.session.connection().execute(upsert, documents)
                db.session.commit()
                writing += time.perf_counter() - started
                comments, documents = [], []
        if dialect == "postgresql":
            db.session.execute(sa.text("ANALYZE search_documents"))
            db.session.commit()
    return building, writing


def run(label: str, url: str, count: int, searches: list[str], seed: int) -> None:
    app = build_app(url)
    building, writing = load(app, count, seed)
    print(f"\n{label}: indexed {count:,} comments in {building + writing:.1f} s "
          f"({building:.1f} s segmenting with the cache and building rows, "
          f"{writing:.1f} s writing rows and index)", flush=True)
    with app.app_context(), app.test_request_context():
        for q in SEARCHES:  # warm the caches once, as a running server would be
            queries.search(queries.SearchRequest(q=q), per_page=20)
        timings: dict[int, list[float]] = {1: [], 2: [], 3: []}
        matches = []
        for q in searches:
            started = time.perf_counter()
            results = queries.search(queries.SearchRequest(q=q), per_page=20)
            timings[min(3, len(q.split()))].append((time.perf_counter() - started) * 1000)
            matches.append(results.total)
            db.session.rollback()
        every = [ms for values in timings.values() for ms in values]
        print(f"{'words':>9} {'searches':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for words, values in [*timings.items(), ("all", every)]:
            if values:
                print(f"{words:>9} {len(values):>8} {percentile(values, 50):>8.1f} "
                      f"{percentile(values, 95):>8.1f} {max(values):>8.1f}")
        print(f"matches counted per search (at most {queries.RANKED_PER_KIND:,} per kind): "
              f"median {statistics.median(matches):,.0f}, max {max(matches):,}; load average {os.getloadavg()[0]:.1f} on "
              f"{os.cpu_count()} CPUs (other work on the machine slows every figure)")
        db.engine.dispose()


def percentile(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    searches = [SEARCHES[n % len(SEARCHES)] for n in range(args.queries)]
    rng.shuffle(searches)

    print(tokenizer_speed(args.seed), flush=True)
    with tempfile.TemporaryDirectory() as folder:
        run("SQLite (FTS5)", f"sqlite:///{Path(folder) / 'search.db'}", args.comments, searches,
            args.seed)
    postgres = os.environ.get("PARTICIPATION_BENCH_DATABASE_URL")
    if postgres:
        url, drop = postgres_schema(postgres)
        try:
            run("PostgreSQL (tsvector, GIN)", url, args.comments, searches, args.seed)
        finally:
            drop()


if __name__ == "__main__":
    main()

"""Thai word segmentation for the index: dictionary words, compound parts, mixed text, offline."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import textwrap
from pathlib import Path

from participation.search import text


def test_thai_text_is_cut_into_dictionary_words():
    assert text.segment("เผาในที่โล่งตามป่า") == ["เผา", "ใน", "ที่โล่ง", "ตาม", "ป่า"]


def test_a_compound_is_indexed_with_its_parts_but_a_word_holding_another_is_not():
    assert text.index_words("ไฟป่า") == ["ไฟ", "ป่า", "ไฟป่า"]
    assert text.index_words("ทำให้เกิด") == ["ทำให้", "เกิด", "ทำให้เกิด"]
    # ตาม (follow) holds ตา (eye) as letters, but ม is no word: ตาม has no parts.
    assert text.index_words("ตาม") == ["ตาม"]


def test_a_province_name_is_not_split_into_its_syllables():
    assert text.index_words("ลำปาง เชียงใหม่") == ["ลำปาง", "เชียงใหม่"]


def test_mixed_thai_and_english_with_figures():
    assert text.segment("ฝุ่น PM2.5 ในลำปาง") == ["ฝุ่น", "pm", "2", "5", "ใน", "ลำปาง"]
    assert text.segment("PM 2.5") == text.segment("pm2.5")
    assert text.segment("Café straße") == ["café", "strasse"]


def test_thai_digits_are_the_same_numbers_as_arabic_ones():
    assert text.segment("พ.ศ. ๒๕๖๙") == text.segment("พ.ศ. 2569")


def test_punctuation_and_markup_are_not_words():
    assert text.segment("**ไฟป่า!** — <b>\"ฝุ่น\"</b> ฯลฯ") == ["ไฟป่า", "b", "ฝุ่น", "b", "ฯลฯ"]


def test_a_query_drops_stopwords_unless_nothing_else_remains():
    assert text.query_words("การเผาป่าและไฟป่า") == ["เผา", "ป่า", "ไฟป่า"]
    assert text.query_words("และ") == ["และ"]


def test_spans_point_at_the_words_in_the_text():
    written = text.prepare("PM2.5 ที่ลำปาง Straße")
    assert [(written[s.start:s.end], s.word) for s in text.spans(written)] == [
        ("PM", "pm"), ("2", "2"), ("5", "5"), ("ที่", "ที่"), ("ลำปาง", "ลำปาง"),
        ("Straße", "strasse"),
    ]


def test_tsvector_positions_follow_the_words():
    assert text.positions("ไฟ ป่า ไฟป่า", first=3) == "ไฟ:3 ป่า:4 ไฟป่า:5"


OFFLINE_CHECK = textwrap.dedent(
    """
    import sys

    attempts = []

    def watch(event, args):
        # Any network use, folder made, and file opened for writing is recorded.
        if event.startswith("socket.") or event in ("urllib.Request", "os.mkdir"):
            attempts.append(event)
        if event == "open" and len(args) > 1 and isinstance(args[1], str) and (
                set(args[1]) & set("wax+")):
            attempts.append(f"write {args[0]}")

    sys.addaudithook(watch)
    from participation.search import text
    words = text.index_words("ไฟป่าในลำปางทำให้เกิดฝุ่น PM2.5") + text.query_words("การเผาป่า")
    print(" ".join(words))
    print("ATTEMPTS", attempts)
    """
)


def test_segmenting_needs_no_network_and_writes_nothing(tmp_path: Path):
    """PyThaiNLP's dictionary and tokenizer come from the installed package: with an
    empty data folder and every socket watched, nothing is fetched or written."""
    data = tmp_path / "pythainlp-data"
    home = tmp_path / "home"
    home.mkdir()
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("PYTHAINLP")
    }
    environment.update(PYTHAINLP_DATA=str(data), HOME=str(home))
    done = subprocess.run(
        [sys.executable, "-c", OFFLINE_CHECK], capture_output=True, text=True, check=True,
        env=environment, cwd=Path(__file__).parents[2],
    )
    assert "ไฟ ป่า ไฟป่า ใน ลำปาง" in done.stdout
    assert "ATTEMPTS []" in done.stdout, done.stdout
    assert not data.exists() and list(home.iterdir()) == []


def test_a_word_a_reader_searches_for_is_not_dropped_as_a_stopword():
    # PyThaiNLP's stopword list holds รับรอง (approve); "approving the minutes" must need both.
    assert text.query_words("รับรองรายงาน") == ["รับรอง", "รายงาน"]


FIRST_SEARCHES_AT_ONCE = textwrap.dedent(
    """
    import threading

    from pythainlp.tokenize import word_dict_trie

    from participation.search import text

    threads = [threading.Thread(target=text.segment, args=("ไฟป่าในลำปาง",)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print("BUILT", text._load_thai.cache_info().misses)
    print("PYTHAINLP", word_dict_trie.cache_info().misses)
    """
)


def test_threads_searching_at_once_build_the_dictionary_once():
    """The first searches in a threaded server process share one dictionary instead of each
    thread building its own; PyThaiNLP's own trie (about 60 MB) is never built."""
    done = subprocess.run(
        [sys.executable, "-c", FIRST_SEARCHES_AT_ONCE], capture_output=True, text=True,
        check=True, cwd=Path(__file__).parents[2],
    )
    assert "BUILT 1" in done.stdout and "PYTHAINLP 0" in done.stdout, done.stdout


def test_the_compact_dictionary_segments_as_pythainlps_own_trie():
    """text.Dictionary stands in for PyThaiNLP's trie (60 MB): newmm must cut the same."""
    from pythainlp.corpus import thai_words
    from pythainlp.tokenize import word_tokenize

    newmm, dictionary, _provinces = text._thai()
    words = sorted(thai_words())
    rng = random.Random(8)
    samples = ["ไฟป่าชุมชนลำปาง", "การเผาในที่โล่ง๒๕๖๘", "ฝุ่นพีเอ็มสองจุดห้า"] + [
        "".join(rng.choice(words) if rng.random() < 0.9 else chr(rng.randint(0x0E01, 0x0E4E))
                for _ in range(rng.randint(1, 25)))
        for _ in range(400)
    ]
    for sample in samples:
        assert newmm(sample) == word_tokenize(sample, engine="newmm", keep_whitespace=False)
    assert "ไฟป่า" in dictionary and "ไฟป่าx" not in dictionary
    assert dictionary.prefixes("xไฟป่าไหม้", 1)[:2] == ["ไฟ", "ไฟป่า"]

"""How JSON columns are written: compact, with Thai as itself, and escapes only for text that
has no UTF-8 form (a stored log entry's text: tests/accountability/test_fast_verification.py)."""

import json

from participation.core.models import json_text


def test_json_is_written_compact_with_thai_as_itself():
    value = {"title": "ฝุ่น PM2.5 ลำปาง", "list": [1, 2.5, None, True], "b": {"a": "é"}}
    assert json_text(value) == (
        '{"title":"ฝุ่น PM2.5 ลำปาง","list":[1,2.5,null,true],"b":{"a":"é"}}')
    assert json.loads(json_text(value)) == value
    assert list(json.loads(json_text(value))) == ["title", "list", "b"]  # in their order


def test_text_without_a_utf8_form_keeps_its_escapes_and_reads_back_the_same():
    value = {"name": "lone \ud800 surrogate ลำปาง"}
    assert json_text(value) == '{"name":"lone \\ud800 surrogate \\u0e25\\u0e33\\u0e1b\\u0e32\\u0e07"}'
    assert json.loads(json_text(value)) == value

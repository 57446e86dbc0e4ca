"""Markdown bodies are sanitised: no script, no event handler, no javascript: link survives."""

import pytest

from portal.text import render_markdown

REL = 'rel="noopener noreferrer nofollow"'


@pytest.mark.parametrize(("source", "html"), [
    ("Hello <script>alert(1)</script>", "<p>Hello </p>"),
    ("<SCRIPT SRC=//evil.example/x.js></SCRIPT>", ""),
    ("<img src=x onerror=alert(1)>", "<p></p>"),
    ("<svg onload=alert(1)>", "<p></p>"),
    ('<p onmouseover="steal()">hi</p>', "<p>hi</p>"),
    ('<a href="javascript:alert(1)" onclick="steal()">link</a>', f"<p><a {REL}>link</a></p>"),
    ("[click](javascript:alert(1))", f"<p><a {REL}>click</a></p>"),
    ("[click](JaVaScRiPt:alert(1))", f"<p><a {REL}>click</a></p>"),
    ('<a href="java&#x09;script:alert(1)">t</a>', f"<p><a {REL}>t</a></p>"),
    ('<iframe src="https://evil.example"></iframe>', ""),
    ("<style>body{display:none}</style>text", "\n<p>text</p>"),
])
def test_render_markdown_removes_scripts_handlers_and_javascript_links(source, html):
    assert render_markdown(source) == html


def test_render_markdown_keeps_headings_lists_emphasis_and_safe_links():
    source = "## 개요\n\n- **굵게** 와 *기울임*\n- [누리집](https://www.mss.go.kr)"
    assert render_markdown(source) == (
        "<h2>개요</h2>\n<ul>\n<li><strong>굵게</strong> 와 <em>기울임</em></li>\n"
        f'<li><a href="https://www.mss.go.kr" {REL}>누리집</a></li>\n</ul>'
    )


def test_render_markdown_keeps_tables():
    assert render_markdown("| 구분 | 금액 |\n|---|---|\n| 국비 | 20억 |") == (
        "<table>\n<thead>\n<tr>\n<th>구분</th>\n<th>금액</th>\n</tr>\n</thead>\n<tbody>\n"
        "<tr>\n<td>국비</td>\n<td>20억</td>\n</tr>\n</tbody>\n</table>"
    )

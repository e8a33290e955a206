"""The engine: decoding, parsing once, CA901, suppressions, spans."""

import sys
import textwrap

import pytest

from compile_audit.lint.engine import lint_source
from compile_audit.lint.registry import all_rules, select_rules

RULES = all_rules()

BREAK = textwrap.dedent(
    """\
    import torch

    class Net(torch.nn.Module):
        def forward(self, x):
            print(x)
            return x
    """
)


def codes(result):
    return [(f.code, f.span.line) for f in result.findings]


def test_exact_span_of_a_finding():
    result = lint_source(BREAK, "m.py", RULES)
    (finding,) = result.findings
    assert (finding.code, finding.span.line, finding.span.column) == ("CA105", 5, 9)
    assert (finding.span.end_line, finding.span.end_column) == (5, 17)
    assert result.lines[5] == "        print(x)"


def test_empty_file():
    assert lint_source(b"", "empty.py", RULES).findings == []


def test_bom_crlf_and_coding_cookie():
    crlf = BREAK.replace("\n", "\r\n").encode()
    assert codes(lint_source(b"\xef\xbb\xbf" + crlf, "bom.py", RULES)) == [("CA105", 5)]
    latin = ("# -*- coding: latin-1 -*-\n# caf\xe9\n" + BREAK).encode("latin-1")
    assert codes(lint_source(latin, "latin.py", RULES)) == [("CA105", 7)]


def test_syntax_error_is_a_finding_with_the_parsers_message():
    result = lint_source(b"import torch\ndef f(:\n    pass\n", "bad.py", RULES)
    (finding,) = result.findings
    assert finding.code == "CA901" and finding.span.line == 2
    assert finding.message.startswith(f"SyntaxError (Python {sys.version_info.major}.{sys.version_info.minor}): ")


def test_nul_bytes_and_undecodable_bytes_are_ca901():
    assert codes(lint_source(b"x = 1\n\x00\x01", "bin.py", RULES)) == [("CA901", 2)]
    result = lint_source(b"x = '\xff\xfe'\n", "bad_utf8.py", RULES)
    assert [f.code for f in result.findings] == ["CA901"]
    assert "utf-8" in result.findings[0].message


def test_unknown_coding_cookie_is_ca901():
    result = lint_source(b"# -*- coding: no-such-codec -*-\nx = 1\n", "cookie.py", RULES)
    assert [f.code for f in result.findings] == ["CA901"]


def test_ca901_can_be_deselected():
    rules = select_rules(ignore=["CA901"])
    assert lint_source(b"def f(:\n", "bad.py", rules).findings == []


@pytest.mark.parametrize(
    "comment,suppressed",
    [
        ("# noqa", True),
        ("# noqa: CA105", True),
        ("# noqa: CA101, CA105", True),
        ("# noqa:CA105", True),
        ("# NOQA: ca105", True),
        ("# noqa: CA101", False),
        ("# noqa: E501", False),
        ("# a comment", False),
    ],
)
def test_line_noqa(comment, suppressed):
    source = BREAK.replace("print(x)", f"print(x)  {comment}")
    assert (lint_source(source, "m.py", RULES).findings == []) is suppressed


def test_noqa_inside_a_string_does_not_count():
    source = BREAK.replace("print(x)", 'print(x, "# noqa")')
    assert codes(lint_source(source, "m.py", RULES)) == [("CA105", 5)]


@pytest.mark.parametrize(
    "header,suppressed",
    [("# compile-audit: noqa", True), ("# compile-audit: noqa: CA105", True), ("# compile-audit: noqa: CA101", False)],
)
def test_file_level_noqa(header, suppressed):
    source = header + "\n" + BREAK
    assert (lint_source(source, "m.py", RULES).findings == []) is suppressed


def test_files_without_torch_are_only_parsed():
    source = "def forward(x):\n    print(x)\n"
    assert lint_source(source, "plain.py", RULES).findings == []


def test_a_findings_gb_code_is_the_one_its_message_names():
    source = textwrap.dedent(
        """
        import torch

        @torch.compile
        def f(i, v):
            s = torch.sparse_coo_tensor(i, v, (3,))
            return s
        """
    ).lstrip()
    found = {f.span.line: f.gb_code for f in lint_source(source, "m.py", RULES).findings if f.code == "CA138"}
    assert found[5] == "GB0007"  # sparse_coo_tensor is a skipped function, not CA138's first code

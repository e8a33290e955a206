"""Issue 30: ``--output-format html``, one self-contained page that opens from disk."""

import shutil
import subprocess
import sys
import textwrap
from html.parser import HTMLParser

import pytest

from conftest import ROOT

VOID = {"meta", "br", "img", "link", "input", "hr"}


class Page(HTMLParser):
    """The page's structure: every element closed in order, what loads from outside, findings,
    strips."""

    def __init__(self):
        super().__init__()
        self.stack, self.errors, self.external, self.findings, self.graphs, self.eager = [], [], [], [], [], []
        self.tags = set()
        self._in_eager = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.add(tag)
        for key in ("src", "href"):
            if key in attrs:
                self.external.append(attrs[key])
        classes = (attrs.get("class") or "").split()
        if "finding" in classes:
            self.findings.append((attrs["data-code"], int(attrs["data-line"]), int(attrs["data-rank"])))
        if "graph" in classes:
            self.graphs.append(int(attrs["data-ops"]))
        self._in_eager = "eager" in classes
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        if self._in_eager and data.strip():
            self.eager.append(data.strip())
            self._in_eager = False


def parse(text):
    page = Page()
    page.feed(text)
    page.close()
    return page


def test_the_page_is_one_well_formed_self_contained_document(tmp_path):
    (tmp_path / "m.py").write_text(textwrap.dedent("""
        import torch


        class Net(torch.nn.Module):
            def forward(self, x):
                for _ in range(2):
                    if x.sum() > 0:  # <b>not markup</b>
                        x = x - 1
                print("done")
                return x
    """).lstrip())
    proc = subprocess.run([sys.executable, "-m", "compile_audit", "scan", "m.py", "--output-format", "html"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith("<!DOCTYPE html>")
    page = parse(proc.stdout)
    assert page.errors == [] and page.stack == []
    assert page.external == [] and "script" not in page.tags and "link" not in page.tags
    # each finding marked at its line, the costliest first: the break in the loop ranks 1
    assert sorted(page.findings) == [("CA104", 7, 1), ("CA105", 9, 2)]
    assert "&lt;b&gt;not markup&lt;/b&gt;" in proc.stdout


@pytest.mark.dynamic
def test_the_fixtures_page_renders_in_a_headless_browser(tmp_path):
    pytest.importorskip("torch")
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        pytest.skip("no chromium here (.ci/run installs it)")
    page_file = tmp_path / "report.html"
    proc = subprocess.run([sys.executable, "-m", "compile_audit", "scan", "fixtures/everyday", "--confirm",
                           "--output-format", "html", "-o", str(page_file)], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 1, proc.stderr
    dom = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                          page_file.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    page = parse(dom.stdout)
    # the browser built the document: findings at their lines, strips with their graphs
    codes = {code for code, _, _ in page.findings}
    assert {"CA104", "CA105", "CA102", "CA112"} <= codes
    assert min(rank for _, _, rank in page.findings) == 1
    assert 'data-target="fixtures/everyday/audit_everyday.py::audit_max_normalizer"' in dom.stdout
    assert sorted(page.graphs)[-1] >= 3 and len(page.graphs) >= 7
    assert "forward ran eagerly (a break in a loop)" in page.eager
    shot = tmp_path / "shot.png"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", f"--screenshot={shot}",
                    "--window-size=1000,800", page_file.as_uri()], capture_output=True, timeout=120)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000  # something was painted

"""The harness of the crm CLI tests: running the binary, reading its output,
the @test registry and the runner (see test_cli.py)."""
import csv
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import unicodedata

CRM = None
TESTS = {}

EXIT_USAGE, EXIT_NOT_FOUND, EXIT_INVALID, EXIT_OTHER = 1, 2, 3, 4


def test(fn):
    TESTS[fn.__name__[len("test_"):]] = fn
    return fn


class Result:
    def __init__(self, args, code, out, err):
        self.args, self.code, self.out, self.err = args, code, out, err

    def __repr__(self):
        return f"crm {self.args!r} -> {self.code}\n--- stdout\n{self.out}\n--- stderr\n{self.err}"

    def json(self):
        return json.loads(self.out)


class Env:
    """A temporary directory with CRM_DB pointing at a database inside it."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="crm-cli-test-")
        self.db = os.path.join(self.dir, "test.db")

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def run(self, *args, stdin=None, env=None):
        e = dict(os.environ)
        e.pop("CRM_ACTOR", None)
        e["CRM_DB"] = self.db
        if env:
            e.update(env)
        argv = [CRM] + [a if isinstance(a, bytes) else str(a) for a in args]
        p = subprocess.run(argv, input=stdin.encode() if isinstance(stdin, str) else stdin,
                           capture_output=True, env=e, cwd=self.dir, timeout=300)
        return Result(args, p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8"))

    def ok(self, *args, **kw):
        r = self.run(*args, **kw)
        check(r.code == 0, f"expected success\n{r}")
        check(r.err == "" or "next:" in r.err or "creating" in r.err, f"unexpected stderr\n{r}")
        return r

    def fails(self, code, *args, contains=None, **kw):
        r = self.run(*args, **kw)
        check(r.code == code, f"expected exit code {code}\n{r}")
        check(r.out == "", f"a failed command printed to stdout\n{r}")
        check(r.err.startswith("crm: error: "), f"error message format\n{r}")
        if contains:
            for c in [contains] if isinstance(contains, str) else contains:
                check(c in r.err, f"expected {c!r} in stderr\n{r}")
        return r

    def add(self, entity, *args):
        return self.ok("--json", entity, "add", *args).json()


class Failed(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failed(msg)


def eq(a, b, what=""):
    check(a == b, f"{what}: expected {b!r}, got {a!r}")


# ---- display width, as a terminal shows it -----------------------------------------
def width(s):
    w = 0
    for ch in s:
        if unicodedata.combining(ch):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w


def from_column(line, col):
    """The text of `line` from display column `col`; fails if `col` splits a wide character."""
    w = 0
    for i, ch in enumerate(line):
        if w == col:
            return line[i:]
        w += width(ch)
        if w > col:
            raise Failed(f"column {col} falls inside a wide character in {line!r}")
    return ""  # trailing empty cells: the line was right-trimmed


def table(out):
    """Parses an aligned table: header columns start where the '---' rules start. It ends at
    the first empty line (a summary may follow: the total line of 'deal list')."""
    lines = out.rstrip("\n").split("\n")
    if "" in lines:
        lines = lines[: lines.index("")]
    check(len(lines) >= 2 and set(lines[1]) <= {"-", " "}, f"not a table:\n{out}")
    starts = [m.start() for m in re.finditer(r"-+", lines[1])]  # the rule line is ASCII
    headers = [lines[0][s:].split("  ")[0].strip() for s in starts]
    rows = []
    for line in lines[2:]:
        cells = []
        for k, s in enumerate(starts):
            rest = from_column(line, s)
            if k + 1 < len(starts):
                # the cell ends before the next column; the gap is at least two spaces
                nxt = from_column(line, starts[k + 1])
                cell = rest[: len(rest) - len(nxt)]
                if nxt:
                    check(cell.endswith("  ") or cell.strip() == "", f"no gap before column {k + 1}: {line!r}")
                cells.append(cell.strip())
            else:
                cells.append(rest.strip())
        rows.append(dict(zip(headers, cells)))
    return headers, rows


def record_view(out):
    """Parses the 'field  value' view of one record."""
    d = {}
    for line in out.rstrip("\n").split("\n"):
        parts = line.split(None, 1)
        d[parts[0]] = parts[1] if len(parts) > 1 else ""
    return d


def parse_csv(out):
    check(out.endswith("\r\n"), "CSV lines end with CRLF")
    return list(csv.DictReader(io.StringIO(out, newline="")))


def main():
    global CRM
    if len(sys.argv) == 2 and sys.argv[1] == "--list":
        print(";".join(TESTS))  # a CMake list: tests/cli/CMakeLists.txt registers each
        return 0
    if len(sys.argv) < 2:
        print(sys.modules["__main__"].__doc__, file=sys.stderr)
        return 2
    CRM = os.path.abspath(sys.argv[1])
    names = sys.argv[2:] or list(TESTS)
    failed = 0
    for name in names:
        if name not in TESTS:
            print(f"unknown test {name!r}; tests: {', '.join(TESTS)}", file=sys.stderr)
            return 2
        env = Env()
        try:
            TESTS[name](env)
            print(f"ok   {name}")
        except Failed as e:
            failed += 1
            print(f"FAIL {name}: {e}")
        finally:
            env.close()
    return 1 if failed else 0

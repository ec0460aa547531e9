"""Hostile package files (issue 26): zip tricks, broken descriptors, references to remote or outside files.

Each package is a genuine ``womenstats export`` changed here (tests/package_tools.py). Every case goes
through ``womenstats ingest … --region 440700 --revise`` into a store that already holds data: the
command prints the package's own error (code, the file, what to do) and exits 1, no traceback reaches
the user, and the store is byte for byte what it was. A local canary HTTP server shows that nothing is
fetched while a package that points at it is ingested.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import socket
import threading
import time
import urllib.request
import zipfile
from pathlib import Path
from typing import ClassVar

import pytest

from package_tools import (
    OBSERVATIONS,
    entries,
    genuine,
    patch_central,
    read_rows,
    tamper,
    with_descriptor,
    write_rows,
    write_zip,
)
from womenstats.cli import main
from womenstats.intake import Store
from womenstats.intake.package import PackageError, ingest_packages
from womenstats.report.provenance import input_files

CITY = "440700"


@pytest.fixture(scope="module")
def kaiping(tmp_path_factory) -> Path:
    return genuine(Store(), "440783", tmp_path_factory.mktemp("genuine") / "440783.zip")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("seeded")
    store = folder / "江门.sqlite"
    assert main(["ingest", str(genuine(Store(), "440784", folder / "440784.zip")), "--store", str(store),
                 "--region", CITY]) == 0
    return store


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _refused(package: Path, store: Path, capsys, code: str, words: str = "") -> str:
    """Ingest through the command line: exit 1, the package's error naming it, the store unchanged."""
    before = _sha(store)
    capsys.readouterr()
    status = main(["ingest", str(package), "--store", str(store), "--region", CITY, "--revise"])
    out, err = capsys.readouterr()
    assert status == 1, out + err
    assert out.startswith(f"{package.name}") and f" {code}: " in out.splitlines()[0], out
    assert words in out, out
    assert "Traceback" not in out + err and "数据库保持原样" in err
    assert _sha(store) == before
    return out


def _resource(index: int, **changes):
    def edit(meta):
        meta["resources"][index].update(changes)
    return edit


# -- paths, schemas and dialects: nothing remote, nothing outside -----------------------------------------
@pytest.mark.parametrize(("change", "words"), [
    (_resource(0, path="../../etc/passwd"), "指向数据包之外"),
    (_resource(0, path="/etc/passwd"), "是绝对路径"),
    (_resource(0, path="C:\\Windows\\win.ini"), "是绝对路径"),
    (_resource(0, path="data\\observations.csv"), "是绝对路径"),
    (_resource(0, path="https://example.org/observations.csv"), "是网址"),
    (_resource(0, path=["data/observations.csv"]), "应为数据包内的一个文件名"),
    (_resource(0, path="data/extra.csv"), "声明的文件 data/extra.csv 不在数据包中"),
    (_resource(0, schema="https://example.org/schema.json"), "只接受写在描述文件中的内容"),
    (_resource(0, schema="schema.json"), "只接受写在描述文件中的内容"),
    (_resource(1, dialect="https://example.org/dialect.json"), "只接受写在描述文件中的内容"),
])
def test_remote_absolute_and_outside_references_are_refused(kaiping, seeded, tmp_path, capsys, change, words):
    bad = tamper(kaiping, tmp_path / "bad.zip", descriptor=change)
    _refused(bad, seeded, capsys, "E_PACKAGE_PATH", words)


class _Canary(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self):
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def canary():
    _Canary.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Canary)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Canary.hits
    server.shutdown()
    server.server_close()


def test_nothing_is_fetched_while_packages_are_ingested(kaiping, tmp_path, canary, monkeypatch, capsys):
    url, hits = canary
    connects: list[object] = []
    real_connect = socket.socket.connect

    def spy(sock, address):
        connects.append(address)
        return real_connect(sock, address)

    def everywhere(meta):
        meta["profile"] = f"{url}/profile.json"
        meta["resources"][0].update(schema=f"{url}/schema.json", profile=f"{url}/resource.json")
        meta["resources"][1].update(dialect=f"{url}/dialect.json")

    def source_urls(rows):
        for row in rows[:5]:
            row["source_file"] = f"{url}/source.xlsx"
    store = Store(tmp_path / "江门.sqlite")
    remote = tamper(kaiping, tmp_path / "remote.zip", descriptor=everywhere)
    urls_in_rows = tamper(kaiping, tmp_path / "urls.zip", rows=source_urls)
    monkeypatch.setattr(socket.socket, "connect", spy)
    with pytest.raises(PackageError) as caught:
        ingest_packages([remote], store, region=CITY)
    assert caught.value.code == "E_PACKAGE_PATH"
    [result] = ingest_packages([urls_in_rows], store, region=CITY)  # a URL as a source name is only a name
    assert result.summary.n_new == len(read_rows(entries(kaiping)[OBSERVATIONS])[1])
    stored = set(store.observations()["source_file"])
    assert f"urls.zip!/{url.replace('//', '/')}/source.xlsx" in stored
    assert all(name.startswith("urls.zip!/") for name in stored)
    # a report's provenance of these rows opens none of them
    shown = input_files(store, "kaiping", store.observations())
    assert all(row["sha256_now"] is None for row in shown)
    monkeypatch.undo()
    assert hits == [] and connects == []
    # the canary works: a request does reach it
    urllib.request.urlopen(f"{url}/probe", timeout=5).read()
    assert hits == ["/probe"]


def test_source_names_that_point_outside_are_stored_inside_the_package(kaiping, tmp_path):
    names = ["/etc/passwd", "../../../etc/shadow", "C:\\Users\\县统计局\\卫健.xlsx", "./a/./b.csv"]

    def outside(rows):
        for row, name in zip(rows, names, strict=False):
            row["source_file"] = name
    store = Store(tmp_path / "江门.sqlite")
    ingest_packages([tamper(kaiping, tmp_path / "p.zip", rows=outside)], store, region=CITY)
    stored = set(store.observations()["source_file"])
    inside = {"p.zip!/etc/passwd", "p.zip!/etc/shadow", "p.zip!/Users/县统计局/卫健.xlsx", "p.zip!/a/b.csv"}
    assert inside <= stored
    assert all(row["sha256_now"] is None for row in input_files(store, "kaiping", store.observations()))


# -- the descriptor ---------------------------------------------------------------------------------------
def _descriptor(kaiping: Path) -> str:
    return entries(kaiping)["datapackage.json"].decode("utf-8")


_BROKEN = "E_PACKAGE_DESCRIPTOR"


@pytest.mark.parametrize(("raw", "code", "words"), [
    (lambda text: text.encode("gbk"), _BROKEN, "不是 UTF-8 编码"),
    (lambda text: text.encode("utf-16"), _BROKEN, "不是 UTF-8 编码"),
    (lambda text: text[: len(text) // 2].encode("utf-8"), _BROKEN, "不是有效的 JSON"),
    (lambda text: ("[" * 100_000 + "]" * 100_000).encode(), _BROKEN, "嵌套层数过多"),
    (lambda text: json.dumps([json.loads(text)]).encode(), _BROKEN, "不是一个 JSON 对象"),
    (lambda text: text.replace('"region_code"', '"region"').encode(), _BROKEN, "womenstats.region_code null"),
    (lambda text: text.replace('"package_version": 1', '"package_version": 9').encode(), "E_PACKAGE",
     "数据包版本为 9"),
    (lambda text: b" " * (1024 * 1024 + 1), "E_TOO_LARGE", "超过上限 1.0 MiB"),
])
def test_a_broken_descriptor_is_the_packages_own_error(kaiping, seeded, tmp_path, capsys, raw, code, words):
    bad = with_descriptor(kaiping, tmp_path / "bad.zip", raw(_descriptor(kaiping)))
    out = _refused(bad, seeded, capsys, code, words)
    assert "请用 womenstats export 重新导出数据包" in out


@pytest.mark.parametrize(("count", "code"), [(3, "E_TOO_LARGE"), (870_000, "E_TOO_LARGE")])
def test_a_descriptor_listing_too_many_resources_is_refused_at_once(kaiping, seeded, tmp_path, capsys, count,
                                                                  code):
    meta = json.loads(_descriptor(kaiping))
    meta["resources"] = [meta["resources"][0]] * count if count < 10 else [{"name": "x"}] * count
    bad = with_descriptor(kaiping, tmp_path / "bad.zip", json.dumps(meta).encode())
    start = time.perf_counter()
    _refused(bad, seeded, capsys, code)
    assert time.perf_counter() - start < 5


# -- the zip ----------------------------------------------------------------------------------------------
def test_two_entries_of_one_name_are_refused(kaiping, seeded, tmp_path, capsys):
    files = entries(kaiping)
    head, rows = read_rows(files[OBSERVATIONS])
    rows[0]["value"] = "1"
    items = [*files.items(), (OBSERVATIONS, write_rows(head, rows))]
    _refused(write_zip(tmp_path / "bad.zip", items), seeded, capsys, "E_PACKAGE_ZIP",
             f"zip 中有两个同名文件 {OBSERVATIONS}")


def test_an_encrypted_entry_is_refused(kaiping, seeded, tmp_path, capsys):
    bad = write_zip(tmp_path / "bad.zip", list(entries(kaiping).items()))
    patch_central(bad, OBSERVATIONS, flags=0x1)
    _refused(bad, seeded, capsys, "E_PACKAGE_ZIP", "已加密")


def _bomb(kaiping: Path, out: Path, megabytes: int) -> Path:
    files = entries(kaiping)
    filler = b"440783," * (megabytes * 1024 * 1024 // 7)
    files[OBSERVATIONS] += filler
    return write_zip(out, list(files.items()))


def test_an_entry_that_inflates_past_its_declared_size_is_stopped_at_once(kaiping, seeded, tmp_path, capsys):
    bad = patch_central(_bomb(kaiping, tmp_path / "bad.zip", 200), OBSERVATIONS, size=1000)
    assert bad.stat().st_size < 2 * 1024 * 1024
    start = time.perf_counter()
    out = _refused(bad, seeded, capsys, "E_PACKAGE_ZIP", "解压后比 zip 记录的 1000 字节更长")
    assert time.perf_counter() - start < 5, out


def test_a_declared_size_over_the_limit_is_refused_before_reading(kaiping, seeded, tmp_path, capsys):
    bad = write_zip(tmp_path / "bad.zip", list(entries(kaiping).items()))
    patch_central(bad, OBSERVATIONS, size=600 * 1024 * 1024)
    _refused(bad, seeded, capsys, "E_TOO_LARGE", "超过上限 512.0 MiB")


@pytest.mark.parametrize(("damage", "code"), [
    (lambda data: data[: len(data) // 2], "E_PACKAGE"),
    (lambda data: b"PK\x03\x04" + b"\0" * 200, "E_PACKAGE"),
])
def test_a_damaged_zip_is_refused(kaiping, seeded, tmp_path, capsys, damage, code):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(damage(kaiping.read_bytes()))
    _refused(bad, seeded, capsys, code)


def test_a_stream_that_disagrees_with_its_crc_is_refused(kaiping, seeded, tmp_path, capsys):
    bad = write_zip(tmp_path / "bad.zip", list(entries(kaiping).items()))
    with zipfile.ZipFile(bad) as zf:
        info = zf.getinfo(OBSERVATIONS)
        crc = info.CRC
    data = bytearray(bad.read_bytes())
    at = data.find(crc.to_bytes(4, "little"), data.find(b"PK\x01\x02"))
    data[at:at + 4] = (crc ^ 1).to_bytes(4, "little")
    bad.write_bytes(bytes(data))
    _refused(bad, seeded, capsys, "E_PACKAGE_ZIP", "校验和")


def test_a_report_opens_only_plain_names_inside_data_raw(tmp_path, monkeypatch):
    from womenstats import paths

    monkeypatch.setenv("WOMENSTATS_HOME", str(tmp_path / "home"))
    raw = tmp_path / "home" / "data" / "raw"
    (raw / "demo").mkdir(parents=True)
    (raw / "demo" / "ok.csv").write_text("x", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    (raw / "link.csv").symlink_to(secret)
    assert paths.raw_file("demo/ok.csv") == raw.resolve() / "demo" / "ok.csv"
    for name in (str(secret), "../../secret.txt", "demo/../../../secret.txt", "link.csv", "C:\\secret.txt",
                 "440783.zip!/demo/ok.csv", "http://127.0.0.1/secret.txt", "", "demo//ok.csv"):
        assert paths.raw_file(name) is None, name


@pytest.mark.parametrize(("change", "code"), [
    (_resource(0, name=["observations"]), "E_PACKAGE_DESCRIPTOR"),
    (_resource(0, name="extra"), "E_PACKAGE"),
    (_resource(0, hash=None), "E_PACKAGE_DESCRIPTOR"),
    (_resource(0, hash="md5:0"), "E_PACKAGE_HASH"),
    (lambda meta: meta["resources"].pop(), "E_PACKAGE"),
    (lambda meta: meta.update(resources={"observations": {}}), "E_PACKAGE_DESCRIPTOR"),
    (lambda meta: meta["resources"].__setitem__(0, "data/observations.csv"), "E_PACKAGE_DESCRIPTOR"),
    (lambda meta: meta["womenstats"].update(year="2024"), "E_PACKAGE_DESCRIPTOR"),
    (lambda meta: meta["womenstats"].update(plan=None), "E_PACKAGE_DESCRIPTOR"),
    (lambda meta: meta.update(womenstats=[1]), "E_PACKAGE"),
])
def test_odd_descriptor_values_are_refused_without_a_traceback(kaiping, seeded, tmp_path, capsys, change,
                                                              code):
    _refused(tamper(kaiping, tmp_path / "bad.zip", descriptor=change), seeded, capsys, code)


def test_nul_bytes_and_odd_rows_are_refused_without_a_traceback(kaiping, seeded, tmp_path, capsys):
    def nul(rows):
        rows[0]["source"] = "a\0b"

    def short(header, rows):
        return header, [*rows[:1], {"region_code": "440783"}, *rows[1:]]
    _refused(tamper(kaiping, tmp_path / "nul.zip", rows=nul), seeded, capsys, "E_PACKAGE_SCHEMA")
    _refused(tamper(kaiping, tmp_path / "short.zip", header=short), seeded, capsys, "E_PACKAGE_SCHEMA",
             "第3行: E_PACKAGE_SCHEMA: 不符合系统的表结构：“year”为空")

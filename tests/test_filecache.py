"""Shared read-only data: reused while a file's bytes are unchanged, rebuilt after any edit."""

import shutil

import pytest

from bot.answers import Answerer
from bot.filecache import built_from
from bot.knowledge import KnowledgeError
from bot.places import PlaceIndex
from tests.conftest import ROOT


def test_same_bytes_same_object_and_an_edit_is_seen_at_once(tmp_path):
    path = tmp_path / "data.txt"
    path.write_text("uno", encoding="utf-8")
    builds = []

    def build():
        builds.append(1)
        return [path.read_text(encoding="utf-8")]

    first = built_from("test", [path], build)
    assert built_from("test", [path], build) is first
    path.write_text("dos", encoding="utf-8")  # same size, and likely the same mtime tick
    assert built_from("test", [path], build) == ["dos"]
    assert len(builds) == 2


def test_a_build_that_fails_is_tried_again(tmp_path):
    path = tmp_path / "missing.csv"
    with pytest.raises(ValueError):
        PlaceIndex.load(path)
    path.write_text("ubigeo,departamento,provincia,distrito\n010101,AMAZONAS,CHACHAPOYAS,"
                    "CHACHAPOYAS\n", encoding="utf-8")
    assert PlaceIndex.load(path).get("distrital", "010101").name == "CHACHAPOYAS"


def test_a_directory_counts_each_of_its_files(tmp_path):
    (tmp_path / "a.yaml").write_text("1", encoding="utf-8")
    first = built_from("dir", [tmp_path], object)
    assert built_from("dir", [tmp_path], object) is first
    (tmp_path / "b.yaml").write_text("2", encoding="utf-8")
    assert built_from("dir", [tmp_path], object) is not first


def test_shipped_data_is_shared_and_a_reload_still_reads_an_edit(tmp_path):
    ubigeo = ROOT / "knowledge" / "ubigeo.csv"
    assert PlaceIndex.load(ubigeo) is PlaceIndex.load(ubigeo)
    kdir = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", kdir)
    answerer = Answerer(kdir)
    assert Answerer(kdir).kb is answerer.kb
    faq = sorted((kdir / "faq").glob("*.yaml"))[0]
    good = faq.read_text(encoding="utf-8")
    faq.write_text(good + "\n  - id: [roto\n", encoding="utf-8")
    kb = answerer.kb
    with pytest.raises(KnowledgeError):  # read again, not the shared version
        answerer.load(None)
    assert answerer.kb is kb  # nothing installed: the old version keeps serving
    faq.write_text(good + "\n# revisado\n", encoding="utf-8")
    assert answerer.load(None)[0] is not kb

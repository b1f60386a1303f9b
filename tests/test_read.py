"""Stage 1: finding inputs and reading their bytes (cleaner/read.py)."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from cleaner.errors import CleanerError, InputError
from cleaner.models import RawDocument, Reject
from cleaner.read import (
    DEFAULT_READER,
    STDIN,
    InputFile,
    Skipped,
    TextReader,
    check_inputs,
    expand_inputs,
    read_documents,
    read_input,
    reader_for,
)


def _write(path: Path, content: bytes = b"isi") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


class _FakeStdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


# --- expand_inputs ---------------------------------------------------------------------------


def test_expand_inputs_walks_a_directory_recursively_in_sorted_order(tmp_path: Path) -> None:
    for name in ["b.txt", "a/z.txt", "a/b/c.txt", "a.txt", "c/d.TXT"]:
        _write(tmp_path / name)
    sources = [f.source for f in expand_inputs([str(tmp_path)])]
    root = tmp_path.as_posix()
    assert sources == [
        f"{root}/a.txt",
        f"{root}/a/b/c.txt",
        f"{root}/a/z.txt",
        f"{root}/b.txt",
        f"{root}/c/d.TXT",
    ]


def test_expand_inputs_skips_hidden_files_and_directories(tmp_path: Path) -> None:
    _write(tmp_path / "visible.txt")
    _write(tmp_path / ".hidden.txt")
    _write(tmp_path / ".git" / "inside.txt")
    _write(tmp_path / "sub" / ".cache" / "deep.txt")
    skipped = Skipped([])
    found = [Path(f.path).name for f in expand_inputs([str(tmp_path)], skipped)]
    assert found == ["visible.txt"]
    assert skipped.paths == []


def test_expand_inputs_lists_files_without_a_reader_as_skipped(tmp_path: Path) -> None:
    _write(tmp_path / "artikel.txt")
    _write(tmp_path / "rules.yaml")
    _write(tmp_path / "sub" / "README.md")
    skipped = Skipped([])
    found = [f.source for f in expand_inputs([str(tmp_path)], skipped)]
    assert found == [(tmp_path / "artikel.txt").as_posix()]
    assert skipped.paths == [
        (tmp_path / "rules.yaml").as_posix(),
        (tmp_path / "sub" / "README.md").as_posix(),
    ]


def test_expand_inputs_does_not_read_skipped_files(tmp_path: Path) -> None:
    _write(tmp_path / "artikel.txt", b"berita")
    _write(tmp_path / "notes.md", b"bukan berita")
    docs = list(read_documents([str(tmp_path)], Skipped([])))
    assert docs == [RawDocument(source=(tmp_path / "artikel.txt").as_posix(), data=b"berita")]


def test_expand_inputs_without_skipped_list_still_leaves_unknown_files_out(
    tmp_path: Path,
) -> None:
    _write(tmp_path / "a.txt")
    _write(tmp_path / "b.yaml")
    assert [Path(f.path).name for f in expand_inputs([str(tmp_path)])] == ["a.txt"]


def test_expand_inputs_reads_a_directly_named_unknown_suffix_as_text(tmp_path: Path) -> None:
    path = _write(tmp_path / "halaman.html", b"<p>isi</p>")
    skipped = Skipped([])
    (item,) = expand_inputs([str(path)], skipped)
    assert item.reader is DEFAULT_READER
    assert item.source == path.as_posix()
    assert skipped.paths == []
    assert list(read_input(item)) == [RawDocument(source=path.as_posix(), data=b"<p>isi</p>")]


def test_expand_inputs_reads_a_directly_named_hidden_file(tmp_path: Path) -> None:
    path = _write(tmp_path / ".hidden.txt")
    assert [f.path for f in expand_inputs([str(path)])] == [str(path)]


def test_expand_inputs_keeps_the_order_of_the_inputs(tmp_path: Path) -> None:
    b = _write(tmp_path / "b.txt")
    a = _write(tmp_path / "a.txt")
    assert [f.path for f in expand_inputs([str(b), STDIN, str(a)])] == [str(b), STDIN, str(a)]


def test_expand_inputs_missing_path_raises_input_error(tmp_path: Path) -> None:
    missing = tmp_path / "tidak-ada.txt"
    with pytest.raises(InputError, match=r"tidak-ada\.txt"):
        list(expand_inputs([str(missing)]))


def test_input_error_is_a_cleaner_error_with_exit_code_2() -> None:
    assert issubclass(InputError, CleanerError)
    assert InputError("x").exit_code == 2


def test_check_inputs_fails_on_a_missing_path_but_accepts_stdin(tmp_path: Path) -> None:
    check_inputs([STDIN, str(_write(tmp_path / "a.txt"))])
    with pytest.raises(InputError):
        check_inputs([str(tmp_path / "missing")])


def test_reader_for_matches_suffix_case_insensitively() -> None:
    assert isinstance(reader_for("ARTIKEL.TXT"), TextReader)
    assert isinstance(reader_for("dump.text"), TextReader)
    assert reader_for("rules.yaml") is None
    assert reader_for("txt") is None


# --- read_input ------------------------------------------------------------------------------


def test_read_input_yields_the_file_bytes_unchanged(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf\xe2\x80\x9cHalo\xe2\x80\x9d\r\n\x00"
    path = _write(tmp_path / "a.txt", data)
    (item,) = expand_inputs([str(path)])
    assert list(read_input(item)) == [RawDocument(source=path.as_posix(), data=data)]


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read a chmod 000 file"
)
def test_read_input_of_an_unreadable_file_is_a_reject(tmp_path: Path) -> None:
    path = _write(tmp_path / "rahasia.txt")
    path.chmod(0)
    try:
        (result,) = read_input(InputFile(str(path), path.as_posix(), DEFAULT_READER))
    finally:
        path.chmod(0o644)
    assert isinstance(result, Reject)
    assert result.reason == "unreadable"
    assert result.source == path.as_posix()
    assert result.detail


def test_read_input_permission_error_is_a_reject_with_the_os_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The chmod 000 case above, simulated so it also runs as root.
    path = _write(tmp_path / "rahasia.txt")

    def deny(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", deny)
    (result,) = read_input(InputFile(str(path), path.as_posix(), DEFAULT_READER))
    assert result == Reject(source=path.as_posix(), reason="unreadable", detail="Permission denied")


def test_read_input_of_a_path_that_cannot_be_opened_is_a_reject(tmp_path: Path) -> None:
    # Works as root too: a directory cannot be opened as a file.
    (result,) = read_input(InputFile(str(tmp_path), "dir-as-file", DEFAULT_READER))
    assert isinstance(result, Reject)
    assert result.reason == "unreadable"
    assert result.source == "dir-as-file"
    assert result.detail


def test_read_input_of_a_file_removed_after_listing_is_a_reject(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.txt")
    (item,) = expand_inputs([str(path)])
    path.unlink()
    (result,) = read_input(item)
    assert isinstance(result, Reject)
    assert result.reason == "unreadable"


def test_read_input_dash_reads_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", _FakeStdin("“Halo” dari stdin".encode()))
    (item,) = expand_inputs([STDIN])
    assert item.source == "<stdin>"
    assert list(read_input(item)) == [
        RawDocument(source="<stdin>", data="“Halo” dari stdin".encode())
    ]


def test_read_documents_reads_every_input_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "dir" / "2.txt", b"dua")
    _write(tmp_path / "dir" / "1.txt", b"satu")
    monkeypatch.setattr(sys, "stdin", _FakeStdin(b"stdin"))
    docs = list(read_documents([STDIN, str(tmp_path / "dir")]))
    assert [d.data for d in docs if isinstance(d, RawDocument)] == [b"stdin", b"satu", b"dua"]

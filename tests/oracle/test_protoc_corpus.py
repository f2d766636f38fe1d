"""Differential test: our .proto parser against protoc (Debian's 3.21.12).

For every valid file of the corpus, `protoc --descriptor_set_out` and our
tests/tools/pb_descriptor_tool (SCHEMAREG_TOOLS) each write a FileDescriptorSet;
both are decoded with python3-protobuf's descriptor_pb2 and must be equal,
message for message and field for field. The tool is run twice: on the .proto
text, and with --via-base64 (the descriptor's base64 registered again, the
path Confluent clients use for serialized schemas), which must give the same
descriptor.

The valid corpus: every /usr/include/google/protobuf/*.proto (read from there at
test time, descriptor.proto included), the bundled confluent/*.proto, and our own
files in tests/protoc/valid/ (one or more per construct of the language).
The invalid corpus: tests/protoc/invalid/*.proto (helpers/ holds files they
import); protoc and our parser must both reject each one (ours with exit
status 1 and a message, never a crash).

What is NOT compared, and why (everything else is, json_name included: we
derive it as protoc does):
  1. Custom options. protoc interprets `(my.option) = ...` and serializes the
     value as an extension inside the XxxOptions message; descriptor_pb2 sees it
     as unknown fields. We keep custom options in the model as written but do not
     interpret them, so unknown fields are discarded on both sides
     (DiscardUnknownFields). The options message itself must still be present on
     both sides (we emit an empty one when only custom options were written).
  2. Empty MethodOptions. protoc creates an empty MethodOptions when an rpc is
     written with a `{ }` body that sets nothing; the model does not record an
     empty body (it has no meaning), so an empty MethodOptions equals none.
  3. Via base64 only: options messages that end up empty. A descriptor carries
     custom options as unknown fields, which pb_from_descriptor does not keep,
     so an options message holding only custom options comes back absent.
  4. source_code_info: protoc writes it only with --include_source_info, which
     is not used; neither side has it.
Known limit of the corpus, not an ignored field: string default values with a
NUL byte are left out (protobuf-c represents `string` fields as C strings).
"""

import glob
import os
import subprocess
import sys

import pytest
from google.protobuf import descriptor_pb2

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
VALID_DIR = os.path.join(ROOT, "tests", "protoc", "valid")
INVALID_DIR = os.path.join(ROOT, "tests", "protoc", "invalid")
BUNDLED_DIR = os.path.join(ROOT, "formats", "protobuf", "bundled")
GOOGLE_DIR = "/usr/include"
TOOLS = os.environ.get("SCHEMAREG_TOOLS", os.path.join(ROOT, "build", "tools"))
TOOL = os.path.join(TOOLS, "pb_descriptor_tool")

COUNTS = {"valid": 0, "via_base64": 0, "invalid": 0}


def valid_corpus():
    cases = []
    for path in sorted(glob.glob(os.path.join(GOOGLE_DIR, "google/protobuf/*.proto"))):
        cases.append(("google/" + os.path.basename(path), path, [GOOGLE_DIR]))
    for path in sorted(glob.glob(os.path.join(BUNDLED_DIR, "**/*.proto"), recursive=True)):
        cases.append((os.path.relpath(path, BUNDLED_DIR), path, [BUNDLED_DIR, GOOGLE_DIR]))
    for path in sorted(glob.glob(os.path.join(VALID_DIR, "**/*.proto"), recursive=True)):
        cases.append((os.path.relpath(path, VALID_DIR), path, [VALID_DIR, BUNDLED_DIR, GOOGLE_DIR]))
    return cases


def invalid_corpus():
    return sorted(glob.glob(os.path.join(INVALID_DIR, "*.proto")))


def include_args(dirs):
    out = []
    for d in dirs:
        out += ["-I", d]
    return out


def run(args):
    return subprocess.run(args, capture_output=True, timeout=60)


def decode(data):
    fds = descriptor_pb2.FileDescriptorSet()
    fds.ParseFromString(data)
    fds.DiscardUnknownFields()  # (1) custom options
    return fds


def strip_empty_method_options(fds):  # (2)
    for f in fds.file:
        for s in f.service:
            for m in s.method:
                if m.HasField("options") and m.options.ByteSize() == 0:
                    m.ClearField("options")


def strip_empty_options(msg):  # (3): every XxxOptions message left empty
    for field, value in msg.ListFields():
        if field.type != field.TYPE_MESSAGE:
            continue
        if field.name == "options" and value.ByteSize() == 0:
            msg.ClearField("options")
            continue
        if field.label == field.LABEL_REPEATED:
            for item in value:
                strip_empty_options(item)
        else:
            strip_empty_options(value)


def diff(a, b):
    import difflib
    lines = difflib.unified_diff(str(a).splitlines(), str(b).splitlines(),
                                 "protoc", "ours", lineterm="", n=3)
    return "\n".join(list(lines)[:80])


def protoc_set(path, dirs):
    p = run(["protoc", "--descriptor_set_out=/dev/stdout"] + include_args(dirs) + [path])
    assert p.returncode == 0, "protoc rejected a corpus file: " + p.stderr.decode()
    return p.stdout


@pytest.mark.parametrize("name,path,dirs", valid_corpus(), ids=lambda x: x if isinstance(x, str) and x.endswith(".proto") else "")
def test_valid_file_matches_protoc(name, path, dirs):
    want = decode(protoc_set(path, dirs))
    ours = run([TOOL] + include_args(dirs) + [path])
    assert ours.returncode == 0, "we rejected %s: %s" % (name, ours.stderr.decode())
    got = decode(ours.stdout)
    strip_empty_method_options(want)
    strip_empty_method_options(got)
    assert want == got, "descriptor of %s differs:\n%s" % (name, diff(want, got))
    COUNTS["valid"] += 1


@pytest.mark.parametrize("name,path,dirs", valid_corpus(), ids=lambda x: x if isinstance(x, str) and x.endswith(".proto") else "")
def test_valid_file_via_base64_matches_protoc(name, path, dirs):
    want = decode(protoc_set(path, dirs))
    ours = run([TOOL, "--via-base64"] + include_args(dirs) + [path])
    assert ours.returncode == 0, "we rejected %s via base64: %s" % (name, ours.stderr.decode())
    got = decode(ours.stdout)
    for fds in (want, got):
        strip_empty_method_options(fds)
        strip_empty_options(fds)
    assert want == got, "descriptor of %s via base64 differs:\n%s" % (name, diff(want, got))
    COUNTS["via_base64"] += 1


@pytest.mark.parametrize("path", invalid_corpus(), ids=os.path.basename)
def test_invalid_file_rejected_by_both(path):
    dirs = [INVALID_DIR, BUNDLED_DIR, GOOGLE_DIR]
    p = run(["protoc", "--descriptor_set_out=/dev/null"] + include_args(dirs) + [path])
    assert p.returncode != 0, "protoc accepts %s: not an invalid file" % path
    ours = run([TOOL] + include_args(dirs) + [path])
    assert ours.returncode == 1, "we %s %s (exit %d): %s" % (
        "accept" if ours.returncode == 0 else "crash on", path, ours.returncode,
        ours.stderr.decode())
    assert ours.stderr.strip(), "no error message for %s" % path
    COUNTS["invalid"] += 1


def test_corpus_size_and_counts(capsys):
    """Runs last (file order): prints what the tests above counted."""
    valid, invalid = valid_corpus(), invalid_corpus()
    assert len(valid) >= 60, "only %d valid files" % len(valid)
    assert len(invalid) >= 40, "only %d invalid files" % len(invalid)
    with capsys.disabled():
        sys.stdout.write(
        "\nprotoc corpus: %d valid files (%d equal to protoc, %d equal via base64), "
        "%d invalid files (%d rejected by both)\n"
        % (len(valid), COUNTS["valid"], COUNTS["via_base64"], len(invalid), COUNTS["invalid"]))

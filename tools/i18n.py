"""Translation upkeep: `python tools/i18n.py update` extracts messages, updates the
Vietnamese catalogue and fills it from translations/fragments/*.po (where each
area keeps its Vietnamese texts while it is being built); `check` lists
messages that still lack a Vietnamese translation."""
import glob
import os
import subprocess
import sys

from babel.messages.pofile import read_po, write_po

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CATALOGUE = os.path.join(ROOT, "translations", "vi", "LC_MESSAGES", "messages.po")
TEMPLATE = os.path.join(ROOT, "translations", "messages.pot")


def _pybabel(*args):
    binary = os.path.join(os.path.dirname(sys.executable), "pybabel")
    subprocess.run([binary, *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _read(path):
    with open(path, "rb") as fh:
        return read_po(fh, locale="vi")


def fragment_translations():
    known = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "translations", "fragments", "*.po"))):
        for message in _read(path):
            if message.id and message.string:
                known[message.id] = message.string
    return known


def update():
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "--no-location",
             "--sort-output", "-o", TEMPLATE, ".")
    _pybabel("update", "-i", TEMPLATE, "-d", "translations", "--no-fuzzy-matching", "--ignore-obsolete")
    catalogue = _read(CATALOGUE)
    known = fragment_translations()
    for message in catalogue:
        # The fragments are the source: a translation changed there replaces the merged one.
        if message.id and message.id in known:
            message.string = known[message.id]
    with open(CATALOGUE, "wb") as fh:
        write_po(fh, catalogue, width=100, omit_header=False, ignore_obsolete=True)
    return missing()


def _translated(message):
    """Singular messages need their string, plural ones every form."""
    return all(message.string) if isinstance(message.string, (list, tuple)) else bool(message.string)


def missing():
    return [m.id for m in _read(CATALOGUE) if m.id and not _translated(m)]


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    gaps = update() if command == "update" else missing()
    for msgid in gaps:
        print("missing:", msgid if isinstance(msgid, str) else msgid[0])
    print(f"{len(gaps)} messages without a Vietnamese translation")
    sys.exit(1 if gaps and command == "check" else 0)

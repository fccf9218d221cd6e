#!/usr/bin/env python3
"""The shared libraries wwctl loads with dlopen, read from its sources.

ldd and dpkg-shlibdeps see only what the executable links (DT_NEEDED); libpq, libedit
and OpenSSL are opened at run time instead, by name. The names live in the code, once per
library: a `static let libraryNames = [...]` beside the `DynamicLibrary.open(firstOf:)`
call that uses them. scripts/package-deb.sh reads them from there, so the package's
Depends cannot drift from what the code opens.

    scripts/dlopen-libraries.py [SOURCES]          one line per library: the soname, then
                                                   the names the same file looks up (dlsym)
    scripts/dlopen-libraries.py --check [SOURCES]  exit 1 naming any dlopen the lists miss

SOURCES defaults to the repository's Sources folder.
"""
import os
import re
import sys

# Only DynamicLibrary itself may call dlopen; everything else goes through it.
DLOPEN_OWNER = os.path.join("Support", "DynamicLibrary.swift")
NAMES_DECLARATION = re.compile(r"static\s+let\s+libraryNames\s*=\s*\[([^\]]*)\]")
STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
# A Linux soname: libpq.so.5 (the macOS lists beside them name .dylib files).
SONAME = re.compile(r"^lib[A-Za-z0-9_+.-]*\.so\.[0-9.]+$")
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def swift_files(sources):
    for folder, _, names in sorted(os.walk(sources)):
        for name in sorted(names):
            if name.endswith(".swift"):
                yield os.path.join(folder, name)


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def libraries(sources):
    """[(soname, file, [identifiers])] in source order; the first Linux name of each
    list is the one the package depends on (later names are fallbacks)."""
    found = []
    for path in swift_files(sources):
        text = strip_comments(open(path, encoding="utf-8").read())
        for declaration in NAMES_DECLARATION.finditer(text):
            sonames = [s for s in STRING.findall(declaration.group(1)) if SONAME.match(s)]
            if sonames:
                identifiers = sorted({s for s in STRING.findall(text) if IDENTIFIER.match(s)})
                found.append((sonames[0], path, identifiers))
    return found


def problems(sources):
    """Every dlopen the lists do not account for."""
    declared = {path for _, path, _ in libraries(sources)}
    found = []
    for path in swift_files(sources):
        text = strip_comments(open(path, encoding="utf-8").read())
        relative = os.path.relpath(path, sources)
        if re.search(r"\bdlopen\s*\(", text) and relative != DLOPEN_OWNER:
            found.append(f"{relative}: calls dlopen itself; open libraries with DynamicLibrary.open(firstOf: libraryNames)")
        if re.search(r"DynamicLibrary\.open\s*\(", text) and path not in declared:
            found.append(f"{relative}: opens a library but declares no `static let libraryNames = [\"lib….so.N\"]`")
    return found


def main(argv):
    check = "--check" in argv
    rest = [a for a in argv if a != "--check"]
    sources = rest[0] if rest else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources")
    if check:
        found = problems(sources)
        for line in found:
            print(f"dlopen-libraries: {line}", file=sys.stderr)
        return 1 if found else 0
    for soname, _, identifiers in libraries(sources):
        print(" ".join([soname, *identifiers]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

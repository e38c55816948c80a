#!/usr/bin/env python3
"""Updates translations/*.ts from the sources under ui/ and app/, keeping every existing translation.

lupdate's own C++ parser does not follow `namespace scopesync::ui {`, so it files messages under the bare
class name; at run time tr() looks them up under the class's full name (scopesync::ui::MainWindow). This
script runs lupdate into a scratch file, qualifies such contexts, and merges the result with the
translations already in each .ts file (by context and source, then by source alone).

Usage: translations/update_translations.py           (from anywhere; needs lupdate from qt6-l10n-tools)
       translations/update_translations.py --check   changes nothing; exit 1 when the .ts files lack a
                                                     message of the sources or hold a stale one
"""
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LANGUAGES = ["de", "zh_CN"]
NAMESPACE = "scopesync::ui::"
# Classes outside ui/ whose tr() runs under another namespace.
OTHER_NAMESPACES = {"ApiServer": "scopesync::app::api::"}
LUPDATE = os.environ.get("LUPDATE", "/usr/lib/qt6/bin/lupdate")


def translated(translation):
    """The text of a <translation>: a string, or for a plural (numerus) message the tuple of its
    <numerusform> texts in order. Empty ("" or a tuple of empty forms) when nothing is translated."""
    forms = translation.findall("numerusform")
    if forms:
        return tuple(form.text or "" for form in forms)
    return translation.text or ""


def messages(path):
    if not os.path.exists(path):
        return {}
    out = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") in ("unfinished", "obsolete", "vanished"):
                continue
            out[(name, message.findtext("source"))] = translated(translation)
    return out


def usable(text, numerus):
    """Whether a known translation can fill a fresh message: the same kind (plain or plural) and not empty."""
    if numerus:
        return isinstance(text, tuple) and any(text)
    return isinstance(text, str) and bool(text)


def fill(translation, text):
    """Puts a known translation into a fresh <translation>, plural forms as <numerusform> children."""
    if isinstance(text, tuple):
        for child in list(translation):
            translation.remove(child)
        translation.text = None
        for form in text:
            ET.SubElement(translation, "numerusform").text = form
    else:
        translation.text = text
    translation.attrib.pop("type", None)


def fresh_catalogue(language):
    """lupdate's catalogue of the sources for `language`, contexts qualified and merged, repeats dropped:
    (tree, {context name: context element})."""
    with tempfile.TemporaryDirectory() as scratch:
        fresh = os.path.join(scratch, "fresh.ts")
        subprocess.run([LUPDATE, "-silent", "-no-obsolete", "-locations", "none", "-source-language", "en",
                        "-target-language", language, "ui", "app", "-ts", fresh], cwd=ROOT, check=True)
        tree = ET.parse(fresh)
    root = tree.getroot()
    # Merge contexts that differ only by qualification.
    merged = {}
    for context in list(root.iter("context")):
        name = context.findtext("name")
        if "::" not in name:
            name = OTHER_NAMESPACES.get(name, NAMESPACE) + name
            context.find("name").text = name
        if name in merged:
            for message in context.findall("message"):
                merged[name].append(message)
            root.remove(context)
        else:
            merged[name] = context
    for context in merged.values():
        seen = set()
        for message in list(context.findall("message")):
            source = message.findtext("source")
            if source in seen:
                context.remove(message)
            seen.add(source)
    return tree, merged


def check():
    """Exit status 1 when a catalogue lacks a message the sources have, or holds one they no longer have:
    a string added in the code and never put into the .ts files would show in English only."""
    failed = False
    for language in LANGUAGES:
        ts_path = os.path.join(ROOT, "translations", f"scopesync_{language}.ts")
        in_file = {(c.findtext("name"), m.findtext("source"))
                   for c in ET.parse(ts_path).getroot().iter("context") for m in c.iter("message")}
        _, merged = fresh_catalogue(language)
        in_code = {(name, m.findtext("source")) for name, c in merged.items() for m in c.findall("message")}
        for name, source in sorted(in_code - in_file):
            print(f"{ts_path}: missing {name}: {source!r}")
        for name, source in sorted(in_file - in_code):
            print(f"{ts_path}: no longer in the sources {name}: {source!r}")
        failed = failed or in_code != in_file
        print(f"{ts_path}: {len(in_code & in_file)} of {len(in_code)} messages of the sources")
    if failed:
        print("run translations/update_translations.py, then translate what it marks unfinished")
    return 1 if failed else 0


def main():
    if sys.argv[1:] == ["--check"]:
        return check()
    for language in LANGUAGES:
        ts_path = os.path.join(ROOT, "translations", f"scopesync_{language}.ts")
        known = messages(ts_path)
        by_source = {source: text for (_, source), text in known.items()}
        tree, merged = fresh_catalogue(language)
        unfinished = 0
        for name, context in merged.items():
            for message in context.findall("message"):
                source = message.findtext("source")
                translation = message.find("translation")
                numerus = message.get("numerus") == "yes"
                text = known.get((name, source), by_source.get(source))
                if usable(text, numerus):
                    fill(translation, text)
                else:
                    translation.set("type", "unfinished")
                    unfinished += 1
        ET.indent(tree, space="    ")
        with open(ts_path, "wb") as f:
            f.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
            tree.write(f, encoding="utf-8", xml_declaration=False)
            f.write(b"\n")
        print(f"{ts_path}: {unfinished} unfinished")
    return 0


if __name__ == "__main__":
    sys.exit(main())

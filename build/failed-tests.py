#!/usr/bin/env python3
"""Prints each failed test of the given .trx result files with the first lines of its message and stack trace.

    build/failed-tests.py RESULTS/*.trx

build/test.sh calls it just before its closing line, so that the end of a CI log (often all that is kept of it)
names what failed. Prints nothing when every test passed; always exits 0.
"""
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
MESSAGE_LINES = 12
STACK_LINES = 6


def first_lines(text, count):
    lines = [line.rstrip() for line in (text or "").strip().splitlines()]
    shown = lines[:count]
    if len(lines) > count:
        shown.append(f"... ({len(lines) - count} more lines in the .trx file)")
    return shown


def main(paths):
    failed = []
    for path in paths:
        try:
            root = ET.parse(path).getroot()
        except (OSError, ET.ParseError) as error:
            print(f"could not read {path}: {error}")
            continue
        for result in root.iterfind(".//t:UnitTestResult", NS):
            if result.get("outcome") not in ("Failed", "Error", "Timeout", "Aborted"):
                continue
            message = result.findtext(".//t:ErrorInfo/t:Message", default="", namespaces=NS)
            stack = result.findtext(".//t:ErrorInfo/t:StackTrace", default="", namespaces=NS)
            failed.append((result.get("testName"), result.get("duration"), message, stack))
    if not failed:
        return
    print(f"failed tests ({len(failed)}):")
    for name, duration, message, stack in failed:
        print(f"- {name} [{duration}]")
        for line in first_lines(message, MESSAGE_LINES):
            print(f"    {line}")
        for line in first_lines(stack, STACK_LINES):
            print(f"    {line}")


if __name__ == "__main__":
    main(sys.argv[1:])

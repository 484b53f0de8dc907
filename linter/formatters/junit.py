"""JUnit XML: one ``<testsuite>`` per checked file, one failing ``<testcase>`` per finding, and
one passing case for a clean file, the shape CI servers (Jenkins, GitLab, Azure, CircleCI) read.
Deterministic: no timestamps, no host names, zero times. Template-derived text is escaped
(``escape.visible``), so the document is well-formed XML 1.0 whatever the template holds."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .escape import visible as v
from .text import location_line


def _suites(result) -> list[tuple[str, list]]:
    by_file: dict[str, list] = {}
    for fr in result.files:
        if fr.status != "skipped":
            by_file.setdefault(fr.file, [])
    for f in result.findings:
        by_file.setdefault(f.file, []).append(f)
    return sorted(by_file.items())


def render(result) -> str:
    suites = _suites(result)
    total = sum(max(len(fs), 1) for _, fs in suites)
    failures = sum(len(fs) for _, fs in suites)
    root = ET.Element("testsuites", {"name": "slint", "tests": str(total),
                                     "failures": str(failures), "errors": "0", "time": "0"})
    for file, findings in suites:
        name = v(file) or "(project)"
        suite = ET.SubElement(root, "testsuite", {
            "name": name, "tests": str(max(len(findings), 1)), "failures": str(len(findings)),
            "errors": "0", "skipped": "0", "time": "0"})
        if not findings:
            ET.SubElement(suite, "testcase", {"classname": name, "name": "slint", "time": "0"})
            continue
        for f in findings:
            where = f" {v(f.resource)}" if f.resource else ""
            case = ET.SubElement(suite, "testcase", {
                "classname": name,
                "name": f"{v(f.rule)} {v(f.name)}{where} ({f.line}:{f.column})",
                "file": v(f.file), "line": str(f.line), "time": "0"})
            fail = ET.SubElement(case, "failure", {"message": v(f.message, keep="\t\n\r"),  # &#10; in attributes
                                                "type": v(f.rule)})
            body = [location_line(f)]
            if f.path:
                body.append("path: " + v("/".join(str(p) for p in f.path)))
            if f.fix:
                body.append("fix: " + v(f.fix))
            fail.text = "\n".join(body)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

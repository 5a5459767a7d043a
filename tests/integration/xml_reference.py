#!/usr/bin/env python3
"""The reference for ssmgo's DescribeInstances reader (tests/integration/xml_reference.rs).

Writes a DescribeInstances response whose tags are awkward XML (entities, character references,
CDATA and its terminator, CJK and astral characters, tabs, every kind of line end, whitespace
only, attributes, comments, processing instructions, unknown elements), parses it with botocore,
the AWS CLI's own parser (expat underneath, through ElementTree), and prints both as JSON:

    {"xml": "<DescribeInstancesResponse ...>", "tags": {"i-...": {"key": "value", ...}, ...}}

Run with a python that has botocore (tests/emu/emu.sh python prints one).
"""
import json
import sys

import botocore.parsers
import botocore.session

# Each snippet is XML as it stands inside <key> or <value>: it is used once as a key (with a
# plain value) and once as a value (with a plain key), each pair on an instance of its own.
SNIPPETS = [
    # The five entities, doubled, and next to text.
    "a &amp; b", "&lt;tag&gt;", "&quot;double&quot; &apos;single&apos;", "&amp;amp;", "&amp;lt;",
    "AT&amp;T", "x&gt;y&lt;z", "&amp;", "&lt;", "&gt;", "&quot;", "&apos;",
    # Character references, decimal and hex, astral, line ends and tabs written as references.
    "&#65;&#x42;&#x063;", "&#x1F600;", "&#128512;", "&#xD;", "&#13;&#10;", "a&#xD;&#xA;b", "&#9;tab",
    "&#x85;nel", "&#x2028;ls", "&#xA0;nbsp", "&#x202E;rtl", "zero&#x200B;width", "&#xFEFF;bom",
    "&#x10FFFF;", "&#x7F;del", "&#60;&#62;&#38;",
    # CDATA: plain, markup inside, its terminator split across two sections, empty, mixed.
    "<![CDATA[plain]]>", "<![CDATA[<b>&amp;</b>]]>", "<![CDATA[]]]]><![CDATA[>]]>", "<![CDATA[]]>x",
    "a<![CDATA[ b ]]>c", "<![CDATA[\r\n]]>", "<![CDATA[x]]>&amp;<![CDATA[y]]>", "<![CDATA[\r]]>\n",
    "<![CDATA[]]>", "<![CDATA[a\rb\r\nc]]>",
    # CJK, Hangul, astral characters, combining marks.
    "東京", "中文标签", "한국어", "日本語テキスト", "😀", "𝄞 music", "𠀋", "e\u0301", "Ελληνικά", "עברית",
    # Tabs and line ends as they stand (XML normalizes \r\n and lone \r to \n).
    "a\tb", "\t", "a\rb", "\r", "\r\n", "a\r\n\r\nb", "\r\r\n", "\n\r", "line1\nline2", "end\r",
    # Whitespace only.
    " ", "   ", "\n", "\t \n", " \r\n ",
    # Text that looks like markup but isn't, and markup that isn't text.
    "a>b", "a]]b", "a<!-- comment -->b", "a<?pi data?>b", "<!-- only a comment -->",
    "x" * 256, "unicode\u00a0nbsp", "del\x7f", "c1\u0085", "zwj\u200d",
]


def instance(n, key, value):
    return (
        f"<item><instanceId>i-{n:017x}</instanceId>"
        "<instanceState><code>16</code><name>running</name></instanceState>"
        "<unknownElement a=\"1\"><tagSet><item><key>decoy</key><value>decoy</value></item></tagSet></unknownElement>"
        "<tagSet>"
        f"<item><unknown>z</unknown><key attr='&lt;1&gt;'>{key}</key>"
        "<extra><value>decoy</value></extra>"
        f"<value xml:space=\"preserve\" b=\"2\">{value}</value></item>"
        "</tagSet></item>"
    )


def main():
    items = []
    for i, s in enumerate(SNIPPETS):
        items.append(instance(2 * i, s, "plain"))
        items.append(instance(2 * i + 1, "plain", s))
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\r\n'
        '<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
        "<requestId>r-1</requestId><reservationSet><item><reservationId>r-1</reservationId>"
        "<instancesSet>" + "".join(items) + "</instancesSet></item></reservationSet>"
        "</DescribeInstancesResponse>"
    )
    session = botocore.session.get_session()
    operation = session.get_service_model("ec2").operation_model("DescribeInstances")
    parsed = botocore.parsers.create_parser("ec2").parse(
        {"body": xml.encode("utf-8"), "status_code": 200, "headers": {}}, operation.output_shape
    )
    tags = {}
    for reservation in parsed["Reservations"]:
        for inst in reservation["Instances"]:
            tags[inst["InstanceId"]] = {t["Key"]: t.get("Value", "") for t in inst.get("Tags", [])}
    json.dump({"xml": xml, "tags": tags, "awkward": 2 * len(SNIPPETS)}, sys.stdout)


if __name__ == "__main__":
    main()

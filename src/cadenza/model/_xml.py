"""Safe XML reading for BPMN resources: bounded size, no entities, no network, no DTDs.

Everything here works on bytes handed in by the caller; nothing reads files.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from cadenza.model._problems import Problem

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
ZEEBE_NS = "http://camunda.org/schema/zeebe/1.0"

MAX_RESOURCE_BYTES = 10 * 1024 * 1024
"""Resources larger than this are refused before parsing (10 MiB)."""

Node = etree._Element

_DOCTYPE_MESSAGE = (
    "The XML has a document type declaration (DOCTYPE); BPMN resources must not have one."
)
_DOCTYPE_MARKERS = tuple("<!DOCTYPE".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))


def bpmn(local: str) -> str:
    """The Clark name ``{ns}local`` of a BPMN model element."""
    return f"{{{BPMN_NS}}}{local}"


def zeebe(local: str) -> str:
    """The Clark name ``{ns}local`` of a ``zeebe:`` extension element or attribute."""
    return f"{{{ZEEBE_NS}}}{local}"


def local_name(node: Node) -> str:
    """The tag without its namespace."""
    return etree.QName(node).localname


def namespace(node: Node) -> str | None:
    """The namespace URI of the tag, None when it has none."""
    return etree.QName(node).namespace


def line_of(node: Node) -> int:
    """The 1-based source line of ``node``, 0 when lxml does not know it."""
    line = getattr(node, "sourceline", None)  # the stubs type it loosely
    return line if isinstance(line, int) else 0


def children(node: Node) -> Iterator[Node]:
    """Child elements only: processing instructions and unexpanded entities are skipped."""
    for child in node:
        if isinstance(child.tag, str):
            yield child


def children_named(node: Node, tag: str) -> list[Node]:
    """Direct children with the Clark name ``tag``."""
    return [child for child in children(node) if child.tag == tag]


def child_named(node: Node, tag: str) -> Node | None:
    """The first direct child with the Clark name ``tag``."""
    for child in children(node):
        if child.tag == tag:
            return child
    return None


def text_of(node: Node) -> str:
    """The element's own text content (stripped), ignoring nested elements."""
    return "".join(str(part) for part in node.itertext()).strip()


def _line_at(data: bytes, marker: bytes) -> int:
    index = data.find(marker)
    return data.count(b"\n", 0, index) + 1 if index >= 0 else 1


def _parser() -> etree.XMLParser:
    # A fresh parser per call: lxml parsers keep state and are not safe to share.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(
    data: bytes, resource: str, max_bytes: int = MAX_RESOURCE_BYTES
) -> tuple[Node | None, list[Problem]]:
    """Parse ``data`` into an element tree, or return the problems that prevent it.

    Documents with a DOCTYPE are refused outright: BPMN never needs one, and refusing them closes
    the door on entity expansion and external entity tricks whatever the parser settings.
    """
    if len(data) > max_bytes:
        return None, [
            Problem(
                resource,
                0,
                None,
                f"The resource is {len(data)} bytes, more than the limit of {max_bytes} bytes.",
            )
        ]
    if not data.strip():
        return None, [Problem(resource, 0, None, "The resource is empty.")]
    if any(marker in data for marker in _DOCTYPE_MARKERS):
        # Refused before libxml2 sees it: it would expand entities inside attribute values.
        return None, [Problem(resource, _line_at(data, b"<!DOCTYPE"), None, _DOCTYPE_MESSAGE)]
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        message = str(error.msg) if error.msg else "unreadable XML"
        return None, [
            Problem(resource, error.lineno or 0, None, f"The XML is malformed: {message}.")
        ]
    docinfo = root.getroottree().docinfo
    if getattr(docinfo, "doctype", "") or docinfo.internalDTD is not None:
        return None, [Problem(resource, 1, None, _DOCTYPE_MESSAGE)]
    return root, []

"""ISO 20022 credit transfers and statements (pain.001, pacs.008, camt.053) as canonical rows.

Namespace-agnostic: elements are found by local name, so any message version reads the same.
The free-text remittance information ``RmtInf/Ustrd`` becomes the ``reference``.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from egide.finance.schema import COLUMNS

Row = dict[str, str]


class Iso20022Error(ValueError):
    """The document is not XML or not one of the supported messages."""


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname


def _find(el: etree._Element | None, path: str) -> etree._Element | None:
    """First descendant along a '/'-separated path of local names (each step: any depth 1)."""
    if el is None:
        return None
    for step in path.split("/"):
        nxt = None
        for child in el:
            if isinstance(child.tag, str) and _local(child) == step:
                nxt = child
                break
        if nxt is None:
            return None
        el = nxt
    return el


def _text(el: etree._Element | None, path: str) -> str:
    found = _find(el, path)
    return (found.text or "").strip() if found is not None else ""


def _all(el: etree._Element, name: str) -> list[etree._Element]:
    return [e for e in el.iter() if isinstance(e.tag, str) and _local(e) == name]


def _party(parent: etree._Element | None, role: str) -> tuple[str, str, str, str]:
    """(id, name, country, type) of Dbtr/Cdtr with its account; Pty/ wrapper tolerated."""
    party = _find(parent, role)
    if party is not None and _find(party, "Pty") is not None:
        party = _find(party, "Pty")
    acct = _find(parent, f"{role}Acct/Id")
    iban = _text(acct, "IBAN")
    other = _text(acct, "Othr/Id")
    name = _text(party, "Nm")
    country = _text(party, "PstlAdr/Ctry") or _text(party, "CtryOfRes") or iban[:2]
    kind = "business" if _find(party, "Id/OrgId") is not None else "person"
    return iban or other or name, name, country.upper(), kind


def _timestamp(value: str, offset: str) -> str:
    """ISO date or date-time; an offset is added where the message has none."""
    if not value:
        return ""
    if len(value) == 10:
        value += "T00:00:00"
    if value.endswith("Z") or (len(value) > 6 and value[-6] in "+-" and value[-3] == ":"):
        return value
    return value + offset


def _row(el: etree._Element, **cells: str) -> Row:
    """Canonical cells plus ``_line``: the source line of the element the row came from."""
    row = {c: cells.get(c, "") for c in COLUMNS}
    row["_line"] = str(el.sourceline or 0)
    return row


def _transfer_row(
    tx: etree._Element,
    txn_id: str,
    timestamp: str,
    sender: tuple[str, str, str, str],
    amt: etree._Element | None,
) -> Row:
    """A credit transfer (pain.001 or pacs.008): debtor to creditor, amount, remittance text."""
    r_id, r_name, r_ctry, r_type = _party(tx, "Cdtr")
    return _row(
        tx,
        txn_id=txn_id,
        timestamp=timestamp,
        sender_id=sender[0],
        sender_name=sender[1],
        sender_country=sender[2],
        sender_type=sender[3],
        receiver_id=r_id,
        receiver_name=r_name,
        receiver_country=r_ctry,
        receiver_type=r_type,
        amount=(amt.text or "").strip() if amt is not None else "",
        currency=amt.get("Ccy", "") if amt is not None else "",
        channel="bank_transfer",
        reference=_text(tx, "RmtInf/Ustrd"),
    )


def read_iso20022(path: Path, offset: str = "+00:00") -> list[Row]:
    """Canonical rows from one pain.001, pacs.008 or camt.053 document."""
    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise Iso20022Error(f"{path}: not XML: {exc}") from None
    doc = root.getroot()
    kinds = {_local(c) for c in doc if isinstance(c.tag, str)}
    if "CstmrCdtTrfInitn" in kinds:
        return _pain001(doc, offset)
    if "FIToFICstmrCdtTrf" in kinds:
        return _pacs008(doc, offset)
    if "BkToCstmrStmt" in kinds:
        return _camt053(doc, offset)
    raise Iso20022Error(f"{path}: not pain.001, pacs.008 or camt.053 (found {sorted(kinds)})")


def _pain001(doc: etree._Element, offset: str) -> list[Row]:
    rows = []
    created = _text(doc, "CstmrCdtTrfInitn/GrpHdr/CreDtTm")
    for pmt in _all(doc, "PmtInf"):
        when = _text(pmt, "ReqdExctnDt/DtTm") or _text(pmt, "ReqdExctnDt/Dt")
        when = when or _text(pmt, "ReqdExctnDt") or created
        sender = _party(pmt, "Dbtr")
        for tx in _all(pmt, "CdtTrfTxInf"):
            rows.append(
                _transfer_row(
                    tx,
                    _text(tx, "PmtId/EndToEndId") or _text(tx, "PmtId/InstrId"),
                    _timestamp(when, offset),
                    sender,
                    _find(tx, "Amt/InstdAmt"),
                )
            )
    return rows


def _pacs008(doc: etree._Element, offset: str) -> list[Row]:
    rows = []
    created = _text(doc, "FIToFICstmrCdtTrf/GrpHdr/CreDtTm")
    for tx in _all(doc, "CdtTrfTxInf"):
        rows.append(
            _transfer_row(
                tx,
                _text(tx, "PmtId/TxId") or _text(tx, "PmtId/EndToEndId"),
                _timestamp(created or _text(tx, "IntrBkSttlmDt"), offset),
                _party(tx, "Dbtr"),
                _find(tx, "IntrBkSttlmAmt"),
            )
        )
    return rows


def _camt053(doc: etree._Element, offset: str) -> list[Row]:
    rows = []
    for stmt in _all(doc, "Stmt"):
        own_id = _text(stmt, "Acct/Id/IBAN") or _text(stmt, "Acct/Id/Othr/Id")
        own_name = _text(stmt, "Acct/Ownr/Nm")
        own_ctry = (_text(stmt, "Acct/Ownr/PstlAdr/Ctry") or own_id[:2]).upper()
        own_type = "business" if _find(stmt, "Acct/Ownr/Id/OrgId") is not None else "person"
        own = (own_id, own_name, own_ctry, own_type)
        for k, ntry in enumerate(_all(stmt, "Ntry"), start=1):
            amt = _find(ntry, "Amt")
            credit = _text(ntry, "CdtDbtInd") == "CRDT"
            when = _text(ntry, "BookgDt/DtTm") or _text(ntry, "BookgDt/Dt")
            for j, tx in enumerate(_all(ntry, "TxDtls") or [ntry], start=1):
                related = _find(tx, "RltdPties")
                other = _party(related, "Dbtr" if credit else "Cdtr")
                sender, receiver = (other, own) if credit else (own, other)
                ref = _text(tx, "Refs/EndToEndId") or _text(tx, "Refs/AcctSvcrRef")
                ref = ref or _text(ntry, "NtryRef") or f"{own_id}-{k}-{j}"
                rows.append(
                    _row(
                        tx,
                        txn_id=ref,
                        timestamp=_timestamp(when, offset),
                        sender_id=sender[0],
                        sender_name=sender[1],
                        sender_country=sender[2],
                        sender_type=sender[3],
                        receiver_id=receiver[0],
                        receiver_name=receiver[1],
                        receiver_country=receiver[2],
                        receiver_type=receiver[3],
                        amount=(amt.text or "").strip() if amt is not None else "",
                        currency=amt.get("Ccy", "") if amt is not None else "",
                        channel="bank_transfer",
                        reference=_text(tx, "RmtInf/Ustrd"),
                    )
                )
    return rows

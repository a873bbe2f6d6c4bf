"""ISO 20022 and public AML data-set layouts become canonical rows; bad rows keep their line."""

from __future__ import annotations

from pathlib import Path

import pytest

from egide.finance.reader import read_transactions
from egide.finance.reader_types import ReaderError

PAIN = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09">
 <CstmrCdtTrfInitn>
  <GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-03-04T23:10:00+10:00</CreDtTm></GrpHdr>
  <PmtInf>
   <PmtInfId>P1</PmtInfId>
   <ReqdExctnDt><DtTm>2026-03-04T23:15:00+10:00</DtTm></ReqdExctnDt>
   <Dbtr><Nm>John Smith</Nm><PstlAdr><Ctry>AU</Ctry></PstlAdr></Dbtr>
   <DbtrAcct><Id><IBAN>AU00BANK1234</IBAN></Id></DbtrAcct>
   <CdtTrfTxInf>
    <PmtId><EndToEndId>E2E-1</EndToEndId></PmtId>
    <Amt><InstdAmt Ccy="AUD">50.00</InstdAmt></Amt>
    <Cdtr><Nm>Maria Santos</Nm><PstlAdr><Ctry>PH</Ctry></PstlAdr></Cdtr>
    <CdtrAcct><Id><Othr><Id>PH-WALLET-9</Id></Othr></Id></CdtrAcct>
    <RmtInf><Ustrd>school fees</Ustrd></RmtInf>
   </CdtTrfTxInf>
   <CdtTrfTxInf>
    <PmtId><EndToEndId>E2E-2</EndToEndId></PmtId>
    <Amt><InstdAmt Ccy="AUD">lots</InstdAmt></Amt>
    <Cdtr><Nm>Acme Ltd</Nm><Id><OrgId><AnyBIC>ACMEGB2L</AnyBIC></OrgId></Id>
     <PstlAdr><Ctry>GB</Ctry></PstlAdr></Cdtr>
    <CdtrAcct><Id><IBAN>GB00ACME1</IBAN></Id></CdtrAcct>
   </CdtTrfTxInf>
  </PmtInf>
 </CstmrCdtTrfInitn>
</Document>
"""

PACS = """<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">
 <FIToFICstmrCdtTrf>
  <GrpHdr><MsgId>M2</MsgId><CreDtTm>2026-03-05T01:00:00</CreDtTm></GrpHdr>
  <CdtTrfTxInf>
   <PmtId><EndToEndId>E</EndToEndId><TxId>TX-9</TxId></PmtId>
   <IntrBkSttlmAmt Ccy="USD">120.50</IntrBkSttlmAmt>
   <Dbtr><Nm>Bob Jones</Nm></Dbtr><DbtrAcct><Id><IBAN>US00X1</IBAN></Id></DbtrAcct>
   <Cdtr><Nm>Liza Reyes</Nm></Cdtr><CdtrAcct><Id><IBAN>PH00Y2</IBAN></Id></CdtrAcct>
   <RmtInf><Ustrd>gift</Ustrd></RmtInf>
  </CdtTrfTxInf>
 </FIToFICstmrCdtTrf>
</Document>
"""

CAMT = """<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
 <BkToCstmrStmt>
  <GrpHdr><MsgId>M3</MsgId><CreDtTm>2026-03-06T00:00:00Z</CreDtTm></GrpHdr>
  <Stmt>
   <Id>S1</Id>
   <Acct><Id><IBAN>GB00OWN1</IBAN></Id><Ownr><Nm>Carl Owner</Nm></Ownr></Acct>
   <Ntry>
    <Amt Ccy="GBP">30.00</Amt><CdtDbtInd>DBIT</CdtDbtInd>
    <BookgDt><DtTm>2026-03-05T23:30:00+00:00</DtTm></BookgDt>
    <NtryDtls><TxDtls>
     <Refs><EndToEndId>OUT-1</EndToEndId></Refs>
     <RltdPties><Cdtr><Pty><Nm>Ana Cruz</Nm></Pty></Cdtr>
      <CdtrAcct><Id><IBAN>PH00Z3</IBAN></Id></CdtrAcct></RltdPties>
     <RmtInf><Ustrd>load</Ustrd></RmtInf>
    </TxDtls></NtryDtls>
   </Ntry>
   <Ntry>
    <Amt Ccy="GBP">900.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>
    <BookgDt><Dt>2026-03-01</Dt></BookgDt>
    <NtryDtls><TxDtls>
     <Refs><EndToEndId>IN-1</EndToEndId></Refs>
     <RltdPties><Dbtr><Nm>Employer Plc</Nm></Dbtr>
      <DbtrAcct><Id><IBAN>GB00EMP1</IBAN></Id></DbtrAcct></RltdPties>
     <RmtInf><Ustrd>salary</Ustrd></RmtInf>
    </TxDtls></NtryDtls>
   </Ntry>
  </Stmt>
 </BkToCstmrStmt>
</Document>
"""


def test_pain001(tmp_path: Path) -> None:
    path = tmp_path / "p.xml"
    path.write_text(PAIN)
    result = read_transactions(path)
    row = result.frame.row(0, named=True)
    assert row["txn_id"] == "E2E-1" and row["reference"] == "school fees"
    assert row["sender_id"] == "AU00BANK1234" and row["receiver_id"] == "PH-WALLET-9"
    assert (row["sender_country"], row["receiver_country"]) == ("AU", "PH")
    assert row["local_hour"] == 23 and row["amount"] == 50.0
    assert [(e.line, e.reason) for e in result.errors] == [(17, "amount is not a number: lots")]


def test_pacs008_and_camt053(tmp_path: Path) -> None:
    pacs = tmp_path / "pacs.xml"
    pacs.write_text(PACS)
    row = read_transactions(pacs).frame.row(0, named=True)
    assert row["txn_id"] == "TX-9" and row["sender_country"] == "US"
    assert row["receiver_country"] == "PH" and row["timestamp"].endswith("+00:00")
    camt = tmp_path / "camt.xml"
    camt.write_text(CAMT)
    df = read_transactions(camt).frame
    out = df.row(0, named=True)
    assert (out["sender_id"], out["receiver_id"], out["reference"]) == (
        "GB00OWN1",
        "PH00Z3",
        "load",
    )
    incoming = df.row(1, named=True)
    assert (incoming["sender_id"], incoming["receiver_id"]) == ("GB00EMP1", "GB00OWN1")


def test_not_a_payment_message(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    path.write_text("<Document><Other/></Document>")
    with pytest.raises(ReaderError, match=r"not pain\.001"):
        read_transactions(path)
    path.write_text("<Document>")
    with pytest.raises(ReaderError, match="not XML"):
        read_transactions(path)


def test_amlworld(tmp_path: Path) -> None:
    path = tmp_path / "HI-Small_Trans.csv"
    path.write_text(
        "Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,"
        "Amount Paid,Payment Currency,Payment Format,Is Laundering\n"
        "2022/09/01 00:20,010,8000EBD30,010,8000EBD30,3697.34,US Dollar,3697.34,US Dollar,"
        "Reinvestment,0\n"
        "2022/09/01 00:21,3208,8000F4580,001,8000F5340,0.01,Bitcoin,0.01,Bitcoin,Bitcoin,1\n"
        "2022/09/01 00:22,1,2,3\n"
        "2022/09/01 00:23,1,A,2,B,5,Doubloon,5,Doubloon,Wire,0\n"
    )
    result = read_transactions(path, fmt="amlworld")
    df = result.frame
    assert df["sender_id"].to_list() == ["010:8000EBD30", "3208:8000F4580"]
    assert df["channel"].to_list() == ["bank_transfer", "crypto"]
    assert df["is_suspicious"].to_list() == [False, True]
    assert df["currency"].to_list() == ["USD", "XBT"]
    assert [(e.line, e.reason) for e in result.errors] == [
        (4, "expected 11 fields, got 4"),
        (5, "currency not in the rate table: DOUBLOON"),
    ]


def test_samld(tmp_path: Path) -> None:
    path = tmp_path / "SAML-D.csv"
    path.write_text(
        "Time,Date,Sender_account,Receiver_account,Amount,Payment_currency,Received_currency,"
        "Sender_bank_location,Receiver_bank_location,Payment_type,Is_laundering,Laundering_type\n"
        "10:35:19,2022-10-07,8724731955,2769355426,1459.15,UK pounds,UK pounds,UK,UK,"
        "Cash Deposit,0,Normal_Cash_Deposits\n"
        "10:35:20,2022-10-07,1491989064,8401255335,6019.64,UK pounds,Dirham,UK,UAE,"
        "Cross-border,1,Structuring\n"
    )
    df = read_transactions(path, fmt="saml-d").frame
    assert df["receiver_country"].to_list() == ["GB", "AE"]
    assert df["channel"].to_list() == ["cash", "bank_transfer"]
    assert df["scenario"].to_list() == ["Normal_Cash_Deposits", "Structuring"]
    assert df["line"].to_list() == [2, 3]

"""The record: journal of PBX events, supervisor audit trail, hash chain, review and replay.

No Qt here (a test enforces it). Entry points: `db.record.open_record` (writing),
`db.review.open_review` (read-only review), `db.chain.verify` (tamper check).
"""

"""Counting votes: the ballot data, the BLT file format and the counting rules (issue 3)."""

-- QR codes link to the national portal by its own procedure id; find the procedure by it.
CREATE INDEX procedures_portal_url ON procedures (json_extract(record, '$.portal_url'));
